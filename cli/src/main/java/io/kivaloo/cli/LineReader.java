package io.kivaloo.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads {@code load}'s input one line at a time: lines end with LF (a CR
 * before it is dropped, for files from Windows), the last one may lack it.
 * A line must be valid UTF-8 (non-UTF-8 bytes are written as {@code \xNN})
 * and at most {@value #MAX_LINE_BYTES} bytes: the longest line any encoding
 * writes for a 255-byte key and value is 2,041 bytes ({@code \xNN} per byte),
 * and the bound keeps a binary file from filling the heap.
 */
final class LineReader {

    static final int MAX_LINE_BYTES = 4096;
    private static final int BUFFER_BYTES = 1 << 16;

    private final InputStream in;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] line = new byte[256];
    private int position;
    private int limit;
    private long lineNumber;
    private boolean ended;

    LineReader(InputStream in) {
        this.in = in;
    }

    /** The number of the line {@link #next} returned or refused last, from 1. */
    long lineNumber() {
        return lineNumber;
    }

    /** The next line without its end, or null at the end of the input. */
    String next() throws BadInputException, StreamFailureException {
        int length = 0;
        boolean any = false;
        while (true) {
            if (position == limit && !fill()) {
                if (!any) {
                    return null;
                }
                break;
            }
            any = true;
            byte b = buffer[position++];
            if (b == '\n') {
                break;
            }
            if (length == MAX_LINE_BYTES) {
                lineNumber++;
                throw new BadInputException("longer than " + MAX_LINE_BYTES
                        + " bytes (expected: key<TAB>value of at most 255 bytes each)");
            }
            if (length == line.length) {
                line = Arrays.copyOf(line, Math.min(MAX_LINE_BYTES, line.length * 2));
            }
            line[length++] = b;
        }
        lineNumber++;
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        try {
            return utf8.decode(ByteBuffer.wrap(line, 0, length)).toString();
        } catch (CharacterCodingException e) {
            throw new BadInputException("not valid UTF-8 (write such bytes as \\xNN)");
        }
    }

    private boolean fill() throws StreamFailureException {
        if (ended) {
            return false;
        }
        try {
            int n = in.read(buffer);
            if (n < 0) {
                ended = true;
                return false;
            }
            position = 0;
            limit = n;
            return true;
        } catch (IOException e) {
            throw new StreamFailureException("cannot read stdin: " + e.getMessage(), e);
        }
    }
}
