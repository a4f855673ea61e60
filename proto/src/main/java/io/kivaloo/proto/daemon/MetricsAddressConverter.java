package io.kivaloo.proto.daemon;

import io.kivaloo.proto.net.KivalooAddress;
import picocli.CommandLine;

/**
 * {@code --metrics-listen}: a TCP address only ({@code host:port} or
 * {@code [ip]:port}), since Prometheus scrapes over HTTP on TCP.
 */
public final class MetricsAddressConverter implements CommandLine.ITypeConverter<KivalooAddress.Tcp> {

    @Override
    public KivalooAddress.Tcp convert(String value) {
        KivalooAddress address = new AddressConverter().convert(value);
        if (!(address instanceof KivalooAddress.Tcp)) {
            throw new CommandLine.TypeConversionException("metrics address must be host:port or [ip]:port but was '" + value + "'");
        }
        return (KivalooAddress.Tcp) address;
    }
}
