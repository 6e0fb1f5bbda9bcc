package io.aquatrade.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.exchange.binance.LocalBinance;
import io.aquatrade.exchange.binance.LocalBinanceServer;
import io.aquatrade.rules.RuleSetCompiler;
import io.aquatrade.state.SymbolState;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A paper session on 20 pairs against Binance's protocol on 127.0.0.1: the universe from exchangeInfo and
 * the 24 h tickers, the history bootstrap over REST, the combined streams, a dropped connection whose
 * missed minutes are backfilled over REST, the status API. Real BTCUSDT minutes (2024-12-31 dump) moved
 * onto today's clock stand in for each pair's market.
 */
class PaperSessionTest extends LiveSessionTest {

    static final List<String> PAIRS = List.of("BTCUSDT", "ETHUSDT", "BNBUSDT", "NEOUSDT", "LTCUSDT", "QTUMUSDT",
            "ADAUSDT", "XRPUSDT", "EOSUSDT", "IOTAUSDT", "XLMUSDT", "ONTUSDT", "TRXUSDT", "ETCUSDT", "ICXUSDT",
            "NULSUSDT", "VETUSDT", "LINKUSDT", "WAVESUSDT", "ZILUSDT");
    private static final long MINUTE = 60_000L;

    private final Map<String, List<String[]>> rows = new HashMap<>();
    private long lastClosed;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        rest = LocalBinanceServer.start(vertx).exchangeInfo(LocalBinance.usdtExchangeInfo());
        // stablecoin pairs with the largest volume of all: the universe must leave them out
        rest.ticker24h(tickers(concat(List.of("USDCUSDT", "TUSDUSDT"), PAIRS)));
        long now = System.currentTimeMillis();
        lastClosed = now - Math.floorMod(now, MINUTE) - MINUTE;
        List<String[]> day = LocalBinance.klineDump("/market/dumps/BTCUSDT-1m-2024-12-31.zip");
        for (String s : PAIRS) {
            rows.put(s, LocalBinance.shifted(day, lastClosed));
            // REST knows the minutes up to three before the last closed one: the stream will skip two
            rest.klines(s, rows.get(s).subList(0, rows.get(s).size() - 3));
        }
    }

    /** {@code GET /api/v3/ticker/24hr} of these symbols, quote volume falling in list order. */
    static String tickers(List<String> symbols) {
        StringBuilder tickers = new StringBuilder("[");
        long volume = 9_000_000_000L;
        for (String s : symbols) {
            tickers.append(tickers.length() > 1 ? "," : "").append("{\"symbol\":\"").append(s)
                    .append("\",\"priceChangePercent\":\"1.0\",\"lastPrice\":\"1.0\",\"volume\":\"1000.0\",\"quoteVolume\":\"")
                    .append(volume).append(".12\",\"openTime\":1,\"closeTime\":2,\"count\":100}");
            volume -= 100_000_000L;
        }
        return tickers.append("]").toString();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** The dump's rows moved so that the last one opens at {@code lastOpen}. */


    @Test
    void paperSessionOn20PairsBackfillsADroppedConnectionWithZeroMissingBars(@TempDir Path dir) throws Exception {
        streams = new LocalMarketStreams(vertx, (ws, index) -> {
            List<String> msgs = new ArrayList<>();
            long t = System.currentTimeMillis();
            for (String s : PAIRS) {
                msgs.add(LocalMarketStreams.aggTrade(s, 1 + index, "93500.10", "0.012", t));
                msgs.add(LocalMarketStreams.bookTicker(s, 10 + index, "93500.00", "93500.20"));
                if (index > 0) {
                    // after the drop: the last closed minute, two minutes after what REST had at start
                    List<String[]> r = rows.get(s);
                    msgs.add(LocalMarketStreams.kline(s, r.get(r.size() - 1), true));
                }
            }
            msgs.forEach(ws::writeTextMessage);
            if (index == 0) {
                // REST now has every minute; the connection drops before the stream delivered the last ones
                rows.forEach((s, r) -> rest.klines(s, r));
                vertx.setTimer(300, id -> ws.close());
            }
        });
        AquatradeConfig config = config(dir);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Optional<io.aquatrade.exchange.binance.BinanceCredentials> keys =
                LiveRun.checkStart(Mode.PAPER, config, false, Map.of()); // paper needs no keys
        assertThat(keys).isEmpty();
        live = new LiveRun(Mode.PAPER, config, new RuleSetCompiler().compile(Path.of("rules")), keys,
                new PrintStream(out, true, StandardCharsets.UTF_8));
        int port = live.start();
        checkSession(port, out);
    }

    private AquatradeConfig config(Path dir) {
        return AquatradeConfig.load(null, List.of("mode=paper", "exchange.rest_url=" + rest.restUrl(),
                "exchange.stream_url=" + streams.baseUrl(), "ops.http_port=0", "history.cache_dir=" + dir.resolve("history"),
                "history.lookback_days=1", "rules.watch=false",
                "risk.kill_switch_file=" + dir.resolve("KILL"), "risk.kill_switch_state_file=" + dir.resolve("ks.state")));
    }

    private void checkSession(int port, ByteArrayOutputStream out) throws Exception {

        // the universe: the 20 pairs by volume, the stablecoin pairs left out
        assertThat(live.market.watched()).containsExactlyInAnyOrderElementsOf(PAIRS);
        await().atMost(Duration.ofSeconds(30)).until(() -> streams.connections.size() >= 2 && onPipeline(() ->
                PAIRS.stream().allMatch(s -> live.run.pipeline.states().get(s).openTimeAgo(0) >= lastClosed)));
        assertThat(streams.uris.get(0)).startsWith("/stream?streams=btcusdt@aggTrade/btcusdt@bookTicker/btcusdt@kline_1m/");
        // every pair holds every minute from its history's first to the last closed one: none missing
        Map<String, Integer> gaps = onPipeline(() -> {
            Map<String, Integer> g = new HashMap<>();
            for (String s : PAIRS) {
                SymbolState st = live.run.pipeline.states().get(s);
                int missing = 0;
                for (int k = 1; k < st.minutesHeld(); k++) {
                    missing += (int) ((st.openTimeAgo(k - 1) - st.openTimeAgo(k)) / MINUTE - 1);
                }
                g.put(s, missing);
                assertThat(st.minutesHeld()).isGreaterThanOrEqualTo(1440);
            }
            return g;
        });
        assertThat(gaps).hasSize(20).allSatisfy((s, n) -> assertThat(n).as(s).isZero());
        assertThat(live.market.backfills()).isGreaterThanOrEqualTo(20);
        assertThat(live.market.backfilledMinutes()).isGreaterThanOrEqualTo(40); // two per pair at least

        // the status API names the mode; the venue shows the reconnect, the REST weight and the paper balance
        HttpClient client = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode status = get(client, port, "/api/status");
            assertThat(status.get("mode").asText()).isEqualTo("paper");
            assertThat(status.get("venue").get("live").asBoolean()).isFalse();
            assertThat(status.get("venue").get("symbols")).hasSize(20);
            assertThat(status.get("venue").get("connections").get(0).get("reconnects").asLong()).isPositive();
            assertThat(status.get("venue").get("restWeightUsed").asLong()).isPositive();
            assertThat(status.get("venue").get("restWeightLimit").asLong()).isEqualTo(6000);
            assertThat(status.get("balances").get(0).get("asset").asText()).isEqualTo("USDT");
            assertThat(status.get("balances").get(0).get("free").decimalValue()).isEqualByComparingTo("10000");
        });
        assertThat(get(client, port, "/api/positions").has("positions")).isTrue();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Status page:  http://127.0.0.1:" + port + "/");
    }

    @Test
    void aDailyRefreshAddsAWarmedUpPairAndDropsOneWithoutTouchingTheOthers(@TempDir Path dir) throws Exception {
        List<String[]> day = LocalBinance.klineDump("/market/dumps/BTCUSDT-1m-2024-12-31.zip");
        rows.put("ZRXUSDT", LocalBinance.shifted(day, lastClosed));
        rows.forEach((s, r) -> rest.klines(s, r));
        streams = new LocalMarketStreams(vertx, (ws, index) -> {
            long t = System.currentTimeMillis();
            rows.keySet().stream().filter(s -> ws.uri().contains(s.toLowerCase(java.util.Locale.ROOT) + "@aggTrade"))
                    .forEach(s -> {
                        ws.writeTextMessage(LocalMarketStreams.aggTrade(s, 1 + index, "93500.10", "0.012", t));
                        ws.writeTextMessage(LocalMarketStreams.bookTicker(s, 10 + index, "93500.00", "93500.20"));
                    });
        });
        live = new LiveRun(Mode.PAPER, config(dir), new RuleSetCompiler().compile(Path.of("rules")), Optional.empty(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        live.start();
        Map<String, SymbolState> before = onPipeline(() -> new HashMap<>(live.run.pipeline.states()));
        Map<String, Integer> heldBefore = new HashMap<>();
        before.forEach((s, st) -> heldBefore.put(s, st.minutesHeld()));
        assertThat(before).containsKeys(PAIRS.toArray(new String[0])).doesNotContainKey("ZRXUSDT");

        // a day later ZRXUSDT has the most volume and ZILUSDT has left the top 20
        List<String> next = new ArrayList<>(List.of("ZRXUSDT"));
        next.addAll(PAIRS.subList(0, 19));
        rest.ticker24h(tickers(next));
        var change = live.refreshUniverse().get(60, TimeUnit.SECONDS);
        assertThat(change.added()).containsExactly("ZRXUSDT");
        assertThat(change.dropped()).containsExactly("ZILUSDT");
        assertThat(live.market.watched()).contains("ZRXUSDT").doesNotContain("ZILUSDT").hasSize(20);
        onPipeline(() -> {
            for (String s : PAIRS.subList(0, 19)) {
                // the same state object, nothing lost
                assertThat(live.run.pipeline.states().get(s)).as(s).isSameAs(before.get(s));
                assertThat(live.run.pipeline.states().get(s).minutesHeld()).as(s).isGreaterThanOrEqualTo(heldBefore.get(s));
            }
            // the new pair warmed up (its look-back and today) before its stream opened
            assertThat(live.run.pipeline.states().get("ZRXUSDT").minutesHeld()).isGreaterThanOrEqualTo(1440);
            return null;
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> streams.uris.size() >= 2);
        String uri = streams.uris.get(streams.uris.size() - 1);
        assertThat(uri).contains("zrxusdt@aggTrade").doesNotContain("zilusdt@");
    }


    private static JsonNode get(HttpClient client, int port, String path) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return new ObjectMapper().readTree(r.body());
    }
}
