package io.aquatrade.echo;

import io.aquatrade.model.Candle;
import io.aquatrade.model.Direction;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Hand-made one-minute candles for one symbol, with known mover days: the tests know exactly which
 * minute a move starts, how far it goes and what its lead-in looked like.
 */
final class SynthMarket {
    static final int MPD = 1440;
    static final long MINUTE = 60_000L;
    /** 2023-03-20, a Monday; any day works. */
    static final long DAY0 = 19_436;

    final String symbol;
    final List<Candle> candles = new ArrayList<>();
    private double lastClose = Double.NaN;

    SynthMarket(String symbol) {
        this.symbol = symbol;
    }

    static long e8(double price) {
        return Math.round(price * 1e8);
    }

    static long minuteOf(long epochDay, int minuteOfDay) {
        return epochDay * MPD + minuteOfDay;
    }

    /** The close time of a minute: when a query sees that minute as the last closed one. */
    static long closeMs(long minute) {
        return minute * MINUTE + MINUTE - 1;
    }

    static String iso(long epochDay) {
        return java.time.LocalDate.ofEpochDay(epochDay).toString();
    }

    void bar(long minute, double open, double high, double low, double close, double volume) {
        candles.add(Candle.closedMinute(symbol, minute * MINUTE, e8(open), e8(high), e8(low), e8(close), e8(volume)));
        lastClose = close;
    }

    /** The next bar opens at its own close (a fresh day at a new level). */
    void resetOpen() {
        lastClose = Double.NaN;
    }

    /** A bar whose open is the previous close and whose wicks are the body. */
    void close(long minute, double close, double volume) {
        double open = Double.isNaN(lastClose) ? close : lastClose;
        bar(minute, open, Math.max(open, close), Math.min(open, close), close, volume);
    }

    /** Quiet minutes: +-0.05% around {@code level}. */
    void quiet(long fromMinute, long toMinuteExclusive, double level, double volume) {
        for (long m = fromMinute; m < toMinuteExclusive; m++) {
            close(m, level * (1 + 0.0005 * Math.sin(m * 0.7)), volume);
        }
    }

    /** Closes {@code level * exp(path[k] - path[0])} for k = 0.., starting at {@code fromMinute}. */
    void path(long fromMinute, double level, double[] logPath, double volume) {
        for (int k = 0; k < logPath.length; k++) {
            close(fromMinute + k, level * Math.exp(logPath[k] - logPath[0]), volume);
        }
    }

    /** As {@link #path(long, double, double[], double)} with a volume per minute. */
    void path(long fromMinute, double level, double[] logPath, double[] volumes) {
        for (int k = 0; k < logPath.length; k++) {
            close(fromMinute + k, level * Math.exp(logPath[k] - logPath[0]), volumes[k]);
        }
    }

    /** A random-walk log path of n points whose max - min is {@code amplitude}. */
    static double[] randomPath(long seed, int n, double amplitude) {
        Random r = new Random(seed);
        double[] p = new double[n];
        for (int k = 1; k < n; k++) {
            p[k] = p[k - 1] + r.nextGaussian();
        }
        return scaled(p, amplitude);
    }

    static double[] scaled(double[] p, double amplitude) {
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (double v : p) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double[] out = new double[p.length];
        for (int k = 0; k < p.length; k++) {
            out[k] = (p[k] - p[0]) / (max - min) * amplitude;
        }
        return out;
    }

    /**
     * A full day whose move starts at minute {@code start}: quiet at {@code level} until the lead-in,
     * the lead-in path over the {@code leadIn.length} minutes before {@code start} (amplitude well under 1%),
     * at {@code start} a bar wicking 0.5% beyond everything before (the trough or crest), then a steady run
     * of {@code movePct} (measured from the wick) reaching its extreme exactly at {@code start + minutesToPeak},
     * then quiet 0.3% short of the extreme to the end of the day.
     *
     * @return the wick price the move starts from
     */
    double moverDay(long epochDay, int start, double[] leadIn, Direction dir, double movePct, int minutesToPeak,
                    double level, double volume) {
        double[] v = new double[leadIn.length];
        java.util.Arrays.fill(v, volume);
        return moverDay(epochDay, start, leadIn, v, dir, movePct, minutesToPeak, level, volume);
    }

    /**
     * As above with a volume per lead-in minute. A {@code start} earlier than the lead-in length puts the
     * first lead-in minutes at the end of the previous day (the caller must not have fed those minutes).
     */
    double moverDay(long epochDay, int start, double[] leadIn, double[] leadInVolumes, Direction dir, double movePct,
                    int minutesToPeak, double level, double volume) {
        long d0 = epochDay * MPD;
        lastClose = Double.NaN; // the day opens at its own level, not at the previous day's close
        int leadStart = start - leadIn.length;
        if (start + minutesToPeak >= MPD - 1) {
            throw new IllegalArgumentException("move does not fit in the day");
        }
        quiet(d0, d0 + Math.max(0, leadStart), level, volume);
        path(d0 + leadStart, level, leadIn, leadInVolumes);
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (double v : leadIn) {
            min = Math.min(min, level * Math.exp(v - leadIn[0]));
            max = Math.max(max, level * Math.exp(v - leadIn[0]));
        }
        min = Math.min(min, level * 0.999);
        max = Math.max(max, level * 1.001);
        boolean up = dir == Direction.UP;
        double wick = up ? min * 0.995 : max * 1.005;
        double startClose = up ? min * 0.997 : max * 1.003;
        double extreme = up ? wick * (1 + movePct / 100) : wick * (1 - movePct / 100);
        double open = lastClose;
        bar(d0 + start, open, up ? Math.max(open, startClose) : wick, up ? wick : Math.min(open, startClose), startClose,
                volume);
        for (int k = 1; k <= minutesToPeak; k++) {
            double c = k == minutesToPeak ? extreme
                    : startClose * Math.pow(extreme / startClose, (double) k / minutesToPeak);
            close(d0 + start + k, c, volume);
        }
        double after = up ? extreme * 0.997 : extreme * 1.003;
        quiet(d0 + start + minutesToPeak + 1, d0 + MPD, after, volume);
        return wick;
    }

    EchoEngine feed(EchoEngine engine) {
        for (Candle c : candles) {
            engine.onClosedMinute(c);
        }
        candles.clear();
        return engine;
    }
}
