package io.aquatrade.app;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.exchange.binance.LocalBinance;
import io.aquatrade.exchange.binance.LocalBinanceServer;
import io.aquatrade.model.OrderIntent;
import io.aquatrade.portfolio.Holding;
import io.aquatrade.rules.RuleSetCompiler;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 10x order storm through the whole bot: a testnet session against the local Binance-protocol server whose
 * exchangeInfo allows 10 orders per 10 s, with intents asking for far more. What the server counts, not the
 * bot, must stay within the limit: no sliding 10 s window above 10 orders, no -1015, no 429 or 418.
 */
class OrderStormTest extends LiveSessionTest {



    @Test
    void tenTimesMoreEntriesThanTheLimitAllowsNeverPutMoreOrdersInAWindowThanTheExchangeCounts(@TempDir Path dir)
            throws Exception {
        vertx = Vertx.vertx();
        String info = LocalBinance.usdtExchangeInfo().replace(
                "{\"rateLimitType\":\"ORDERS\",\"interval\":\"SECOND\",\"intervalNum\":10,\"limit\":100}",
                "{\"rateLimitType\":\"ORDERS\",\"interval\":\"SECOND\",\"intervalNum\":10,\"limit\":10}");
        assertThat(info).contains("\"limit\":10}");
        rest = LocalBinanceServer.start(vertx).addHmacKey(LocalBinance.DOC_API_KEY, LocalBinance.DOC_SECRET)
                .exchangeInfo(info);
        rest.exchange().ordersPer10s(10); // the server enforces what its exchangeInfo says: -1015 past it
        rest.exchange().setBalance("USDT", "10000.00000000");
        rest.exchange().setBook("BTCUSDT", "93500.00", "93500.20");
        rest.exchange().setBook("ETHUSDT", "3400.00", "3400.10");
        List<String[]> day = recordedDayUpToTheLastClosedMinute();
        rest.klines("BTCUSDT", day);
        rest.klines("ETHUSDT", day);
        streams = new LocalMarketStreams(vertx, (ws, i) -> ws.writeTextMessage(
                LocalMarketStreams.bookTicker("BTCUSDT", 1, "93500.00", "93500.20")));
        Map<String, String> env = Map.of("BINANCE_API_KEY", LocalBinance.DOC_API_KEY, "BINANCE_API_SECRET",
                LocalBinance.DOC_SECRET);
        AquatradeConfig config = AquatradeConfig.load(null, List.of("mode=testnet", "exchange.rest_url=" + rest.restUrl(),
                "exchange.stream_url=" + streams.baseUrl(), "exchange.ws_api_url=" + rest.wsApiUrl(),
                "exchange.symbols=BTCUSDT,ETHUSDT", "ops.http_port=0", "history.cache_dir=" + dir.resolve("history"),
                "history.lookback_days=1", "rules.watch=false", "journal.path=" + dir.resolve("journal.db"),
                "risk.max_trades_per_minute=100000", "risk.max_trades_per_day=1000000",
                "execution.entry_validity_ms=500",
                "risk.kill_switch_file=" + dir.resolve("KILL"), "risk.kill_switch_state_file=" + dir.resolve("ks.state")));
        var keys = LiveRun.checkStart(Mode.TESTNET, config, false, env);
        live = new LiveRun(Mode.TESTNET, config, new RuleSetCompiler().compile(Path.of("rules")), keys,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        live.start();
        live.run.execution.setPriceLookup(s -> s.equals("BTCUSDT") ? new BigDecimal("93500.20") : new BigDecimal("3400.10"));

        // 12 s of intents, a BUY (or the SELL of what is held) of each pair every 50 ms: ~40 a second asked for,
        // against an exchange that takes 1 a second; the bot's entry share is 10 x 0.8 x 0.8 = 6 per 10 s
        long end = System.currentTimeMillis() + 12_000;
        int asked = 0;
        while (System.currentTimeMillis() < end) {
            CompletableFuture.runAsync(() -> {
                live.run.execution.onClock(System.currentTimeMillis());
                for (String s : List.of("BTCUSDT", "ETHUSDT")) {
                    Holding h = live.run.portfolio.holding(s);
                    OrderIntent intent = h != null && h.isOpen() ? OrderIntent.exitAll(s, "storm-exit")
                            : OrderIntent.enter(s, new BigDecimal("20"), "storm-entry", null, null, null);
                    live.run.execution.handle(List.of(), List.of(), List.of(intent));
                }
            }, live.run.pipelineExecutor()).get(10, TimeUnit.SECONDS);
            asked += 2;
            Thread.sleep(50);
        }
        Thread.sleep(1_000); // what is queued resolves (entries are dropped after 500 ms)

        List<LocalBinanceServer.Recorded> posted = rest.requests("/api/v3/order").stream()
                .filter(r -> r.method().equals("POST")).toList();
        int maxIn10s = rest.maxRequestsInAnyWindow("POST", "/api/v3/order", 10_000);
        System.out.printf("order storm: %d intents asked for, %d orders reached the server, at most %d in any 10 s"
                + " (limit 10)%n", asked, posted.size(), maxIn10s);
        assertThat(asked).isGreaterThan(10 * 10);
        assertThat(posted).as("the storm did send orders").hasSizeGreaterThanOrEqualTo(8);
        assertThat(maxIn10s).as("orders in any 10 s, counted by the server").isLessThanOrEqualTo(10);
        assertThat(rest.requests()).as("no request answered 429 or 418").noneMatch(r -> r.status() == 429 || r.status() == 418);
        assertThat(posted).as("no order refused for the order count").noneMatch(r -> r.status() == 429);
    }
}
