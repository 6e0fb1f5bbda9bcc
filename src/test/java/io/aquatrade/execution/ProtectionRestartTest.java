package io.aquatrade.execution;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.exchange.ExchangeInfo;
import io.aquatrade.exchange.OrderReport;
import io.aquatrade.exchange.binance.BinanceCredentials;
import io.aquatrade.exchange.binance.BinanceExchangeAdapter;
import io.aquatrade.exchange.binance.BinanceMetrics;
import io.aquatrade.exchange.binance.LocalBinance;
import io.aquatrade.exchange.binance.LocalBinanceServer;
import io.aquatrade.exchange.binance.Secret;
import io.aquatrade.exchange.binance.http.BinanceHttp;
import io.aquatrade.exchange.binance.http.BinanceRestClient;
import io.aquatrade.journal.Journal;
import io.aquatrade.journal.JournalReader;
import io.aquatrade.model.OrderIntent;
import io.aquatrade.portfolio.Portfolio;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Protection that outlives the process, testnet-style: the bot (the real execution, order manager, journal, Binance
 * adapter and reconciliation, wired as a testnet run wires them) against the local Binance-protocol server, which
 * keeps its orders, balances and trades while the bot is stopped and started again on the same journal.
 */
class ProtectionRestartTest {

    private static final String BTC = "BTCUSDT";

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private final ExecutorService pipeline = Executors.newSingleThreadExecutor(r -> new Thread(r, "pipeline"));
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final List<Bot> bots = new ArrayList<>();
    private LocalBinanceServer server;
    /** The account's owner, in the exchange's app: looks at the orders, cancels by hand. */
    private BinanceHttp ownerHttp;
    private BinanceRestClient owner;

    @BeforeEach
    void start() throws Exception {
        server = LocalBinanceServer.start(vertx).addHmacKey(LocalBinance.DOC_API_KEY, LocalBinance.DOC_SECRET)
                .exchangeInfo(LocalBinance.usdtExchangeInfo());
        server.exchange().setBalance("USDT", "1000");
        server.exchange().setBook(BTC, "30000.00", "30000.01");
        ownerHttp = new BinanceHttp(vertx, BinanceHttp.Settings.defaults(server.restUrl()), credentials(),
                LocalBinance.throttle(), System::currentTimeMillis, null);
        owner = new BinanceRestClient(vertx, ownerHttp);
    }

    @AfterEach
    void stop() throws Exception {
        for (Bot b : bots) {
            b.close();
        }
        ownerHttp.close();
        server.close();
        timers.shutdownNow();
        pipeline.shutdownNow();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private <T> T onPipeline(Callable<T> c) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        pipeline.execute(() -> {
            try {
                f.complete(c.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(20, TimeUnit.SECONDS);
    }

    private static BinanceCredentials credentials() {
        return BinanceCredentials.hmac(Secret.of(LocalBinance.DOC_API_KEY), Secret.of(LocalBinance.DOC_SECRET));
    }

    /** One start of the bot on the journal in {@code dir}: adapter, execution with exchange protection, reconciliation. */
    private final class Bot implements AutoCloseable {
        final BinanceHttp http;
        final BinanceExchangeAdapter adapter;
        final Journal journal;
        final Portfolio portfolio;
        final ExecutionService execution;
        final Recovery.Report report;
        private boolean closed;

        Bot() throws Exception {
            BinanceMetrics metrics = new BinanceMetrics(new SimpleMeterRegistry());
            http = new BinanceHttp(vertx, BinanceHttp.Settings.defaults(server.restUrl()), credentials(),
                    LocalBinance.throttle(), System::currentTimeMillis, metrics);
            adapter = new BinanceExchangeAdapter(vertx, new BinanceRestClient(vertx, http), credentials(), null, pipeline,
                    new BinanceExchangeAdapter.Settings("binance-local", 1_000, 400, 100, 300, 60_000), metrics);
            ExchangeSymbolRules symbols = new ExchangeSymbolRules(ExchangeInfo.loadDefault());
            portfolio = new Portfolio("USDT", new BigDecimal("1000"), new BigDecimal("0.5"), BigDecimal.ONE,
                    symbols::baseAsset, symbols::isDust);
            execution = new ExecutionService(portfolio, symbols, HardLimits.from(AquatradeConfig.defaults()),
                    (now, exit) -> true, "unused-");
            execution.connect(adapter);
            execution.protectOnExchange();
            execution.setPriceLookup(s -> new BigDecimal("30000"));
            adapter.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            journal = Journal.open(dir.resolve("journal.db"), "testnet", System.currentTimeMillis(), null);
            OrderManager.Scheduler scheduler = (delay, task) -> timers.schedule(() -> pipeline.execute(task), delay,
                    TimeUnit.MILLISECONDS);
            execution.attachJournal(journal, OrderManager.SendPolicy.AFTER_WRITE, pipeline, scheduler,
                    System::currentTimeMillis, 300);
            Recovery recovery = new Recovery(execution, adapter, portfolio, journal, pipeline, scheduler,
                    System::currentTimeMillis, "USDT", symbols::baseAsset);
            report = onPipeline(() -> recovery.run(Set.of(BTC))).get(30, TimeUnit.SECONDS);
            assertThat(report.ok()).as(report.failure()).isTrue();
            bots.add(this);
        }

        /** An entry of 100 USDT with its stop 1 % and take-profit 2 % from the entry, filled, its OCO resting. */
        Protection enterAndProtect() throws Exception {
            onPipeline(() -> {
                execution.onClock(System.currentTimeMillis());
                execution.handle(List.of(), List.of(), List.of(OrderIntent.enter(BTC, new BigDecimal("100"),
                        "entry-test", 1.0, 2.0, null)));
                return null;
            });
            return awaitResting();
        }

        Protection awaitResting() throws Exception {
            await().atMost(Duration.ofSeconds(20)).until(() -> onPipeline(() -> {
                Protection p = execution.protection(BTC);
                return p != null && p.state() == Protection.State.RESTING;
            }));
            return onPipeline(() -> execution.protection(BTC));
        }

        boolean holds() throws Exception {
            return onPipeline(() -> portfolio.holding(BTC) != null && portfolio.holding(BTC).isOpen());
        }

        List<String> findings() {
            return report.findings().stream().map(Recovery.Finding::kind).toList();
        }

        /** The bot stops: nothing is cancelled, the journal is closed, the exchange keeps what rests there. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            adapter.close();
            http.close();
            journal.close();
        }
    }

    private static <T> T get(io.vertx.core.Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** The client order ids of the orders open on the exchange, as its owner sees them. */
    private List<String> openOnServer() throws Exception {
        return get(owner.openOrders(null)).stream().map(OrderReport::clientOrderId).sorted().toList();
    }

    private String statusOnServer(String clientOrderId) throws Exception {
        return get(owner.queryOrder(BTC, clientOrderId)).orElseThrow().status().name();
    }

    private long requests(String method, String path) {
        return server.requests(path).stream().filter(r -> r.method().equals(method)).count();
    }

    private List<JournalReader.FillRow> journalFills() {
        try (JournalReader r = JournalReader.open(dir.resolve("journal.db"))) {
            return r.fills(0);
        }
    }

    @Test
    void theStopFillsOnTheExchangeWhileTheBotIsDownAndTheRestartBooksItOnceWithoutANewSell() throws Exception {
        Bot first = new Bot();
        Protection p = first.enterAndProtect();
        assertThat(p.isOco()).isTrue();
        List<String> legs = p.legs().stream().map(ManagedOrder::clientOrderId).sorted().toList();
        assertThat(openOnServer()).isEqualTo(legs);
        BigDecimal stop = p.stopPrice();
        first.close();

        // while nobody watches, the market falls through the stop: the exchange fills the stop leg on its own
        server.exchange().setBook(BTC, "29600.00", "29600.01");
        assertThat(statusOnServer(p.stopLeg().clientOrderId())).isEqualTo("FILLED");
        assertThat(statusOnServer(p.takeProfitLeg().clientOrderId())).isEqualTo("EXPIRED");
        assertThat(stop).isGreaterThan(new BigDecimal("29600"));
        long postsBefore = requests("POST", "/api/v3/order") + requests("POST", "/api/v3/orderList/oco");

        Bot second = new Bot();
        assertThat(second.findings()).contains("fill_missed_while_down");
        assertThat(second.report.fillsRecovered()).isEqualTo(1);
        assertThat(second.holds()).as("the position is closed by the stop leg's fill").isFalse();
        assertThat(requests("POST", "/api/v3/order") + requests("POST", "/api/v3/orderList/oco"))
                .as("no new sell, no new protection").isEqualTo(postsBefore);
        assertThat(onPipeline(() -> second.execution.protection(BTC))).isNull();
        second.close();

        // the journal holds the entry and the stop leg's fill, each once, and a third start books nothing again
        List<JournalReader.FillRow> fills = journalFills();
        assertThat(fills).hasSize(2);
        assertThat(fills.get(0).fill().side()).isEqualTo(io.aquatrade.model.Side.BUY);
        assertThat(fills.get(1).fill().clientOrderId()).isEqualTo(p.stopLeg().clientOrderId());
        assertThat(fills.get(1).fill().reason()).isEqualTo("stop_loss");
        Bot third = new Bot();
        assertThat(third.report.fillsRecovered()).isZero();
        assertThat(third.holds()).isFalse();
        assertThat(journalFills()).hasSize(2);
        assertThat(get(owner.myTradesSince(BTC, 0))).hasSize(2);
    }

    @Test
    void protectionRestingAtTheRestartIsAdoptedNotCancelledNorPlacedTwiceAndStillSellsOnce() throws Exception {
        Bot first = new Bot();
        Protection p = first.enterAndProtect();
        List<String> legs = p.legs().stream().map(ManagedOrder::clientOrderId).sorted().toList();
        first.close();
        long ocosBefore = requests("POST", "/api/v3/orderList/oco");

        Bot second = new Bot();
        assertThat(second.findings()).contains("protection_adopted").doesNotContain("protection_placed_at_start");
        Protection adopted = second.awaitResting();
        assertThat(adopted.legs()).extracting(ManagedOrder::clientOrderId).containsExactlyInAnyOrderElementsOf(legs);
        assertThat(adopted.listClientOrderId()).isEqualTo(p.listClientOrderId());
        assertThat(adopted.stopPrice()).isEqualByComparingTo(p.stopPrice());
        assertThat(adopted.takeProfitPrice()).isEqualByComparingTo(p.takeProfitPrice());
        assertThat(openOnServer()).isEqualTo(legs);
        assertThat(requests("POST", "/api/v3/orderList/oco")).as("not placed twice").isEqualTo(ocosBefore);
        assertThat(requests("DELETE", "/api/v3/orderList")).as("not cancelled").isZero();
        assertThat(onPipeline(() -> second.execution.protectionLine(BTC))).startsWith("exchange OCO stop ");

        // the adopted legs are followed: the stop leg's fill reaches this run and closes the position, once
        server.exchange().setBook(BTC, "29600.00", "29600.01");
        await().atMost(Duration.ofSeconds(20)).until(() -> !second.holds());
        assertThat(requests("POST", "/api/v3/order")).as("the entry only: no MARKET sell").isEqualTo(1);
        second.journal.flush(5_000);
        assertThat(journalFills()).extracting(f -> f.fill().clientOrderId()).endsWith(p.stopLeg().clientOrderId())
                .hasSize(2);
    }

    @Test
    void aHoldingWhoseProtectionWasCancelledByHandGetsItPlacedAgainBeforeTradingResumes() throws Exception {
        Bot first = new Bot();
        Protection p = first.enterAndProtect();
        first.close();
        // the owner cancels the OCO in the exchange's app while the bot is down
        get(owner.cancelOrderList(BTC, p.listClientOrderId()));
        assertThat(openOnServer()).isEmpty();

        Bot second = new Bot();
        // reconciliation completed only once the new protection rested: trading resumes protected
        assertThat(second.findings()).contains("protection_placed_at_start").doesNotContain("protection_adopted");
        Protection placed = onPipeline(() -> second.execution.protection(BTC));
        assertThat(placed).isNotNull();
        assertThat(placed.state()).isEqualTo(Protection.State.RESTING);
        assertThat(placed.listClientOrderId()).isNotEqualTo(p.listClientOrderId());
        assertThat(placed.stopPrice()).isEqualByComparingTo(p.stopPrice());
        assertThat(placed.quantity()).isEqualByComparingTo(p.quantity());
        assertThat(openOnServer()).containsExactlyInAnyOrderElementsOf(
                placed.legs().stream().map(ManagedOrder::clientOrderId).toList());
        assertThat(second.execution.tradingBlockedReason()).isNull();
        List<OrderReport> open = second.adapter.openOrders(BTC).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(open).extracting(OrderReport::type).containsExactlyInAnyOrder("LIMIT_MAKER", "STOP_LOSS_LIMIT");
    }
}
