package io.kivaloo.lbss3;

import io.kivaloo.lbss3.s3.S3ProxyBuckets;
import org.gaul.s3proxy.junit.S3ProxyExtension;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@link LbsS3Main} in a child JVM (the test's class path) in the foreground,
 * on a bucket of the test's S3Proxy, with the credentials and region passed
 * the way an operator passes them: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * AWS_REGION in the environment. Readiness is the runner's "ready" log line.
 */
final class LbsS3Process implements AutoCloseable {

    private static final long DEADLINE_SECONDS = 120;

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final Thread pump;

    private LbsS3Process(List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Dkivaloo.daemon=lbs-s3/lbs-s3");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(LbsS3Main.class.getName());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("AWS_ACCESS_KEY_ID", S3ProxyBuckets.ACCESS_KEY);
        builder.environment().put("AWS_SECRET_ACCESS_KEY", S3ProxyBuckets.SECRET_KEY);
        builder.environment().put("AWS_REGION", S3ProxyBuckets.REGION);
        process = builder.start();
        pump = new Thread(this::pumpOutput, "lbs-s3-child-output");
        pump.setDaemon(true);
        pump.start();
    }

    /** The options that point a daemon at {@code bucket} on the proxy. */
    static List<String> bucketOptions(S3ProxyExtension proxy, String bucket, int leaseSeconds) {
        return List.of("-B", bucket, "-E", proxy.getUri().toString(), "--path-style", "--lease-seconds",
                Integer.toString(leaseSeconds));
    }

    /** Starts a daemon and waits until it is ready; fails with its output if it exits instead. */
    static LbsS3Process start(List<String> args) throws Exception {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("-F", "--log-level", "info"));
        LbsS3Process child = new LbsS3Process(all);
        CompletableFuture.anyOf(child.ready, child.process.onExit()).get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        if (!child.ready.isDone()) {
            throw new AssertionError("lbs-s3 exited with status " + child.process.waitFor() + " before it was ready:\n"
                    + child.output());
        }
        return child;
    }

    /** Runs a command line to completion (usage errors, refusals, init). */
    static Finished run(List<String> args) throws Exception {
        LbsS3Process child = new LbsS3Process(args);
        if (!child.process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
            child.process.destroyForcibly();
            throw new AssertionError("lbs-s3 did not exit:\n" + child.output());
        }
        child.pump.join(TimeUnit.SECONDS.toMillis(DEADLINE_SECONDS));
        return new Finished(child.process.exitValue(), child.output());
    }

    record Finished(int status, String output) {
    }

    private void pumpOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                output.append(line).append('\n');
                if (line.contains(" ready pid=")) {
                    ready.complete(null);
                }
            }
        } catch (IOException e) {
            output.append("[output lost: ").append(e.getMessage()).append("]\n");
        }
    }

    String output() {
        return output.toString();
    }

    void kill9() throws Exception {
        process.destroyForcibly();
        if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("lbs-s3 survived SIGKILL");
        }
    }

    /** SIGTERM; returns the exit status. */
    int terminate() throws Exception {
        process.destroy();
        if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("lbs-s3 ignored SIGTERM:\n" + output());
        }
        pump.join(TimeUnit.SECONDS.toMillis(DEADLINE_SECONDS));
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.onExit().join();
        }
    }
}
