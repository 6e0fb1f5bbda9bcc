package io.aquatrade.execution;

import io.aquatrade.exchange.ExchangeAdapter;
import io.aquatrade.exchange.ExchangeInfo;
import io.aquatrade.exchange.OrderReport;
import io.aquatrade.exchange.OrderRequest;
import io.aquatrade.exchange.sim.SimulatedExchange;
import io.aquatrade.journal.Journal;
import io.aquatrade.journal.JournalReader;
import io.aquatrade.journal.OrderRecord;
import io.aquatrade.model.Candle;
import io.aquatrade.model.Decimals;
import io.aquatrade.model.Fill;
import io.aquatrade.model.OrderIntent;
import io.aquatrade.portfolio.Portfolio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The order manager against the real simulated exchange, with lost requests and lost responses. */
class OrderManagerTest {

    private static final ExchangeInfo INFO = ExchangeInfo.loadDefault();
    private static final long T0 = 19_466 * 86_400_000L;
    private static final long RECV_WINDOW = 5_000;

    @TempDir
    Path dir;

    private final SimulatedExchange venue = new SimulatedExchange("sim", INFO, new BigDecimal("0.001"), "USDT",
            new BigDecimal("10000"));
    private final FlakyExchange flaky = new FlakyExchange(venue);
    private final ExchangeSymbolRules rules = new ExchangeSymbolRules(INFO);
    private final Portfolio portfolio = new Portfolio("USDT", new BigDecimal("10000"), new BigDecimal("0.5"),
            BigDecimal.ONE, rules::baseAsset, rules::isDust);
    private final List<Fill> fills = new ArrayList<>();
    private final List<long[]> delays = new ArrayList<>();
    private final List<Object[]> timers = new ArrayList<>();
    private final ArrayDeque<Runnable> pipelineTasks = new ArrayDeque<>();
    private long wall = 1_000_000L;
    private int minute;
    private Journal journal;

    @AfterEach
    void closeJournal() {
        if (journal != null) {
            journal.close();
        }
    }

    private ExecutionService service(ExchangeAdapter adapter, OrderManager.SendPolicy policy) {
        ExecutionService s = new ExecutionService(portfolio, rules, new HardLimits(new BigDecimal("250"),
                new BigDecimal("250"), 10, new BigDecimal("3000"), new BigDecimal("300"), 100, 1000),
                (now, exit) -> true, "t-");
        s.connect(adapter);
        flaky.wallClock = () -> wall;
        flaky.recvWindowMs = RECV_WINDOW;
        journal = Journal.open(dir.resolve("journal.db"), "live", wall, null);
        s.attachJournal(journal, policy, pipelineTasks::add, (delay, task) -> {
            delays.add(new long[] {delay});
            timers.add(new Object[] {wall + delay, task});
        }, () -> wall, RECV_WINDOW);
        s.setFillSink((f, rt) -> fills.add(f));
        s.setPriceLookup(sym -> new BigDecimal("100"));
        return s;
    }

    private void bar(ExecutionService s, String symbol, String price) {
        Candle c = Candle.closedMinute(symbol, T0 + minute++ * 60_000L, Decimals.parseE8(price), Decimals.parseE8(price),
                Decimals.parseE8(price), Decimals.parseE8(price), Decimals.ONE);
        s.onClock(c.timeMs());
        flaky.onMarketEvent(c);
        portfolio.mark(symbol, new BigDecimal(price));
        s.onMarketEvent(c);
    }

    private void advanceWall(long ms) {
        wall += ms;
        List<Object[]> due = new ArrayList<>();
        for (Object[] t : timers) {
            if ((long) t[0] <= wall) {
                due.add(t);
            }
        }
        timers.removeAll(due);
        due.forEach(t -> ((Runnable) t[1]).run());
    }

    private void drainPipeline() {
        journal.flush(5_000);
        Runnable r;
        while ((r = pipelineTasks.poll()) != null) {
            r.run();
        }
    }

    private static OrderIntent buy(String symbol) {
        return OrderIntent.enter(symbol, new BigDecimal("100"), "entry-test", 1.0, 2.0, null);
    }

    @Test
    void aLostResponseIsLookedUpAfterTheRecvWindowAndItsFillCountsOnceWithoutAResend() throws Exception {
        ExecutionService s = service(flaky, OrderManager.SendPolicy.IMMEDIATE);
        bar(s, "LTCUSDT", "100");
        flaky.nextLoss = FlakyExchange.Loss.RESPONSE;
        s.handle(List.of(), List.of(), List.of(buy("LTCUSDT")));
        ManagedOrder o = s.orders().inFlight("LTCUSDT");
        assertThat(o.state()).isEqualTo(OrderState.UNKNOWN);
        bar(s, "LTCUSDT", "101"); // the venue fills it; the bot hears nothing
        assertThat(venue.tradesSince("LTCUSDT", 0).toCompletableFuture().get()).hasSize(1);
        assertThat(fills).isEmpty();
        // still in flight: another entry on the symbol is refused, never a second order
        s.handle(List.of(), List.of(), List.of(buy("LTCUSDT")));
        assertThat(s.refusals()).containsEntry("order_in_flight", 1L);
        assertThat(delays).hasSize(1);
        assertThat(delays.get(0)[0]).as("the lookup waits for the recvWindow to pass")
                .isGreaterThanOrEqualTo(RECV_WINDOW);
        advanceWall(RECV_WINDOW - 1);
        assertThat(flaky.queries).isZero();
        advanceWall(OrderManager.CLOCK_MARGIN_MS + 1);
        assertThat(flaky.queries).isEqualTo(1);
        assertThat(o.state()).isEqualTo(OrderState.FILLED);
        assertThat(fills).hasSize(1);
        assertThat(portfolio.holding("LTCUSDT").isOpen()).isTrue();
        assertThat(flaky.arrived).hasSize(1);
        assertThat(s.orders().resends()).isZero();
        assertThat(s.orders().inFlight("LTCUSDT")).isNull();
        // the journal holds the fill and the final state
        journal.flush(5_000);
        assertThat(journal.fills().get(5, TimeUnit.SECONDS)).hasSize(1);
        assertThat(journal.order(o.clientOrderId()).get(5, TimeUnit.SECONDS).orElseThrow().state()).isEqualTo("FILLED");
    }

    @Test
    void aRequestThatNeverArrivedIsSentAgainUnderTheSameIdOnlyAfterTheLookupFoundNothing() throws Exception {
        ExecutionService s = service(flaky, OrderManager.SendPolicy.IMMEDIATE);
        bar(s, "LTCUSDT", "100");
        flaky.nextLoss = FlakyExchange.Loss.REQUEST;
        s.handle(List.of(), List.of(), List.of(buy("LTCUSDT")));
        ManagedOrder o = s.orders().inFlight("LTCUSDT");
        bar(s, "LTCUSDT", "101");
        assertThat(flaky.arrived).isEmpty();
        advanceWall(RECV_WINDOW + OrderManager.CLOCK_MARGIN_MS);
        assertThat(flaky.queries).isEqualTo(1);
        assertThat(s.orders().resends()).isEqualTo(1);
        assertThat(flaky.arrived).extracting(OrderRequest::clientOrderId).containsExactly(o.clientOrderId());
        bar(s, "LTCUSDT", "102");
        assertThat(fills).hasSize(1);
        assertThat(o.state()).isEqualTo(OrderState.FILLED);
        assertThat(o.attempts()).isEqualTo(2);
        journal.flush(5_000);
        try (JournalReader r = JournalReader.open(dir.resolve("journal.db"))) {
            assertThat(r.fills(Long.MIN_VALUE)).hasSize(1);
        }
    }

    /**
     * A request that waited in the venue's queue is signed, and its recvWindow starts, only when it leaves: the lookup
     * waits for the deadline the venue reports, not for the recvWindow counted from the submit. Looking (and resending
     * under the same id) earlier would find nothing while the exchange can still accept the original: two orders.
     */
    @Test
    void aRequestThatWaitedInTheVenuesQueueIsLookedUpOnlyOnceTheExchangeCanNoLongerAcceptItAndIsNeverSentTwice() {
        ExecutionService s = service(flaky, OrderManager.SendPolicy.IMMEDIATE);
        bar(s, "LTCUSDT", "100");
        flaky.nextLoss = FlakyExchange.Loss.LATE;
        flaky.queuedMs = 20_000;
        s.handle(List.of(), List.of(), List.of(buy("LTCUSDT")));
        ManagedOrder o = s.orders().inFlight("LTCUSDT");
        assertThat(o.state()).isEqualTo(OrderState.UNKNOWN);
        assertThat(o.acceptDeadlineWallMs()).isEqualTo(wall + 20_000 + RECV_WINDOW + OrderManager.CLOCK_MARGIN_MS);
        advanceWall(RECV_WINDOW + OrderManager.CLOCK_MARGIN_MS + 1); // past the window counted from the submit
        assertThat(flaky.queries).as("no lookup while the exchange can still accept it").isZero();
        advanceWall(15_000);
        flaky.deliverHeld(); // signed and accepted inside its own window; the answer is lost
        bar(s, "LTCUSDT", "101");
        assertThat(fills).isEmpty();
        advanceWall(10_000); // past the reported deadline
        assertThat(flaky.queries).isEqualTo(1);
        assertThat(o.state()).isEqualTo(OrderState.FILLED);
        assertThat(s.orders().resends()).isZero();
        assertThat(flaky.arrived).extracting(OrderRequest::clientOrderId).containsExactly(o.clientOrderId());
        assertThat(fills).hasSize(1);
    }

    /**
     * A lost exit whose lookups fail for a while (the exchange unreachable for about a minute) is looked up again and
     * again, never given up: once the exchange answers it is resolved, so its symbol is traded again and the position
     * below its stop is sold. Each failure is counted.
     */
    @Test
    void anOrderWhoseLookupsFailedForAWhileIsStillResolvedOnceTheExchangeAnswersAgain() {
        int[] failLookups = {0};
        ExchangeAdapter unreachable = new DelegatingExchange(flaky) {
            @Override
            public CompletionStage<Optional<OrderReport>> queryOrder(String symbol, String id) {
                if (failLookups[0] > 0) {
                    failLookups[0]--;
                    return CompletableFuture.failedFuture(new java.io.IOException("connect timed out"));
                }
                return super.queryOrder(symbol, id);
            }
        };
        ExecutionService s = service(unreachable, OrderManager.SendPolicy.IMMEDIATE);
        bar(s, "LTCUSDT", "100");
        s.handle(List.of(), List.of(), List.of(buy("LTCUSDT")));
        bar(s, "LTCUSDT", "100");
        assertThat(portfolio.holding("LTCUSDT").isOpen()).isTrue();
        flaky.nextLoss = FlakyExchange.Loss.REQUEST;
        failLookups[0] = 2 * OrderManager.MAX_LOOKUPS;
        s.handle(List.of(), List.of(), List.of(OrderIntent.exitAll("LTCUSDT", "exit-test")));
        ManagedOrder lost = s.orders().inFlight("LTCUSDT");
        assertThat(lost.state()).isEqualTo(OrderState.UNKNOWN);
        for (int i = 0; i < 300; i++) {
            advanceWall(1_000);
        }
        assertThat(s.orders().lookupFailures()).isEqualTo(2L * OrderManager.MAX_LOOKUPS);
        assertThat(delays.stream().mapToLong(d -> d[0]).max().orElseThrow()).isLessThanOrEqualTo(OrderManager.LOOKUP_RETRY_MAX_MS);
        assertThat(lost.state()).as("resolved once the exchange answers again").isNotEqualTo(OrderState.UNKNOWN);
        bar(s, "LTCUSDT", "98"); // below the 1 % stop
        bar(s, "LTCUSDT", "98");
        assertThat(portfolio.holding("LTCUSDT").isOpen()).as("the position is sold").isFalse();
    }

    /**
     * A lookup that shows fills the bot has not seen reads the order's own trades (by its exchange order id), never the
     * symbol's whole history; when that read fails the order stays open and it is read again, never closed without them.
     */
    @Test
    void theFillsALookupFindsAreReadFromTheOrdersOwnTradesAgainUntilTheyAreIn() {
        int[] failReads = {2};
        List<Long> readOrders = new ArrayList<>();
        ExchangeAdapter adapter = new DelegatingExchange(flaky) {
            @Override
            public CompletionStage<List<Fill>> tradesSince(String symbol, long afterTradeId) {
                throw new AssertionError("the symbol's trade history was read from trade " + afterTradeId);
            }

            @Override
            public CompletionStage<List<Fill>> orderTrades(String symbol, String id, long exchangeOrderId) {
                readOrders.add(exchangeOrderId);
                if (failReads[0]-- > 0) {
                    return CompletableFuture.failedFuture(new java.io.IOException("connect timed out"));
                }
                return super.orderTrades(symbol, id, exchangeOrderId);
            }
        };
        ExecutionService s = service(adapter, OrderManager.SendPolicy.IMMEDIATE);
        bar(s, "LTCUSDT", "100");
        flaky.nextLoss = FlakyExchange.Loss.RESPONSE;
        s.handle(List.of(), List.of(), List.of(buy("LTCUSDT")));
        ManagedOrder o = s.orders().inFlight("LTCUSDT");
        bar(s, "LTCUSDT", "101"); // it fills; the bot hears nothing
        advanceWall(RECV_WINDOW + OrderManager.CLOCK_MARGIN_MS);
        assertThat(flaky.queries).isEqualTo(1);
        assertThat(o.state()).as("not closed without its fills").isEqualTo(OrderState.UNKNOWN);
        assertThat(fills).isEmpty();
        advanceWall(OrderManager.retryDelayMs(1));
        advanceWall(OrderManager.retryDelayMs(2));
        assertThat(o.state()).isEqualTo(OrderState.FILLED);
        assertThat(fills).hasSize(1);
        assertThat(portfolio.holding("LTCUSDT").isOpen()).isTrue();
        assertThat(readOrders).hasSize(3).containsOnly(o.exchangeOrderId());
        assertThat(s.orders().lookupFailures()).isEqualTo(2);
    }

    @Test
    void aFillReportedTwiceCountsOnce() {
        ExecutionService s = service(flaky, OrderManager.SendPolicy.IMMEDIATE);
        bar(s, "LTCUSDT", "100");
        s.handle(List.of(), List.of(), List.of(buy("LTCUSDT")));
        bar(s, "LTCUSDT", "101");
        assertThat(fills).hasSize(1);
        s.orders().onFill(fills.get(0)); // the user-data stream repeats the trade
        assertThat(fills).hasSize(1);
        assertThat(s.orders().duplicateFills()).isEqualTo(1);
    }

    @Test
    void withAVenueOutsideTheProcessTheRequestLeavesOnlyOnceItsRowIsDurable() throws Exception {
        Path file = dir.resolve("journal.db");
        List<OrderRecord> seenAtSubmit = new ArrayList<>();
        ExchangeAdapter checking = new DelegatingExchange(flaky) {
            @Override
            public void submit(OrderRequest order) {
                try (JournalReader r = JournalReader.open(file)) {
                    seenAtSubmit.addAll(r.orders(Long.MIN_VALUE).stream()
                            .filter(x -> x.clientOrderId().equals(order.clientOrderId())).toList());
                }
                super.submit(order);
            }
        };
        ExecutionService s = service(checking, OrderManager.SendPolicy.AFTER_DURABLE);
        bar(s, "LTCUSDT", "100");
        s.handle(List.of(), List.of(), List.of(buy("LTCUSDT")));
        ManagedOrder o = s.orders().inFlight("LTCUSDT");
        assertThat(o.state()).isEqualTo(OrderState.NEW);
        assertThat(flaky.arrived).isEmpty();
        drainPipeline();
        assertThat(flaky.arrived).hasSize(1);
        assertThat(seenAtSubmit).as("the row another connection reads at the moment of sending").hasSize(1);
        assertThat(seenAtSubmit.get(0).state()).isIn("NEW", "SENT"); // SENT is queued just before the submit
        bar(s, "LTCUSDT", "101");
        assertThat(o.state()).isEqualTo(OrderState.FILLED);
    }
}
