package io.kivaloo.bench.suite;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Runs one workload against a chain and returns the lines it printed. */
interface SuiteClient {

    /** A short name for the report (e.g. "kivaloo-bench", "C bench"). */
    String name();

    /**
     * @param pairs the mkpairs file of the N pairs
     * @return the printed lines (one figure, or bulk-insert's rate lines)
     */
    List<String> run(Workload workload, Path socket, long count, Path pairs) throws IOException;
}
