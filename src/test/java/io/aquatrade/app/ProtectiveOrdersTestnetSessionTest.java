package io.aquatrade.app;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.exchange.OrderReport;
import io.aquatrade.exchange.binance.LocalBinance;
import io.aquatrade.exchange.binance.LocalBinanceServer;
import io.aquatrade.execution.Protection;
import io.aquatrade.ops.TradingStatus;
import io.aquatrade.rules.RuleSetCompiler;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code run --mode testnet} with the default {@code execution.protective_orders} (exchange in testnet) against
 * Binance's protocol on 127.0.0.1: an entry's OCO rests on the exchange, the status says so, the bot stops, the
 * market falls through the stop while it is down, and the next start books the stop leg's fill once and sells
 * nothing more.
 */
class ProtectiveOrdersTestnetSessionTest extends LiveSessionTest {

    private static final String BTC = "BTCUSDT";

    private static final Map<String, String> ENV = Map.of("BINANCE_API_KEY", LocalBinance.DOC_API_KEY,
            "BINANCE_API_SECRET", LocalBinance.DOC_SECRET);

    /** Binance on 127.0.0.1 with 1000 USDT, BTCUSDT at 93500 and a day of its klines; the bot's config for it. */
    private AquatradeConfig localBinance(Path dir) throws Exception {
        vertx = Vertx.vertx();
        rest = LocalBinanceServer.start(vertx).addHmacKey(LocalBinance.DOC_API_KEY, LocalBinance.DOC_SECRET)
                .exchangeInfo(LocalBinance.usdtExchangeInfo());
        rest.exchange().setBalance("USDT", "1000.00000000");
        rest.exchange().setBook(BTC, "93500.00", "93500.20");
        long now = System.currentTimeMillis();
        long lastClosed = now - Math.floorMod(now, 60_000L) - 60_000L;
        rest.klines(BTC, LocalBinance.shifted(LocalBinance.klineDump("/market/dumps/BTCUSDT-1m-2024-12-31.zip"),
                lastClosed));
        streams = new LocalMarketStreams(vertx, (ws, i) -> ws.writeTextMessage(
                LocalMarketStreams.bookTicker(BTC, 1, "93500.00", "93500.20")));
        AquatradeConfig config = AquatradeConfig.load(null, List.of("mode=testnet", "exchange.rest_url=" + rest.restUrl(),
                "exchange.stream_url=" + streams.baseUrl(), "exchange.ws_api_url=" + rest.wsApiUrl(),
                "exchange.symbols=" + BTC, "ops.http_port=0", "history.cache_dir=" + dir.resolve("history"),
                "history.lookback_days=1", "rules.watch=false", "journal.path=" + dir.resolve("journal.db"),
                "risk.kill_switch_file=" + dir.resolve("KILL"), "risk.kill_switch_state_file=" + dir.resolve("ks.state")));
        return config;
    }

    @Test
    void anOcoRestingOnTheExchangeSellsWhileTheBotIsDownAndTheRestartBooksItOnce(@TempDir Path dir) throws Exception {
        AquatradeConfig config = localBinance(dir);
        assertThat(config.protectiveOrders("testnet")).isEqualTo("exchange");
        var keys = LiveRun.checkStart(Mode.TESTNET, config, false, ENV);
        live = new LiveRun(Mode.TESTNET, config, new RuleSetCompiler().compile(Path.of("rules")), keys,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        live.start();
        assertThat(live.run.execution.protectsOnExchange()).isTrue();

        Protection p = enterAndAwaitRestingProtection(BTC);
        assertThat(p.isOco()).isTrue();
        List<OrderReport> open = live.run.exchange.openOrders(BTC).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(open).extracting(OrderReport::type).containsExactlyInAnyOrder("LIMIT_MAKER", "STOP_LOSS_LIMIT");
        // the status page and /api/status say how the position is protected
        await().atMost(Duration.ofSeconds(10)).until(() -> live.run.status().positions().stream()
                .anyMatch(r -> r.symbol().equals(BTC) && "OCO".equals(r.protectionKind())));
        TradingStatus.PositionRow row = live.run.status().positions().stream().filter(r -> r.symbol().equals(BTC))
                .findFirst().orElseThrow();
        assertThat(row.protection()).isEqualTo("exchange OCO stop " + p.stopPrice().toPlainString() + " tp "
                + p.takeProfitPrice().toPlainString());
        long ordersPosted = rest.requests("/api/v3/order").stream().filter(r -> r.method().equals("POST")).count();
        assertThat(ordersPosted).as("the entry").isEqualTo(1);

        live.close();
        live = null;
        // while the bot is down the market falls through the stop (not through its limit): the exchange sells on its own
        BigDecimal bid = p.stopPrice().add(p.stopLimitPrice()).divide(BigDecimal.valueOf(2), 2, java.math.RoundingMode.DOWN);
        rest.exchange().setBook(BTC, bid.toPlainString(), bid.add(new BigDecimal("0.20")).toPlainString());

        live = new LiveRun(Mode.TESTNET, config, new RuleSetCompiler().compile(Path.of("rules")), keys,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        // reconciliation ran at construction, before anything can trade
        assertThat(live.run.status()).isNotNull();
        assertThat(onPipeline(() -> live.run.portfolio.holding(BTC) == null || !live.run.portfolio.holding(BTC).isOpen()))
                .as("the stop leg's fill closed the position").isTrue();
        assertThat(onPipeline(() -> live.run.execution.protection(BTC))).isNull();
        assertThat(onPipeline(() -> live.run.execution.orders().lastTradeIds().get(BTC))).isNotNull();
        assertThat(rest.requests("/api/v3/order").stream().filter(r -> r.method().equals("POST")).count())
                .as("no sell of its own after the restart").isEqualTo(ordersPosted);
        assertThat(rest.requests("/api/v3/orderList/oco")).as("no protection placed again").hasSize(1);
    }

    /**
     * The bot was halted (kill switch HALTED, persisted) and its position's OCO was cancelled by hand while it was down:
     * the restart comes back HALTED before it reconciles, so it places no protection (HALTED sends no orders) and the
     * position is watched locally, as HALTED keeps it.
     */
    @Test
    void aRestartOfAHaltedBotSendsNoOrderWhileItReconciles(@TempDir Path dir) throws Exception {
        AquatradeConfig config = localBinance(dir);
        var keys = LiveRun.checkStart(Mode.TESTNET, config, false, ENV);
        live = new LiveRun(Mode.TESTNET, config, new RuleSetCompiler().compile(Path.of("rules")), keys,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        live.start();
        Protection p = enterAndAwaitRestingProtection(BTC);
        live.run.killSwitch.kill(io.aquatrade.model.KillSwitchLevel.HALTED, "operator", "test").get(10, TimeUnit.SECONDS);
        // the OCO cancelled by hand (the same account's API key): HALTED places nothing new for it
        live.run.exchange.cancelOrderList(BTC, p.listClientOrderId()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> onPipeline(() -> live.run.execution.protection(BTC) == null));
        assertThat(rest.requests("/api/v3/orderList/oco")).hasSize(1);
        live.close();
        live = null;

        live = new LiveRun(Mode.TESTNET, config, new RuleSetCompiler().compile(Path.of("rules")), keys,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(onPipeline(() -> live.run.execution.killSwitch())).isEqualTo(io.aquatrade.model.KillSwitchLevel.HALTED);
        assertThat(onPipeline(() -> live.run.portfolio.holding(BTC).isOpen())).isTrue();
        assertThat(rest.requests("/api/v3/orderList/oco")).as("no protection placed while HALTED").hasSize(1);
        assertThat(rest.requests("/api/v3/order").stream().filter(r -> r.method().equals("POST")).count())
                .as("only the entry was ever sent").isEqualTo(1);
        assertThat(onPipeline(() -> live.run.execution.protectionLine(BTC))).startsWith("local");
    }
}
