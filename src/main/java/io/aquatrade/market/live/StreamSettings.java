package io.aquatrade.market.live;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@link BinanceStreamVerticle} subscribes to and how it keeps the connections healthy.
 *
 * @param baseUrl                 {@code ws://} or {@code wss://} host and port, no path (default {@link #DEFAULT_BASE_URL})
 * @param symbols                 exchange symbols in any case (stream names use them lowercased)
 * @param streamKinds             stream types per symbol, e.g. {@code aggTrade}, {@code bookTicker}, {@code kline_1m}
 * @param reconnectMinMs          first reconnect delay; doubles per failed attempt
 * @param reconnectMaxMs          cap of the reconnect delay
 * @param staleAfterMs            a connection silent this long is replaced
 * @param rotateAfterMs           a connection this old is replaced (Binance drops connections at 24 h)
 * @param maxStreamsPerConnection streams per connection; more streams are split over several connections
 */
public record StreamSettings(String baseUrl, List<String> symbols, List<String> streamKinds, long reconnectMinMs,
                             long reconnectMaxMs, long staleAfterMs, long rotateAfterMs, int maxStreamsPerConnection) {

    public static final String DEFAULT_BASE_URL = "wss://stream.binance.com:9443";
    public static final List<String> DEFAULT_KINDS = List.of("aggTrade", "bookTicker", "kline_1m");
    /** Binance closes a connection after 24 h; rotate 10 minutes earlier. */
    public static final long DEFAULT_ROTATE_AFTER_MS = 23 * 3_600_000L + 50 * 60_000L;
    public static final long MAX_ROTATE_AFTER_MS = 24 * 3_600_000L;
    /** Binance's limit of streams on one connection. */
    public static final int BINANCE_MAX_STREAMS = 1024;

    public StreamSettings {
        if (baseUrl == null || !(baseUrl.startsWith("ws://") || baseUrl.startsWith("wss://"))) {
            throw new IllegalArgumentException("stream settings: baseUrl must start with ws:// or wss://, got '" + baseUrl + "'");
        }
        while (baseUrl.endsWith("/")) {
            baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
        }
        if (symbols == null || symbols.isEmpty()) {
            throw new IllegalArgumentException("stream settings: symbols is empty");
        }
        if (streamKinds == null || streamKinds.isEmpty()) {
            throw new IllegalArgumentException("stream settings: streamKinds is empty");
        }
        for (String s : symbols) {
            if (s == null || s.isBlank() || !s.chars().allMatch(Character::isLetterOrDigit)) {
                throw new IllegalArgumentException("stream settings: symbol '" + s + "' is not letters and digits");
            }
        }
        for (String k : streamKinds) {
            if (k == null || k.isBlank() || k.contains("/") || k.startsWith("@") || k.contains(" ")) {
                throw new IllegalArgumentException("stream settings: stream kind '" + k + "' is not a stream type");
            }
        }
        symbols = List.copyOf(symbols);
        streamKinds = List.copyOf(streamKinds);
        if (reconnectMinMs <= 0) {
            throw new IllegalArgumentException("stream settings: reconnectMinMs must be > 0, got " + reconnectMinMs);
        }
        if (reconnectMaxMs < reconnectMinMs) {
            throw new IllegalArgumentException("stream settings: reconnectMaxMs " + reconnectMaxMs + " < reconnectMinMs " + reconnectMinMs);
        }
        if (staleAfterMs <= 0) {
            throw new IllegalArgumentException("stream settings: staleAfterMs must be > 0, got " + staleAfterMs);
        }
        if (rotateAfterMs <= 0 || rotateAfterMs > MAX_ROTATE_AFTER_MS) {
            throw new IllegalArgumentException("stream settings: rotateAfterMs must be in (0, 24 h], got " + rotateAfterMs);
        }
        if (maxStreamsPerConnection < 1 || maxStreamsPerConnection > BINANCE_MAX_STREAMS) {
            throw new IllegalArgumentException("stream settings: maxStreamsPerConnection must be in [1, "
                    + BINANCE_MAX_STREAMS + "], got " + maxStreamsPerConnection);
        }
    }

    /** Production defaults: Binance live host, aggTrade + bookTicker + kline_1m, 1 s..60 s backoff, stale after 30 s. */
    public static StreamSettings of(List<String> symbols) {
        return new StreamSettings(DEFAULT_BASE_URL, symbols, DEFAULT_KINDS, 1_000, 60_000, 30_000,
                DEFAULT_ROTATE_AFTER_MS, BINANCE_MAX_STREAMS);
    }

    public StreamSettings withBaseUrl(String url) {
        return new StreamSettings(url, symbols, streamKinds, reconnectMinMs, reconnectMaxMs, staleAfterMs, rotateAfterMs, maxStreamsPerConnection);
    }

    public StreamSettings withStreamKinds(List<String> kinds) {
        return new StreamSettings(baseUrl, symbols, kinds, reconnectMinMs, reconnectMaxMs, staleAfterMs, rotateAfterMs, maxStreamsPerConnection);
    }

    public StreamSettings withReconnect(long minMs, long maxMs) {
        return new StreamSettings(baseUrl, symbols, streamKinds, minMs, maxMs, staleAfterMs, rotateAfterMs, maxStreamsPerConnection);
    }

    public StreamSettings withStaleAfterMs(long ms) {
        return new StreamSettings(baseUrl, symbols, streamKinds, reconnectMinMs, reconnectMaxMs, ms, rotateAfterMs, maxStreamsPerConnection);
    }

    public StreamSettings withRotateAfterMs(long ms) {
        return new StreamSettings(baseUrl, symbols, streamKinds, reconnectMinMs, reconnectMaxMs, staleAfterMs, ms, maxStreamsPerConnection);
    }

    public StreamSettings withMaxStreamsPerConnection(int n) {
        return new StreamSettings(baseUrl, symbols, streamKinds, reconnectMinMs, reconnectMaxMs, staleAfterMs, rotateAfterMs, n);
    }

    /** All stream names, symbol-major: {@code btcusdt@aggTrade, btcusdt@bookTicker, ..., ethusdt@aggTrade, ...}. */
    public List<String> streamNames() {
        List<String> names = new ArrayList<>(symbols.size() * streamKinds.size());
        for (String s : symbols) {
            String sym = s.toLowerCase(Locale.ROOT);
            for (String k : streamKinds) {
                names.add(sym + "@" + k);
            }
        }
        return names;
    }

    /** The stream names of each connection, at most {@link #maxStreamsPerConnection} each. */
    public List<List<String>> connectionStreams() {
        List<String> all = streamNames();
        List<List<String>> groups = new ArrayList<>();
        for (int i = 0; i < all.size(); i += maxStreamsPerConnection) {
            groups.add(List.copyOf(all.subList(i, Math.min(all.size(), i + maxStreamsPerConnection))));
        }
        return groups;
    }

    /** The combined-stream URL of one connection: {@code <base>/stream?streams=a/b/c}. */
    public String urlOf(List<String> streams) {
        return baseUrl + "/stream?streams=" + String.join("/", streams);
    }
}
