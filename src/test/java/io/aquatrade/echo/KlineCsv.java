package io.aquatrade.echo;

import io.aquatrade.model.Candle;
import io.aquatrade.model.Decimals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Test-scope reader of the headed one-minute kline files in shared/data
 * ({@code open_time_ms,open,high,low,close,volume}, gzip). The real readers live in another package;
 * this one only feeds the echo's tests and benchmark, into primitive columns.
 */
final class KlineCsv {
    static final String HEADER = "open_time_ms,open,high,low,close,volume";

    final String symbol;
    int size;
    long[] openTime = new long[1024];
    long[] open = new long[1024];
    long[] high = new long[1024];
    long[] low = new long[1024];
    long[] close = new long[1024];
    long[] volume = new long[1024];

    private KlineCsv(String symbol) {
        this.symbol = symbol;
    }

    static KlineCsv read(Path file, String symbol) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), symbol);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static KlineCsv resource(String name, String symbol) {
        InputStream in = KlineCsv.class.getResourceAsStream("/echo/" + name);
        if (in == null) {
            throw new IllegalStateException("test resource /echo/" + name + " is missing");
        }
        try (in) {
            return read(in, "echo/" + name, symbol);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource echo/" + name, e);
        }
    }

    static KlineCsv read(InputStream gz, String source, String symbol) throws IOException {
        KlineCsv k = new KlineCsv(symbol);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(gz, 1 << 16),
                StandardCharsets.US_ASCII), 1 << 16)) {
            String line = r.readLine();
            if (!HEADER.equals(line)) {
                throw new IllegalArgumentException(source + ":1: expected header '" + HEADER + "', got '" + line + "'");
            }
            int lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isEmpty()) {
                    throw new IllegalArgumentException(source + ":" + lineNo + ": empty line");
                }
                k.add(line, source, lineNo);
            }
        }
        return k;
    }

    private void add(String line, String source, int lineNo) {
        int[] commas = new int[5];
        int c = 0;
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == ',') {
                if (c == 5) {
                    throw new IllegalArgumentException(source + ":" + lineNo + ": more than 6 fields: " + line);
                }
                commas[c++] = i;
            }
        }
        if (c != 5) {
            throw new IllegalArgumentException(source + ":" + lineNo + ": expected 6 fields, got " + (c + 1) + ": " + line);
        }
        if (size == openTime.length) {
            int n = size * 2;
            openTime = Arrays.copyOf(openTime, n);
            open = Arrays.copyOf(open, n);
            high = Arrays.copyOf(high, n);
            low = Arrays.copyOf(low, n);
            close = Arrays.copyOf(close, n);
            volume = Arrays.copyOf(volume, n);
        }
        try {
            long t = Long.parseLong(line, 0, commas[0], 10);
            if (size > 0 && t <= openTime[size - 1]) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": open time " + t
                        + " not after the previous line's " + openTime[size - 1]);
            }
            openTime[size] = t;
            open[size] = Decimals.parseE8(line, commas[0] + 1, commas[1]);
            high[size] = Decimals.parseE8(line, commas[1] + 1, commas[2]);
            low[size] = Decimals.parseE8(line, commas[2] + 1, commas[3]);
            close[size] = Decimals.parseE8(line, commas[3] + 1, commas[4]);
            volume[size] = Decimals.parseE8(line, commas[4] + 1, line.length());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + ":" + lineNo + ": " + e.getMessage() + ": " + line, e);
        }
        size++;
    }

    Candle candle(int i) {
        return Candle.closedMinute(symbol, openTime[i], open[i], high[i], low[i], close[i], volume[i]);
    }

    /** All candles of several symbols merged in time order (ties in the order the files were given). */
    static List<Candle> merged(List<KlineCsv> files) {
        int total = 0;
        for (KlineCsv k : files) {
            total += k.size;
        }
        List<Candle> out = new ArrayList<>(total);
        int[] pos = new int[files.size()];
        while (out.size() < total) {
            int best = -1;
            long bestT = Long.MAX_VALUE;
            for (int f = 0; f < files.size(); f++) {
                KlineCsv k = files.get(f);
                if (pos[f] < k.size && k.openTime[pos[f]] < bestT) {
                    bestT = k.openTime[pos[f]];
                    best = f;
                }
            }
            out.add(files.get(best).candle(pos[best]++));
        }
        return out;
    }
}
