package io.kivaloo.proto.wire;

import java.util.HexFormat;
import java.util.List;

/**
 * The packet test vectors V1..V7 of wire.md §4, produced by the C
 * {@code crc32c.c} and {@code wire_writepacket()}. Public so that the other
 * modules' tests can use them through proto's test-jar.
 */
public final class WireVectors {

    /** One vector: the packet it describes and its exact bytes on the wire. */
    public record Vector(String name, long id, byte[] record, byte[] packet) {

        public Packet toPacket() {
            return new Packet(id, record.clone());
        }

        @Override
        public String toString() {
            return name;
        }
    }

    public static final Vector V1 = vector("V1 LBS PARAMS request", 0L, "00000000",
            "000000000000000000000004077d22df000000005ba880b1");
    public static final Vector V2 = vector("V2 KVLDS PARAMS request", 1L, "00000100",
            "000000000000000100000004ab1233e700000100805f339a");
    public static final Vector V3 = vector("V3 KVLDS SET hello=world!", 0x0123456789abcdefL,
            "000001100568656c6c6f06776f726c6421",
            "0123456789abcdef000000115a48bce4000001100568656c6c6f06776f726c64217e3d92a5");
    public static final Vector V4 = vector("V4 empty record", 5L, "",
            "000000000000000500000000043becc07c001a42");
    public static final Vector V5 = vector("V5 KVLDS GET response", 2L, "0000000006776f726c6421",
            "00000000000000020000000b7b9e13f10000000006776f726c6421bee80877");
    public static final Vector V6 = vector("V6 LBS PARAMS2 response", 0L,
            "000002000000000000000000ffffffffffffffff",
            "00000000000000000000001468ba7ccf000002000000000000000000ffffffffffffffffd587b68c");
    public static final Vector V7 = vector("V7 LBS APPEND response", 0xffffffffffffffffL,
            "000000000000000000000007",
            "ffffffffffffffff0000000c1f22b3f2000000000000000000000007ecacc13e");

    public static final List<Vector> ALL = List.of(V1, V2, V3, V4, V5, V6, V7);

    private static final int REFLECTED_CASTAGNOLI = 0x82F63B78;

    private WireVectors() {
    }

    /**
     * The bit-level CRC algorithm of wire.md §3.1, verbatim: slow, and
     * independent of {@link KivalooCrc} and the JDK's CRC32C, so that tests
     * can check what those compute.
     */
    public static int bitwiseCrc(byte[] data, int offset, int length) {
        int reg = REFLECTED_CASTAGNOLI;
        for (int i = offset; i < offset + length; i++) {
            reg ^= data[i] & 0xff;
            for (int bit = 0; bit < 8; bit++) {
                reg = (reg & 1) != 0 ? (reg >>> 1) ^ REFLECTED_CASTAGNOLI : reg >>> 1;
            }
        }
        return reg;
    }

    private static Vector vector(String name, long id, String recordHex, String packetHex) {
        HexFormat hex = HexFormat.of();
        return new Vector(name, id, hex.parseHex(recordHex), hex.parseHex(packetHex));
    }

    /** All vectors' packets back to back, in order. */
    public static byte[] concatenated() {
        int length = ALL.stream().mapToInt(v -> v.packet().length).sum();
        byte[] out = new byte[length];
        int position = 0;
        for (Vector v : ALL) {
            System.arraycopy(v.packet(), 0, out, position, v.packet().length);
            position += v.packet().length;
        }
        return out;
    }
}
