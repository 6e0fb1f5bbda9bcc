package io.aquatrade.history;

import io.aquatrade.exchange.ExchangeException;
import io.aquatrade.exchange.binance.http.BinanceRestClient;
import io.aquatrade.exchange.binance.http.OutcomeUnknownException;
import io.aquatrade.exchange.binance.http.RequestNotSentException;
import io.aquatrade.exchange.binance.http.Kline;
import io.aquatrade.model.Candle;
import io.aquatrade.model.Decimals;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The on-disk cache of one-minute klines and its download.
 *
 * <p>A completed UTC day of a pair is one file {@code SYMBOL-1m-YYYY-MM-DD.csv} in Binance's spot dump
 * format (no header, 12 columns, times in ms), written to a temporary name and renamed once the whole day
 * is fetched: a file that exists is complete, so a restart (or a crash mid-download) fetches only the days
 * that have no file. A day the exchange has no bars for (the pair was not listed yet, an outage) is an
 * empty file, so it is not asked for again. Today's minutes are never cached: the day is not over; they
 * are fetched at start ({@link #today}) and then come from the stream.
 *
 * <p>Requests go one at a time through {@link BinanceRestClient#klinesPaged} (weight 2 per 1000 bars), whose
 * throttle keeps them inside {@code exchange.limit_fraction} of the exchange's request-weight limit.
 * Futures complete on the caller's Vert.x context; file writes are small (≈150 KB a day) and done there.
 */
public final class KlineHistory {

    private static final Logger log = LoggerFactory.getLogger(KlineHistory.class);
    static final long DAY_MS = 86_400_000L;
    static final long MINUTE_MS = 60_000L;

    private final Path dir;
    private final BinanceRestClient rest;
    private final LongSupplier wallClock;

    public KlineHistory(Path dir, BinanceRestClient rest, LongSupplier wallClock) {
        this.dir = Objects.requireNonNull(dir, "history.cache_dir");
        this.rest = Objects.requireNonNull(rest, "rest");
        this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
    }

    public Path dir() {
        return dir;
    }

    /** Where one pair's day is kept: {@code SYMBOL-1m-YYYY-MM-DD.csv}, the name of Binance's daily dump. */
    public Path file(String symbol, LocalDate day) {
        return dir.resolve(symbol + "-1m-" + day + ".csv");
    }

    /** One step of a download, for a progress bar. */
    public record Progress(int daysDone, int daysTotal, String symbol, LocalDate day, boolean fetched, long bars) {
    }

    /** What {@link #ensure} did. */
    public record Summary(int symbols, int days, int cachedBefore, int fetched, long barsFetched, List<Path> files) {
    }

    /** The completed UTC days a look-back of {@code days} covers at {@code nowMs}: the {@code days} days before today. */
    public static List<LocalDate> lookbackDays(long nowMs, int days) {
        LocalDate today = LocalDate.ofEpochDay(Math.floorDiv(nowMs, DAY_MS));
        List<LocalDate> out = new ArrayList<>();
        for (int i = days; i >= 1; i--) {
            out.add(today.minusDays(i));
        }
        return out;
    }

    /**
     * Makes sure every completed day of the look-back is on disk for each symbol, fetching only the missing
     * ones, pair by pair and day by day. Completes with the files of the look-back (empty days left out).
     */
    public Future<Summary> ensure(List<String> symbols, int days, Consumer<Progress> progress) {
        if (days < 1) {
            throw new IllegalArgumentException("days must be at least 1, got " + days);
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            return Future.failedFuture(new UncheckedIOException("history.cache_dir " + dir + ": cannot create it ("
                    + e.getMessage() + ")", e));
        }
        List<LocalDate> window = lookbackDays(wallClock.getAsLong(), days);
        List<Step> steps = new ArrayList<>();
        int cached = 0;
        for (String s : symbols) {
            for (LocalDate d : window) {
                boolean have = Files.isRegularFile(file(s, d));
                cached += have ? 1 : 0;
                steps.add(new Step(s, d, have));
            }
        }
        Promise<Summary> done = Promise.promise();
        int cachedBefore = cached;
        next(steps, 0, 0, 0L, progress, bars -> done.complete(new Summary(symbols.size(), window.size(), cachedBefore,
                (int) steps.stream().filter(st -> !st.cached).count(), bars, filesOf(symbols, window))), done);
        return done.future();
    }

    private record Step(String symbol, LocalDate day, boolean cached) {
    }

    private void next(List<Step> steps, int i, int fetched, long bars, Consumer<Progress> progress,
                      Consumer<Long> finish, Promise<Summary> done) {
        if (i == steps.size()) {
            finish.accept(bars);
            return;
        }
        Step st = steps.get(i);
        if (st.cached) {
            progress.accept(new Progress(i + 1, steps.size(), st.symbol, st.day, false, 0));
            next(steps, i + 1, fetched, bars, progress, finish, done);
            return;
        }
        fetchDay(st.symbol, st.day).onComplete(ar -> {
            if (ar.failed()) {
                done.fail(new IllegalStateException("history " + st.symbol + " " + st.day + ": " + ar.cause().getMessage(),
                        ar.cause()));
                return;
            }
            progress.accept(new Progress(i + 1, steps.size(), st.symbol, st.day, true, ar.result()));
            next(steps, i + 1, fetched + 1, bars + ar.result(), progress, finish, done);
        });
    }

    /** Attempts per day before a download gives up; a long download should outlast a rate limit or a short outage. */
    static final int MAX_ATTEMPTS = 6;
    /** First wait after a failed attempt, doubled per attempt up to {@link #MAX_RETRY_WAIT_MS}. */
    long retryBaseMs = 1_000;
    static final long MAX_RETRY_WAIT_MS = 60_000;

    /**
     * {@link #fetchOnce}, again after a failure that waiting mends: a 429/418 (once the Retry-After the throttle keeps
     * has passed, so no request lands inside it and earns a ban), a 5xx, a timeout or a lost connection (a klines
     * GET changes nothing, so resending is safe). Each attempt starts the day afresh, so no page is kept twice.
     * Any other answer (-1121 an unknown symbol, a bad parameter) fails at once.
     */
    Future<Long> fetchDay(String symbol, LocalDate day) {
        Promise<Long> done = Promise.promise();
        attempt(symbol, day, 1, done);
        return done.future();
    }

    private void attempt(String symbol, LocalDate day, int n, Promise<Long> done) {
        fetchOnce(symbol, day).onComplete(ar -> {
            if (ar.succeeded()) {
                done.complete(ar.result());
                return;
            }
            Throwable t = ar.cause();
            if (n >= MAX_ATTEMPTS || !worthRetrying(t)) {
                done.fail(n > 1 ? new IllegalStateException(t.getMessage() + " (attempt " + n + " of " + MAX_ATTEMPTS + ")", t) : t);
                return;
            }
            long backoff = Math.min(MAX_RETRY_WAIT_MS, retryBaseMs << (n - 1));
            long paused = rest.http().pauseRemainingMs();
            long wait = paused > 0 ? Math.max(backoff, paused + 100) : backoff; // past the Retry-After, never inside it
            log.warn("history {} {}: {}; retrying in {} s (attempt {} of {})", symbol, day, t.getMessage(),
                    String.format(java.util.Locale.ROOT, "%.1f", wait / 1000.0), n + 1, MAX_ATTEMPTS);
            rest.vertx().setTimer(wait, id -> attempt(symbol, day, n + 1, done));
        });
    }

    private static boolean worthRetrying(Throwable t) {
        if (t instanceof RequestNotSentException || t instanceof OutcomeUnknownException) {
            return true;
        }
        if (t instanceof ExchangeException e) {
            int status = e.httpStatus();
            return status == 429 || status == 418 || status >= 500 || e.error().isRateLimited();
        }
        return false;
    }

    /** Fetches one completed day and writes its file atomically; completes with the number of bars. */
    private Future<Long> fetchOnce(String symbol, LocalDate day) {
        long start = day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long end = start + DAY_MS - 1;
        StringBuilder text = new StringBuilder(160 * 1440);
        long[] last = {Long.MIN_VALUE};
        return rest.klinesPaged(symbol, "1m", start, end, page -> {
            for (Kline k : page) {
                if (k.openTimeMs() >= start && k.openTimeMs() <= end && k.openTimeMs() > last[0]) {
                    text.append(k.toDumpLine()).append('\n');
                    last[0] = k.openTimeMs();
                }
            }
        }).compose(n -> rest.vertx().executeBlocking(() -> { // file I/O and fsync: never on an event loop
            Path f = file(symbol, day);
            Path tmp = f.resolveSibling(f.getFileName() + ".part");
            try {
                // on disk before the rename: after a power cut a day's file is whole or absent (then fetched again),
                // never an empty file that reads as a day without bars and is never fetched again
                try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp,
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING,
                        java.nio.file.StandardOpenOption.WRITE)) {
                    java.nio.ByteBuffer bytes = StandardCharsets.US_ASCII.encode(java.nio.CharBuffer.wrap(text));
                    while (bytes.hasRemaining()) {
                        ch.write(bytes);
                    }
                    ch.force(true);
                }
                try {
                    Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("history: cannot write " + f + " (" + e.getMessage() + ")", e);
            }
            return text.chars().filter(c -> c == '\n').count();
        }));
    }

    /** The cached files of these symbols over the window that hold any bar, oldest day first per symbol. */
    public List<Path> filesOf(List<String> symbols, List<LocalDate> window) {
        List<Path> out = new ArrayList<>();
        for (String s : symbols) {
            for (LocalDate d : window) {
                Path f = file(s, d);
                try {
                    if (Files.isRegularFile(f) && Files.size(f) > 0) {
                        out.add(f);
                    }
                } catch (IOException e) {
                    log.warn("history: {} unreadable ({}); it is left out", f, e.getMessage());
                }
            }
        }
        return out;
    }

    /**
     * The closed minutes of today so far ({@code 00:00} up to the last minute closed before now), from REST;
     * the stream delivers the rest.
     */
    public Future<List<Candle>> today(String symbol) {
        long now = wallClock.getAsLong();
        long dayStart = now - Math.floorMod(now, DAY_MS);
        return minutes(symbol, dayStart, now);
    }

    /**
     * The closed one-minute candles of {@code symbol} opening in [{@code fromMs}, {@code toMs}) that have
     * closed by now: what a feed gap missed (the backfill) or today's minutes.
     */
    public Future<List<Candle>> minutes(String symbol, long fromMs, long toMs) {
        long now = wallClock.getAsLong();
        long lastClosedOpen = now - Math.floorMod(now, MINUTE_MS) - MINUTE_MS; // the minute that closed last
        long end = Math.min(toMs - 1, lastClosedOpen);
        List<Candle> out = new ArrayList<>();
        if (end < fromMs) {
            return Future.succeededFuture(out);
        }
        return rest.klinesPaged(symbol, "1m", fromMs, end, page -> {
            for (Kline k : page) {
                if (k.openTimeMs() >= fromMs && k.openTimeMs() <= end) {
                    out.add(candle(symbol, k));
                }
            }
        }).map(n -> out);
    }

    /** A REST kline as the closed one-minute candle the pipeline takes (stamped with its close time). */
    public static Candle candle(String symbol, Kline k) {
        return new Candle(symbol, k.openTimeMs(), MINUTE_MS, Decimals.fromBigDecimal(k.open()),
                Decimals.fromBigDecimal(k.high()), Decimals.fromBigDecimal(k.low()), Decimals.fromBigDecimal(k.close()),
                Decimals.parseVolumeE8(k.volume().toPlainString()), true, k.openTimeMs() + MINUTE_MS - 1);
    }
}
