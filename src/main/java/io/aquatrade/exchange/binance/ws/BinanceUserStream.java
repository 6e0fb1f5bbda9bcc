package io.aquatrade.exchange.binance.ws;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aquatrade.exchange.AssetBalance;
import io.aquatrade.exchange.OrderStatus;
import io.aquatrade.exchange.binance.BinanceCredentials;
import io.aquatrade.exchange.binance.BinanceMetrics;
import io.aquatrade.exchange.binance.SignaturePayload;
import io.aquatrade.model.Side;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The account's user data stream over Binance's WebSocket API (the REST listenKey endpoints are gone since
 * 2026-02-20). With an Ed25519 key: {@code session.logon}, then {@code userDataStream.subscribe}; with any other
 * key: {@code userDataStream.subscribe.signature} ({@code apiKey, timestamp, recvWindow, signature} over the sorted
 * params). Events {@code {"subscriptionId":N,"event":{…}}} are typed and handed to the {@link Listener}.
 *
 * <p>Keep-alive: Vert.x answers the server's ping frames itself; this client also sends a ping frame every
 * {@code pingIntervalMs} and treats a connection from which nothing (no pong, no message) has come for
 * {@code pongTimeoutMs} as dead. Dead, dropped, {@code serverShutdown} and {@code eventStreamTerminated} all lead
 * to a reconnect with exponential backoff and a fresh subscription; {@link Listener#onSubscribed} then tells the
 * adapter to catch up over REST on whatever it may have missed while no stream was there.
 *
 * <p>All work happens on one Vert.x context (the one current at construction, or a new event-loop context);
 * listener callbacks run there. Nothing blocks. The key goes on the wire only inside signed requests; log lines
 * and errors never carry it or a signature.
 */
public final class BinanceUserStream implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BinanceUserStream.class);
    private static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    /**
     * @param url              the WebSocket API URL, e.g. {@code wss://ws-api.binance.com:443/ws-api/v3}
     *                         ({@code ws://} for loopback only)
     * @param pingIntervalMs   how often to send a ping frame
     * @param pongTimeoutMs    silence (no pong, no message) after which the connection counts as dead
     * @param reconnectInitialMs first wait before a reconnect; doubles per failed attempt
     * @param reconnectMaxMs   longest wait between attempts
     * @param recvWindowMs     recvWindow of the signed subscribe / logon requests
     * @param requestTimeoutMs how long a request (logon, subscribe) may go unanswered
     * @param rotateAfterMs    a connection is replaced after this long (Binance ends them at 24 h)
     */
    public record Settings(String url, long pingIntervalMs, long pongTimeoutMs, long reconnectInitialMs,
                           long reconnectMaxMs, long recvWindowMs, long requestTimeoutMs, long rotateAfterMs) {
        public Settings {
            Objects.requireNonNull(url, "url");
            URI u = URI.create(url);
            if (u.getHost() == null || !("wss".equals(u.getScheme()) || "ws".equals(u.getScheme()))) {
                throw new IllegalArgumentException("exchange.ws_api_url must be wss://host[:port]/ws-api/v3, got '" + url + "'");
            }
            if ("ws".equals(u.getScheme()) && !(u.getHost().equals("localhost") || u.getHost().startsWith("127.")
                    || u.getHost().equals("[::1]"))) {
                throw new IllegalArgumentException("exchange.ws_api_url: plain ws:// is accepted for loopback only, got host " + u.getHost());
            }
            if (pingIntervalMs < 1 || pongTimeoutMs <= pingIntervalMs || reconnectInitialMs < 1
                    || reconnectMaxMs < reconnectInitialMs || recvWindowMs < 1 || recvWindowMs > 60_000 || requestTimeoutMs < 1
                    || rotateAfterMs < 1 || rotateAfterMs > 24 * 3_600_000L) {
                throw new IllegalArgumentException("user stream settings out of range: ping " + pingIntervalMs + " ms, pong timeout "
                        + pongTimeoutMs + " ms, reconnect " + reconnectInitialMs + ".." + reconnectMaxMs + " ms, recvWindow "
                        + recvWindowMs + " ms, request timeout " + requestTimeoutMs + " ms, rotation " + rotateAfterMs + " ms");
            }
        }

        /** Ping every 20 s (as Binance's own server does), dead after 60 s of silence, reconnect 0.5..30 s, rotate at 23 h 50. */
        public static Settings defaults(String url) {
            return new Settings(url, 20_000, 60_000, 500, 30_000, 5_000, 10_000, 23 * 3_600_000L + 50 * 60_000L);
        }

        /** The same settings with another recvWindow ({@code execution.recv_window_ms}). */
        public Settings withRecvWindowMs(long ms) {
            return new Settings(url, pingIntervalMs, pongTimeoutMs, reconnectInitialMs, reconnectMaxMs, ms,
                    requestTimeoutMs, rotateAfterMs);
        }

        /** The same settings with another connection lifetime. */
        public Settings withRotateAfterMs(long ms) {
            return new Settings(url, pingIntervalMs, pongTimeoutMs, reconnectInitialMs, reconnectMaxMs, recvWindowMs,
                    requestTimeoutMs, ms);
        }
    }

    /** What the stream reports, on the stream's context. */
    public interface Listener {
        void onExecutionReport(ExecutionReport report);

        void onAccountPosition(AccountPosition position);

        void onBalanceUpdate(BalanceUpdate update);

        default void onListStatus(ListStatus status) {
        }

        /** A subscription is active (first time, or again after a reconnect: events may have been missed). */
        default void onSubscribed(boolean resubscribed) {
        }

        /** The stream is down (until the next {@link #onSubscribed}). */
        default void onDisconnected(String reason) {
        }
    }

    private final Vertx vertx;
    private final Context context;
    private final Settings settings;
    private final BinanceCredentials credentials;
    private final LongSupplier serverNowMs;
    private final BinanceMetrics metrics;
    private final Listener listener;
    private final WebSocketClient client; // strong reference: Vert.x closes unreachable clients
    private final URI uri;
    // below: touched only on `context`
    private ClientWebSocket ws;
    private final Map<String, Consumer<JsonNode>> pending = new HashMap<>();
    private long nextId = 1;
    private long lastHeardWallMs;
    private long connectedWallMs;
    private long retryNotBeforeWallMs;
    private long pingTimer = -1;
    private long reconnectTimer = -1;
    private long attempt;
    private boolean everSubscribed;
    private boolean closed;
    private Promise<Void> firstSubscription = Promise.promise();
    private volatile boolean subscribed;
    private volatile int reconnects;
    private volatile Integer subscriptionId;
    private volatile String lastDisconnect = "";
    private volatile java.util.function.Supplier<Future<Void>> clockResync = Future::succeededFuture;

    /**
     * @param serverNowMs the exchange's clock as the REST client estimates it ({@code BinanceHttp::serverNowMs}),
     *                    for the {@code timestamp} of signed requests
     * @param metrics     null for none
     */
    public BinanceUserStream(Vertx vertx, Settings settings, BinanceCredentials credentials, LongSupplier serverNowMs,
                             BinanceMetrics metrics, Listener listener) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.credentials = Objects.requireNonNull(credentials, "credentials: the user data stream needs an API key");
        this.serverNowMs = Objects.requireNonNull(serverNowMs, "serverNowMs");
        this.metrics = metrics;
        this.listener = Objects.requireNonNull(listener, "listener");
        Context current = Vertx.currentContext();
        this.context = current != null ? current : vertx.getOrCreateContext();
        this.uri = URI.create(settings.url());
        this.client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setSsl("wss".equals(uri.getScheme())).setVerifyHost(true)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.requestTimeoutMs()))
                .setMaxFrameSize(1 << 20).setMaxMessageSize(4 << 20));
    }

    /** Re-measures the server-time offset when a signed request is refused with -1021 (e.g. {@code BinanceHttp::syncTime}). */
    public void setClockResync(java.util.function.Supplier<Future<Void>> resync) {
        this.clockResync = Objects.requireNonNull(resync, "resync");
    }

    /** Connects and subscribes; completes once the first subscription is active (reconnects continue after a failure). */
    public Future<Void> start() {
        context.runOnContext(v -> {
            pingTimer = vertx.setPeriodic(settings.pingIntervalMs(), id -> keepAlive());
            connect("start");
        });
        return firstSubscription.future();
    }

    public boolean subscribed() {
        return subscribed;
    }

    public int reconnects() {
        return reconnects;
    }

    /** The active subscription's id, or null. */
    public Integer subscriptionId() {
        return subscriptionId;
    }

    /** Why the stream last went down (empty if it never did). */
    public String lastDisconnect() {
        return lastDisconnect;
    }

    private void connect(String reason) {
        if (closed) {
            return;
        }
        ClientWebSocket socket = client.webSocket();
        // handlers before connect(): set afterwards, the first messages can be lost
        socket.textMessageHandler(text -> onText(socket, text));
        socket.pongHandler(b -> heard(socket));
        socket.closeHandler(v -> onClosed(socket, "closed by the server (status " + socket.closeStatusCode() + ")"));
        socket.exceptionHandler(t -> onClosed(socket, "error: " + t.getClass().getSimpleName()));
        int port = uri.getPort() > 0 ? uri.getPort() : "wss".equals(uri.getScheme()) ? 443 : 80;
        socket.connect(new WebSocketConnectOptions().setAbsoluteURI(settings.url()).setPort(port)).onComplete(ar -> {
            if (closed) {
                socket.close();
                return;
            }
            if (ar.failed()) {
                log.warn("user data stream: cannot connect to {} ({}): {}", uri.getHost(), reason, ar.cause().getMessage());
                scheduleReconnect("connect failed: " + ar.cause().getClass().getSimpleName());
                return;
            }
            ws = socket;
            lastHeardWallMs = System.currentTimeMillis();
            connectedWallMs = lastHeardWallMs;
            log.info("user data stream: connected to {} ({})", uri.getHost(), reason);
            subscribe(socket);
        });
    }

    private void subscribe(ClientWebSocket socket) {
        if (credentials.canLogon()) {
            request(socket, "session.logon", signedParams(), logon -> {
                if (logon.path("status").asInt() != 200) {
                    failed(socket, "session.logon refused: " + error(logon), logon);
                    return;
                }
                request(socket, "userDataStream.subscribe", null, sub -> subscribed(socket, sub));
            });
        } else {
            request(socket, "userDataStream.subscribe.signature", signedParams(), sub -> subscribed(socket, sub));
        }
    }

    private Map<String, Object> signedParams() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("apiKey", credentials.apiKey().reveal());
        p.put("recvWindow", settings.recvWindowMs());
        p.put("timestamp", serverNowMs.getAsLong());
        p.put("signature", credentials.signer().sign(SignaturePayload.wsApiPayload(p)));
        return p;
    }

    private void subscribed(ClientWebSocket socket, JsonNode answer) {
        if (answer.path("status").asInt() != 200 || !answer.path("result").has("subscriptionId")) {
            failed(socket, "subscribe refused: " + error(answer), answer);
            return;
        }
        subscriptionId = answer.path("result").path("subscriptionId").asInt();
        subscribed = true;
        attempt = 0;
        boolean again = everSubscribed;
        everSubscribed = true;
        log.info("user data stream: subscribed (subscription {}{})", subscriptionId, again ? ", resubscribed" : "");
        listener.onSubscribed(again);
        firstSubscription.tryComplete();
    }

    private void failed(ClientWebSocket socket, String why, JsonNode answer) {
        JsonNode retryAfter = answer == null ? null : answer.path("error").path("data").get("retryAfter");
        if (retryAfter != null && retryAfter.canConvertToLong()) {
            // a 429/418 of the WebSocket API: retryAfter is the epoch ms before which nothing may be sent
            retryNotBeforeWallMs = Math.max(retryNotBeforeWallMs, retryAfter.asLong() - serverNowMs.getAsLong()
                    + System.currentTimeMillis());
        }
        log.error("user data stream: {}", why);
        if (why.contains("-1021")) {
            clockResync.get(); // the next attempt signs with a corrected timestamp
        }
        if (!everSubscribed && (why.contains("-1022") || why.contains("-2015") || why.contains("-4056"))) {
            // the key is wrong for this: say so to the starter at once (reconnects continue with backoff)
            firstSubscription.tryFail(new IllegalStateException("user data stream: " + why));
        }
        if (socket == ws) {
            down(why);
            scheduleReconnect(why);
        }
        lastDisconnect = why;
        socket.close();
    }

    private static String error(JsonNode answer) {
        JsonNode e = answer.path("error");
        return e.isMissingNode() ? "HTTP-like status " + answer.path("status").asInt() : e.path("code").asInt() + " " + e.path("msg").asText();
    }

    private void request(ClientWebSocket socket, String method, Map<String, Object> params, Consumer<JsonNode> onAnswer) {
        String id = "aq-" + nextId++;
        ObjectNode req = JSON.createObjectNode();
        req.put("id", id);
        req.put("method", method);
        if (params != null) {
            ObjectNode p = req.putObject("params");
            params.forEach((k, v) -> {
                if (v instanceof Number n) {
                    p.put(k, n.longValue());
                } else {
                    p.put(k, String.valueOf(v));
                }
            });
        }
        long timer = vertx.setTimer(settings.requestTimeoutMs(), t -> {
            if (pending.remove(id) != null && socket == ws) {
                failed(socket, method + " unanswered for " + settings.requestTimeoutMs() + " ms", null);
            }
        });
        pending.put(id, answer -> {
            vertx.cancelTimer(timer);
            onAnswer.accept(answer);
        });
        socket.writeTextMessage(req.toString());
    }

    private void heard(ClientWebSocket socket) {
        if (socket == ws) {
            lastHeardWallMs = System.currentTimeMillis();
            if (metrics != null) {
                metrics.userStreamAlive();
            }
        }
    }

    private void onText(ClientWebSocket socket, String text) {
        heard(socket);
        if (socket != ws) {
            return;
        }
        JsonNode m;
        try {
            m = JSON.readTree(text);
        } catch (Exception e) {
            log.warn("user data stream: a message that is not JSON ({} chars) ignored", text.length());
            return;
        }
        if (m.has("id") && !m.get("id").isNull() && (m.has("status") || m.has("result") || m.has("error"))) {
            Consumer<JsonNode> h = pending.remove(m.get("id").asText());
            if (h != null) {
                h.accept(m);
            }
            return;
        }
        JsonNode event = m.has("event") ? m.get("event") : m;
        String type = event.path("e").asText("");
        if (metrics != null) {
            metrics.userEvent(type);
        }
        try {
            switch (type) {
                case "executionReport" -> listener.onExecutionReport(executionReport(event));
                case "outboundAccountPosition" -> listener.onAccountPosition(accountPosition(event));
                case "balanceUpdate" -> listener.onBalanceUpdate(new BalanceUpdate(event.path("E").asLong(),
                        event.path("a").asText(), new BigDecimal(event.path("d").asText()), event.path("T").asLong()));
                case "listStatus" -> listener.onListStatus(listStatus(event));
                case "eventStreamTerminated" -> {
                    log.warn("user data stream: eventStreamTerminated, subscribing again on a new connection");
                    reconnectNow("eventStreamTerminated");
                }
                case "serverShutdown" -> {
                    log.info("user data stream: serverShutdown, reconnecting");
                    reconnectNow("serverShutdown");
                }
                default -> log.debug("user data stream: event '{}' not used", type);
            }
        } catch (RuntimeException e) {
            // one bad event must not take the stream down; REST polling recovers whatever it carried
            log.error("user data stream: cannot read a '{}' event: {}", type, e.toString());
        }
    }

    private void keepAlive() {
        if (closed || ws == null) {
            return;
        }
        if (subscribed && System.currentTimeMillis() - connectedWallMs > settings.rotateAfterMs()) {
            log.info("user data stream: connection is {} ms old, replacing it before Binance ends it", settings.rotateAfterMs());
            reconnectNow("rotation");
            return;
        }
        long silentMs = System.currentTimeMillis() - lastHeardWallMs;
        if (silentMs > settings.pongTimeoutMs()) {
            log.warn("user data stream: nothing heard for {} ms (no pong): reconnecting", silentMs);
            reconnectNow("no pong for " + silentMs + " ms");
            return;
        }
        ws.writePing(Buffer.buffer("aq"));
    }

    private void reconnectNow(String reason) {
        ClientWebSocket old = ws;
        down(reason);
        if (old != null) {
            old.close();
        }
        connect(reason);
    }

    private void onClosed(ClientWebSocket socket, String reason) {
        if (socket != ws) {
            return; // an old connection we already replaced
        }
        down(reason);
        scheduleReconnect(reason);
    }

    private void down(String reason) {
        ws = null;
        pending.clear();
        boolean was = subscribed;
        subscribed = false;
        subscriptionId = null;
        lastDisconnect = reason;
        if (was) {
            reconnects++;
            if (metrics != null) {
                metrics.userStreamReconnect();
            }
            listener.onDisconnected(reason);
        }
    }

    private void scheduleReconnect(String reason) {
        if (closed || reconnectTimer >= 0) {
            return;
        }
        long wait = settings.reconnectInitialMs();
        for (long i = 0; i < attempt && wait < settings.reconnectMaxMs(); i++) {
            wait *= 2;
        }
        wait = Math.min(wait, settings.reconnectMaxMs());
        wait = Math.max(wait, retryNotBeforeWallMs - System.currentTimeMillis());
        attempt++;
        log.info("user data stream: reconnecting in {} ms ({})", wait, reason);
        reconnectTimer = vertx.setTimer(wait, id -> {
            reconnectTimer = -1;
            connect(reason);
        });
    }

    static ExecutionReport executionReport(JsonNode e) {
        JsonNode n = e.get("N");
        return new ExecutionReport(e.path("E").asLong(), text(e, "s"), text(e, "c"), Side.valueOf(text(e, "S")), text(e, "o"),
                e.path("f").asText(""), dec(e, "q"), dec(e, "p"), dec(e, "P"), e.path("g").asLong(-1), e.path("C").asText(""),
                text(e, "x"), OrderStatus.valueOf(text(e, "X")), e.path("r").asText("NONE"), e.path("i").asLong(),
                dec(e, "l"), dec(e, "z"), dec(e, "L"), dec(e, "n"), n == null || n.isNull() ? null : n.asText(),
                e.path("T").asLong(), e.path("t").asLong(-1), e.path("m").asBoolean(false), dec(e, "Z"), dec(e, "Y"),
                e.path("O").asLong(e.path("T").asLong()));
    }

    static AccountPosition accountPosition(JsonNode e) {
        List<AssetBalance> out = new ArrayList<>();
        for (JsonNode b : e.path("B")) {
            out.add(new AssetBalance(text(b, "a"), dec(b, "f"), dec(b, "l")));
        }
        return new AccountPosition(e.path("E").asLong(), e.path("u").asLong(), out);
    }

    static ListStatus listStatus(JsonNode e) {
        List<String> ids = new ArrayList<>();
        for (JsonNode o : e.path("O")) {
            ids.add(o.path("c").asText());
        }
        return new ListStatus(e.path("E").asLong(), text(e, "s"), e.path("g").asLong(), e.path("c").asText(""),
                e.path("l").asText(""), e.path("L").asText(""), e.path("C").asText(""), e.path("T").asLong(), ids);
    }

    private static String text(JsonNode n, String f) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("field '" + f + "' missing");
        }
        return v.asText();
    }

    private static BigDecimal dec(JsonNode n, String f) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull() || v.asText().isEmpty()) {
            return BigDecimal.ZERO;
        }
        return new BigDecimal(v.asText());
    }

    /** Unsubscribes and closes; no reconnect follows. */
    @Override
    public void close() {
        context.runOnContext(v -> {
            closed = true;
            if (pingTimer >= 0) {
                vertx.cancelTimer(pingTimer);
            }
            if (reconnectTimer >= 0) {
                vertx.cancelTimer(reconnectTimer);
            }
            subscribed = false;
            if (ws != null) {
                ws.close();
                ws = null;
            }
            client.close();
        });
    }

    @Override
    public String toString() {
        return "BinanceUserStream[" + uri.getHost() + ", " + (subscribed ? "subscribed" : "down") + ", reconnects " + reconnects
                + ", " + credentials + "]";
    }
}
