package io.kivaloo.cli;

import io.kivaloo.proto.client.KvldsClient;
import io.kivaloo.proto.net.KivalooAddress;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One command's connection to a kvlds or mux: connects, waits for answers
 * with the per-request {@code --timeout}, and turns every way of not getting
 * an answer (no connection, timeout, connection closed or failed) into a
 * {@link ServerFailureException} naming the request and the address.
 * The server's limits are asked (PARAMS) once, when first needed.
 *
 * <p>A session opened with {@link #open} owns its connection and closes it.
 * The prompt keeps one open across commands and gives each command a
 * {@link #lend lent} view, which has the command's timeout and whose
 * {@link #close} leaves the connection open: commands close their session
 * the same way in both cases.
 */
final class Session implements AutoCloseable {

    private final KivalooAddress address;
    private final Duration timeout;
    private final KvldsClient client;
    /** False for a lent view: the owner closes the connection. */
    private final boolean ownsClient;
    private Limits limits;

    private Session(KivalooAddress address, Duration timeout, KvldsClient client, boolean ownsClient) {
        this.address = address;
        this.timeout = timeout;
        this.client = client;
        this.ownsClient = ownsClient;
    }

    /** Connects to {@code address}; the connection attempt has {@code timeout} too. */
    static Session open(KivalooAddress address, Duration timeout) throws ServerFailureException {
        CompletableFuture<KvldsClient> connecting = KvldsClient.connect(address);
        try {
            return new Session(address, timeout, connecting.get(timeout.toMillis(), TimeUnit.MILLISECONDS), true);
        } catch (TimeoutException e) {
            connecting.thenAccept(KvldsClient::close);
            throw new ServerFailureException("cannot connect to " + address.text() + ": no connection within "
                    + DurationConverter.format(timeout), e);
        } catch (ExecutionException e) {
            // The connector's message already reads "cannot connect to <address>: <reason>".
            Throwable cause = unwrap(e.getCause());
            throw new ServerFailureException(messageOf(cause), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerFailureException("interrupted while connecting to " + address.text(), e);
        }
    }

    /**
     * This connection with {@code timeout} for each answer, for one command;
     * closing the view leaves the connection open. The client caches the
     * server's PARAMS, so a view asks them again without a round trip.
     */
    Session lend(Duration timeout) {
        return new Session(address, timeout, client, false);
    }

    /** False once the connection is closed, by either side or after a failure. */
    boolean isOpen() {
        return client.connection().isOpen();
    }

    KivalooAddress address() {
        return address;
    }

    KvldsClient client() {
        return client;
    }

    /** The answer to {@code request} (a request name such as "GET", for messages), within the timeout. */
    <T> T await(CompletableFuture<T> answer, String request) throws ServerFailureException {
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw timedOut(request, e);
        } catch (ExecutionException e) {
            throw failed(request, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerFailureException("interrupted waiting for " + request + " from " + address.text(), e);
        }
    }

    /** The server's limits (one PARAMS round trip the first time). */
    Limits limits() throws ServerFailureException {
        if (limits == null) {
            limits = Limits.of(await(client.limits(), "PARAMS"));
        }
        return limits;
    }

    ServerFailureException timedOut(String request, Throwable cause) {
        return new ServerFailureException("no answer to " + request + " from " + address.text() + " within "
                + DurationConverter.format(timeout), cause);
    }

    ServerFailureException failed(String request, Throwable cause) {
        Throwable root = unwrap(cause);
        if (root instanceof TimeoutException) {
            return timedOut(request, root);
        }
        return new ServerFailureException(request + " to " + address.text() + " failed: " + messageOf(root), root);
    }

    Duration timeout() {
        return timeout;
    }

    /** The failure itself, out of the CompletionExceptions that chained futures wrap it in. */
    private static Throwable unwrap(Throwable failure) {
        Throwable root = failure;
        while (root instanceof CompletionException && root.getCause() != null) {
            root = root.getCause();
        }
        return root;
    }

    private static String messageOf(Throwable failure) {
        return failure.getMessage() == null ? failure.toString() : failure.getMessage();
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }
}
