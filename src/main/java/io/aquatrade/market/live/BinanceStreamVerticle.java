package io.aquatrade.market.live;

import io.aquatrade.market.BinanceStreamParser;
import io.aquatrade.model.MarketEvent;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The live market source: Binance combined-stream websockets to {@link MarketEvent}s.
 *
 * <p>One connection per group of at most {@link StreamSettings#maxStreamsPerConnection()} streams. Each message
 * is parsed with {@link BinanceStreamParser} (receive time = local clock, which becomes a bookTicker's time) and
 * every event is handed to the sink on this verticle's context, in arrival order per connection, once: a trade
 * or book ticker whose exchange sequence number was already delivered (both websockets of a switch-over carry
 * the overlap) is counted as a duplicate and dropped. A malformed
 * message is counted (with the reason of the last few) and logged; it never closes the stream.
 *
 * <p>Keeping the feed alive:
 * <ul>
 * <li>close or error: reconnect after an exponential backoff with jitter (min..max of the settings), reset once
 * a connection opens;</li>
 * <li>{@code serverShutdown}, connection age {@code rotateAfterMs} (Binance drops it at 24 h), or no message for
 * {@code staleAfterMs}: switch over, i.e. open a new websocket first and close the old one once the new one is
 * open. Messages of the old websocket that arrive after the switch are ignored;</li>
 * <li>pings: Vert.x 5 answers every ping frame itself with a pong carrying a copy of the ping's payload
 * (WebSocketImplBase.handleFrame), so this class sends no control frames of its own and stays far below
 * Binance's 5 messages/s.</li>
 * </ul>
 * Nothing here blocks: all work runs in websocket callbacks and timers on the verticle's event loop. Only
 * {@link #stats()} is meant to be called from other threads.
 */
public final class BinanceStreamVerticle extends VerticleBase {

    private static final Logger log = LoggerFactory.getLogger(BinanceStreamVerticle.class);
    /** How many malformed reasons each connection keeps. */
    static final int KEPT_MALFORMED_REASONS = 5;
    /**
     * A sequence number this far below the last delivered one is no duplicate of a switch-over's overlap (a few
     * seconds of messages) but a restart of the exchange's numbering, which must not silence the stream.
     */
    static final long SEQUENCE_RESTART_GAP = 10_000_000L;

    private final StreamSettings settings;
    private final Consumer<MarketEvent> sink;
    private final BinanceStreamParser parser = new BinanceStreamParser(); // event-loop confined
    private final java.util.concurrent.ConcurrentMap<String, AtomicLong> malformedByReason =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final List<Feed> feeds; // fixed at construction, so stats() may read it from any thread
    /**
     * Newest exchange sequence number delivered per {@code SYMBOL@streamType}; shared with the verticle this one
     * replaces (see {@link #continuing}), whose event loop may differ: updated atomically per key.
     */
    private java.util.concurrent.ConcurrentMap<String, Long> lastSequence = new java.util.concurrent.ConcurrentHashMap<>();

    /** Strong reference: Vert.x closes clients that become unreachable. */
    private WebSocketClient client;
    private long staleTimerId = -1;
    private volatile boolean stopping;

    /**
     * How far an event's time may lie after its receive time ({@code market.max_future_skew_ms}); set
     * before deployment.
     */
    public BinanceStreamVerticle maxFutureSkewMs(long ms) {
        parser.maxFutureSkewMs(ms);
        return this;
    }

    /** Malformed messages of all connections per kind ({@code crossed_book}, {@code unreadable}, ...). */
    public java.util.Map<String, Long> malformedByReason() {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        malformedByReason.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    public BinanceStreamVerticle(StreamSettings settings, Consumer<MarketEvent> sink) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sink = Objects.requireNonNull(sink, "sink");
        List<List<String>> groups = settings.connectionStreams();
        List<Feed> fs = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            fs.add(new Feed(i, groups.get(i), settings.urlOf(groups.get(i))));
        }
        this.feeds = List.copyOf(fs);
    }

    /**
     * Takes over the delivered sequence numbers of the verticle this one replaces (a new set of pairs opens its
     * connections while the old ones still stream): what both deliver in the overlap is delivered once. Before
     * deployment.
     */
    public BinanceStreamVerticle continuing(BinanceStreamVerticle previous) {
        if (previous != null) {
            this.lastSequence = previous.lastSequence;
        }
        return this;
    }

    public StreamSettings settings() {
        return settings;
    }

    /** The URL of each connection, in connection order. */
    public List<String> urls() {
        return feeds.stream().map(f -> f.url).toList();
    }

    /** Health of each connection; safe to call from any thread. */
    public List<StreamStats> stats() {
        return feeds.stream().map(Feed::snapshot).toList();
    }

    @Override
    public Future<?> start() {
        stopping = false;
        // Binance sends frames of well under 64 KiB; the limits are Vert.x's defaults made explicit.
        client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxFrameSize(65_536)
                .setMaxMessageSize(1 << 20)
                .setConnectTimeout(10_000));
        long checkEvery = Math.max(10, Math.min(1_000, settings.staleAfterMs() / 4));
        staleTimerId = vertx.setPeriodic(checkEvery, id -> checkStale());
        for (Feed f : feeds) {
            connect(f, null);
        }
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        stopping = true;
        vertx.cancelTimer(staleTimerId);
        List<Future<Void>> closing = new ArrayList<>();
        for (Feed f : feeds) {
            vertx.cancelTimer(f.reconnectTimerId);
            vertx.cancelTimer(f.rotateTimerId);
            for (ClientWebSocket ws : List.of(f.socketsForClose())) {
                closing.add(ws.close().recover(t -> Future.succeededFuture()));
            }
        }
        WebSocketClient c = client;
        return Future.join(closing).eventually(() -> c == null ? Future.succeededFuture() : c.close());
    }

    // ------------------------------------------------------------------------------------------------

    /**
     * Opens a new websocket for {@code f}. With {@code reason} null it is the first connection; otherwise the
     * current websocket (if any) stays until the new one is open (switch-over).
     */
    private void connect(Feed f, String reason) {
        if (stopping || f.pending != null) {
            return;
        }
        f.reconnectTimerId = -1;
        if (reason != null) {
            f.lastReconnectReason = reason;
        }
        ClientWebSocket ws = client.webSocket();
        f.pending = ws;
        // handlers first, then connect: handlers set after the handshake miss the first messages
        ws.textMessageHandler(msg -> onMessage(f, ws, msg));
        ws.binaryMessageHandler(buf -> onMessage(f, ws, buf.toString()));
        ws.exceptionHandler(t -> onError(f, ws, t));
        ws.closeHandler(v -> onClosed(f, ws));
        ws.connect(new WebSocketConnectOptions().setAbsoluteURI(f.url)).onComplete(ar -> {
            if (f.pending == ws) {
                f.pending = null;
            }
            if (ar.failed()) {
                f.connectFailures.incrementAndGet();
                log.warn("stream connection {} to {} failed: {}", f.index, f.url, ar.cause().toString());
                scheduleReconnect(f, "connect failed: " + ar.cause().getMessage());
                return;
            }
            if (stopping) {
                ws.close();
                return;
            }
            opened(f, ws);
        });
    }

    private void opened(Feed f, ClientWebSocket ws) {
        ClientWebSocket old = f.active;
        long now = System.currentTimeMillis();
        f.active = ws;
        f.connectedSinceMs = now;
        f.lastActivityMs = now; // the stale clock restarts with each websocket
        f.attempts = 0;
        if (f.everConnected) {
            f.reconnects.incrementAndGet();
            log.info("stream connection {} reopened ({}): {}", f.index, f.lastReconnectReason, f.url);
        } else {
            log.info("stream connection {} open: {}", f.index, f.url);
        }
        f.everConnected = true;
        if (old != null) {
            f.retired.add(old);
            old.close();
        }
        if (f.rotateTimerId >= 0) {
            vertx.cancelTimer(f.rotateTimerId);
        }
        f.rotateTimerId = vertx.setTimer(settings.rotateAfterMs(), id -> {
            f.rotateTimerId = -1;
            if (f.active == ws) {
                switchOver(f, "rotation after " + settings.rotateAfterMs() + " ms");
            }
        });
    }

    private void onMessage(Feed f, ClientWebSocket ws, String msg) {
        if (stopping || f.retired.contains(ws)) {
            return; // the old websocket of a switch-over: its replacement is already delivering
        }
        long now = System.currentTimeMillis();
        f.lastMessageMs = now;
        f.lastActivityMs = now;
        f.messages.incrementAndGet();
        switch (parser.parse(msg, now)) {
            case EVENT -> {
                MarketEvent e = parser.event();
                if (alreadyDelivered(e)) {
                    f.duplicates.incrementAndGet(); // came over both websockets of a switch-over
                    return;
                }
                f.events.incrementAndGet();
                try {
                    sink.accept(e);
                } catch (RuntimeException ex) {
                    // a consumer bug must not take the market feed down with it
                    log.error("stream connection {}: market event sink failed on {}", f.index, e, ex);
                }
            }
            case SKIPPED -> {
                f.skipped.incrementAndGet();
                if (BinanceStreamParser.SERVER_SHUTDOWN.equals(parser.skippedType()) && f.active == ws) {
                    switchOver(f, "serverShutdown");
                }
            }
            case MALFORMED -> {
                malformedByReason.computeIfAbsent(parser.errorCode(), k -> new AtomicLong()).incrementAndGet();
                long n = f.malformed.incrementAndGet();
                String reason = parser.error() + " in: " + (msg.length() > 200 ? msg.substring(0, 200) + "..." : msg);
                f.addMalformed(reason);
                if (Long.bitCount(n) == 1) { // 1st, 2nd, 4th, 8th, ...: visible without flooding the log
                    log.warn("stream connection {}: malformed message #{}: {}", f.index, n, reason);
                }
            }
        }
    }

    /**
     * True for a trade or book ticker whose exchange sequence number was already delivered for its symbol and
     * stream: during a switch-over both websockets carry the messages of the overlap, and a trade taken twice
     * would count its volume twice in the bars. Advances the number otherwise.
     */
    private boolean alreadyDelivered(MarketEvent e) {
        long id = parser.sequenceId();
        if (id < 0) {
            return false;
        }
        String key = e.symbol() + "@" + parser.eventStreamType();
        boolean[] duplicate = {false};
        lastSequence.compute(key, (k, last) -> {
            if (last != null && id <= last) {
                if (last - id < SEQUENCE_RESTART_GAP) {
                    duplicate[0] = true;
                    return last;
                }
                // far below: the exchange numbers afresh (a testnet reset); follow it, drop nothing
                log.warn("{}: sequence number {} after {}: numbering restarted", k, id, last);
            }
            return id;
        });
        return duplicate[0];
    }

    private void onError(Feed f, ClientWebSocket ws, Throwable t) {
        log.warn("stream connection {} error: {}", f.index, t.toString());
        if (f.active == ws) {
            ws.close(); // its close handler reconnects
        }
    }

    private void onClosed(Feed f, ClientWebSocket ws) {
        if (f.retired.remove(ws)) {
            return; // closed by us after a switch-over
        }
        if (f.active == ws) {
            f.active = null;
            f.connectedSinceMs = 0;
            if (f.rotateTimerId >= 0) {
                vertx.cancelTimer(f.rotateTimerId);
                f.rotateTimerId = -1;
            }
            if (!stopping) {
                log.warn("stream connection {} closed by the server (status {} {})", f.index, ws.closeStatusCode(), ws.closeReason());
                scheduleReconnect(f, "closed (status " + ws.closeStatusCode() + ")");
            }
        }
    }

    /** Opens a replacement now; the current websocket is closed once the replacement is open. */
    private void switchOver(Feed f, String reason) {
        if (f.pending != null || f.reconnectTimerId >= 0) {
            return; // a replacement is already on its way
        }
        log.info("stream connection {}: switching over ({})", f.index, reason);
        connect(f, reason);
    }

    private void scheduleReconnect(Feed f, String reason) {
        if (stopping || f.reconnectTimerId >= 0 || f.pending != null) {
            return;
        }
        long delay = backoffMs(f.attempts++);
        f.lastReconnectReason = reason;
        f.reconnectTimerId = vertx.setTimer(delay, id -> {
            f.reconnectTimerId = -1;
            connect(f, reason);
        });
    }

    /** min * 2^attempt capped at max, then a random 50..100 % of it so many clients do not reconnect in step. */
    long backoffMs(int attempt) {
        long base = settings.reconnectMinMs() << Math.min(attempt, 30);
        if (base <= 0 || base > settings.reconnectMaxMs()) {
            base = settings.reconnectMaxMs();
        }
        long half = base / 2;
        return Math.max(1, half + ThreadLocalRandom.current().nextLong(base - half + 1));
    }

    private void checkStale() {
        long now = System.currentTimeMillis();
        for (Feed f : feeds) {
            if (f.active != null && now - f.lastActivityMs > settings.staleAfterMs()) {
                f.lastActivityMs = now; // one switch-over per stale period, not one per check
                switchOver(f, "stale: no message for " + settings.staleAfterMs() + " ms");
            }
        }
    }

    /** One connection slot: its streams, current websocket and counters. */
    private static final class Feed {
        final int index;
        final List<String> streams;
        final String url;

        // event-loop confined
        ClientWebSocket active;
        ClientWebSocket pending;
        final List<ClientWebSocket> retired = new ArrayList<>();
        long reconnectTimerId = -1;
        long rotateTimerId = -1;
        int attempts;
        boolean everConnected;
        long lastActivityMs;

        // read by stats() from any thread
        volatile long connectedSinceMs;
        volatile long lastMessageMs;
        volatile String lastReconnectReason;
        final AtomicLong messages = new AtomicLong();
        final AtomicLong events = new AtomicLong();
        final AtomicLong skipped = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong malformed = new AtomicLong();
        final AtomicLong reconnects = new AtomicLong();
        final AtomicLong connectFailures = new AtomicLong();
        private final ArrayDeque<String> lastMalformed = new ArrayDeque<>();

        Feed(int index, List<String> streams, String url) {
            this.index = index;
            this.streams = streams;
            this.url = url;
        }

        synchronized void addMalformed(String reason) {
            if (lastMalformed.size() == KEPT_MALFORMED_REASONS) {
                lastMalformed.removeFirst();
            }
            lastMalformed.addLast(reason);
        }

        synchronized List<String> malformedReasons() {
            return List.copyOf(lastMalformed);
        }

        ClientWebSocket[] socketsForClose() {
            List<ClientWebSocket> all = new ArrayList<>(retired);
            if (active != null) {
                all.add(active);
            }
            if (pending != null) {
                all.add(pending);
            }
            active = null;
            pending = null;
            return all.toArray(new ClientWebSocket[0]);
        }

        StreamStats snapshot() {
            long since = connectedSinceMs;
            return new StreamStats(index, url, since != 0, since, lastMessageMs, messages.get(), events.get(),
                    skipped.get(), malformed.get(), malformedReasons(), reconnects.get(), connectFailures.get(),
                    lastReconnectReason, duplicates.get());
        }
    }
}
