package io.aquatrade.exchange.binance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The WebSocket API of {@link LocalBinanceServer} ({@code /ws-api/v3}, web-socket-api.md): {@code session.logon}
 * (Ed25519 keys only), {@code userDataStream.subscribe} (after a logon), {@code userDataStream.subscribe.signature}
 * (any key type), {@code userDataStream.unsubscribe}, {@code session.status}, {@code ping} and {@code time}; user
 * data events go to every subscription as {@code {"subscriptionId":N,"event":{…}}}. The server sends ping frames
 * and records the pongs. Faults: a silent stream (events withheld), hung connections (nothing read, so requests
 * and pings go unanswered), dropped connections, {@code eventStreamTerminated}, {@code serverShutdown}.
 */
public final class LocalWsApi {

    /** One accepted connection. */
    public static final class Conn {
        final ServerWebSocket ws;
        volatile String loggedOnKey;
        final List<Integer> subscriptions = new CopyOnWriteArrayList<>();
        final List<String> received = new CopyOnWriteArrayList<>();
        final AtomicInteger pongs = new AtomicInteger();
        volatile boolean closed;
        volatile boolean hung;

        Conn(ServerWebSocket ws) {
            this.ws = ws;
        }

        public List<String> received() {
            return List.copyOf(received);
        }

        public int pongs() {
            return pongs.get();
        }

        public boolean closed() {
            return closed;
        }

        public List<Integer> subscriptions() {
            return List.copyOf(subscriptions);
        }
    }

    private final LocalBinanceServer server;
    private final List<Conn> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextSubscription = new AtomicInteger();
    private final List<ObjectNode> withheld = new ArrayList<>();
    private volatile boolean silent;
    private volatile long pingTimer = -1;
    private volatile long refuseNextSubscribeUntilMs = -1;

    LocalWsApi(LocalBinanceServer server) {
        this.server = server;
        server.exchange.onUserEvent(this::push);
    }

    void accept(ServerWebSocket ws) {
        if (!"/ws-api/v3".equals(ws.path())) {
            ws.close((short) 1008, "unknown path " + ws.path());
            return;
        }
        Conn c = new Conn(ws);
        connections.add(c);
        ws.pongHandler(b -> c.pongs.incrementAndGet());
        ws.closeHandler(v -> c.closed = true);
        ws.textMessageHandler(m -> onMessage(c, m));
    }

    // ------------------------------------------------------------------ test controls

    public List<Conn> connections() {
        return List.copyOf(connections);
    }

    public List<Conn> openConnections() {
        return connections.stream().filter(c -> !c.closed).toList();
    }

    /** Number of open connections with at least one user-data subscription. */
    public long subscribedConnections() {
        return connections.stream().filter(c -> !c.closed && !c.subscriptions.isEmpty()).count();
    }

    /** While silent, user data events are withheld (as if the stream stalled); they are not replayed later. */
    public void silent(boolean silent) {
        this.silent = silent;
    }

    /** Ends a silence by sending what it withheld, in order, then everything new (a stream that lagged, not one that lost). */
    public void releaseWithheld() {
        List<ObjectNode> late;
        synchronized (withheld) {
            late = new ArrayList<>(withheld);
            withheld.clear();
            silent = false;
        }
        late.forEach(this::push);
    }

    /**
     * The connections open now hang: they stay open but the server stops reading them, so requests go
     * unanswered, the client's pings get no pong, and no events are sent on them. New connections work.
     */
    public void hangOpenConnections() {
        for (Conn c : openConnections()) {
            c.hung = true;
            server.vertx().runOnContext(v -> c.ws.pause());
        }
    }

    /** The next subscribe request gets 429 -1003 with {@code error.data.retryAfter} = this epoch ms (server time). */
    public void refuseNextSubscribe(long retryAfterEpochMs) {
        this.refuseNextSubscribeUntilMs = retryAfterEpochMs;
    }

    /** Sends ping frames to every connection every {@code intervalMs} (Binance: every 20 s). */
    public void pingEvery(long intervalMs) {
        server.vertx().runOnContext(v -> {
            if (pingTimer >= 0) {
                server.vertx().cancelTimer(pingTimer);
            }
            pingTimer = server.vertx().setPeriodic(intervalMs, id -> openConnections()
                    .forEach(c -> c.ws.writePing(Buffer.buffer("ping"))));
        });
    }

    /** Closes every connection without a word (a network drop). */
    public void dropConnections() {
        for (Conn c : openConnections()) {
            c.ws.close((short) 1001, "dropped by the test");
        }
    }

    /** Ends every subscription with {@code eventStreamTerminated} (the connection stays open). */
    public void terminateStreams() {
        for (Conn c : openConnections()) {
            for (Iterator<Integer> it = c.subscriptions.iterator(); it.hasNext(); ) {
                int id = it.next();
                ObjectNode e = LocalBinanceServer.JSON.createObjectNode();
                e.put("e", "eventStreamTerminated");
                e.put("E", server.serverTimeMs());
                send(c, id, e);
            }
            c.subscriptions.clear();
        }
    }

    /** Sends {@code serverShutdown} on every connection, then closes them after {@code closeAfterMs}. */
    public void serverShutdown(long closeAfterMs) {
        for (Conn c : openConnections()) {
            ObjectNode e = LocalBinanceServer.JSON.createObjectNode();
            e.put("e", "serverShutdown");
            e.put("E", server.serverTimeMs());
            for (int id : c.subscriptions) {
                send(c, id, e);
            }
            server.vertx().setTimer(Math.max(1, closeAfterMs), t -> c.ws.close((short) 1001, "server shutdown"));
        }
    }

    // ------------------------------------------------------------------ protocol

    private void push(ObjectNode event) {
        if (silent) {
            synchronized (withheld) {
                withheld.add(event);
            }
            return;
        }
        for (Conn c : openConnections()) {
            if (c.hung) {
                continue;
            }
            for (int id : c.subscriptions) {
                send(c, id, event);
            }
        }
    }

    private void send(Conn c, int subscriptionId, ObjectNode event) {
        ObjectNode m = LocalBinanceServer.JSON.createObjectNode();
        m.put("subscriptionId", subscriptionId);
        m.set("event", event);
        String text = m.toString();
        c.ws.writeTextMessage(text);
    }

    private void onMessage(Conn c, String text) {
        c.received.add(text);
        if (c.hung) {
            return;
        }
        JsonNode req;
        try {
            req = LocalBinanceServer.JSON.readTree(text);
        } catch (Exception e) {
            reply(c, null, 400, -1000, "Malformed request.", null);
            return;
        }
        JsonNode id = req.get("id");
        String method = req.path("method").asText();
        JsonNode params = req.path("params");
        long now = server.serverTimeMs();
        switch (method) {
            case "ping" -> reply(c, id, 200, 0, null, LocalBinanceServer.JSON.createObjectNode());
            case "time" -> {
                ObjectNode r = LocalBinanceServer.JSON.createObjectNode();
                r.put("serverTime", now);
                reply(c, id, 200, 0, null, r);
            }
            case "session.logon" -> {
                String problem = verify(params, now);
                if (problem != null) {
                    reply(c, id, 400, code(problem), problem.substring(problem.indexOf(' ') + 1), null);
                    return;
                }
                String key = params.get("apiKey").asText();
                if (!server.isEd25519(key)) {
                    reply(c, id, 400, -4056, "HMAC_SHA256 API key is not supported.", null);
                    return;
                }
                c.loggedOnKey = key;
                reply(c, id, 200, 0, null, status(c, now));
            }
            case "session.status" -> reply(c, id, 200, 0, null, status(c, now));
            case "session.logout" -> {
                c.loggedOnKey = null;
                reply(c, id, 200, 0, null, status(c, now));
            }
            case "userDataStream.subscribe" -> {
                if (c.loggedOnKey == null) {
                    reply(c, id, 400, -2015, "Invalid API-key, IP, or permissions for action.", null);
                    return;
                }
                subscribe(c, id);
            }
            case "userDataStream.subscribe.signature" -> {
                String problem = verify(params, now);
                if (problem != null) {
                    reply(c, id, 400, code(problem), problem.substring(problem.indexOf(' ') + 1), null);
                    return;
                }
                subscribe(c, id);
            }
            case "userDataStream.unsubscribe" -> {
                if (params.has("subscriptionId")) {
                    c.subscriptions.remove(Integer.valueOf(params.get("subscriptionId").asInt()));
                } else {
                    c.subscriptions.clear();
                }
                reply(c, id, 200, 0, null, LocalBinanceServer.JSON.createObjectNode());
            }
            default -> reply(c, id, 400, -1100, "Unknown method '" + method + "'.", null);
        }
    }

    private static int code(String problem) {
        return Integer.parseInt(problem.substring(0, problem.indexOf(' ')));
    }

    private void subscribe(Conn c, JsonNode id) {
        if (refuseNextSubscribeUntilMs >= 0) {
            long until = refuseNextSubscribeUntilMs;
            refuseNextSubscribeUntilMs = -1;
            ObjectNode m = LocalBinanceServer.JSON.createObjectNode();
            m.set("id", id);
            m.put("status", 429);
            ObjectNode e = m.putObject("error");
            e.put("code", -1003);
            e.put("msg", "Too much request weight used; current limit is 6000 request weight per 1 MINUTE.");
            e.putObject("data").put("retryAfter", until);
            c.ws.writeTextMessage(m.toString());
            return;
        }
        int sub = nextSubscription.getAndIncrement();
        ObjectNode r = LocalBinanceServer.JSON.createObjectNode();
        r.put("subscriptionId", sub);
        reply(c, id, 200, 0, null, r);
        c.subscriptions.add(sub);
    }

    private ObjectNode status(Conn c, long now) {
        ObjectNode r = LocalBinanceServer.JSON.createObjectNode();
        if (c.loggedOnKey == null) {
            r.putNull("apiKey");
        } else {
            r.put("apiKey", c.loggedOnKey);
        }
        r.put("authorizedSince", now);
        r.put("connectedSince", now);
        r.put("returnRateLimits", true);
        r.put("serverTime", now);
        r.put("userDataStream", !c.subscriptions.isEmpty());
        return r;
    }

    /** The WebSocket API's signature: over all params but {@code signature}, sorted by name, unencoded. */
    private String verify(JsonNode params, long now) {
        if (!params.hasNonNull("apiKey") || !server.knowsKey(params.get("apiKey").asText())) {
            return "-2015 Invalid API-key, IP, or permissions for action.";
        }
        if (!params.hasNonNull("signature") || !params.hasNonNull("timestamp")) {
            return "-1102 Mandatory parameter 'signature' was not sent, was empty/null, or malformed.";
        }
        Map<String, String> sorted = new TreeMap<>();
        params.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("signature")) {
                sorted.put(e.getKey(), e.getValue().asText());
            }
        });
        StringBuilder payload = new StringBuilder();
        sorted.forEach((k, v) -> payload.append(payload.length() == 0 ? "" : "&").append(k).append('=').append(v));
        if (!server.signatureMatches(params.get("apiKey").asText(), payload.toString(), params.get("signature").asText())) {
            return "-1022 Signature for this request is not valid.";
        }
        long ts = params.get("timestamp").asLong();
        long recvWindow = params.has("recvWindow") ? params.get("recvWindow").asLong() : 5000;
        if (ts >= now + 1000 || now - ts > recvWindow) {
            return "-1021 Timestamp for this request is outside of the recvWindow.";
        }
        return null;
    }

    private void reply(Conn c, JsonNode id, int status, int code, String msg, JsonNode result) {
        ObjectNode m = LocalBinanceServer.JSON.createObjectNode();
        if (id == null) {
            m.putNull("id");
        } else {
            m.set("id", id);
        }
        m.put("status", status);
        if (result != null) {
            m.set("result", result);
        } else {
            ObjectNode e = m.putObject("error");
            e.put("code", code);
            e.put("msg", msg);
        }
        ObjectNode rl = m.putArray("rateLimits").addObject();
        rl.put("rateLimitType", "REQUEST_WEIGHT");
        rl.put("interval", "MINUTE");
        rl.put("intervalNum", 1);
        rl.put("limit", 6000);
        rl.put("count", 2);
        c.ws.writeTextMessage(m.toString());
    }

    void close() {
        if (pingTimer >= 0) {
            server.vertx().cancelTimer(pingTimer);
        }
        for (Conn c : openConnections()) {
            c.ws.close();
        }
    }
}
