package io.aquatrade.exchange.binance;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.http.ServerWebSocket;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/**
 * The combined market streams of {@link LocalBinanceServer} ({@code /stream?streams=a/b/c}, web-socket-streams.md):
 * replays real captured messages of the requested streams, spaced as they were recorded divided by a speed factor,
 * wrapped as {@code {"stream":…,"data":…}} exactly as captured; answers {@code SUBSCRIBE}/{@code UNSUBSCRIBE}/
 * {@code LIST_SUBSCRIPTIONS}; faults: {@code !serverShutdown}, dropped or hung connections.
 */
public final class LocalMarketStreams {

    /** One captured message: receive time (µs) and the combined-stream JSON as recorded. */
    public record Captured(long timeMicros, String stream, String json) {
    }

    /** One accepted connection. */
    public static final class Conn {
        final ServerWebSocket ws;
        final Set<String> streams;
        final AtomicInteger sent = new AtomicInteger();
        volatile boolean closed;
        volatile boolean hung;

        Conn(ServerWebSocket ws, Set<String> streams) {
            this.ws = ws;
            this.streams = streams;
        }

        public Set<String> streams() {
            return Set.copyOf(streams);
        }

        public int sent() {
            return sent.get();
        }

        public boolean closed() {
            return closed;
        }
    }

    private final LocalBinanceServer server;
    private final List<Conn> connections = new CopyOnWriteArrayList<>();
    private volatile List<Captured> capture = List.of();
    private volatile double speed = 1.0;
    private volatile boolean loop;

    LocalMarketStreams(LocalBinanceServer server) {
        this.server = server;
    }

    /** Reads a capture in either format of src/test/resources/market-live (hftbacktest µs lines or cryptofeed s lines). */
    public static List<Captured> readCapture(String resource) {
        try (InputStream raw = LocalMarketStreams.class.getResourceAsStream(resource)) {
            if (raw == null) {
                throw new IllegalStateException("missing capture " + resource);
            }
            InputStream in = resource.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
            List<Captured> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                int brace = line.indexOf('{');
                if (brace < 0 || line.startsWith("wss://") || line.contains(" -> ")) {
                    continue; // the URL line and REST snapshots of cryptofeed files
                }
                String ts = line.substring(0, brace).replace(":", "").trim();
                long micros = ts.contains(".") ? Math.round(Double.parseDouble(ts) * 1_000_000) : Long.parseLong(ts);
                String json = line.substring(brace).trim();
                JsonNode n = LocalBinanceServer.JSON.readTree(json);
                out.add(new Captured(micros, n.path("stream").asText(), json));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The messages to replay, and the speed (2.0 = twice as fast as recorded); {@code loop} restarts at the end. */
    public void replay(List<Captured> capture, double speed, boolean loop) {
        this.capture = List.copyOf(capture);
        this.speed = speed;
        this.loop = loop;
    }

    public List<Conn> connections() {
        return List.copyOf(connections);
    }

    public List<Conn> openConnections() {
        return connections.stream().filter(c -> !c.closed).toList();
    }

    void accept(ServerWebSocket ws) {
        String query = ws.query() == null ? "" : ws.query();
        Set<String> streams = new HashSet<>();
        for (String pair : query.split("&")) {
            if (pair.startsWith("streams=")) {
                for (String s : URLDecoder.decode(pair.substring(8), StandardCharsets.UTF_8).split("/")) {
                    if (!s.isEmpty()) {
                        streams.add(s);
                    }
                }
            }
        }
        if (streams.size() > 1024) {
            ws.close((short) 1008, "too many streams");
            return;
        }
        Conn c = new Conn(ws, streams);
        connections.add(c);
        ws.closeHandler(v -> c.closed = true);
        ws.textMessageHandler(m -> control(c, m));
        schedule(c, 0, capture);
    }

    private void control(Conn c, String text) {
        try {
            JsonNode m = LocalBinanceServer.JSON.readTree(text);
            String method = m.path("method").asText();
            if (method.equals("SUBSCRIBE") || method.equals("UNSUBSCRIBE")) {
                for (JsonNode s : m.path("params")) {
                    if (method.equals("SUBSCRIBE")) {
                        c.streams.add(s.asText());
                    } else {
                        c.streams.remove(s.asText());
                    }
                }
                c.ws.writeTextMessage("{\"result\":null,\"id\":" + m.path("id") + "}");
            } else if (method.equals("LIST_SUBSCRIPTIONS")) {
                c.ws.writeTextMessage("{\"result\":" + LocalBinanceServer.JSON.valueToTree(c.streams) + ",\"id\":" + m.path("id") + "}");
            }
        } catch (Exception e) {
            c.ws.writeTextMessage("{\"error\":{\"code\":2,\"msg\":\"Invalid request\"},\"id\":null}");
        }
    }

    /** Sends capture[i..] to the connection, each after the recorded gap divided by the speed. */
    private void schedule(Conn c, int i, List<Captured> msgs) {
        if (c.closed || msgs.isEmpty()) {
            return;
        }
        if (i >= msgs.size()) {
            if (loop) {
                schedule(c, 0, msgs);
            }
            return;
        }
        long gapMicros = i == 0 ? 0 : Math.max(0, msgs.get(i).timeMicros() - msgs.get(i - 1).timeMicros());
        long delayMs = Math.round(gapMicros / 1000.0 / speed);
        Runnable send = () -> {
            if (c.closed) {
                return;
            }
            Captured m = msgs.get(i);
            if (!c.hung && c.streams.contains(m.stream())) {
                c.ws.writeTextMessage(m.json());
                c.sent.incrementAndGet();
            }
            schedule(c, i + 1, msgs);
        };
        if (delayMs < 1) {
            server.vertx().runOnContext(v -> send.run());
        } else {
            server.vertx().setTimer(delayMs, id -> send.run());
        }
    }

    /** Sends {@code !serverShutdown} on every connection (the documented warning before a disconnect). */
    public void serverShutdown() {
        for (Conn c : openConnections()) {
            c.ws.writeTextMessage("{\"stream\":\"!serverShutdown\",\"data\":{\"e\":\"serverShutdown\",\"E\":"
                    + server.serverTimeMs() + "}}");
        }
    }

    public void dropConnections() {
        for (Conn c : openConnections()) {
            c.ws.close((short) 1001, "dropped by the test");
        }
    }

    /** The connections open now stop sending and reading (a silent, half-dead connection). */
    public void hangOpenConnections() {
        for (Conn c : openConnections()) {
            c.hung = true;
            server.vertx().runOnContext(v -> c.ws.pause());
        }
    }

    void close() {
        for (Conn c : openConnections()) {
            c.ws.close();
        }
    }
}
