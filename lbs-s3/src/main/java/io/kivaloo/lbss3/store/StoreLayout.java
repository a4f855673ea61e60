package io.kivaloo.lbss3.store;

import java.util.Optional;

/**
 * The key of every object lbs-s3 writes, under one prefix (DESIGN.md "Object
 * layout"). Numbers are 16 lowercase hex digits, so that key order is numeric
 * order and a listing of {@code blocks/} comes sorted by first block.
 *
 * <pre>
 *   &lt;prefix&gt;params                       store parameters: store ID, block size (written at init)
 *   &lt;prefix&gt;gen/&lt;gen&gt;/claim                generation gen is taken (first step of a start)
 *   &lt;prefix&gt;gen/&lt;gen&gt;/start                generation gen's start block (last step of a start)
 *   &lt;prefix&gt;lease/&lt;gen&gt;-&lt;seq&gt;            heartbeat number seq of the live generation gen
 *   &lt;prefix&gt;blocks/&lt;first&gt;-&lt;gen&gt;          one APPEND: blocks first .. first + size/blockSize - 1, by generation gen
 * </pre>
 * Every key is written once, ever, with {@code If-None-Match: *}.
 */
public final class StoreLayout {

    static final String PARAMS = "params";
    static final String GENERATIONS = "gen/";
    static final String CLAIM = "/claim";
    static final String START = "/start";
    /** Same length as the two above, so that {@link #parseGenerationKey} passes over it. */
    static final String PROBE = "/probe";
    static final String LEASES = "lease/";
    static final String BLOCKS = "blocks/";
    private static final int HEX_DIGITS = 16;

    private final String prefix;

    /** @param prefix key prefix; a non-empty one gets a trailing slash if it has none */
    public StoreLayout(String prefix) {
        this.prefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
    }

    public String prefix() {
        return prefix;
    }

    String paramsKey() {
        return prefix + PARAMS;
    }

    String generationsPrefix() {
        return prefix + GENERATIONS;
    }

    String claimKey(long generation) {
        return prefix + GENERATIONS + hex(generation) + CLAIM;
    }

    String startKey(long generation) {
        return prefix + GENERATIONS + hex(generation) + START;
    }

    /** Written twice at start-up to see that the object store refuses the second conditional PUT; then deleted. */
    String probeKey(long generation) {
        return prefix + GENERATIONS + hex(generation) + PROBE;
    }

    String leasesPrefix() {
        return prefix + LEASES;
    }

    String leaseKey(long generation, long sequence) {
        return prefix + LEASES + hex(generation) + "-" + hex(sequence);
    }

    String blocksPrefix() {
        return prefix + BLOCKS;
    }

    String blockKey(long firstBlock, long generation) {
        return prefix + BLOCKS + hex(firstBlock) + "-" + hex(generation);
    }

    /** A {@code gen/} key: which generation, and whether it is the claim or the start record. */
    record GenerationKey(long generation, boolean start) {
    }

    Optional<GenerationKey> parseGenerationKey(String key) {
        String rest = key.substring(generationsPrefix().length());
        if (rest.length() != HEX_DIGITS + CLAIM.length()) {
            return Optional.empty();
        }
        String suffix = rest.substring(HEX_DIGITS);
        if (!suffix.equals(CLAIM) && !suffix.equals(START)) {
            return Optional.empty();
        }
        return parseHex(rest.substring(0, HEX_DIGITS)).map(g -> new GenerationKey(g, suffix.equals(START)));
    }

    /** A {@code blocks/} key: first block and writing generation. */
    record BlockKey(long firstBlock, long generation) {
    }

    Optional<BlockKey> parseBlockKey(String key) {
        String rest = key.substring(blocksPrefix().length());
        if (rest.length() != 2 * HEX_DIGITS + 1 || rest.charAt(HEX_DIGITS) != '-') {
            return Optional.empty();
        }
        Optional<Long> first = parseHex(rest.substring(0, HEX_DIGITS));
        Optional<Long> generation = parseHex(rest.substring(HEX_DIGITS + 1));
        return first.isPresent() && generation.isPresent()
                ? Optional.of(new BlockKey(first.get(), generation.get())) : Optional.empty();
    }

    /** The generation of a {@code lease/} key. */
    Optional<Long> parseLeaseGeneration(String key) {
        String rest = key.substring(leasesPrefix().length());
        if (rest.length() != 2 * HEX_DIGITS + 1 || rest.charAt(HEX_DIGITS) != '-') {
            return Optional.empty();
        }
        return parseHex(rest.substring(0, HEX_DIGITS));
    }

    static String hex(long value) {
        String digits = Long.toHexString(value);
        return "0".repeat(HEX_DIGITS - digits.length()) + digits;
    }

    /** Lowercase only: an uppercase name would sort elsewhere and is not one of ours. */
    private static Optional<Long> parseHex(String digits) {
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
                return Optional.empty();
            }
        }
        return Optional.of(Long.parseUnsignedLong(digits, 16));
    }
}
