package io.kivaloo.bench.suite;

/** The suite's workloads, in bench-local.sh's order, with what each prints. */
public enum Workload {
    BULK_INSERT("bulk-insert", "bulk_insert", "SETs/s", false, false),
    BULK_UPDATE("bulk-update", "bulk_update", "SETs/s", false, false),
    BULK_EXTRACT("bulk-extract", "bulk_extract", "pairs/s", false, false),
    RANDOM_READ("random-read", "random_read", "GETs/s", false, true),
    RANDOM_MIXED("random-mixed", "random_mixed", "ops/s", false, true),
    HOTSPOT_READ("hotspot-read", "hotspot_read", "GETs/s", false, true),
    TOKYO("tokyo", "tokyo", "s (1M SETs)", true, false);

    final String command;
    final String cProgram;
    final String unit;
    final boolean lowerIsBetter;
    /** Takes N (the data-store size) as a second argument. */
    final boolean takesCount;

    Workload(String command, String cProgram, String unit, boolean lowerIsBetter, boolean takesCount) {
        this.command = command;
        this.cProgram = cProgram;
        this.unit = unit;
        this.lowerIsBetter = lowerIsBetter;
        this.takesCount = takesCount;
    }

    /** tokyo starts from an empty store; every other workload after inserting the N pairs. */
    boolean needsPairs() {
        return this != TOKYO && this != BULK_INSERT;
    }

    static Workload byCommand(String name) {
        for (Workload w : values()) {
            if (w.command.equals(name) || w.cProgram.equals(name)) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + name + "'");
    }
}
