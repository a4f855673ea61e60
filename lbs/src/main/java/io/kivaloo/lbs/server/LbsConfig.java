package io.kivaloo.lbs.server;

import io.kivaloo.proto.net.KivalooAddress;

import java.nio.file.Path;

/**
 * What an lbs serves and how, as given on the command line (DESIGN.md "Invocation").
 *
 * @param address          where to listen (-s)
 * @param directory        storage directory, must exist (-d)
 * @param blockSize        bytes per block, 512..131072 (-b)
 * @param readers          reader threads, 1..1000 (-n)
 * @param readLatencyNanos pause after every block read, a test aid (-l)
 * @param sync             false with -L: no fsync anywhere
 * @param single           exit after the first connection (-1)
 */
public record LbsConfig(KivalooAddress address, Path directory, int blockSize, int readers, long readLatencyNanos,
                        boolean sync, boolean single) {
}
