package io.kivaloo.proto.daemon;

import io.kivaloo.proto.net.KivalooAddress;
import picocli.CommandLine;

/** Lets picocli options take a {@link KivalooAddress}; a bad address is a usage error. */
public final class AddressConverter implements CommandLine.ITypeConverter<KivalooAddress> {

    @Override
    public KivalooAddress convert(String value) {
        try {
            return KivalooAddress.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
