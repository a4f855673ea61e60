package io.kivaloo.tests.durability;

import io.kivaloo.proto.client.KvldsClient;
import io.kivaloo.proto.kvlds.Key;
import io.kivaloo.proto.kvlds.KvldsRequest;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One writer of the durability suite: on its own thread, keeps up to
 * {@link #IN_FLIGHT} SETs and DELETEs of its own keys in flight on one
 * connection, recording each in the {@link WriteLedger} before sending and its
 * acknowledgement when it comes. It stops at the first failed request (the
 * connection died: a daemon was killed) or when asked to.
 */
public final class Writer implements AutoCloseable {

    public static final int IN_FLIGHT = 32;
    public static final int KEYS_PER_WRITER = 400;

    private final int id;
    private final KvldsClient client;
    private final WriteLedger ledger;
    private final Random random;
    private final Semaphore permits = new Semaphore(IN_FLIGHT);
    private final CountDownLatch progress;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean stopping;

    /**
     * @param progressTarget acknowledgements after which {@link #awaitProgress} returns
     */
    public Writer(int id, KvldsClient client, WriteLedger ledger, long seed, int progressTarget) {
        this.id = id;
        this.client = client;
        this.ledger = ledger;
        this.random = new Random(seed);
        this.progress = new CountDownLatch(progressTarget);
        this.thread = new Thread(this::run, "writer-" + id);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (!stopping && failure.get() == null) {
                permits.acquire();
                Key key = key(random.nextInt(KEYS_PER_WRITER));
                boolean delete = random.nextInt(8) == 0;
                Key value = delete ? null : value();
                long sequence = ledger.sent(key, value);
                KvldsRequest request = delete ? new KvldsRequest.Delete(key) : new KvldsRequest.Set(key, value);
                client.request(request).whenComplete((response, error) -> {
                    if (error == null) {
                        ledger.acknowledged(key, sequence);
                        progress.countDown();
                    } else {
                        failure.compareAndSet(null, error);
                    }
                    permits.release();
                });
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Key {@code n} of this writer: its id byte, then n as text (so keys of different writers never meet). */
    private Key key(int n) {
        return Key.of(("w" + (char) ('a' + id) + "-" + n).getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A value no other write uses: writer, a random tag and padding of random length. */
    private Key value() {
        StringBuilder s = new StringBuilder("v").append(id).append('-').append(Long.toHexString(random.nextLong()));
        int padding = random.nextInt(40);
        for (int i = 0; i < padding; i++) {
            s.append((char) ('a' + random.nextInt(26)));
        }
        return Key.of(s.toString());
    }

    /** Waits until the progress target was reached (true), the writer failed, or the deadline passed. */
    public boolean awaitProgress(long seconds) throws InterruptedException {
        return progress.await(seconds, TimeUnit.SECONDS);
    }

    /** The first failure seen, or null. */
    public Throwable failure() {
        return failure.get();
    }

    /** Stops sending, closes the connection (unanswered writes stay unknown) and waits for the thread. */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        client.close();
        // Closing fails every pending request, which releases the permits the thread may wait for.
        thread.join(TimeUnit.SECONDS.toMillis(60));
        if (thread.isAlive()) {
            thread.interrupt();
            thread.join();
        }
    }
}
