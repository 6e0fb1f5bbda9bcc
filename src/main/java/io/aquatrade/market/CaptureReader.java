package io.aquatrade.market;

import io.aquatrade.model.MarketEvent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Recorded Binance combined-stream captures, one message per line after its receive time:
 * <ul>
 * <li>hftbacktest: {@code <receive time in ns or µs> {"stream":...,"data":...}} (and REST depth
 * snapshots {@code <time> {"lastUpdateId":...}}),</li>
 * <li>cryptofeed: {@code <receive time in s with fraction>: {json}}, after a {@code configuration:} line
 * and/or a {@code wss://...} URL line, with REST snapshots as {@code URL -> time: JSON},</li>
 * <li>plain JSON lines without a receive time (then {@code @bookTicker} lines are malformed).</li>
 * </ul>
 * Messages go through {@link BinanceStreamParser}. Header lines are counted as headers, snapshots and
 * other streams as skipped-by-type; everything else that does not parse is malformed.
 *
 * <p>A capture is in receive order, which is not event-time order (trades carry the exchange's trade
 * time, several symbols interleave, quotes carry the receive time), so events pass through a reorder
 * buffer of {@link ReadOptions#reorderWindowMs()}: an event is released once an event at least that much
 * later has been read. Stragglers later than that are dropped and reported as out of order.
 */
public final class CaptureReader extends LineFileReader {
    private final BinanceStreamParser parser = new BinanceStreamParser();
    private final long reorderWindowMs;
    private final boolean alignQuotes;
    private final ReorderBuffer pending = new ReorderBuffer();
    private long sequence;
    private long maxSeenMs = Long.MIN_VALUE;
    private long lastReleasedMs = Long.MIN_VALUE;
    private boolean endOfFile;
    private long clockOffsetMs;
    private boolean clockOffsetKnown;

    public CaptureReader(Path path, ReadOptions options) {
        super(path, options.maxIssues());
        this.reorderWindowMs = options.reorderWindowMs();
        this.alignQuotes = options.quoteClock() == QuoteClock.EXCHANGE_ESTIMATE;
        parser.scanSkippedForEventTime(alignQuotes).maxFutureSkewMs(options.maxFutureSkewMs());
    }

    public CaptureReader(Path path) {
        this(path, ReadOptions.defaults());
    }

    /**
     * The estimated (receive clock − exchange clock) offset in ms, fastest delivery included: the smallest
     * (receive time − {@code E}) seen so far. Only tracked with {@link QuoteClock#EXCHANGE_ESTIMATE};
     * Long.MIN_VALUE when not known.
     */
    public long clockOffsetMs() {
        return clockOffsetKnown ? clockOffsetMs : Long.MIN_VALUE;
    }

    @Override
    protected MarketEvent readNext() throws IOException {
        while (true) {
            if (!pending.isEmpty() && (endOfFile || pending.peekTime() <= maxSeenMs - reorderWindowMs)) {
                MarketEvent e = pending.pop();
                lastReleasedMs = e.timeMs();
                return e;
            }
            if (endOfFile) {
                return null;
            }
            if (!lines.next()) {
                endOfFile = true;
                continue;
            }
            MarketEvent e = parseLine(lines.buffer(), lines.start(), lines.end(), lines.lineNumber());
            if (e == null) {
                continue;
            }
            long t = e.timeMs();
            if (t < lastReleasedMs) {
                report.outOfOrder(lines.lineNumber(), e.getClass().getSimpleName() + " " + e.symbol() + " at "
                        + Instant.ofEpochMilli(t) + " arrived after events up to " + Instant.ofEpochMilli(lastReleasedMs)
                        + " were released (reorder window " + reorderWindowMs + " ms): dropped");
                continue;
            }
            if (t > maxSeenMs) {
                maxSeenMs = t;
            }
            pending.push(t, sequence++, e);
        }
    }

    private MarketEvent parseLine(byte[] b, int s, int e, long line) {
        int i = s;
        while (i < e && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        if (i == e) {
            report.blank();
            return null;
        }
        long receiveMs;
        int json;
        byte c = b[i];
        if (c >= '0' && c <= '9') {
            int digitsEnd = i;
            while (digitsEnd < e && b[digitsEnd] >= '0' && b[digitsEnd] <= '9') {
                digitsEnd++;
            }
            long whole = Ascii.parseNonNegativeLong(b, i, digitsEnd);
            if (whole < 0) {
                return malformed(line, "receive time is not a number", b, s, e);
            }
            int j = digitsEnd;
            if (j < e && b[j] == '.') { // seconds with a fraction (cryptofeed)
                j++;
                long millis = 0;
                int digits = 0;
                while (j < e && b[j] >= '0' && b[j] <= '9') {
                    if (digits < 3) {
                        millis = millis * 10 + (b[j] - '0');
                    }
                    digits++;
                    j++;
                }
                while (digits < 3) {
                    millis *= 10;
                    digits++;
                }
                receiveMs = whole * 1000 + millis;
            } else if (whole < 100_000_000_000L) { // whole seconds
                receiveMs = whole * 1000;
            } else {
                receiveMs = EpochTime.toMillis(whole); // ms, µs (hftbacktest 2023) or ns (2024)
            }
            if (!EpochTime.isPlausibleMs(receiveMs)) {
                return malformed(line, "receive time " + receiveMs + " ms is not a plausible time", b, s, e);
            }
            if (j < e && b[j] == ':') {
                j++;
            }
            if (j == e || (b[j] != ' ' && b[j] != '\t')) {
                return malformed(line, "receive time not followed by a space and a JSON message", b, s, e);
            }
            while (j < e && (b[j] == ' ' || b[j] == '\t')) {
                j++;
            }
            json = j;
        } else if (c == '{') {
            receiveMs = BinanceStreamParser.NO_RECEIVE_TIME;
            json = i;
        } else if (Ascii.startsWith(b, i, e, "configuration:") || Ascii.startsWith(b, i, e, "wss://")
                || Ascii.startsWith(b, i, e, "ws://")) {
            report.header();
            return null;
        } else if ((Ascii.startsWith(b, i, e, "https://") || Ascii.startsWith(b, i, e, "http://"))
                && Ascii.indexOf(b, i, e, " -> ") > 0) {
            int sep = Ascii.indexOf(b, i, e, " -> ");
            report.skipped(Ascii.indexOf(b, i, sep, "depth") > 0 ? BinanceStreamParser.DEPTH_SNAPSHOT : "restResponse");
            return null;
        } else {
            return malformed(line, "line does not start with a receive time", b, s, e);
        }
        if (json == e) {
            return malformed(line, "no JSON message after the receive time", b, s, e);
        }

        long quoteTimeMs = receiveMs;
        if (alignQuotes && clockOffsetKnown && receiveMs != BinanceStreamParser.NO_RECEIVE_TIME) {
            quoteTimeMs = receiveMs - clockOffsetMs;
        }
        BinanceStreamParser.Outcome outcome = parser.parse(b, json, e - json, quoteTimeMs);
        if (alignQuotes && receiveMs != BinanceStreamParser.NO_RECEIVE_TIME) {
            long exchangeMs = parser.exchangeTimeMs();
            if (exchangeMs != BinanceStreamParser.NO_TIME) {
                long offset = receiveMs - exchangeMs;
                if (!clockOffsetKnown || offset < clockOffsetMs) {
                    clockOffsetMs = offset;
                    clockOffsetKnown = true;
                }
            }
        }
        switch (outcome) {
            case EVENT:
                return parser.event(); // a quote is already stamped with quoteTimeMs
            case SKIPPED:
                report.skipped(parser.skippedType());
                return null;
            default:
                return malformed(line, parser.errorCode(), parser.error(), b, s, e);
        }
    }

    private MarketEvent malformed(long line, String reason, byte[] b, int s, int e) {
        return malformed(line, ReadReport.UNREADABLE, reason, b, s, e);
    }

    private MarketEvent malformed(long line, String kind, String reason, byte[] b, int s, int e) {
        int n = Math.min(e - s, 80);
        String head = new String(b, s, n, StandardCharsets.UTF_8);
        report.malformed(line, kind, reason + " in: '" + head + (e - s > n ? "...'" : "'"));
        return null;
    }
}
