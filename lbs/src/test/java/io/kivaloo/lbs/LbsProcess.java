package io.kivaloo.lbs;

import io.kivaloo.proto.daemon.DaemonChild;

import java.util.List;
import java.util.Map;

/** {@link LbsMain} in a child JVM ({@link DaemonChild}), small and quick to start: these runs are short. */
final class LbsProcess {

    private static final List<String> JVM = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1");

    private LbsProcess() {
    }

    /** Starts lbs in the foreground and waits until it is ready. */
    static DaemonChild start(String... args) throws Exception {
        return DaemonChild.startJava(JVM, "lbs/lbs", null, LbsMain.class.getName(), List.of(args), Map.of());
    }

    /** Runs an lbs command line to completion (usage and start-up errors). */
    static DaemonChild.Finished run(String... args) throws Exception {
        return DaemonChild.run(DaemonChild.java(JVM, "lbs/lbs", null, LbsMain.class.getName(), List.of(args)), Map.of());
    }
}
