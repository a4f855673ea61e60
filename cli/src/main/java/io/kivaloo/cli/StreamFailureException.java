package io.kivaloo.cli;

/**
 * stdout could not be written (a closed pipe, a full disk) or stdin could not
 * be read. PrintStream hides write errors, so commands check it after each
 * batch and stop with this, exit status 3: the output is incomplete.
 */
final class StreamFailureException extends CliFailure {

    private static final long serialVersionUID = 1L;

    StreamFailureException(String message) {
        super(message);
    }

    StreamFailureException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    int exitStatus() {
        return ExitStatus.FAILURE;
    }
}
