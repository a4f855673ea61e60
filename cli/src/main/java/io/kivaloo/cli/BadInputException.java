package io.kivaloo.cli;

/**
 * The user's input cannot be sent: text the encoding rejects, a key or value
 * over a limit, a malformed {@code load} line. Found before the request
 * leaves, so nothing was sent for it: exit status 2, as picocli's own usage
 * errors.
 */
final class BadInputException extends CliFailure {

    private static final long serialVersionUID = 1L;

    BadInputException(String message) {
        super(message);
    }

    @Override
    int exitStatus() {
        return ExitStatus.USAGE;
    }
}
