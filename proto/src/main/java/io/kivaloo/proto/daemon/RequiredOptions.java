package io.kivaloo.proto.daemon;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Required options, checked once the command line has been parsed rather
 * than by picocli: picocli reports a missing option before an unknown one,
 * and the original's getopt names the unknown option first
 * ({@code lbs: illegal option -- X}, wire.md §6).
 *
 * <pre>
 * RequiredOptions.of(spec).need(address, "-s &lt;address&gt;").need(directory, "-d &lt;dir&gt;").check();
 * </pre>
 */
public final class RequiredOptions {

    private final CommandSpec spec;
    private final List<String> missing = new ArrayList<>();

    private RequiredOptions(CommandSpec spec) {
        this.spec = spec;
    }

    public static RequiredOptions of(CommandSpec spec) {
        return new RequiredOptions(spec);
    }

    /** {@code option} (as the usage error names it) is missing if {@code value} is null. */
    public RequiredOptions need(Object value, String option) {
        if (value == null) {
            missing.add(option);
        }
        return this;
    }

    /** {@code option} is missing if it was given no value at all. */
    public RequiredOptions needAtLeastOne(Collection<?> values, String option) {
        if (values == null || values.isEmpty()) {
            missing.add(option);
        }
        return this;
    }

    /** A usage error naming every missing option, if any is. */
    public void check() {
        if (!missing.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "Missing required options: " + String.join(", ", missing));
        }
    }
}
