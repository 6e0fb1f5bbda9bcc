package io.aquatrade.market;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Splits a byte stream into lines without allocating per line: after {@link #next()} the line is
 * {@code buffer()[start(), end())} (without its {@code \n} or {@code \r\n}). The view is valid until the
 * next call. Lines longer than {@link #MAX_LINE_BYTES} mean the file is not line-oriented data and fail
 * with an IOException naming the line.
 */
final class LineReader implements Closeable {
    static final int MAX_LINE_BYTES = 64 << 20;

    private final InputStream in;
    private byte[] buf;
    private int pos;
    private int limit;
    private int scanned; // bytes of [pos, scanned) already known to hold no '\n'
    private boolean eof;
    private int start;
    private int end;
    private long lineNumber;

    LineReader(InputStream in) {
        this(in, 1 << 16);
    }

    LineReader(InputStream in, int bufferSize) {
        this.in = in;
        this.buf = new byte[bufferSize];
    }

    /** Advances to the next line; false at the end of the stream. */
    boolean next() throws IOException {
        while (true) {
            int nl = indexOfNewline(buf, Math.max(scanned, pos), limit);
            byte[] b = buf;
            if (nl >= 0) {
                start = pos;
                end = nl > pos && b[nl - 1] == '\r' ? nl - 1 : nl;
                pos = nl + 1;
                scanned = pos;
                lineNumber++;
                return true;
            }
            scanned = limit;
            if (eof) {
                if (pos < limit) { // last line without a newline
                    start = pos;
                    end = b[limit - 1] == '\r' ? limit - 1 : limit;
                    pos = limit;
                    scanned = limit;
                    lineNumber++;
                    return true;
                }
                return false;
            }
            fill();
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /**
     * First '\n' in {@code b[from, to)} or -1; eight bytes per step (capture lines run to kilobytes of
     * depth updates, and finding their ends was a tenth of the reading time).
     */
    static int indexOfNewline(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long v = (long) LONGS.get(b, i) ^ NEWLINES; // a '\n' byte becomes 0
            long zeros = (v - ONES) & ~v & HIGHS; // the lowest flagged byte is the first zero byte
            if (zeros != 0) {
                return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void fill() throws IOException {
        if (pos > 0) {
            int n = limit - pos;
            System.arraycopy(buf, pos, buf, 0, n);
            scanned -= pos;
            limit = n;
            pos = 0;
        }
        if (limit == buf.length) {
            if (buf.length >= MAX_LINE_BYTES) {
                throw new IOException("line " + (lineNumber + 1) + " is longer than " + MAX_LINE_BYTES
                        + " bytes: not a line-oriented market data file");
            }
            byte[] bigger = new byte[Math.min(MAX_LINE_BYTES, buf.length * 2)];
            System.arraycopy(buf, 0, bigger, 0, limit);
            buf = bigger;
        }
        int r = in.read(buf, limit, buf.length - limit);
        if (r < 0) {
            eof = true;
        } else {
            limit += r;
        }
    }

    byte[] buffer() {
        return buf;
    }

    int start() {
        return start;
    }

    int end() {
        return end;
    }

    long lineNumber() {
        return lineNumber;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
