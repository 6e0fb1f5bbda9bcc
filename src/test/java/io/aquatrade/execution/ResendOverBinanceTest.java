package io.aquatrade.execution;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.exchange.ExchangeInfo;
import io.aquatrade.exchange.binance.BinanceCredentials;
import io.aquatrade.exchange.binance.BinanceExchangeAdapter;
import io.aquatrade.exchange.binance.BinanceMetrics;
import io.aquatrade.exchange.binance.LocalBinance;
import io.aquatrade.exchange.binance.LocalBinanceServer;
import io.aquatrade.exchange.binance.Secret;
import io.aquatrade.exchange.binance.http.BinanceHttp;
import io.aquatrade.exchange.binance.http.BinanceRestClient;
import io.aquatrade.journal.Journal;
import io.aquatrade.model.OrderIntent;
import io.aquatrade.portfolio.Portfolio;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The order manager on the real Binance adapter against the local Binance-protocol server: a request
 * answered with HTTP 503 (outcome unknown, not executed) is looked up after its recvWindow and sent
 * again only because the exchange has no such order; the journal row exists before each send.
 */
class ResendOverBinanceTest {

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private final ExecutorService pipeline = Executors.newSingleThreadExecutor(r -> new Thread(r, "pipeline"));
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private LocalBinanceServer server;
    private BinanceHttp http;
    private BinanceExchangeAdapter adapter;
    private Journal journal;

    @AfterEach
    void stop() throws Exception {
        if (adapter != null) {
            adapter.close();
        }
        if (http != null) {
            http.close();
        }
        if (journal != null) {
            journal.close();
        }
        if (server != null) {
            server.close();
        }
        timers.shutdownNow();
        pipeline.shutdownNow();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private <T> T onPipeline(java.util.function.Supplier<T> s) throws Exception {
        return CompletableFuture.supplyAsync(s, pipeline).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aFiveHundredIsLookedUpAfterTheRecvWindowAndResentOnlyBecauseTheExchangeHasNoSuchOrder() throws Exception {
        server = LocalBinanceServer.start(vertx).addHmacKey(LocalBinance.DOC_API_KEY, LocalBinance.DOC_SECRET)
                .exchangeInfo(LocalBinance.usdtExchangeInfo());
        server.exchange().setBalance("USDT", "1000");
        server.exchange().setBook("BTCUSDT", "30000.00", "30000.01");
        BinanceCredentials creds = BinanceCredentials.hmac(Secret.of(LocalBinance.DOC_API_KEY),
                Secret.of(LocalBinance.DOC_SECRET));
        BinanceMetrics metrics = new BinanceMetrics(new SimpleMeterRegistry());
        http = new BinanceHttp(vertx, BinanceHttp.Settings.defaults(server.restUrl()), creds, LocalBinance.throttle(),
                System::currentTimeMillis, metrics);
        adapter = new BinanceExchangeAdapter(vertx, new BinanceRestClient(vertx, http), creds, null, pipeline,
                new BinanceExchangeAdapter.Settings("binance-local", 1_000, 400, 100, 500, 60_000), metrics);

        ExchangeInfo info = ExchangeInfo.loadDefault();
        ExchangeSymbolRules symbols = new ExchangeSymbolRules(info);
        Portfolio portfolio = new Portfolio("USDT", new BigDecimal("1000"), new BigDecimal("0.5"), BigDecimal.ONE,
                symbols::baseAsset, symbols::isDust);
        ExecutionService execution = new ExecutionService(portfolio, symbols, HardLimits.from(AquatradeConfig.defaults()),
                (now, exit) -> true, "unused-");
        execution.connect(adapter);
        adapter.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        journal = Journal.open(dir.resolve("journal.db"), "testnet", System.currentTimeMillis(), null);
        long recvWindow = 300;
        execution.attachJournal(journal, OrderManager.SendPolicy.AFTER_WRITE, pipeline,
                (delay, task) -> timers.schedule(() -> pipeline.execute(task), delay, TimeUnit.MILLISECONDS),
                System::currentTimeMillis, recvWindow);
        execution.setPriceLookup(s -> new BigDecimal("30000"));

        server.failNext("/api/v3/order", 503, -1000, "An unknown error occurred while processing the request.", null);
        String id = onPipeline(() -> {
            execution.onClock(System.currentTimeMillis());
            execution.handle(List.of(), List.of(), List.of(OrderIntent.enter("BTCUSDT", new BigDecimal("100"),
                    "entry-test", 1.0, 2.0, null)));
            return execution.orders().inFlight("BTCUSDT").clientOrderId();
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> onPipeline(() -> execution.orders().order(id).state())
                == OrderState.FILLED);

        assertThat(server.exchange().ordersWithClientId(id)).as("one order on the exchange").isEqualTo(1);
        List<LocalBinanceServer.Recorded> calls = server.requests("/api/v3/order");
        List<String> methods = calls.stream().map(LocalBinanceServer.Recorded::method).toList();
        assertThat(methods.stream().filter("POST"::equals)).as("the 503 and the one resend").hasSize(2);
        int firstPost = methods.indexOf("POST");
        int lastPost = methods.lastIndexOf("POST");
        assertThat(methods.subList(firstPost, lastPost)).as("a lookup came between them").contains("GET");
        assertThat(onPipeline(() -> execution.orders().resends())).isEqualTo(1);
        assertThat(onPipeline(() -> portfolio.holding("BTCUSDT").isOpen())).isTrue();
        journal.flush(5_000);
        assertThat(journal.fills().get(5, TimeUnit.SECONDS)).isNotEmpty()
                .allSatisfy(f -> assertThat(f.fill().clientOrderId()).isEqualTo(id));
    }
}
