package io.kivaloo.proto.daemon;

import picocli.CommandLine;

/** {@code --version}: the command's name and the build's version, e.g. {@code kivaloo-lbs 0.1.0}. */
public final class VersionProvider implements CommandLine.IVersionProvider {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public String[] getVersion() {
        String version = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {spec.name() + " " + (version == null ? "dev" : version)};
    }
}
