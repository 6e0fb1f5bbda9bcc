package io.aquatrade.market;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

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
            int nl = -1;
            byte[] b = buf;
            for (int i = Math.max(scanned, pos); i < limit; i++) {
                if (b[i] == '\n') {
                    nl = i;
                    break;
                }
            }
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
