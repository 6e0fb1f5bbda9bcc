package io.aquatrade.app;

import io.aquatrade.market.DataFile;
import io.aquatrade.market.DataFormat;
import io.aquatrade.market.EpochTime;
import io.aquatrade.market.Inputs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Where the data ends, found before the replay so that its progress (and a {@code --from} past the end)
 * can be judged without a {@code --to}: the span a dump's name promises, else the time of a file's last
 * line. Reading to the last line only decompresses and splits lines, far cheaper than the replay.
 */
final class DataSpan {

    private DataSpan() {
    }

    /** The end (exclusive, epoch ms) of the data in {@code files}; {@link Long#MIN_VALUE} when unknown. */
    static long endMs(List<DataFile> files) {
        long end = Long.MIN_VALUE;
        for (DataFile f : files) {
            long e = fileEnd(f);
            if (e == Long.MIN_VALUE) {
                return Long.MIN_VALUE; // one file we cannot judge makes the whole end unknown
            }
            end = Math.max(end, e);
        }
        return end;
    }

    private static long fileEnd(DataFile f) {
        if (!f.coverage().isAll()) {
            return f.coverage().toMs();
        }
        if (f.format() != DataFormat.HEADED_KLINES && f.format() != DataFormat.WS_CAPTURE
                && f.format() != DataFormat.KLINE_DUMP) {
            return Long.MIN_VALUE;
        }
        String last = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Inputs.open(f.path()), StandardCharsets.UTF_8),
                1 << 16)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    last = line;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Long.MIN_VALUE; // the replay itself reports the file's problem
        }
        if (last == null) {
            return Long.MIN_VALUE;
        }
        int cut = 0;
        while (cut < last.length() && Character.isDigit(last.charAt(cut))) {
            cut++;
        }
        if (cut == 0 || cut > 19) {
            return Long.MIN_VALUE;
        }
        long ms = EpochTime.toMillis(Long.parseLong(last.substring(0, cut)));
        if (!EpochTime.isPlausibleMs(ms)) {
            return Long.MIN_VALUE;
        }
        return ms + Math.max(1, f.intervalMs());
    }
}
