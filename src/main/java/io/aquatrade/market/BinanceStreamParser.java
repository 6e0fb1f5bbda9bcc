package io.aquatrade.market;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.aquatrade.model.Candle;
import io.aquatrade.model.Decimals;
import io.aquatrade.model.MarketEvent;
import io.aquatrade.model.QuoteTick;
import io.aquatrade.model.TradeTick;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Parses one Binance spot market-stream message into a {@link MarketEvent}. Shared by the live websocket
 * verticle and the capture reader, so live and replay see identical events.
 *
 * <p>Accepts the combined-stream envelope {@code {"stream":"btcusdt@trade","data":{...}}} as well as raw
 * single-stream payloads ({@code {"e":"trade",...}}, {@code {"u":..,"s":..,"b":..}}). Maps
 * {@code @trade} and {@code @aggTrade} to {@link TradeTick} (time = trade time {@code T}),
 * {@code @bookTicker} to {@link QuoteTick} (time = the receive time the caller passes: the stream has no
 * event time), {@code @kline_<i>} to {@link Candle} (closed flag {@code x}; a closed bar's time is its
 * close time {@code k.T}, an open bar's the event time {@code E}). Other streams ({@code @depth...},
 * tickers, {@code !serverShutdown}), REST depth snapshots and subscription replies are
 * {@link Outcome#SKIPPED} with their type; anything else is {@link Outcome#MALFORMED} with a reason.
 * Times in µs (streams opened with {@code timeUnit=MICROSECOND}) are converted to ms.
 *
 * <p>Impossible market data is malformed, never an event, with a reason and a {@link #errorCode()}: a
 * non-positive price, a negative quantity, a crossed book (bid at or above the ask), a kline whose high is
 * below its low or whose open/close lies outside them, an event dated more than
 * {@link #maxFutureSkewMs(long) the allowed skew} after the receive time, a payload whose symbol is not the
 * one of its stream name. A bad message reaching state would move stops and fill orders at prices that
 * never traded.
 *
 * <p>Built for the hot path: Jackson's streaming parser, no databind, no String per number, symbols and
 * type names canonicalised; the only allocations per message are Jackson's parser and the event itself.
 * One instance per thread (it keeps the outcome of the last call):
 * <pre>{@code
 * switch (parser.parse(bytes, 0, bytes.length, receivedAtMs)) {
 *     case EVENT -> publish(parser.event());
 *     case SKIPPED -> skippedCounter(parser.skippedType()).increment();
 *     case MALFORMED -> log.warn("bad message: {}", parser.error());
 * }
 * }</pre>
 */
public final class BinanceStreamParser {

    /** What the last {@code parse} call produced. */
    public enum Outcome { EVENT, SKIPPED, MALFORMED }

    /** Pass as receive time when none is known; a {@code @bookTicker} then is malformed. */
    public static final long NO_RECEIVE_TIME = Long.MIN_VALUE;
    /** {@link #exchangeTimeMs()} when the message carried no event time. */
    public static final long NO_TIME = Long.MIN_VALUE;

    /** Skipped type of Binance's {@code serverShutdown} warning: the connection will close, reconnect. */
    public static final String SERVER_SHUTDOWN = "serverShutdown";
    /** Skipped type of a REST order-book snapshot ({@code {"lastUpdateId":..,"bids":..}}) in a capture. */
    public static final String DEPTH_SNAPSHOT = "depthSnapshot";
    /** Skipped type of a reply to SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS. */
    public static final String CONTROL_REPLY = "controlReply";

    // errorCode() of a malformed message: what kind of wrong it is, for counting per reason
    /** Not JSON, not a market message, a field missing or of the wrong type. */
    public static final String UNREADABLE = "unreadable";
    public static final String NON_POSITIVE_PRICE = "non_positive_price";
    public static final String NEGATIVE_QUANTITY = "negative_quantity";
    public static final String CROSSED_BOOK = "crossed_book";
    /** A kline whose high is below its low, or whose open or close lies outside [low, high]. */
    public static final String CANDLE_RANGE = "candle_range";
    /** A time no exchange can have produced, or later than the receive time plus the allowed skew. */
    public static final String IMPLAUSIBLE_TIME = "implausible_time";
    public static final String SYMBOL_MISMATCH = "symbol_mismatch";

    /** Default of {@link #maxFutureSkewMs(long)}: captures show exchange clocks 1-2 s ahead of receivers. */
    public static final long DEFAULT_MAX_FUTURE_SKEW_MS = 60_000L;

    private static final JsonFactory SHARED_FACTORY = JsonFactory.builder().build();

    private static final int K_UNKNOWN = 0;
    private static final int K_TRADE = 1;
    private static final int K_AGG_TRADE = 2;
    private static final int K_BOOK_TICKER = 3;
    private static final int K_KLINE = 4;
    private static final int K_SKIP = 5;

    private static final String[] KIND_NAMES = {"unknown", "trade", "aggTrade", "bookTicker", "kline", "skip"};

    // presence bits of payload fields
    private static final int HAS_S = 1;
    private static final int HAS_E = 1 << 1;
    private static final int HAS_T = 1 << 2;
    private static final int HAS_P = 1 << 3;
    private static final int HAS_Q = 1 << 4;
    private static final int HAS_M = 1 << 5;
    private static final int HAS_BID = 1 << 6;
    private static final int HAS_BID_QTY = 1 << 7;
    private static final int HAS_ASK = 1 << 8;
    private static final int HAS_ASK_QTY = 1 << 9;
    private static final int HAS_K = 1 << 10;
    private static final int HAS_U = 1 << 11;
    // kline presence bits
    private static final int K_T_OPEN = 1;
    private static final int K_T_CLOSE = 1 << 1;
    private static final int K_O = 1 << 2;
    private static final int K_H = 1 << 3;
    private static final int K_L = 1 << 4;
    private static final int K_C = 1 << 5;
    private static final int K_V = 1 << 6;
    private static final int K_X = 1 << 7;
    private static final int K_ALL = (1 << 8) - 1;

    private final JsonFactory factory;
    private final CharSlice slice = new CharSlice(new char[0]);
    private final Canonical symbols = new Canonical();
    private final Canonical types = new Canonical();
    private final Canonical streamSymbols = new Canonical();
    private boolean scanSkippedForEventTime;
    private long maxFutureSkewMs = DEFAULT_MAX_FUTURE_SKEW_MS;

    // outcome of the last call
    private Outcome outcome;
    private MarketEvent event;
    private String skippedType;
    private String error;
    private String errorCode;

    // scratch of the message being parsed
    private int streamKind;
    private String streamSkipType;
    private int eKind;
    private String eSkipType;
    private int has;
    private String symbol;
    private String streamSymbol; // lower case, as in the stream name
    private long eventTime;
    private long tradeTime;
    private long priceE8;
    private double qtyE8;
    private boolean buyerMaker;
    private long bidE8;
    private double bidQtyE8;
    private long askE8;
    private double askQtyE8;
    private int kHas;
    private long kOpenTime;
    private long kCloseTime;
    private long kOpenE8;
    private long kHighE8;
    private long kLowE8;
    private long kCloseE8;
    private double kVolumeE8;
    private boolean kClosed;
    private long tradeIdT; // "t" of a trade
    private long aggregateId; // "a" of an aggTrade (a trade's "a", in older captures, is the seller's order id)
    private long updateId; // "u" of a bookTicker
    private int eventKind;

    public BinanceStreamParser() {
        this(SHARED_FACTORY);
    }

    /** With a caller's factory (JsonFactory is thread-safe and meant to be shared). */
    public BinanceStreamParser(JsonFactory factory) {
        this.factory = factory;
    }

    /**
     * When true, messages of skipped streams that carry an event time ({@code @depth...}) are read as far
     * as their {@code E} so {@link #exchangeTimeMs()} is known for them too (used to estimate the offset
     * between the receive clock and the exchange clock). Off by default: a skipped stream is then
     * dismissed as soon as its name is read.
     */
    public BinanceStreamParser scanSkippedForEventTime(boolean on) {
        this.scanSkippedForEventTime = on;
        return this;
    }

    /**
     * How far an event's own time may lie after the receive time passed to {@code parse} (clock skew
     * between the exchange and this machine). Later events are malformed ({@link #IMPLAUSIBLE_TIME}): an
     * event dated 2099 would push every ordering watermark past everything that follows. Checked when the
     * receive time is a plausible epoch time.
     */
    public BinanceStreamParser maxFutureSkewMs(long ms) {
        if (ms < 0) {
            throw new IllegalArgumentException("max future skew must not be negative: " + ms);
        }
        this.maxFutureSkewMs = ms;
        return this;
    }

    /** Parses one message given as text. */
    public Outcome parse(String message, long receiveTimeMs) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        return parse(bytes, 0, bytes.length, receiveTimeMs);
    }

    /**
     * Parses the UTF-8 JSON message in {@code json[offset, offset+length)}.
     *
     * @param receiveTimeMs when the message was received, in epoch ms (becomes a quote's time), or
     *                      {@link #NO_RECEIVE_TIME}
     */
    public Outcome parse(byte[] json, int offset, int length, long receiveTimeMs) {
        reset();
        if (!scanSkippedForEventTime) {
            String skip = skippedStreamOf(json, offset, offset + length);
            if (skip != null) {
                return skipped(skip);
            }
        }
        try (JsonParser jp = factory.createParser(json, offset, length)) {
            return parse(jp, receiveTimeMs);
        } catch (Malformed m) {
            return malformed(m.code, m.getMessage());
        } catch (JsonProcessingException ex) {
            return malformed("invalid JSON: " + oneLine(ex.getOriginalMessage()));
        } catch (IOException ex) { // cannot happen on a byte array; kept as a malformed message
            return malformed("unreadable message: " + ex.getMessage());
        }
    }

    private static final byte[] STREAM_PREFIX = "{\"stream\":\"".getBytes(StandardCharsets.US_ASCII);

    /**
     * Fast path for the streams we skip (depth updates are most of a capture's bytes): if the message
     * starts exactly with {@code {"stream":"<symbol>@<type>"} and the type is not one we map, the type, else
     * null. The rest of such a message is not looked at, as Jackson's path would not look at it either.
     */
    private String skippedStreamOf(byte[] b, int start, int end) {
        int n = STREAM_PREFIX.length;
        if (end - start <= n) {
            return null;
        }
        for (int i = 0; i < n; i++) {
            if (b[start + i] != STREAM_PREFIX[i]) {
                return null;
            }
        }
        int at = -1;
        int quote = -1;
        for (int i = start + n; i < end; i++) {
            byte c = b[i];
            if (c == '"') {
                quote = i;
                break;
            }
            if (c == '\\' || c < 0x20) {
                return null; // escapes or non-ASCII: leave it to Jackson
            }
            if (c == '@' && at < 0) {
                at = i;
            }
        }
        if (at < 0 || quote < 0 || quote == at + 1) {
            return null;
        }
        int ts = at + 1;
        if (bytesEqual(b, ts, quote, "trade") || bytesEqual(b, ts, quote, "aggTrade") || bytesEqual(b, ts, quote, "bookTicker")
                || (quote - ts > 6 && bytesEqual(b, ts, ts + 6, "kline_"))) {
            return null;
        }
        return types.of(b, ts, quote);
    }

    private static boolean bytesEqual(byte[] b, int start, int end, String s) {
        if (end - start != s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (b[start + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The event of the last call when it returned {@link Outcome#EVENT}, else null. */
    public MarketEvent event() {
        return event;
    }

    /** The skipped type of the last call when it returned {@link Outcome#SKIPPED} (e.g. {@code depth@100ms}). */
    public String skippedType() {
        return skippedType;
    }

    /** Why the last message was malformed, else null. */
    public String error() {
        return error;
    }

    /** The kind of the last message's problem ({@link #UNREADABLE}, {@link #CROSSED_BOOK}, ...), else null. */
    public String errorCode() {
        return errorCode;
    }

    public Outcome outcome() {
        return outcome;
    }

    /** Event time {@code E} of the last message in ms, or {@link #NO_TIME} if it carried none (or was not read that far). */
    public long exchangeTimeMs() {
        return (has & HAS_E) != 0 ? EpochTime.toMillis(eventTime) : NO_TIME;
    }

    /**
     * The exchange's sequence number of the last event, rising per symbol and stream: a trade's id {@code t}, an
     * aggTrade's {@code a}, a bookTicker's update id {@code u}; -1 when the message carried none (klines).
     * The same message received twice (over two websockets during a switch-over) has the same number.
     */
    public long sequenceId() {
        if (outcome != Outcome.EVENT) {
            return -1;
        }
        return eventKind == K_TRADE ? tradeIdT : eventKind == K_AGG_TRADE ? aggregateId : eventKind == K_BOOK_TICKER ? updateId : -1;
    }

    /** The stream type of the last event ({@code trade}, {@code aggTrade}, {@code bookTicker}, {@code kline}), else null. */
    public String eventStreamType() {
        return outcome == Outcome.EVENT ? KIND_NAMES[eventKind] : null;
    }

    // ------------------------------------------------------------------------------------------------

    private void reset() {
        outcome = null;
        event = null;
        skippedType = null;
        error = null;
        errorCode = null;
        streamKind = K_UNKNOWN;
        streamSkipType = null;
        eKind = K_UNKNOWN;
        eSkipType = null;
        has = 0;
        kHas = 0;
        symbol = null;
        streamSymbol = null;
        tradeIdT = -1;
        aggregateId = -1;
        updateId = -1;
        eventKind = K_UNKNOWN;
    }

    private Outcome parse(JsonParser jp, long receiveTimeMs) throws IOException {
        if (jp.nextToken() != JsonToken.START_OBJECT) {
            return malformed("not a JSON object");
        }
        boolean first = true;
        boolean envelope = false;
        JsonToken t;
        while ((t = jp.nextToken()) == JsonToken.FIELD_NAME) {
            String name = jp.currentName();
            JsonToken v = jp.nextToken();
            if (first && !envelope) {
                if ("lastUpdateId".equals(name)) {
                    return skipped(DEPTH_SNAPSHOT);
                }
                if ("result".equals(name) || "id".equals(name)) {
                    return skipped(CONTROL_REPLY);
                }
            }
            first = false;
            if ("stream".equals(name) && (envelope || has == 0)) {
                envelope = true;
                if (v != JsonToken.VALUE_STRING) {
                    return malformed("field 'stream' is not a string");
                }
                classifyStream(jp);
                if (streamKind == K_SKIP && !(scanSkippedForEventTime && (has & HAS_E) == 0)) {
                    return skipped(streamSkipType);
                }
            } else if ("data".equals(name) && (envelope || has == 0)) {
                envelope = true;
                if (v != JsonToken.START_OBJECT) {
                    return malformed("field 'data' is not an object");
                }
                JsonToken d;
                while ((d = jp.nextToken()) == JsonToken.FIELD_NAME) {
                    String field = jp.currentName();
                    payloadField(jp, field, jp.nextToken());
                    if (streamKind == K_SKIP && (has & HAS_E) != 0) {
                        return skipped(streamSkipType); // read as far as the event time; the rest is not needed
                    }
                }
                if (d != JsonToken.END_OBJECT) {
                    return malformed("field 'data' is not a complete object");
                }
            } else if (envelope) {
                skipValue(jp, v); // unknown envelope field: tolerated, Binance may add some
            } else {
                payloadField(jp, name, v); // a raw single-stream payload
            }
        }
        if (t != JsonToken.END_OBJECT) {
            return malformed("not a complete JSON object");
        }
        if (jp.nextToken() != null) {
            return malformed("trailing content after the JSON object");
        }
        int kind = streamKind != K_UNKNOWN ? streamKind : eKind;
        if (kind == K_UNKNOWN) {
            if (envelope && (has == 0)) {
                return malformed("combined-stream message without 'stream' and 'data'");
            }
            if ((has & (HAS_BID | HAS_ASK | HAS_U)) == (HAS_BID | HAS_ASK | HAS_U) && (has & HAS_E) == 0) {
                kind = K_BOOK_TICKER; // the raw bookTicker payload is the only one without "e"
            } else {
                return malformed(envelope ? "message without a 'stream' name" : "unrecognised message (no 'e' event type)");
            }
        }
        if (kind == K_SKIP) {
            return skipped(streamKind == K_SKIP ? streamSkipType : eSkipType);
        }
        if (streamKind != K_UNKNOWN && eKind != K_UNKNOWN && streamKind != eKind) {
            return malformed("stream of type " + KIND_NAMES[streamKind] + " carries event type "
                    + (eKind == K_SKIP ? eSkipType : KIND_NAMES[eKind]));
        }
        if (streamSymbol != null && symbol != null && !streamSymbol.equalsIgnoreCase(symbol)) {
            return malformed(SYMBOL_MISMATCH, "payload symbol " + symbol + " differs from its stream's " + streamSymbol);
        }
        eventKind = kind;
        switch (kind) {
            case K_TRADE:
            case K_AGG_TRADE:
                return trade(kind, receiveTimeMs);
            case K_BOOK_TICKER:
                return quote(receiveTimeMs);
            case K_KLINE:
                return kline(receiveTimeMs);
            default:
                return malformed("unrecognised message");
        }
    }

    private Outcome trade(int kind, long receiveTimeMs) {
        require(HAS_S, "s", kind);
        require(HAS_P, "p", kind);
        require(HAS_Q, "q", kind);
        require(HAS_T, "T", kind);
        require(HAS_M, "m", kind);
        if (priceE8 <= 0) {
            throw new Malformed(NON_POSITIVE_PRICE, KIND_NAMES[kind] + " field 'p' is not a positive price: "
                    + Decimals.format(priceE8));
        }
        if (qtyE8 <= 0) {
            throw new Malformed(NEGATIVE_QUANTITY, KIND_NAMES[kind] + " field 'q' is not a positive quantity: "
                    + Decimals.volumeToBigDecimal(qtyE8).toPlainString());
        }
        long time = notAhead(plausible(EpochTime.toMillis(tradeTime), "field 'T'"), receiveTimeMs, "field 'T'");
        if ((has & HAS_E) != 0) {
            notAhead(plausible(EpochTime.toMillis(eventTime), "field 'E'"), receiveTimeMs, "field 'E'");
        }
        return event(new TradeTick(symbol, time, priceE8, qtyE8, buyerMaker));
    }

    private Outcome quote(long receiveTimeMs) {
        require(HAS_S, "s", K_BOOK_TICKER);
        require(HAS_BID, "b", K_BOOK_TICKER);
        require(HAS_BID_QTY, "B", K_BOOK_TICKER);
        require(HAS_ASK, "a", K_BOOK_TICKER);
        require(HAS_ASK_QTY, "A", K_BOOK_TICKER);
        if (receiveTimeMs == NO_RECEIVE_TIME) {
            return malformed("bookTicker carries no event time and no receive time was given");
        }
        plausible(receiveTimeMs, "receive time");
        if (askE8 <= 0) {
            return malformed(NON_POSITIVE_PRICE, "bookTicker ask 'a' is not a positive price: " + Decimals.format(askE8));
        }
        if (bidE8 <= 0) { // a long exits at the bid: a zero bid would trigger every stop and fill it at nothing
            return malformed(NON_POSITIVE_PRICE, "bookTicker bid 'b' is not a positive price: " + Decimals.format(bidE8));
        }
        if (bidQtyE8 < 0 || askQtyE8 < 0) {
            return malformed(NEGATIVE_QUANTITY, "bookTicker quantity is negative: B=" + Decimals.volumeToBigDecimal(bidQtyE8).toPlainString()
                    + " A=" + Decimals.volumeToBigDecimal(askQtyE8).toPlainString());
        }
        if (bidE8 >= askE8) {
            return malformed(CROSSED_BOOK, "bookTicker book is crossed: bid " + Decimals.format(bidE8)
                    + " is not below ask " + Decimals.format(askE8));
        }
        return event(new QuoteTick(symbol, receiveTimeMs, bidE8, bidQtyE8, askE8, askQtyE8));
    }

    private Outcome kline(long receiveTimeMs) {
        require(HAS_S, "s", K_KLINE);
        require(HAS_E, "E", K_KLINE);
        require(HAS_K, "k", K_KLINE);
        if ((kHas & K_ALL) != K_ALL) {
            String missing = (kHas & K_T_OPEN) == 0 ? "t" : (kHas & K_T_CLOSE) == 0 ? "T" : (kHas & K_O) == 0 ? "o"
                    : (kHas & K_H) == 0 ? "h" : (kHas & K_L) == 0 ? "l" : (kHas & K_C) == 0 ? "c"
                    : (kHas & K_V) == 0 ? "v" : "x";
            return malformed("kline without field 'k." + missing + "'");
        }
        long open = notAhead(plausible(EpochTime.toMillis(kOpenTime), "field 'k.t'"), receiveTimeMs, "field 'k.t'");
        long close = plausible(EpochTime.toMillis(kCloseTime), "field 'k.T'");
        if (close < open) {
            return malformed(IMPLAUSIBLE_TIME, "kline close time " + close + " is before its open time " + open);
        }
        long event = notAhead(plausible(EpochTime.toMillis(eventTime), "field 'E'"), receiveTimeMs, "field 'E'");
        if (kClosed) {
            notAhead(close, receiveTimeMs, "field 'k.T' of a closed kline"); // an open one closes in the future
        }
        if (kOpenE8 <= 0 || kHighE8 <= 0 || kLowE8 <= 0 || kCloseE8 <= 0) {
            return malformed(NON_POSITIVE_PRICE, "kline has a non-positive price: o=" + Decimals.format(kOpenE8)
                    + " h=" + Decimals.format(kHighE8) + " l=" + Decimals.format(kLowE8) + " c=" + Decimals.format(kCloseE8));
        }
        if (kVolumeE8 < 0) {
            return malformed(NEGATIVE_QUANTITY, "kline volume 'k.v' is negative: " + Decimals.volumeToBigDecimal(kVolumeE8).toPlainString());
        }
        if (kHighE8 < kLowE8 || kOpenE8 > kHighE8 || kOpenE8 < kLowE8 || kCloseE8 > kHighE8 || kCloseE8 < kLowE8) {
            return malformed(CANDLE_RANGE, "kline prices are inconsistent: high " + Decimals.format(kHighE8)
                    + " low " + Decimals.format(kLowE8) + " open " + Decimals.format(kOpenE8) + " close "
                    + Decimals.format(kCloseE8));
        }
        long time = kClosed ? close : event;
        return event(new Candle(symbol, open, close - open + 1, kOpenE8, kHighE8, kLowE8, kCloseE8, kVolumeE8,
                kClosed, time));
    }

    private static long plausible(long ms, String what) {
        if (!EpochTime.isPlausibleMs(ms)) {
            throw new Malformed(IMPLAUSIBLE_TIME, what + " is not a plausible time: " + ms + " ms");
        }
        return ms;
    }

    /** {@code ms} unless it lies more than the allowed skew after a (plausible) receive time. */
    private long notAhead(long ms, long receiveTimeMs, String what) {
        if (EpochTime.isPlausibleMs(receiveTimeMs) && ms - receiveTimeMs > maxFutureSkewMs) {
            throw new Malformed(IMPLAUSIBLE_TIME, what + " " + ms + " ms is " + (ms - receiveTimeMs)
                    + " ms after the receive time " + receiveTimeMs + " (more than the allowed skew of " + maxFutureSkewMs
                    + " ms)");
        }
        return ms;
    }

    private void require(int bit, String field, int kind) {
        if ((has & bit) == 0) {
            throw new Malformed(KIND_NAMES[kind] + " without field '" + field + "'");
        }
    }

    /** Reads the stream name: {@code <symbol>@<type>} or {@code !serverShutdown}. */
    private void classifyStream(JsonParser jp) throws IOException {
        char[] c = jp.getTextCharacters();
        int off = jp.getTextOffset();
        int end = off + jp.getTextLength();
        int at = -1;
        for (int i = off; i < end; i++) {
            if (c[i] == '@') {
                at = i;
                break;
            }
        }
        int ts = at < 0 ? off : at + 1;
        if (at > off) {
            streamSymbol = streamSymbols.of(c, off, at);
        }
        slice.set(c, end);
        if (slice.regionEquals(ts, end, "trade")) {
            streamKind = K_TRADE;
        } else if (slice.regionEquals(ts, end, "aggTrade")) {
            streamKind = K_AGG_TRADE;
        } else if (slice.regionEquals(ts, end, "bookTicker")) {
            streamKind = K_BOOK_TICKER;
        } else if (end - ts > 6 && slice.regionEquals(ts, ts + 6, "kline_")) {
            streamKind = K_KLINE;
        } else if (at < 0 && slice.regionEquals(off, end, "!serverShutdown")) {
            streamKind = K_SKIP;
            streamSkipType = SERVER_SHUTDOWN;
        } else if (ts == end) {
            throw new Malformed("stream name without a type: '" + new String(c, off, end - off) + "'");
        } else {
            streamKind = K_SKIP;
            streamSkipType = types.of(c, ts, end);
        }
    }

    private void payloadField(JsonParser jp, String name, JsonToken v) throws IOException {
        switch (name) {
            case "e":
                if (v != JsonToken.VALUE_STRING) {
                    throw new Malformed("field 'e' is not a string");
                }
                classifyEventType(jp);
                break;
            case "E":
                eventTime = longField(jp, v, "E");
                has |= HAS_E;
                break;
            case "s":
                if (v != JsonToken.VALUE_STRING) {
                    throw new Malformed("field 's' is not a string");
                }
                symbol = symbols.of(jp.getTextCharacters(), jp.getTextOffset(), jp.getTextOffset() + jp.getTextLength());
                if (symbol.isEmpty()) {
                    throw new Malformed("field 's' is empty");
                }
                has |= HAS_S;
                break;
            case "T":
                tradeTime = longField(jp, v, "T");
                has |= HAS_T;
                break;
            case "p":
                priceE8 = decimalField(jp, v, "p");
                has |= HAS_P;
                break;
            case "q":
                qtyE8 = volumeField(jp, v, "q");
                has |= HAS_Q;
                break;
            case "m":
                buyerMaker = boolField(v, "m");
                has |= HAS_M;
                break;
            case "u":
                has |= HAS_U;
                if (v == JsonToken.VALUE_NUMBER_INT && jp.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                    updateId = jp.getLongValue();
                } else {
                    skipValue(jp, v);
                }
                break;
            case "t": // a trade's id
                if (v == JsonToken.VALUE_NUMBER_INT && jp.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                    tradeIdT = jp.getLongValue();
                } else {
                    skipValue(jp, v);
                }
                break;
            case "b": // bookTicker best bid; a trade's buyer order id (number); a depth update's bids (array)
                if (v == JsonToken.VALUE_STRING) {
                    bidE8 = decimalField(jp, v, "b");
                    has |= HAS_BID;
                } else {
                    skipValue(jp, v);
                }
                break;
            case "B":
                if (v == JsonToken.VALUE_STRING) {
                    bidQtyE8 = volumeField(jp, v, "B");
                    has |= HAS_BID_QTY;
                } else {
                    skipValue(jp, v);
                }
                break;
            case "a": // bookTicker best ask; an aggregate trade id (number); a depth update's asks (array)
                if (v == JsonToken.VALUE_STRING) {
                    askE8 = decimalField(jp, v, "a");
                    has |= HAS_ASK;
                } else if (v == JsonToken.VALUE_NUMBER_INT && jp.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                    aggregateId = jp.getLongValue();
                } else {
                    skipValue(jp, v);
                }
                break;
            case "A":
                if (v == JsonToken.VALUE_STRING) {
                    askQtyE8 = volumeField(jp, v, "A");
                    has |= HAS_ASK_QTY;
                } else {
                    skipValue(jp, v);
                }
                break;
            case "k":
                if (v == JsonToken.START_OBJECT) {
                    klineObject(jp);
                    has |= HAS_K;
                } else {
                    skipValue(jp, v);
                }
                break;
            default:
                skipValue(jp, v);
        }
    }

    private void klineObject(JsonParser jp) throws IOException {
        JsonToken t;
        while ((t = jp.nextToken()) == JsonToken.FIELD_NAME) {
            String name = jp.currentName();
            JsonToken v = jp.nextToken();
            switch (name) {
                case "t":
                    kOpenTime = longField(jp, v, "k.t");
                    kHas |= K_T_OPEN;
                    break;
                case "T":
                    kCloseTime = longField(jp, v, "k.T");
                    kHas |= K_T_CLOSE;
                    break;
                case "o":
                    kOpenE8 = decimalField(jp, v, "k.o");
                    kHas |= K_O;
                    break;
                case "h":
                    kHighE8 = decimalField(jp, v, "k.h");
                    kHas |= K_H;
                    break;
                case "l":
                    kLowE8 = decimalField(jp, v, "k.l");
                    kHas |= K_L;
                    break;
                case "c":
                    kCloseE8 = decimalField(jp, v, "k.c");
                    kHas |= K_C;
                    break;
                case "v":
                    kVolumeE8 = volumeField(jp, v, "k.v");
                    kHas |= K_V;
                    break;
                case "x":
                    kClosed = boolField(v, "k.x");
                    kHas |= K_X;
                    break;
                default:
                    skipValue(jp, v);
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new Malformed("field 'k' is not a complete object");
        }
    }

    private void classifyEventType(JsonParser jp) throws IOException {
        char[] c = jp.getTextCharacters();
        int off = jp.getTextOffset();
        int end = off + jp.getTextLength();
        slice.set(c, end);
        if (slice.regionEquals(off, end, "trade")) {
            eKind = K_TRADE;
        } else if (slice.regionEquals(off, end, "aggTrade")) {
            eKind = K_AGG_TRADE;
        } else if (slice.regionEquals(off, end, "kline")) {
            eKind = K_KLINE;
        } else {
            eKind = K_SKIP;
            eSkipType = types.of(c, off, end);
        }
    }

    private long longField(JsonParser jp, JsonToken v, String field) throws IOException {
        if (v != JsonToken.VALUE_NUMBER_INT) {
            throw new Malformed("field '" + field + "' is not an integer: " + describe(jp, v));
        }
        if (jp.getNumberType() != JsonParser.NumberType.INT && jp.getNumberType() != JsonParser.NumberType.LONG) {
            throw new Malformed("field '" + field + "' is out of range: " + jp.getText());
        }
        long value = jp.getLongValue();
        if (value < 0) {
            throw new Malformed("field '" + field + "' is negative: " + value);
        }
        return value;
    }

    private long decimalField(JsonParser jp, JsonToken v, String field) throws IOException {
        if (v != JsonToken.VALUE_STRING) {
            throw new Malformed("field '" + field + "' is not a decimal string: " + describe(jp, v));
        }
        char[] c = jp.getTextCharacters();
        int off = jp.getTextOffset();
        int end = off + jp.getTextLength();
        try {
            return Decimals.parseE8(slice.set(c, end), off, end);
        } catch (NumberFormatException ex) {
            throw new Malformed("field '" + field + "' is not a number: '" + new String(c, off, end - off) + "'");
        }
    }

    /** A quantity or volume: wide enough for PEPE-class coins (see {@link Decimals#parseVolumeE8}). */
    private double volumeField(JsonParser jp, JsonToken v, String field) throws IOException {
        if (v != JsonToken.VALUE_STRING) {
            throw new Malformed("field '" + field + "' is not a decimal string: " + describe(jp, v));
        }
        char[] c = jp.getTextCharacters();
        int off = jp.getTextOffset();
        int end = off + jp.getTextLength();
        try {
            return Decimals.parseVolumeE8(slice.set(c, end), off, end);
        } catch (NumberFormatException ex) {
            throw new Malformed("field '" + field + "' is not a number: '" + new String(c, off, end - off) + "'");
        }
    }

    private static boolean boolField(JsonToken v, String field) {
        if (v == JsonToken.VALUE_TRUE) {
            return true;
        }
        if (v == JsonToken.VALUE_FALSE) {
            return false;
        }
        throw new Malformed("field '" + field + "' is not a boolean");
    }

    private static String describe(JsonParser jp, JsonToken v) throws IOException {
        if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
            return v == JsonToken.START_OBJECT ? "an object" : "an array";
        }
        String text = jp.getText();
        return text == null ? String.valueOf(v) : "'" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'";
    }

    private static void skipValue(JsonParser jp, JsonToken v) throws IOException {
        if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
            jp.skipChildren();
        }
    }

    private Outcome event(MarketEvent e) {
        event = e;
        return outcome = Outcome.EVENT;
    }

    private Outcome skipped(String type) {
        skippedType = type;
        return outcome = Outcome.SKIPPED;
    }

    private Outcome malformed(String reason) {
        return malformed(UNREADABLE, reason);
    }

    private Outcome malformed(String code, String reason) {
        event = null;
        error = reason;
        errorCode = code;
        return outcome = Outcome.MALFORMED;
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String t = s.replace('\n', ' ').replace('\r', ' ');
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }

    /** A message-level problem; cheap (no stack trace) because bad input is data, not a bug. */
    private static final class Malformed extends RuntimeException {
        final String code;

        Malformed(String message) {
            this(UNREADABLE, message);
        }

        Malformed(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }
}
