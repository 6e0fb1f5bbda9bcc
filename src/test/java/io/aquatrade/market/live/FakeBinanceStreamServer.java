package io.aquatrade.market.live;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A local stand-in for Binance's market-stream host on 127.0.0.1: accepts websockets on {@code /stream},
 * records each requested URI and the pongs it gets, and hands each connection to the test's behaviour.
 */
final class FakeBinanceStreamServer implements AutoCloseable {

    /** One accepted websocket. */
    static final class Conn {
        final ServerWebSocket ws;
        final String uri;
        final List<Buffer> pongs = new CopyOnWriteArrayList<>();
        volatile boolean closed;

        Conn(ServerWebSocket ws) {
            this.ws = ws;
            this.uri = ws.uri();
        }

        /** Sends the lines in order from the websocket's own context. */
        void send(List<String> lines) {
            for (String l : lines) {
                ws.writeTextMessage(l);
            }
        }
    }

    final List<Conn> connections = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    /** {@code onConnect(connection, indexOfConnection)} runs on the server's event loop. */
    FakeBinanceStreamServer(Vertx vertx, BiConsumer<Conn, Integer> onConnect) throws Exception {
        server = vertx.createHttpServer().webSocketHandler(ws -> {
            if (!"/stream".equals(ws.path())) {
                ws.close((short) 1008, "unknown path " + ws.path());
                return;
            }
            Conn c = new Conn(ws);
            ws.pongHandler(c.pongs::add);
            ws.closeHandler(v -> c.closed = true);
            ws.textMessageHandler(m -> { }); // Binance ignores what it does not understand here
            int index;
            synchronized (connections) {
                connections.add(c);
                index = connections.size() - 1;
            }
            onConnect.accept(c, index);
        });
        server.listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS);
    }

    String baseUrl() {
        return "ws://127.0.0.1:" + server.actualPort();
    }

    @Override
    public void close() throws Exception {
        server.close().await(5, TimeUnit.SECONDS);
    }
}
