package io.aquatrade.market.live;

import io.aquatrade.market.BinanceStreamParser;
import io.aquatrade.model.Candle;
import io.aquatrade.model.MarketEvent;
import io.aquatrade.model.QuoteTick;
import io.aquatrade.model.TradeTick;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The live verticle against a local Binance-like websocket server replaying real captured messages. */
class BinanceStreamVerticleTest {

    private static final String CAPTURE_2023 = "/market-live/btcusdt_ws-capture_2023-04-05_head200.txt";
    private static final String CAPTURE_2021 = "/market-live/multi-symbol_ws-capture_2021-10-12.txt";
    private static final Duration WAIT = Duration.ofSeconds(5);

    private static Vertx vertx;

    private FakeBinanceStreamServer server;
    private BinanceStreamVerticle verticle;
    private final List<MarketEvent> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger sinkCallsOffEventLoop = new AtomicInteger();

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (verticle != null && verticle.deploymentID() != null) {
            vertx.undeploy(verticle.deploymentID()).await(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
        assertThat(sinkCallsOffEventLoop).as("sink calls off the verticle's event loop").hasValue(0);
    }

    // ------------------------------------------------------------------------------------------------

    @Test
    void replaysTheBtcusdtCaptureInOrderAndRequestsTheConfiguredStreams() throws Exception {
        List<String> lines = capture2023();
        server = server((c, i) -> c.send(lines));
        deploy(settings(List.of("BTCUSDT"), List.of("trade", "bookTicker", "depth@100ms")));

        List<MarketEvent> expected = parseAll(lines);
        assertThat(expected).hasSizeGreaterThan(150);
        await().atMost(WAIT).until(() -> received.size() >= expected.size());

        assertThat(server.connections.get(0).uri)
                .isEqualTo("/stream?streams=btcusdt@trade/btcusdt@bookTicker/btcusdt@depth@100ms");
        assertThat(normalised(received)).containsExactlyElementsOf(normalised(expected));
        assertThat(received).hasAtLeastOneElementOfType(TradeTick.class).hasAtLeastOneElementOfType(QuoteTick.class);
        await().atMost(WAIT).until(() -> verticle.stats().get(0).messages() == lines.size());
        StreamStats s = verticle.stats().get(0);
        long depth = lines.stream().filter(l -> l.contains("@depth")).count();
        assertThat(s.events()).isEqualTo(expected.size());
        assertThat(s.skipped()).isEqualTo(depth).isPositive();
        assertThat(s.malformed()).isZero();
        assertThat(s.reconnects()).isZero();
        assertThat(s.connected()).isTrue();
        assertThat(s.lastMessageMs()).isPositive();
    }

    @Test
    void replaysTheMultiSymbolCaptureWithKlinesAggTradesAndQuotes() throws Exception {
        List<String> lines = capture2021();
        server = server((c, i) -> c.send(lines));
        deploy(settings(List.of("NKNUSDT", "BLZETH", "LRCBTC", "RUNEEUR"), StreamSettings.DEFAULT_KINDS));

        List<MarketEvent> expected = parseAll(lines);
        await().atMost(WAIT).until(() -> received.size() >= expected.size());

        assertThat(server.connections.get(0).uri).isEqualTo("/stream?streams="
                + "nknusdt@aggTrade/nknusdt@bookTicker/nknusdt@kline_1m/blzeth@aggTrade/blzeth@bookTicker/blzeth@kline_1m/"
                + "lrcbtc@aggTrade/lrcbtc@bookTicker/lrcbtc@kline_1m/runeeur@aggTrade/runeeur@bookTicker/runeeur@kline_1m");
        assertThat(normalised(received)).containsExactlyElementsOf(normalised(expected));
        assertThat(received.stream().filter(e -> e instanceof Candle).map(e -> ((Candle) e).symbol()))
                .containsExactly("NKNUSDT", "LRCBTC");
        assertThat(received.stream().filter(e -> e instanceof TradeTick).map(e -> ((TradeTick) e).symbol()))
                .containsExactlyInAnyOrder("NKNUSDT", "LRCBTC");
        assertThat(received.stream().filter(e -> e instanceof QuoteTick).count()).isEqualTo(84);
    }

    @Test
    void malformedMessagesAreCountedWithTheirReasonAndTheStreamContinues() throws Exception {
        List<String> lines = capture2023();
        server = server((c, i) -> c.send(List.of(lines.get(0), "{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\"",
                "not json at all", "{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"s\":\"BTCUSDT\"}}", lines.get(3))));
        deploy(settings(List.of("BTCUSDT"), List.of("trade", "bookTicker")));

        await().atMost(WAIT).until(() -> received.size() >= 2);
        await().atMost(WAIT).until(() -> verticle.stats().get(0).messages() == 5);
        assertThat(normalised(received)).containsExactlyElementsOf(normalised(parseAll(List.of(lines.get(0), lines.get(3)))));
        StreamStats s = verticle.stats().get(0);
        assertThat(s.malformed()).isEqualTo(3);
        assertThat(s.lastMalformed()).hasSize(3);
        assertThat(s.lastMalformed().get(1)).contains("invalid JSON").contains("not json at all");
        assertThat(s.lastMalformed().get(2)).contains("without field");
        assertThat(s.reconnects()).isZero();
        assertThat(server.connections).hasSize(1);
        assertThat(server.connections.get(0).closed).isFalse();
    }

    @Test
    void aServerCloseIsFollowedByAReconnectAndMoreEvents() throws Exception {
        List<String> lines = capture2023();
        server = server((c, i) -> {
            if (i == 0) {
                c.send(lines.subList(0, 10));
                c.ws.close((short) 1001, "going away");
            } else {
                c.send(lines.subList(10, 20));
            }
        });
        deploy(settings(List.of("BTCUSDT"), List.of("trade", "bookTicker", "depth@100ms")));

        List<MarketEvent> expected = parseAll(lines.subList(0, 20));
        await().atMost(WAIT).until(() -> received.size() >= expected.size());
        assertThat(normalised(received)).containsExactlyElementsOf(normalised(expected));
        assertThat(server.connections).hasSize(2);
        assertThat(server.connections.get(1).uri).isEqualTo(server.connections.get(0).uri);
        StreamStats s = verticle.stats().get(0);
        assertThat(s.reconnects()).isEqualTo(1);
        assertThat(s.lastReconnectReason()).contains("closed").contains("1001");
    }

    @Test
    void serverShutdownSwitchesToANewConnectionAndClosesTheOldOne() throws Exception {
        List<String> lines = capture2023();
        server = server((c, i) -> {
            if (i == 0) {
                c.send(lines.subList(0, 5));
                c.send(List.of("{\"stream\":\"!serverShutdown\",\"data\":{\"e\":\"serverShutdown\",\"E\":1680652800123}}"));
            } else {
                c.send(lines.subList(5, 10));
            }
        });
        deploy(settings(List.of("BTCUSDT"), List.of("trade", "bookTicker", "depth@100ms")));

        List<MarketEvent> expected = parseAll(lines.subList(0, 10));
        await().atMost(WAIT).until(() -> received.size() >= expected.size());
        await().atMost(WAIT).until(() -> server.connections.get(0).closed);
        assertThat(normalised(received)).containsExactlyElementsOf(normalised(expected));
        assertThat(server.connections).hasSize(2);
        assertThat(server.connections.get(1).closed).isFalse();
        StreamStats s = verticle.stats().get(0);
        assertThat(s.reconnects()).isEqualTo(1);
        assertThat(s.lastReconnectReason()).isEqualTo("serverShutdown");
        assertThat(s.connected()).isTrue();
        assertThat(s.malformed()).isZero();
    }

    @Test
    void tradesAndQuotesBothWebsocketsCarryDuringASwitchOverAreDeliveredOnce() throws Exception {
        List<String> lines = capture2023();
        server = server((c, i) -> {
            if (i == 0) {
                c.send(lines.subList(0, 8));
                c.send(List.of("{\"stream\":\"!serverShutdown\",\"data\":{\"e\":\"serverShutdown\",\"E\":1680652800123}}"));
            } else {
                // the new websocket is subscribed from its handshake on, while the old one still delivered:
                // the messages of that overlap come over both
                c.send(lines.subList(3, 12));
            }
        });
        deploy(settings(List.of("BTCUSDT"), List.of("trade", "bookTicker", "depth@100ms")));

        List<MarketEvent> expected = parseAll(lines.subList(0, 12));
        await().atMost(WAIT).until(() -> server.connections.size() == 2 && server.connections.get(0).closed);
        await().atMost(WAIT).until(() -> received.size() >= expected.size());
        Thread.sleep(100); // room for any duplicate still on its way
        assertThat(normalised(received)).containsExactlyElementsOf(normalised(expected));
        assertThat(verticle.stats().get(0).duplicates()).isEqualTo(parseAll(lines.subList(3, 8)).size());
    }

    @Test
    void aVerticleReplacingAnotherDeliversOnceWhatBothStreamWhileTheyOverlap() throws Exception {
        List<String> lines = capture2023();
        server = server((c, i) -> c.send(i == 0 ? lines.subList(0, 8) : lines.subList(3, 12)));
        deploy(settings(List.of("BTCUSDT"), List.of("trade", "bookTicker", "depth@100ms")));
        List<MarketEvent> expectedFirst = parseAll(lines.subList(0, 8));
        await().atMost(WAIT).until(() -> received.size() >= expectedFirst.size());
        // the daily universe refresh: the new pairs' verticle opens while the old one still streams
        BinanceStreamVerticle next = new BinanceStreamVerticle(settings(List.of("BTCUSDT"),
                List.of("trade", "bookTicker", "depth@100ms")), received::add).continuing(verticle);
        String id = vertx.deployVerticle(next).await(5, TimeUnit.SECONDS);
        try {
            List<MarketEvent> expected = parseAll(lines.subList(0, 12));
            await().atMost(WAIT).until(() -> received.size() >= expected.size());
            Thread.sleep(100); // room for any duplicate still on its way
            assertThat(normalised(received)).containsExactlyElementsOf(normalised(expected));
            assertThat(next.stats().get(0).duplicates()).isEqualTo(parseAll(lines.subList(3, 8)).size());
        } finally {
            vertx.undeploy(id).await(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSilentFeedIsDetectedAsStaleAndReplaced() throws Exception {
        List<String> lines = capture2023();
        server = server((c, i) -> {
            if (i >= 1) {
                c.send(lines.subList(0, 3));
            } // the first connection stays open and silent
        });
        deploy(settings(List.of("BTCUSDT"), List.of("trade", "bookTicker")).withStaleAfterMs(150));

        await().atMost(WAIT).until(() -> server.connections.size() >= 2 && server.connections.get(0).closed);
        await().atMost(WAIT).until(() -> !received.isEmpty());
        StreamStats s = verticle.stats().get(0);
        assertThat(s.reconnects()).isGreaterThanOrEqualTo(1);
        assertThat(s.lastReconnectReason()).startsWith("stale");
    }

    @Test
    void aConnectionIsRotatedBeforeItsAgeLimit() throws Exception {
        List<String> lines = capture2023();
        server = server((c, i) -> c.send(lines.subList(i % 50, i % 50 + 1)));
        deploy(settings(List.of("BTCUSDT"), List.of("trade", "bookTicker")).withRotateAfterMs(300));

        await().atMost(WAIT).until(() -> server.connections.size() >= 2 && server.connections.get(0).closed);
        StreamStats s = verticle.stats().get(0);
        assertThat(s.reconnects()).isGreaterThanOrEqualTo(1);
        assertThat(s.lastReconnectReason()).startsWith("rotation");
        assertThat(received).isNotEmpty();
    }

    @Test
    void aPingIsAnsweredWithAPongCarryingTheSamePayload() throws Exception {
        Buffer payload = Buffer.buffer("binance-ping-1680652800000");
        server = server((c, i) -> c.ws.writePing(payload));
        deploy(settings(List.of("BTCUSDT"), List.of("trade")));

        await().atMost(WAIT).until(() -> !server.connections.isEmpty() && !server.connections.get(0).pongs.isEmpty());
        assertThat(server.connections.get(0).pongs.get(0)).isEqualTo(payload);
        assertThat(server.connections.get(0).closed).isFalse();
    }

    @Test
    void streamsBeyondThePerConnectionLimitAreSplitOverSeveralConnections() throws Exception {
        List<String> lines = capture2021();
        List<String> nkn = lines.stream().filter(l -> l.startsWith("{\"stream\":\"nknusdt@")).toList();
        List<String> lrc = lines.stream().filter(l -> l.startsWith("{\"stream\":\"lrcbtc@")).toList();
        server = server((c, i) -> c.send(c.uri.contains("nknusdt") ? nkn : lrc));
        deploy(settings(List.of("NKNUSDT", "LRCBTC"), StreamSettings.DEFAULT_KINDS).withMaxStreamsPerConnection(3));

        List<MarketEvent> expected = new ArrayList<>(parseAll(nkn));
        expected.addAll(parseAll(lrc));
        await().atMost(WAIT).until(() -> received.size() >= expected.size());
        assertThat(verticle.urls()).containsExactly(
                server.baseUrl() + "/stream?streams=nknusdt@aggTrade/nknusdt@bookTicker/nknusdt@kline_1m",
                server.baseUrl() + "/stream?streams=lrcbtc@aggTrade/lrcbtc@bookTicker/lrcbtc@kline_1m");
        assertThat(server.connections).extracting(c -> c.uri).containsExactlyInAnyOrder(
                "/stream?streams=nknusdt@aggTrade/nknusdt@bookTicker/nknusdt@kline_1m",
                "/stream?streams=lrcbtc@aggTrade/lrcbtc@bookTicker/lrcbtc@kline_1m");
        // order holds per connection; the two connections interleave freely
        assertThat(normalised(received)).containsExactlyInAnyOrderElementsOf(normalised(expected));
        assertThat(normalised(received.stream().filter(e -> symbolOf(e).equals("NKNUSDT")).toList()))
                .containsExactlyElementsOf(normalised(parseAll(nkn)));
        assertThat(verticle.stats()).hasSize(2).allSatisfy(s -> assertThat(s.connected()).isTrue());
    }

    @Test
    void reconnectBackoffGrowsExponentiallyWithJitterAndIsCapped() {
        BinanceStreamVerticle v = new BinanceStreamVerticle(
                StreamSettings.of(List.of("BTCUSDT")).withReconnect(100, 5_000), e -> { });
        for (int attempt = 0; attempt < 70; attempt++) {
            long full = Math.min(5_000, 100L << Math.min(attempt, 20));
            for (int k = 0; k < 20; k++) {
                assertThat(v.backoffMs(attempt)).as("attempt %d", attempt).isBetween(full / 2, full);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------

    private FakeBinanceStreamServer server(BiConsumer<FakeBinanceStreamServer.Conn, Integer> onConnect) throws Exception {
        return new FakeBinanceStreamServer(vertx, onConnect);
    }

    private StreamSettings settings(List<String> symbols, List<String> kinds) {
        return StreamSettings.of(symbols).withBaseUrl(server.baseUrl()).withStreamKinds(kinds)
                .withReconnect(20, 100).withStaleAfterMs(10_000);
    }

    private void deploy(StreamSettings settings) throws Exception {
        verticle = new BinanceStreamVerticle(settings, e -> {
            if (!Context.isOnEventLoopThread()) {
                sinkCallsOffEventLoop.incrementAndGet();
            }
            received.add(e);
        });
        vertx.deployVerticle(verticle).await(5, TimeUnit.SECONDS);
    }

    /** What the verticle should deliver for these messages (the shared parser, one instance, as the verticle). */
    private static List<MarketEvent> parseAll(List<String> messages) {
        BinanceStreamParser p = new BinanceStreamParser();
        List<MarketEvent> out = new ArrayList<>();
        for (String m : messages) {
            if (p.parse(m, System.currentTimeMillis()) == BinanceStreamParser.Outcome.EVENT) {
                out.add(p.event());
            }
        }
        return out;
    }

    /** A quote's time is the local receive time, which differs between runs; everything else must match. */
    private static List<MarketEvent> normalised(List<MarketEvent> events) {
        return events.stream().map(e -> e instanceof QuoteTick q
                ? (MarketEvent) new QuoteTick(q.symbol(), 0, q.bidE8(), q.bidQtyE8(), q.askE8(), q.askQtyE8()) : e).toList();
    }

    private static String symbolOf(MarketEvent e) {
        if (e instanceof TradeTick t) {
            return t.symbol();
        }
        return e instanceof QuoteTick q ? q.symbol() : ((Candle) e).symbol();
    }

    /** hftbacktest capture: {@code <receive time µs> <combined-stream JSON>} per line. */
    private static List<String> capture2023() throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : resourceLines(CAPTURE_2023)) {
            int sp = line.indexOf(' ');
            assertThat(sp).as("capture line without receive-time prefix: %s", line).isPositive();
            out.add(line.substring(sp + 1));
        }
        return out;
    }

    /** cryptofeed capture: a URL line, then {@code <receive time s>: <combined-stream JSON>} per line. */
    private static List<String> capture2021() throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : resourceLines(CAPTURE_2021)) {
            if (line.matches("^[0-9.]+: \\{.*")) {
                out.add(line.substring(line.indexOf(": ") + 2));
            }
        }
        return out;
    }

    private static List<String> resourceLines(String name) throws Exception {
        try (InputStream in = BinanceStreamVerticleTest.class.getResourceAsStream(name)) {
            assertThat(in).as("test resource %s", name).isNotNull();
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList();
        }
    }
}
