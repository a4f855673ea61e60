package io.kivaloo.bench;

import io.kivaloo.bench.run.Pipeline;
import io.kivaloo.bench.run.Window;
import picocli.CommandLine.Option;

/**
 * Options every timed workload takes. The defaults are the C programs'; the
 * figures are comparable with theirs only at the defaults.
 */
public final class WindowOptions {

    @Option(names = {"-W", "--warmup"}, paramLabel = "<secs>", defaultValue = "50",
            description = "Seconds of warm-up before counting (default: ${DEFAULT-VALUE}, as the C programs).")
    long warmupSeconds;

    @Option(names = {"-S", "--seconds"}, paramLabel = "<secs>",
            description = "Seconds counted after the warm-up (default: the C program's, 10 or 100).")
    Integer seconds;

    @Option(names = {"-q", "--in-flight"}, paramLabel = "<n>", defaultValue = "" + Pipeline.DEFAULT_IN_FLIGHT,
            description = "Most requests in flight at once (default: ${DEFAULT-VALUE}, as the C programs).")
    int inFlight;

    public Window window(int defaultSeconds) {
        return new Window(warmupSeconds, seconds == null ? defaultSeconds : seconds);
    }

    public int inFlight() {
        return inFlight;
    }
}
