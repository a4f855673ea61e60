package io.kivaloo.cli;

/**
 * The server could not be reached or did not answer: no connection, a
 * timeout, a closed or failed connection (the client closes it on a protocol
 * error). What was in flight has an unknown outcome: exit status 3.
 */
final class ServerFailureException extends CliFailure {

    private static final long serialVersionUID = 1L;

    ServerFailureException(String message) {
        super(message);
    }

    ServerFailureException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    int exitStatus() {
        return ExitStatus.FAILURE;
    }
}
