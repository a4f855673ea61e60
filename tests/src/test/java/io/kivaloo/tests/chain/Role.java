package io.kivaloo.tests.chain;

/**
 * The three daemons of a chain, in start order: each one connects to the one
 * before it (kvlds to the block store, mux to kvlds), so they start in this
 * order and stop in the reverse one.
 */
public enum Role {
    /** The block store: lbs, or any other daemon speaking the LBS protocol. */
    BLOCK_STORE("lbs"),
    KVLDS("kvlds"),
    MUX("mux");

    private final String fileStem;

    Role(String fileStem) {
        this.fileStem = fileStem;
    }

    /** Stem of this daemon's socket, pid and log file names in the chain directory. */
    public String fileStem() {
        return fileStem;
    }
}
