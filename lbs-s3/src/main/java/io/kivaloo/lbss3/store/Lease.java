package io.kivaloo.lbss3.store;

import io.kivaloo.lbss3.s3.ObjectInfo;
import io.kivaloo.lbss3.s3.ObjectStore;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The heartbeat of the live instance, and the check that keeps a second one
 * from starting (DESIGN.md "One live instance"). The live generation writes a
 * new lease object {@code lease/<gen>-<seq>} every quarter lease period (a new
 * key each time: nothing is overwritten) and deletes the one before. A
 * starting instance that finds lease objects watches them for one lease
 * period: a new one appearing means a live instance, and start-up is
 * refused. A clean stop deletes the lease, so the next start does not wait.
 *
 * <p>No clocks are compared, only whether something changed. The lease only
 * makes the refusal likely; safety does not depend on it: a live instance
 * that stalled longer than a lease period is fenced off when the newcomer
 * claims the next generation ({@link ObjectBlockStore}).
 */
public final class Lease implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Lease.class);
    /** Renewals per lease period: a few may fail or be late before a newcomer could miss them. */
    private static final int RENEWALS_PER_PERIOD = 4;
    /** Looks at the leases this often while waiting: a live instance is noticed soon after it renews. */
    private static final int CHECKS_PER_PERIOD = 20;
    private static final String PERIOD_FIELD = "period-millis";

    private final ObjectStore objects;
    private final StoreLayout layout;
    private final long generation;
    private final String instance;
    /** Recorded in every lease object, so that a newcomer configured with a shorter period still waits this long. */
    private final Duration period;
    private final ScheduledExecutorService renewer;
    /** Key of the newest lease written; touched by the renewer thread and by close. */
    private String current;
    private long sequence;
    private boolean closed;
    /** Told once when a renewal finds the next generation claimed; set by the daemon after start-up. */
    private volatile Consumer<StoreRefusedException> superseded = e -> { };
    private boolean supersededSeen;

    private Lease(ObjectStore objects, StoreLayout layout, long generation, String instance, Duration period) {
        this.objects = objects;
        this.layout = layout;
        this.generation = generation;
        this.instance = instance;
        this.period = period;
        this.renewer = new ScheduledThreadPoolExecutor(1, new DefaultThreadFactory("lbs-s3-lease", true));
    }

    /**
     * Returns once no other instance holds a lease, with the keys of the
     * leases dead instances left behind.
     *
     * @throws StoreRefusedException if a lease is renewed while watching
     */
    static List<String> awaitNoLiveInstance(ObjectStore objects, StoreLayout layout, Duration period)
            throws IOException {
        List<ObjectInfo> initial = objects.list(layout.leasesPrefix());
        if (initial.isEmpty()) {
            return List.of();
        }
        Set<String> seen = new HashSet<>();
        Duration watch = period;
        for (ObjectInfo lease : initial) {
            seen.add(lease.key());
            Duration recorded = recordedPeriod(objects, lease.key());
            if (recorded != null && recorded.compareTo(watch) > 0) {
                watch = recorded;
            }
        }
        log.info("lease objects found, watching them for one lease period leases={} periodMillis={}", seen.size(),
                watch.toMillis());
        long deadline = System.nanoTime() + watch.toNanos();
        long pause = watch.toNanos() / CHECKS_PER_PERIOD;
        while (System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(pause);
            for (ObjectInfo lease : objects.list(layout.leasesPrefix())) {
                if (!seen.contains(lease.key())) {
                    String owner = layout.parseLeaseGeneration(lease.key()).map(Long::toUnsignedString).orElse("?");
                    throw new StoreRefusedException("store " + objects.describe() + " prefix='" + layout.prefix()
                            + "' is in use by another lbs-s3 (generation " + owner + " renewed its lease within "
                            + watch.toSeconds() + " s); stop it first");
                }
            }
        }
        return List.copyOf(seen);
    }

    /**
     * The period a lease's writer renews within, as it recorded it; null for
     * a lease deleted meanwhile (its writer renewed: the watch sees the new
     * one) or written before the period was recorded.
     */
    private static Duration recordedPeriod(ObjectStore objects, String key) throws IOException {
        byte[] bytes = objects.get(key);
        if (bytes == null) {
            return null;
        }
        Long millis = StoreRecord.decode(key, "lease", bytes).optionalNumber(key, PERIOD_FIELD);
        return millis == null ? null : Duration.ofMillis(millis);
    }

    /** Writes the first lease of {@code generation} and renews it every quarter period from then on. */
    static Lease start(ObjectStore objects, StoreLayout layout, long generation, String instance, Duration period)
            throws IOException {
        Lease lease = new Lease(objects, layout, generation, instance, period);
        lease.renew();
        long interval = Math.max(1, period.toMillis() / RENEWALS_PER_PERIOD);
        lease.renewer.scheduleWithFixedDelay(lease::renewLogged, interval, interval, TimeUnit.MILLISECONDS);
        return lease;
    }

    /**
     * Who learns that another instance took over. Without this an idle
     * instance whose lease lapsed (a stall, a network cut) would go on
     * answering GETs from its own view after the newcomer had written new
     * blocks; each renewal looks for the next generation's claim first.
     */
    public void whenSuperseded(Consumer<StoreRefusedException> listener) {
        superseded = listener;
    }

    private void renewLogged() {
        try {
            renew();
        } catch (IOException e) {
            // The next renewal tries again; if the store stays unreachable, APPENDs fail and stop the daemon.
            log.warn("lease renewal failed generation={} reason={}", Long.toUnsignedString(generation), e.getMessage());
        }
    }

    private synchronized void renew() throws IOException {
        if (closed || supersededSeen) {
            return;
        }
        if (objects.exists(layout.claimKey(generation + 1))) {
            supersededSeen = true;
            StoreRefusedException e = ObjectBlockStore.supersededBy(generation);
            log.error("stopping: {}", e.getMessage());
            superseded.accept(e);
            return;
        }
        String next = layout.leaseKey(generation, ++sequence);
        objects.create(next, StoreRecord.of("lease", "generation", Long.toUnsignedString(generation),
                "instance", instance, "sequence", Long.toString(sequence),
                PERIOD_FIELD, Long.toString(period.toMillis())).encode());
        String previous = current;
        current = next;
        if (previous != null) {
            objects.delete(previous);
        }
    }

    /** Stops renewing and deletes the lease, so that the next start need not wait. */
    @Override
    public void close() {
        renewer.shutdown();
        String last;
        synchronized (this) {
            closed = true;
            last = current;
        }
        try {
            renewer.awaitTermination(1, TimeUnit.MINUTES);
            if (last != null) {
                objects.delete(last);
            }
        } catch (IOException e) {
            log.warn("cannot delete the lease; the next start waits one lease period key={} reason={}", last, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
