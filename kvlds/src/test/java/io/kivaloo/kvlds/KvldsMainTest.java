package io.kivaloo.kvlds;

import io.kivaloo.kvlds.cleaner.CleaningPolicy;
import io.kivaloo.kvlds.server.KvldsConfig;
import io.kivaloo.proto.daemon.DaemonCommandLine;
import io.kivaloo.proto.daemon.StartupException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cleaning options as kvlds's command line turns them into its configuration. */
class KvldsMainTest {

    private static KvldsMain parse(String... extra) {
        KvldsMain main = new KvldsMain();
        String[] args = new String[extra.length + 4];
        args[0] = "-s";
        args[1] = "/tmp/kvlds-main-test.sock";
        args[2] = "-l";
        args[3] = "/tmp/kvlds-main-test-lbs.sock";
        System.arraycopy(extra, 0, args, 4, extra.length);
        DaemonCommandLine.commandLine("kvlds", main).parseArgs(args);
        return main;
    }

    @Test
    void theDefaultsBoundTheSpan() throws StartupException {
        KvldsConfig config = parse().config();
        assertThat(config.cleaning()).isEqualTo(new CleaningPolicy(1.0, CleaningPolicy.DEFAULT_MAX_SPAN_RATIO));
    }

    @Test
    void maxSpanZeroLeavesCleaningToTheCostModel() throws StartupException {
        assertThat(parse("-S", "3", "--max-span", "0").config().cleaning()).isEqualTo(CleaningPolicy.costOnly(3));
    }

    @Test
    void storageCostZeroStillTurnsCleaningOff() throws StartupException {
        // The bound is kept in the policy, but the cleaner is off with S = 0 (Cleaner's rate is 0).
        assertThat(parse("-S", "0").config().cleaning().storageCost()).isZero();
    }

    @Test
    void aSpanBoundBelowTheMinimumIsRefused() {
        assertThatThrownBy(() -> parse("--max-span", "1.1").config())
                .isInstanceOf(StartupException.class)
                .hasMessage("Maximum span ratio must be 0 or >= " + CleaningPolicy.MIN_MAX_SPAN_RATIO);
    }

    @Test
    void theWarmUpIsOffUnlessWarmupIsGiven() throws StartupException {
        assertThat(parse().config().warmup()).isFalse();
        assertThat(parse("--warmup").config().warmup()).isTrue();
        assertThat(parse("--no-warmup").config().warmup()).isFalse();
    }
}
