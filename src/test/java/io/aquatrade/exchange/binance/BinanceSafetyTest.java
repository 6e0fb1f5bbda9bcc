package io.aquatrade.exchange.binance;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.exchange.ExchangeInfo;
import io.aquatrade.exchange.ExecutionListener;
import io.aquatrade.exchange.OrderRequest;
import io.aquatrade.exchange.binance.http.BinanceHttp;
import io.aquatrade.exchange.binance.http.BinanceRestClient;
import io.aquatrade.exchange.binance.ws.BinanceUserStream;
import io.aquatrade.execution.ExchangeSymbolRules;
import io.aquatrade.execution.ExecutionService;
import io.aquatrade.execution.HardLimits;
import io.aquatrade.execution.KillSwitchControl;
import io.aquatrade.model.Fill;
import io.aquatrade.model.KillSwitchLevel;
import io.aquatrade.model.Side;
import io.aquatrade.ops.ExchangeHealth;
import io.aquatrade.ops.OpsMetrics;
import io.aquatrade.portfolio.Portfolio;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ban handling wired the way the app wires it (418 trips the kill switch to HALTED and notifies), and a canary
 * key and secret that must never appear in logs, exception messages, the metrics scrape or status JSON, whatever
 * goes wrong on the way.
 */
class BinanceSafetyTest {

    private static final String CANARY_KEY = "CANARYKEY123ABC";
    private static final String CANARY_SECRET = "CANARYSECRET123";

    private static Vertx vertx;
    private LocalBinanceServer server;
    private ExecutorService pipeline;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void vertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @BeforeEach
    void start() throws Exception {
        server = LocalBinanceServer.start(vertx).addHmacKey(CANARY_KEY, CANARY_SECRET).exchangeInfo(LocalBinance.usdtExchangeInfo());
        server.exchange().setBalance("USDT", "1000");
        server.exchange().setBook("BTCUSDT", "30000.00", "30000.01");
        pipeline = Executors.newSingleThreadExecutor(r -> new Thread(r, "pipeline"));
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        server.close();
        pipeline.shutdownNow();
    }

    @Test
    void http418TripsTheKillSwitchToHaltedAndNotifiesOnce() throws Exception {
        ExchangeInfo info = ExchangeInfo.loadDefault();
        ExchangeSymbolRules symbols = new ExchangeSymbolRules(info);
        Portfolio portfolio = new Portfolio("USDT", new BigDecimal("1000"), new BigDecimal("0.5"), BigDecimal.ONE,
                symbols::baseAsset, symbols::isDust);
        ExecutionService execution = new ExecutionService(portfolio, symbols, HardLimits.from(AquatradeConfig.defaults()),
                (now, exit) -> true, "t-");
        KillSwitchControl killSwitch = new KillSwitchControl(execution, pipeline, null, null, 50);
        toClose.add(killSwitch);
        killSwitch.start();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        OpsMetrics ops = new OpsMetrics(registry, "test");
        List<String> notices = new CopyOnWriteArrayList<>();
        ExchangeHealth health = new ExchangeHealth(ops, System::currentTimeMillis, notices::add);
        BinanceHttp http = new BinanceHttp(vertx, BinanceHttp.Settings.defaults(server.restUrl()),
                BinanceCredentials.hmac(Secret.of(CANARY_KEY), Secret.of(CANARY_SECRET)), LocalBinance.throttle(),
                System::currentTimeMillis, new BinanceMetrics(registry));
        toClose.add(http);
        // the wiring the app does: statuses to ExchangeHealth (metrics + notice), a ban to the kill switch
        http.setEvents(new BinanceHttp.Events() {
            @Override
            public void onHttpStatus(int status, long retryAfterMs) {
                health.onHttpStatus(status, retryAfterMs);
            }

            @Override
            public void onBanned(long untilWallMs, String message) {
                killSwitch.kill(KillSwitchLevel.HALTED, message, "exchange");
            }
        });
        server.failNext("/api/v3/order", 418, -1003, "Way too much request weight used; IP banned until 1.", 300);
        BinanceRestClient rest = new BinanceRestClient(vertx, http);
        Throwable t = rest.newOrder(java.util.Map.of("symbol", "BTCUSDT", "side", "BUY", "type", "MARKET",
                        "quoteOrderQty", "100", "newClientOrderId", "aq-ban"), io.aquatrade.exchange.OrderThrottle.Kind.ENTRY_ORDER, 0)
                .toCompletionStage().toCompletableFuture().handle((v, e) -> e).get(10, TimeUnit.SECONDS);
        assertThat(t).isNotNull();
        await().atMost(Duration.ofSeconds(5)).until(() -> killSwitch.level() == KillSwitchLevel.HALTED);
        assertThat(killSwitch.state().cause()).contains("418").contains("300 s");
        assertThat(killSwitch.state().source()).isEqualTo("exchange");
        assertThat(notices).singleElement().asString().contains("418");
        assertThat(health.banned()).isTrue();
        String scrape = registry.scrape();
        assertThat(scrape).contains("aquatrade_exchange_banned 1.0").contains("aquatrade_exchange_http_errors_total{status=\"418\"} 1.0");
        assertThat(server.exchange().orders()).isEmpty();
    }

    @Test
    void twoMetricsObjectsOnOneRegistryFeedTheSameGauges() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new OpsMetrics(registry, "test"); // registers the connection's meters first, as a run does
        BinanceMetrics adapterSide = new BinanceMetrics(registry);
        adapterSide.weightUsed(1234);
        adapterSide.weightLimit(6000);
        assertThat(registry.scrape()).contains("aquatrade_exchange_rest_weight_used 1234.0")
                .contains("aquatrade_exchange_rest_weight_limit 6000.0");
    }

    @Test
    void theCanaryKeyAndSecretAppearNowhere() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger aquatrade = (Logger) LoggerFactory.getLogger("io.aquatrade");
        Level before = aquatrade.getLevel();
        aquatrade.setLevel(Level.DEBUG);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        List<String> seen = new CopyOnWriteArrayList<>();
        try {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            BinanceMetrics metrics = new BinanceMetrics(registry);
            new OpsMetrics(registry, "test");
            BinanceCredentials creds = BinanceCredentials.hmac(Secret.of(CANARY_KEY, "env BINANCE_API_KEY"),
                    Secret.of(CANARY_SECRET, "env BINANCE_API_SECRET"));
            BinanceHttp http = new BinanceHttp(vertx, BinanceHttp.Settings.defaults(server.restUrl()), creds,
                    LocalBinance.throttle(), System::currentTimeMillis, metrics);
            toClose.add(http);
            BinanceExchangeAdapter adapter = new BinanceExchangeAdapter(vertx, new BinanceRestClient(vertx, http), creds,
                    new BinanceUserStream.Settings(server.wsApiUrl(), 100, 500, 50, 200, 5_000, 1_000, 3_600_000), pipeline,
                    new BinanceExchangeAdapter.Settings("binance-testnet", 500, 300, 100, 500, 60_000), metrics);
            toClose.add(adapter);
            adapter.setListener(new ExecutionListener() {
                @Override
                public void onAcknowledged(OrderRequest order, long exchangeOrderId) {
                    seen.add("ack " + order);
                }

                @Override
                public void onFill(Fill fill) {
                    seen.add("fill " + fill);
                }

                @Override
                public void onOrderDone(OrderRequest order, String status) {
                    seen.add("done " + order.clientOrderId() + " " + status);
                }

                @Override
                public void onRejected(OrderRequest order, int code, String message) {
                    seen.add("rejected " + code + " " + message);
                }

                @Override
                public void onUnknownOutcome(OrderRequest order, String cause, long acceptDeadlineWallMs) {
                    seen.add("unknown " + cause);
                }
            });
            server.clockSkewMs(-15_000); // the first signed call gets -1021 and a resync
            adapter.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            // a fill, a lost answer, a filter failure, insufficient balance, a 429, a dropped stream
            pipeline.execute(() -> adapter.submit(buy("aq-c1", "100")));
            server.dropNextResponse("/api/v3/order");
            pipeline.execute(() -> adapter.submit(buy("aq-c2", "100")));
            pipeline.execute(() -> adapter.submit(buy("aq-c3", "5")));
            pipeline.execute(() -> adapter.submit(buy("aq-c4", "50000")));
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.stream().filter(s -> s.startsWith("done") || s.startsWith("rejected")).count() >= 4);
            server.wsApi().dropConnections();
            server.failNext("/api/v3/account", 429, -1003, "Too much request weight used.", 1);
            Throwable t429 = adapter.balances().toCompletableFuture().handle((v, e) -> e).get(10, TimeUnit.SECONDS);
            seen.add(String.valueOf(t429));
            seen.add(stackTrace(t429));
            // a wrong secret: the server refuses the signature
            BinanceHttp wrong = new BinanceHttp(vertx, BinanceHttp.Settings.defaults(server.restUrl()),
                    BinanceCredentials.hmac(Secret.of(CANARY_KEY), Secret.of(CANARY_SECRET + "X")), LocalBinance.throttle(),
                    System::currentTimeMillis, metrics);
            toClose.add(wrong);
            Throwable t1022 = new BinanceRestClient(vertx, wrong).balances().toCompletionStage().toCompletableFuture()
                    .handle((v, e) -> e).get(10, TimeUnit.SECONDS);
            seen.add(stackTrace(t1022));
            await().atMost(Duration.ofSeconds(5)).until(adapter::userStreamUp);
            // what an operator or a scraper can see
            seen.add(registry.scrape());
            seen.add(new ObjectMapper().writeValueAsString(adapter.status()));
            seen.add(adapter.toString());
            seen.add(http.toString());
            seen.add(creds.toString());
            seen.add(creds.apiKey().toString());
            assertThat(seen).anyMatch(s -> s.startsWith("rejected -1013"));
            assertThat(seen).anyMatch(s -> s.startsWith("rejected -2010"));
            assertThat(registry.scrape()).contains("aquatrade_exchange_rest_latency_seconds_count{endpoint=\"new_order\"}")
                    .contains("aquatrade_user_stream_events_total{type=\"executionReport\"}");
        } finally {
            root.detachAppender(logs);
            aquatrade.setLevel(before);
        }
        for (ILoggingEvent e : logs.list) {
            seen.add(e.getFormattedMessage());
            if (e.getThrowableProxy() != null) {
                seen.add(ThrowableProxyUtil.asString(e.getThrowableProxy()));
            }
        }
        assertThat(logs.list).isNotEmpty();
        assertThat(seen).allSatisfy(s -> assertThat(s).doesNotContain(CANARY_SECRET).doesNotContain(CANARY_KEY));
    }

    private static OrderRequest buy(String id, String quote) {
        return new OrderRequest(id, "BTCUSDT", Side.BUY, null, new BigDecimal(quote), new BigDecimal("30000"), null, false,
                "entry", System.currentTimeMillis());
    }

    private static String stackTrace(Throwable t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }
}
