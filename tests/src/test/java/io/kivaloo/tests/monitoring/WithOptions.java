package io.kivaloo.tests.monitoring;

import io.kivaloo.proto.net.KivalooAddress;
import io.kivaloo.tests.chain.BlockStoreDaemon;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A block store with extra options appended to its command line (here: {@code --metrics-listen}). */
record WithOptions(BlockStoreDaemon store, List<String> options) implements BlockStoreDaemon {

    @Override
    public String name() {
        return store.name();
    }

    @Override
    public List<String> command(KivalooAddress address, Path dataDirectory) {
        List<String> command = new ArrayList<>(store.command(address, dataDirectory));
        command.addAll(options);
        return command;
    }

    @Override
    public Path executable() {
        return store.executable();
    }

    @Override
    public Map<String, String> environment() {
        return store.environment();
    }

    /** The name and the added options only: a wrapped store's own text may need a real address. */
    @Override
    public String toString() {
        return store.name() + " " + String.join(" ", options);
    }
}
