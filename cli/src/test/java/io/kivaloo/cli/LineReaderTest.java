package io.kivaloo.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LineReaderTest {

    @Test
    void readsLinesWithOrWithoutAFinalNewlineAndDropsCarriageReturns() throws Exception {
        LineReader reader = reader("a\tb\nc\td\r\n\ne\tf".getBytes(StandardCharsets.UTF_8));
        assertThat(reader.next()).isEqualTo("a\tb");
        assertThat(reader.next()).isEqualTo("c\td");
        assertThat(reader.next()).isEqualTo("");
        assertThat(reader.next()).isEqualTo("e\tf");
        assertThat(reader.lineNumber()).isEqualTo(4);
        assertThat(reader.next()).isNull();
    }

    @Test
    void emptyInputHasNoLines() throws Exception {
        assertThat(reader(new byte[0]).next()).isNull();
    }

    @Test
    void linesLongerThanTheBoundAreRefusedWithTheirNumber() throws Exception {
        byte[] input = ("ok\n" + "x".repeat(LineReader.MAX_LINE_BYTES + 1) + "\n").getBytes(StandardCharsets.UTF_8);
        LineReader reader = reader(input);
        assertThat(reader.next()).isEqualTo("ok");
        assertThatThrownBy(reader::next).isInstanceOf(BadInputException.class).hasMessageContaining("longer than 4096");
        assertThat(reader.lineNumber()).isEqualTo(2);
    }

    @Test
    void aLineOfExactlyTheBoundIsRead() throws Exception {
        String line = "y".repeat(LineReader.MAX_LINE_BYTES);
        assertThat(reader((line + "\n").getBytes(StandardCharsets.UTF_8)).next()).isEqualTo(line);
    }

    @Test
    void bytesThatAreNotUtf8AreRefused() {
        LineReader reader = reader(new byte[] {'a', (byte) 0xff, '\n'});
        assertThatThrownBy(reader::next).isInstanceOf(BadInputException.class).hasMessageContaining("not valid UTF-8");
    }

    @Test
    void linesSpanningReadsAreWhole() throws Exception {
        // An input stream handing out one byte per read.
        byte[] bytes = "é\t日本\nz\tq\n".getBytes(StandardCharsets.UTF_8);
        InputStream trickle = new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1));
            }
        };
        LineReader reader = new LineReader(trickle);
        assertThat(reader.next()).isEqualTo("é\t日本");
        assertThat(reader.next()).isEqualTo("z\tq");
        assertThat(reader.next()).isNull();
    }

    private static LineReader reader(byte[] bytes) {
        return new LineReader(new ByteArrayInputStream(bytes));
    }
}
