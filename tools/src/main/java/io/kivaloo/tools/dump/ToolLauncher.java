package io.kivaloo.tools.dump;

/**
 * What the launcher ({@code bin/kivaloo-tool}) tells the JVM about its
 * surroundings. Java 17 cannot ask whether stderr alone is a terminal
 * ({@code System.console()} needs stdin and stdout to be one, and a dump's
 * stdout is a file), so the launcher tests {@code [ -t 2 ]} and passes the
 * answer as the system property {@value #STDERR_TERMINAL_PROPERTY}.
 */
final class ToolLauncher {

    static final String STDERR_TERMINAL_PROPERTY = "kivaloo.stderrIsTerminal";

    private ToolLauncher() {
    }

    static boolean stderrIsTerminal() {
        return Boolean.getBoolean(STDERR_TERMINAL_PROPERTY);
    }
}
