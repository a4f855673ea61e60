package io.kivaloo.tests.cli;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code bin/kivaloo-cli} on a pseudo-terminal, as a person at a terminal
 * runs it: util-linux's {@code script} gives it a pty (80 columns, TERM=xterm),
 * the test types a line once the prompt waits for one, and reads the screen,
 * which is everything written to the terminal, escape sequences included.
 * Skipped (with the reason) where {@code script} is not installed.
 */
final class TerminalSession implements AutoCloseable {

    static final String PROMPT = "kivaloo> ";
    private static final long DEADLINE_SECONDS = 180;
    private static final Path SCRIPT = Path.of("/usr/bin/script");

    private final Process process;
    private final OutputStream keyboard;
    private final StringBuilder screen = new StringBuilder();
    /** Where the screen stood when the last line was typed: the answer to it comes after. */
    private int typedAt;
    /** Set when the terminal closed (the process ended): nothing more will be shown. */
    private boolean closed;

    private TerminalSession(Process process) {
        this.process = process;
        this.keyboard = process.getOutputStream();
        Thread reader = new Thread(() -> copyScreen(process.getInputStream()), "terminal-screen");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code cli args} on a pty in {@code workingDirectory} with {@code environment} added. */
    static TerminalSession start(Path cli, List<String> args, Path workingDirectory, Map<String, String> environment)
            throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(SCRIPT), "util-linux script is not installed at " + SCRIPT
                + ": no pseudo-terminal for the prompt test");
        StringBuilder command = new StringBuilder("stty cols 80 rows 24; exec ").append(quote(cli.toString()));
        for (String arg : args) {
            command.append(' ').append(quote(arg));
        }
        // -q no banner, -e the child's exit status, -c the command, /dev/null no typescript file.
        ProcessBuilder builder = new ProcessBuilder(SCRIPT.toString(), "-qec", command.toString(), "/dev/null")
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true);
        builder.environment().remove("KIVALOO_ADDRESS");
        builder.environment().put("TERM", "xterm");
        builder.environment().putAll(environment);
        return new TerminalSession(builder.start());
    }

    /** Terminal controls: CSI sequences (ESC [ ... letter) and ESC = / ESC > (keypad modes). */
    private static final Pattern CONTROLS = Pattern.compile("\u001b\\[[0-9;?]*[A-Za-z]|\u001b[=>]|\r");

    /**
     * Waits until the prompt waits for a line (the screen ends with it after
     * the last line typed), and returns what was shown since that line was
     * typed as plain text: terminal controls and carriage returns left out.
     */
    String awaitPrompt() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        synchronized (screen) {
            while (!(screen.length() > typedAt && screen.lastIndexOf(PROMPT) == screen.length() - PROMPT.length())) {
                long left = deadline - System.nanoTime();
                if (closed || left <= 0) {
                    throw new AssertionError((closed ? "the terminal closed" : "no prompt within " + DEADLINE_SECONDS
                            + " s") + " while waiting for the prompt; the screen:\n" + screen);
                }
                TimeUnit.NANOSECONDS.timedWait(screen, left);
            }
            return CONTROLS.matcher(screen.substring(typedAt)).replaceAll("");
        }
    }

    /** Types {@code line} and Enter. */
    void type(String line) throws IOException {
        synchronized (screen) {
            typedAt = screen.length();
        }
        keyboard.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
    }

    /** The process's exit status, once it has exited and its screen is all read. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("kivaloo-cli did not exit within " + DEADLINE_SECONDS + " s; the screen:\n" + screen());
        }
        return process.exitValue();
    }

    String screen() {
        synchronized (screen) {
            return screen.toString();
        }
    }

    private void copyScreen(InputStream in) {
        char[] buffer = new char[4096];
        try (Reader terminal = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            for (int n = terminal.read(buffer); n >= 0; n = terminal.read(buffer)) {
                synchronized (screen) {
                    screen.append(buffer, 0, n);
                    screen.notifyAll();
                }
            }
        } catch (IOException e) {
            synchronized (screen) {
                screen.append("\n[reading the terminal failed: ").append(e).append("]\n");
            }
        } finally {
            synchronized (screen) {
                closed = true;
                screen.notifyAll();
            }
        }
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
