package io.kivaloo.cli;

import picocli.CommandLine;

import java.util.Iterator;
import java.util.List;

/** {@code --encoding utf8|hex|base64}, in lower case as the help shows it; anything else is a usage error. */
final class EncodingConverter implements CommandLine.ITypeConverter<Encoding> {

    @Override
    public Encoding convert(String value) {
        try {
            return Encoding.named(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    /** The names for {@code --help} and completion. */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of(Encoding.UTF8.label(), Encoding.HEX.label(), Encoding.BASE64.label()).iterator();
        }
    }
}
