package io.kivaloo.proto.wire;

import java.util.zip.CRC32C;

/**
 * kivaloo's CRC-32C variant (wire.md §3): Castagnoli polynomial, reflected,
 * initial register 0x82F63B78, no final XOR, stored little-endian.
 *
 * <p>{@link CRC32C} computes the standard variant (initial 0xFFFFFFFF, final
 * XOR 0xFFFFFFFF). Feeding the prefix {@code FF FF FF 7F} first moves its
 * register to kivaloo's start value, and inverting the result undoes the final
 * XOR, so the JDK's hardware-accelerated CRC does the work (wire.md §3.2).
 */
public final class KivalooCrc {

    private static final byte[] PREFIX = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0x7F};

    private final CRC32C crc = new CRC32C();

    /** A fresh computation; instances are not thread-safe and are reused through {@link #reset()}. */
    public KivalooCrc() {
        reset();
    }

    public KivalooCrc reset() {
        crc.reset();
        crc.update(PREFIX, 0, PREFIX.length);
        return this;
    }

    public KivalooCrc update(byte[] bytes, int offset, int length) {
        crc.update(bytes, offset, length);
        return this;
    }

    public KivalooCrc update(java.nio.ByteBuffer buffer) {
        crc.update(buffer);
        return this;
    }

    /** The register value; its little-endian bytes are what goes on the wire. */
    public int value() {
        return (int) ~crc.getValue();
    }

    /** The register value of the CRC of {@code bytes[offset, offset+length)}. */
    public static int of(byte[] bytes, int offset, int length) {
        return new KivalooCrc().update(bytes, offset, length).value();
    }
}
