package io.aquatrade.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.exchange.binance.LocalBinance;
import io.aquatrade.exchange.binance.LocalBinanceServer;
import io.aquatrade.model.OrderIntent;
import io.aquatrade.rules.RuleSetCompiler;
import io.aquatrade.state.SymbolState;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The stale-feed pause of a live run, end to end in paper mode against Binance's protocol on 127.0.0.1: one
 * pair's streams go silent on a connection that keeps delivering the others. That pair, and only that pair, is
 * paused for entries (status API, status page data, {@code aquatrade_symbol_paused}) while the others keep
 * trading; when its stream comes back, the minutes it missed are backfilled over REST (no bar missing) and the
 * pause lifts.
 */
class StaleFeedPauseTest extends LiveSessionTest {

    private static final List<String> PAIRS = List.of("BTCUSDT", "ETHUSDT", "BNBUSDT");
    private static final String SILENT = "ETHUSDT";
    private static final long MINUTE = 60_000L;



    @Test
    void aSilentPairIsPausedAloneAndResumesWithItsMissedMinutesBackfilled(@TempDir Path dir) throws Exception {
        vertx = Vertx.vertx();
        rest = LocalBinanceServer.start(vertx).exchangeInfo(LocalBinance.usdtExchangeInfo());
        long now = System.currentTimeMillis();
        long lastClosed = now - Math.floorMod(now, MINUTE) - MINUTE;
        List<String[]> day = LocalBinance.shifted(LocalBinance.klineDump("/market/dumps/BTCUSDT-1m-2024-12-31.zip"),
                lastClosed);
        for (String s : PAIRS) {
            // REST lacks the silent pair's last three minutes until it goes silent: its stream will miss them
            rest.klines(s, s.equals(SILENT) ? day.subList(0, day.size() - 3) : day);
        }
        AtomicBoolean silent = new AtomicBoolean(false);
        AtomicBoolean resumed = new AtomicBoolean(false);
        AtomicLong ids = new AtomicLong();
        streams = new LocalMarketStreams(vertx, (ws, index) -> vertx.setPeriodic(100, id -> {
            if (ws.isClosed()) {
                vertx.cancelTimer(id);
                return;
            }
            long t = System.currentTimeMillis();
            for (String s : PAIRS) {
                if (s.equals(SILENT) && silent.get()) {
                    continue;
                }
                if (s.equals(SILENT) && resumed.compareAndSet(true, false)) {
                    // back after the silence: the newest closed minute, two past what the pair holds
                    ws.writeTextMessage(LocalMarketStreams.kline(s, day.get(day.size() - 1), true));
                }
                long n = ids.incrementAndGet();
                send(ws, LocalMarketStreams.aggTrade(s, n, "93500.10", "0.012", t));
                send(ws, LocalMarketStreams.bookTicker(s, n, "93500.00", "93500.20"));
            }
        }));
        AquatradeConfig config = AquatradeConfig.load(null, List.of("mode=paper", "exchange.rest_url=" + rest.restUrl(),
                "exchange.stream_url=" + streams.baseUrl(), "exchange.symbols=" + String.join(",", PAIRS),
                "ops.http_port=0", "history.cache_dir=" + dir.resolve("history"), "history.lookback_days=1",
                "rules.watch=false", "risk.stale_feed_seconds=2",
                "risk.kill_switch_file=" + dir.resolve("KILL"), "risk.kill_switch_state_file=" + dir.resolve("ks.state")));
        live = new LiveRun(Mode.PAPER, config, new RuleSetCompiler().compile(Path.of("rules")), Optional.empty(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        int port = live.start();
        HttpClient client = HttpClient.newHttpClient();

        // all three stream; nobody is paused
        await().atMost(Duration.ofSeconds(20)).until(() -> onPipeline(() -> PAIRS.stream()
                .allMatch(s -> live.run.pipeline.states().get(s).lastFeedMs() > now)));
        assertThat(pausedKinds(client, port)).isEmpty();

        // ETHUSDT goes silent (REST now has the minutes its stream will have missed); BTC and BNB keep streaming
        long backfilledBefore = onPipeline(() -> live.market.backfilledMinutes());
        rest.klines(SILENT, day);
        silent.set(true);
        long silentAt = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(pausedKinds(client, port)).containsExactly(Map.entry(SILENT, "stale feed"));
            String metrics = get(client, port, "/metrics");
            assertThat(gauge(metrics, "aquatrade_symbol_paused", SILENT)).isEqualTo(1.0);
            assertThat(gauge(metrics, "aquatrade_symbol_paused", "BTCUSDT")).isZero();
            assertThat(gauge(metrics, "aquatrade_symbol_paused", "BNBUSDT")).isZero();
        });
        long pausedAt = System.currentTimeMillis();
        assertThat(pausedAt - silentAt).as("paused after the stale limit, not before").isGreaterThanOrEqualTo(2_000);
        // still paused a few stale periods later: the pause is renewed while the feed stays silent, even though the
        // silent pair's lagging minutes may be backfilled over REST meanwhile (history is no sign of a live feed)
        Thread.sleep(5_000);
        assertThat(pausedKinds(client, port)).containsExactly(Map.entry(SILENT, "stale feed"));
        // entries: the silent pair's is refused, the others trade (filled by the paper venue at the live book)
        long fillsBefore = onPipeline(() -> live.run.portfolio.fills());
        long refusedBefore = onPipeline(() -> live.run.execution.refusals().getOrDefault("symbol_paused", 0L));
        onPipeline(() -> {
            live.run.execution.handle(List.of(), List.of(), List.of(
                    OrderIntent.enter(SILENT, new BigDecimal("50"), "test entry", null, null, null),
                    OrderIntent.enter("BTCUSDT", new BigDecimal("50"), "test entry", null, null, null)));
            return null;
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> onPipeline(() -> live.run.portfolio.fills()) > fillsBefore);
        onPipeline(() -> {
            assertThat(live.run.execution.refusals().get("symbol_paused")).isEqualTo(refusedBefore + 1);
            assertThat(live.run.portfolio.holdings().get("BTCUSDT").isOpen()).isTrue();
            assertThat(live.run.portfolio.holdings().get(SILENT)).satisfiesAnyOf(h -> assertThat(h).isNull(),
                    h -> assertThat(h.isOpen()).isFalse());
            return null;
        });

        // ETHUSDT comes back with a closed minute after a gap: backfilled, no bar missing, the pause lifts
        resumed.set(true);
        silent.set(false);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(pausedKinds(client, port)).isEmpty();
            assertThat(gauge(get(client, port, "/metrics"), "aquatrade_symbol_paused", SILENT)).isZero();
        });
        onPipeline(() -> {
            SymbolState st = live.run.pipeline.states().get(SILENT);
            assertThat(st.openTimeAgo(0)).as("newest bar of " + SILENT).isEqualTo(lastClosed);
            int missing = 0;
            for (int k = 1; k < st.minutesHeld(); k++) {
                missing += (int) ((st.openTimeAgo(k - 1) - st.openTimeAgo(k)) / MINUTE - 1);
            }
            assertThat(missing).as("minutes missing in " + SILENT).isZero();
            assertThat(st.minutesHeld()).isGreaterThanOrEqualTo(1440);
            return null;
        });
        // the missed minutes came over REST: during the silence (the lag check) or when the gap showed
        assertThat(onPipeline(() -> live.market.backfilledMinutes()) - backfilledBefore).isGreaterThanOrEqualTo(2);
        long fillsNow = onPipeline(() -> live.run.portfolio.fills());
        onPipeline(() -> {
            live.run.execution.handle(List.of(), List.of(), List.of(
                    OrderIntent.enter(SILENT, new BigDecimal("50"), "test entry", null, null, null)));
            return null;
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> onPipeline(() -> live.run.portfolio.fills()) > fillsNow);
        assertThat(onPipeline(() -> live.run.portfolio.holdings().get(SILENT).isOpen())).isTrue();
    }

    private static void send(ServerWebSocket ws, String message) {
        if (!ws.isClosed()) {
            ws.writeTextMessage(message);
        }
    }

    /** The status API's paused symbols, symbol → kind. */
    private static Map<String, String> pausedKinds(HttpClient client, int port) throws Exception {
        JsonNode status = new ObjectMapper().readTree(get(client, port, "/api/status"));
        Map<String, String> out = new HashMap<>();
        for (JsonNode p : status.get("pauses")) {
            out.put(p.get("symbol").asText(), p.get("kind").asText());
        }
        return out;
    }

    private static double gauge(String scrape, String name, String symbol) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*symbol=\"" + symbol + "\"[^}]*\\} (\\S+)$").matcher(scrape);
        assertThat(m.find()).as(name + "{symbol=" + symbol + "} in /metrics").isTrue();
        return Double.parseDouble(m.group(1));
    }


    private static String get(HttpClient client, int port, String path) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }
}
