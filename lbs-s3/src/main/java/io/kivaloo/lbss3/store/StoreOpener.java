package io.kivaloo.lbss3.store;

import io.kivaloo.lbss3.s3.ObjectExistsException;
import io.kivaloo.lbss3.s3.ObjectInfo;
import io.kivaloo.lbss3.s3.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * Start-up of a generation, in this order (DESIGN.md "Start-up"):
 * <ol>
 *   <li>read (or, on the first start, record) the store parameters; refuse another block size;</li>
 *   <li>wait until no other instance renews a lease; refuse if one does;</li>
 *   <li>claim the next generation number ({@code gen/<g>/claim}, conditional); from here
 *       on an older generation still running is fenced off; check once, under
 *       {@code gen/<g>/probe}, that the store refuses a second conditional PUT;</li>
 *   <li>start the lease;</li>
 *   <li>list the block objects and recover the chain ({@link Recovery});</li>
 *   <li>write {@code gen/<g>/start} with the recovered nextBlock and the generation followed.</li>
 * </ol>
 * Nothing of the data is changed before step 6; a failure anywhere leaves at
 * most a claim (and a lease) behind, which later starts skip. Garbage found
 * by recovery is deleted later, by the first FREEs.
 */
public final class StoreOpener {

    private static final Logger log = LoggerFactory.getLogger(StoreOpener.class);

    /** Random bytes naming one start of the daemon in its claim and leases. */
    private static final int INSTANCE_BYTES = 16;

    private StoreOpener() {
    }

    /** A started generation: its store and its lease. */
    public record Opened(ObjectBlockStore store, Lease lease, StoreParameters parameters) {
    }

    /** Runs the steps above; the caller owns the lease and closes it at shutdown. */
    public static Opened open(ObjectStore objects, StoreLayout layout, int blockSize, Duration leasePeriod)
            throws IOException {
        StoreParameters parameters = StoreParameters.initOrLoad(objects, layout, blockSize);
        List<String> staleLeases = Lease.awaitNoLiveInstance(objects, layout, leasePeriod);

        long generation = nextGeneration(objects, layout);
        String instance = randomInstance();
        try {
            objects.create(layout.claimKey(generation),
                    GenerationStart.encodeClaim(generation, parameters.storeId(), instance));
        } catch (ObjectExistsException e) {
            throw new StoreRefusedException("store " + objects.describe() + " prefix='" + layout.prefix()
                    + "' is in use by another lbs-s3 (it claimed generation " + Long.toUnsignedString(generation)
                    + " at the same time); stop it first");
        }
        probeConditionalWrites(objects, layout, generation);
        Lease lease = Lease.start(objects, layout, generation, instance, leasePeriod);
        try {
            for (String stale : staleLeases) {
                objects.delete(stale);
            }
            NavigableSet<Long> started = startedGenerations(objects, layout);
            List<ObjectInfo> blocks = blockObjects(objects, layout);
            Recovery.Result recovered = Recovery.recover(layout, blockSize, started, blocks,
                    g -> readStart(objects, layout, parameters, g));
            GenerationStart start = new GenerationStart(generation, recovered.nextBlock(), recovered.newest());
            objects.create(layout.startKey(generation), start.encode(parameters.storeId()));
            ObjectBlockStore store = new ObjectBlockStore(objects, layout, blockSize, generation,
                    new ObjectIndex(recovered.live(), recovered.nextBlock()), recovered.garbage());
            log.info("generation started generation={} previous={} minBlock={} nextBlock={} objects={} garbage={}",
                    Long.toUnsignedString(generation), Long.toUnsignedString(recovered.newest()),
                    Long.toUnsignedString(store.minBlock()), Long.toUnsignedString(store.nextBlock()),
                    recovered.live().size(), recovered.garbage().size());
            return new Opened(store, lease, parameters);
        } catch (IOException | RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    /**
     * Every guarantee here rests on {@code If-None-Match: *}: no object is
     * written twice, and an older generation's late PUT cannot replace newer
     * data. A store that ignores the condition overwrites silently, so it is
     * tried once, under a key of the generation just claimed (nobody else
     * writes there), and a store that lets the second PUT through is refused.
     */
    private static void probeConditionalWrites(ObjectStore objects, StoreLayout layout, long generation) throws IOException {
        String key = layout.probeKey(generation);
        objects.create(key, "first".getBytes(StandardCharsets.US_ASCII));
        boolean refused = false;
        try {
            objects.create(key, "second".getBytes(StandardCharsets.US_ASCII));
        } catch (ObjectExistsException expected) {
            refused = true; // what a conforming store answers (412)
        }
        objects.delete(key);
        if (!refused) {
            throw new StoreRefusedException("object store " + objects.describe() + " does not honour If-None-Match: * "
                    + "(a second conditional PUT of " + key + " replaced the first); lbs-s3 needs conditional writes "
                    + "never to overwrite acknowledged blocks");
        }
    }

    private static String randomInstance() {
        byte[] nonce = new byte[INSTANCE_BYTES];
        new SecureRandom().nextBytes(nonce);
        return HexFormat.of().formatHex(nonce);
    }

    /** One more than every generation claimed or started so far (claims are never deleted: numbers are dense). */
    private static long nextGeneration(ObjectStore objects, StoreLayout layout) throws IOException {
        long highest = GenerationStart.NONE;
        for (ObjectInfo info : objects.list(layout.generationsPrefix())) {
            StoreLayout.GenerationKey key = layout.parseGenerationKey(info.key()).orElse(null);
            if (key != null && Long.compareUnsigned(key.generation(), highest) > 0) {
                highest = key.generation();
            }
        }
        return highest + 1;
    }

    private static NavigableSet<Long> startedGenerations(ObjectStore objects, StoreLayout layout) throws IOException {
        NavigableSet<Long> started = new TreeSet<>(Long::compareUnsigned);
        for (ObjectInfo info : objects.list(layout.generationsPrefix())) {
            layout.parseGenerationKey(info.key()).filter(StoreLayout.GenerationKey::start)
                    .ifPresent(key -> started.add(key.generation()));
        }
        return started;
    }

    private static List<ObjectInfo> blockObjects(ObjectStore objects, StoreLayout layout) throws IOException {
        List<ObjectInfo> blocks = new ArrayList<>();
        for (ObjectInfo info : objects.list(layout.blocksPrefix())) {
            if (layout.parseBlockKey(info.key()).isPresent()) {
                blocks.add(info);
            } else {
                log.warn("ignoring an object that is not an lbs-s3 block object key={}", info.key());
            }
        }
        return blocks;
    }

    private static GenerationStart readStart(ObjectStore objects, StoreLayout layout, StoreParameters parameters,
                                             long generation) throws IOException {
        String key = layout.startKey(generation);
        byte[] bytes = objects.get(key);
        if (bytes == null) {
            throw new CorruptStoreException("object " + key + " was listed but cannot be read");
        }
        return GenerationStart.decode(key, bytes, parameters.storeId(), generation);
    }

    /** The {@code init} subcommand: records the parameters if there are none; returns them. */
    public static StoreParameters initialise(ObjectStore objects, StoreLayout layout, int blockSize) throws IOException {
        return StoreParameters.initOrLoad(objects, layout, blockSize);
    }
}
