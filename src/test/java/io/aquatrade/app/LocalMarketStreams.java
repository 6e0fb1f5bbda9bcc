package io.aquatrade.app;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Binance's combined market streams on 127.0.0.1 ({@code /stream?streams=a/b/c}, BINANCE-NOTES.md §1):
 * every message is {@code {"stream":"<name>","data":<payload>}} with the documented fields of
 * {@code @aggTrade}, {@code @bookTicker} and {@code @kline_1m}. What each connection is sent is the test's.
 */
final class LocalMarketStreams implements AutoCloseable {

    final List<ServerWebSocket> connections = new CopyOnWriteArrayList<>();
    final List<String> uris = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    LocalMarketStreams(Vertx vertx, BiConsumer<ServerWebSocket, Integer> onConnect) throws Exception {
        server = vertx.createHttpServer().webSocketHandler(ws -> {
            if (!"/stream".equals(ws.path())) {
                ws.close((short) 1008, "unknown path " + ws.path());
                return;
            }
            int index;
            synchronized (connections) {
                connections.add(ws);
                uris.add(ws.uri());
                index = connections.size() - 1;
            }
            ws.textMessageHandler(m -> { });
            onConnect.accept(ws, index);
        });
        server.listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS);
    }

    String baseUrl() {
        return "ws://127.0.0.1:" + server.actualPort();
    }

    static String aggTrade(String symbol, long id, String price, String qty, long timeMs) {
        String s = symbol.toLowerCase(Locale.ROOT);
        return "{\"stream\":\"" + s + "@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"E\":" + (timeMs + 3) + ",\"s\":\"" + symbol
                + "\",\"a\":" + id + ",\"p\":\"" + price + "\",\"q\":\"" + qty + "\",\"f\":" + id + ",\"l\":" + id
                + ",\"T\":" + timeMs + ",\"m\":false,\"M\":true}}";
    }

    static String bookTicker(String symbol, long updateId, String bid, String ask) {
        String s = symbol.toLowerCase(Locale.ROOT);
        return "{\"stream\":\"" + s + "@bookTicker\",\"data\":{\"u\":" + updateId + ",\"s\":\"" + symbol + "\",\"b\":\""
                + bid + "\",\"B\":\"3.5\",\"a\":\"" + ask + "\",\"A\":\"2.25\"}}";
    }

    /** A {@code @kline_1m} message from a dump row {@code [openTime,o,h,l,c,v,closeTime,q,n,V,Q,0]}. */
    static String kline(String symbol, String[] row, boolean closed) {
        String s = symbol.toLowerCase(Locale.ROOT);
        long close = Long.parseLong(row[6]);
        return "{\"stream\":\"" + s + "@kline_1m\",\"data\":{\"e\":\"kline\",\"E\":" + (close + 2) + ",\"s\":\"" + symbol
                + "\",\"k\":{\"t\":" + row[0] + ",\"T\":" + row[6] + ",\"s\":\"" + symbol + "\",\"i\":\"1m\",\"f\":1,\"L\":2,"
                + "\"o\":\"" + row[1] + "\",\"c\":\"" + row[4] + "\",\"h\":\"" + row[2] + "\",\"l\":\"" + row[3] + "\",\"v\":\""
                + row[5] + "\",\"n\":" + row[8] + ",\"x\":" + closed + ",\"q\":\"" + row[7] + "\",\"V\":\"" + row[9]
                + "\",\"Q\":\"" + row[10] + "\",\"B\":\"0\"}}}";
    }

    @Override
    public void close() throws Exception {
        server.close().await(5, TimeUnit.SECONDS);
    }
}
