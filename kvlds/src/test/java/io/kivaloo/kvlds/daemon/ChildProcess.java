package io.kivaloo.kvlds.daemon;

import io.kivaloo.proto.daemon.DaemonChild;

import java.util.List;
import java.util.Map;

/** The kvlds tests' way of starting {@link DaemonChild}ren: a JVM heap that holds a test's cache. */
final class ChildProcess {

    static final long DEADLINE_SECONDS = DaemonChild.DEADLINE_SECONDS;

    private static final List<String> JVM = List.of("-Xmx512m");

    private ChildProcess() {
    }

    /** The command line of a JVM running {@code mainClass} on the test class path plus {@code extraClassPath}. */
    static List<String> java(String daemonTag, String extraClassPath, String mainClass, List<String> args) {
        return DaemonChild.java(JVM, daemonTag, extraClassPath, mainClass, args);
    }

    /** Starts one of our daemons in the foreground and waits until it is ready. */
    static DaemonChild startJava(String daemonTag, String extraClassPath, String mainClass, List<String> args) throws Exception {
        return DaemonChild.startJava(JVM, daemonTag, extraClassPath, mainClass, args, Map.of());
    }

    /** Runs a command (a C daemon, a launcher) to completion. */
    static DaemonChild.Finished run(List<String> command) throws Exception {
        return DaemonChild.run(command, Map.of());
    }
}
