package io.kivaloo.cli;

/**
 * A failure that ends a command with one line on stderr and a non-zero exit
 * status: the status says which kind, the message says what, where and what
 * was expected. No stack trace reaches the user.
 */
abstract sealed class CliFailure extends Exception permits BadInputException, ServerFailureException, StreamFailureException {

    private static final long serialVersionUID = 1L;

    CliFailure(String message) {
        super(message);
    }

    CliFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /** The process's exit status for this failure. */
    abstract int exitStatus();
}
