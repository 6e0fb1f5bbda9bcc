package io.aquatrade.execution;

import io.aquatrade.exchange.AssetBalance;
import io.aquatrade.exchange.ExchangeAdapter;
import io.aquatrade.exchange.ExchangeInfo;
import io.aquatrade.exchange.ExecutionListener;
import io.aquatrade.exchange.OrderRequest;
import io.aquatrade.exchange.sim.SimulatedExchange;
import io.aquatrade.journal.Journal;
import io.aquatrade.journal.JournalDatabase;
import io.aquatrade.journal.JournalReader;
import io.aquatrade.model.Candle;
import io.aquatrade.model.Decimals;
import io.aquatrade.model.Fill;
import io.aquatrade.model.OrderIntent;
import io.aquatrade.model.Side;
import io.aquatrade.portfolio.Portfolio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bot stopped and started again against the same (simulated) exchange, which went on without it:
 * each kind of disagreement between the journal and the exchange, resolved by the exchange's truth. The same
 * scenarios run on a PostgreSQL journal in {@link PostgresRecoveryTest}.
 */
class RecoveryTest {

    private static final ExchangeInfo INFO = ExchangeInfo.loadDefault();
    private static final long T0 = 19_466 * 86_400_000L;
    private static final ExecutionListener DEAF = new ExecutionListener() {
        @Override public void onAcknowledged(OrderRequest o, long id) { }
        @Override public void onFill(Fill f) { }
        @Override public void onOrderDone(OrderRequest o, String s) { }
        @Override public void onRejected(OrderRequest o, int c, String m) { }
        @Override public void onUnknownOutcome(OrderRequest o, String c, long acceptDeadlineWallMs) { }
    };

    @TempDir
    Path dir;

    /** The journal every run of the bot in this test shares (SQLite here; {@link PostgresRecoveryTest}: PostgreSQL). */
    JournalDatabase journalDb() {
        return JournalDatabase.sqlite(dir.resolve("journal.db"));
    }

    /** The exchange outlives every run of the bot. */
    private final SimulatedExchange venue = new SimulatedExchange("sim", INFO, new BigDecimal("0.001"), "USDT",
            new BigDecimal("10000"));
    private final ExchangeSymbolRules rules = new ExchangeSymbolRules(INFO);
    private int minute;
    private long wall = 1_700_000_000_000L;

    /** One run of the bot: its own portfolio and execution, the shared journal file and exchange. */
    final class Bot {
        final Portfolio portfolio = new Portfolio("USDT", new BigDecimal("10000"), new BigDecimal("0.5"), BigDecimal.ONE,
                rules::baseAsset, rules::isDust);
        final ExecutionService execution = new ExecutionService(portfolio, rules, new HardLimits(new BigDecimal("250"),
                new BigDecimal("250"), 10, new BigDecimal("3000"), new BigDecimal("300"), 100, 1000),
                (now, exit) -> true, "unused-");
        final Journal journal;
        final ExchangeAdapter adapter;

        Bot(ExchangeAdapter adapter) {
            this(adapter, (d, t) -> t.run());
        }

        Bot(ExchangeAdapter adapter, OrderManager.Scheduler scheduler) {
            this.adapter = adapter;
            execution.connect(adapter);
            journal = Journal.open(journalDb(), "live", wall, null);
            execution.attachJournal(journal, OrderManager.SendPolicy.IMMEDIATE, Runnable::run, scheduler,
                    () -> wall, 5_000);
            execution.setPriceLookup(s -> new BigDecimal("100"));
        }

        Recovery.Report recover() throws Exception {
            return new Recovery(execution, adapter, portfolio, journal, Runnable::run, (d, t) -> t.run(), () -> wall,
                    "USDT", rules::baseAsset).run(Set.of("LTCUSDT")).get(10, TimeUnit.SECONDS);
        }

        void buy(String symbol) {
            execution.handle(List.of(), List.of(), List.of(OrderIntent.enter(symbol, new BigDecimal("100"), "entry-test",
                    1.0, 2.0, null)));
        }

        /** The process dies: what the journal has committed stays, the exchange stops talking to it. */
        void crash() {
            journal.flush(5_000);
            journal.close();
            venue.setListener(DEAF);
        }
    }

    private void bar(Bot bot, String symbol, String price) {
        Candle c = Candle.closedMinute(symbol, T0 + minute++ * 60_000L, Decimals.parseE8(price), Decimals.parseE8(price),
                Decimals.parseE8(price), Decimals.parseE8(price), Decimals.ONE);
        if (bot != null) {
            bot.execution.onClock(c.timeMs());
        }
        venue.onMarketEvent(c);
        if (bot != null) {
            bot.portfolio.mark(symbol, new BigDecimal(price));
            bot.execution.onMarketEvent(c);
        }
    }

    private static List<String> kinds(Recovery.Report r) {
        return r.findings().stream().map(Recovery.Finding::kind).toList();
    }

    @Test
    void positionsAndTheirStopsComeBackFromTheJournalAndAnAgreeingExchangeReportsNothing() throws Exception {
        Bot first = new Bot(venue);
        bar(first, "LTCUSDT", "100");
        first.buy("LTCUSDT");
        bar(first, "LTCUSDT", "100");
        BigDecimal held = first.portfolio.holding("LTCUSDT").qty();
        BigDecimal stop = first.portfolio.holding("LTCUSDT").stopPrice();
        first.crash();

        Bot second = new Bot(venue);
        Recovery.Report r = second.recover();
        assertThat(r.ok()).isTrue();
        assertThat(r.findings()).isEmpty();
        assertThat(r.fillsReplayed()).isEqualTo(1);
        assertThat(second.portfolio.holding("LTCUSDT").qty()).isEqualByComparingTo(held);
        assertThat(second.portfolio.holding("LTCUSDT").stopPrice()).isEqualByComparingTo(stop);
        assertThat(second.portfolio.cash()).isEqualByComparingTo(first.portfolio.cash());
        assertThat(second.execution.tradingBlockedReason()).isNull();
        // a new order of the new run gets a client order id no earlier run used
        bar(second, "ETHUSDT", "1800");
        second.buy("ETHUSDT");
        String id = second.execution.orders().inFlight("ETHUSDT").clientOrderId();
        assertThat(second.journal.allOrders().get(5, TimeUnit.SECONDS)).extracting("clientOrderId")
                .containsOnlyOnce(id);
        second.crash();
    }

    @Test
    void aFillMissedWhileDownIsJournaledAndApplied() throws Exception {
        Bot first = new Bot(venue);
        bar(first, "LTCUSDT", "100");
        first.buy("LTCUSDT"); // sent; the process dies before the venue fills it
        String id = first.execution.orders().inFlight("LTCUSDT").clientOrderId();
        first.crash();
        bar(null, "LTCUSDT", "101"); // the exchange fills it while the bot is down

        Bot second = new Bot(venue);
        Recovery.Report r = second.recover();
        assertThat(r.ok()).isTrue();
        assertThat(kinds(r)).contains("order_state_changed_while_down", "fill_missed_while_down");
        assertThat(r.fillsRecovered()).isEqualTo(1);
        assertThat(second.portfolio.holding("LTCUSDT").isOpen()).isTrue();
        assertThat(second.portfolio.holding("LTCUSDT").stopPrice()).as("the entry's stop is set on the recovered fill")
                .isNotNull();
        assertThat(second.execution.orders().inFlight("LTCUSDT")).isNull();
        second.journal.flush(5_000);
        assertThat(second.journal.fills().get(5, TimeUnit.SECONDS)).extracting(f -> f.fill().clientOrderId())
                .containsExactly(id);
        assertThat(second.journal.order(id).get(5, TimeUnit.SECONDS).orElseThrow().state()).isEqualTo("FILLED");
        second.crash();
        // a third start finds everything in agreement: the recovered fill counts once
        Bot third = new Bot(venue);
        Recovery.Report again = third.recover();
        assertThat(again.findings()).isEmpty();
        assertThat(third.portfolio.holding("LTCUSDT").qty()).isEqualByComparingTo(second.portfolio.holding("LTCUSDT").qty());
        third.crash();
    }

    @Test
    void anOrderWhoseRowAPowerCutLostIsAdoptedByItsRunPrefixAppliedOnceAndNeverResent() throws Exception {
        Bot first = new Bot(venue);
        bar(first, "LTCUSDT", "100");
        first.buy("LTCUSDT"); // written, sent; the power goes before the journal's fsync
        String id = first.execution.orders().inFlight("LTCUSDT").clientOrderId();
        bar(first, "LTCUSDT", "100"); // the exchange fills it
        BigDecimal held = first.portfolio.holding("LTCUSDT").qty();
        BigDecimal cash = first.portfolio.cash();
        first.crash();
        // the power cut: the order's rows (intent, request, events, fill) were written but never durable; the run's
        // row, fsynced when the journal opened, survives
        try (var c = journalDb().connection();
             var st = c.createStatement()) {
            for (String table : List.of("journal_fill", "journal_order_event", "journal_order", "journal_intent")) {
                st.executeUpdate("DELETE FROM " + table + " WHERE client_order_id = '" + id + "'");
            }
        }
        int[] sent = {0};
        ExchangeAdapter counting = new DelegatingExchange(venue) {
            @Override
            public void submit(OrderRequest order) {
                sent[0]++;
                super.submit(order);
            }
        };

        Bot second = new Bot(counting);
        Recovery.Report r = second.recover();
        assertThat(r.ok()).isTrue();
        assertThat(kinds(r)).contains("own_order_adopted", "fill_missed_while_down").doesNotContain("foreign_trade",
                "foreign_order");
        assertThat(r.findings()).filteredOn(f -> f.kind().equals("own_order_adopted")).singleElement()
                .satisfies(f -> assertThat(f.detail()).contains(id));
        assertThat(r.fillsRecovered()).isEqualTo(1);
        assertThat(second.portfolio.holding("LTCUSDT").qty()).isEqualByComparingTo(held);
        assertThat(second.portfolio.cash()).isEqualByComparingTo(cash);
        assertThat(second.execution.orders().inFlight("LTCUSDT")).isNull();
        assertThat(sent[0]).as("the adopted order is never sent again").isZero();
        second.journal.flush(5_000);
        assertThat(second.journal.fills().get(5, TimeUnit.SECONDS)).extracting(f -> f.fill().clientOrderId())
                .containsExactly(id);
        var row = second.journal.order(id).get(5, TimeUnit.SECONDS).orElseThrow();
        assertThat(row.state()).isEqualTo("FILLED");
        assertThat(row.runNo()).as("journaled under the run whose prefix it carries").isEqualTo(1);
        second.crash();
        // a third start finds the adopted order in the journal: nothing to report, the fill counts once
        Bot third = new Bot(venue);
        Recovery.Report again = third.recover();
        assertThat(again.findings()).isEmpty();
        assertThat(again.fillsReplayed()).isEqualTo(1);
        assertThat(third.portfolio.holding("LTCUSDT").qty()).isEqualByComparingTo(held);
        assertThat(venue.queryOrder("LTCUSDT", id).toCompletableFuture().get()).isPresent();
        third.crash();
    }

    @Test
    void anOrderThatNeverReachedTheExchangeIsClosedAndNothingIsTraded() throws Exception {
        FlakyExchange flaky = new FlakyExchange(venue);
        List<Runnable> lookups = new java.util.ArrayList<>();
        Bot first = new Bot(flaky, (d, t) -> lookups.add(t)); // the process dies before its lookup is due
        bar(first, "LTCUSDT", "100");
        flaky.nextLoss = FlakyExchange.Loss.REQUEST;
        first.buy("LTCUSDT");
        ManagedOrder lost = first.execution.orders().inFlight("LTCUSDT");
        assertThat(lost.state()).isEqualTo(OrderState.UNKNOWN);
        assertThat(lookups).hasSize(1);
        first.crash();
        bar(null, "LTCUSDT", "101");

        Bot second = new Bot(venue);
        Recovery.Report r = second.recover();
        assertThat(r.ok()).isTrue();
        assertThat(kinds(r)).containsExactly("order_never_reached_exchange");
        assertThat(second.portfolio.holding("LTCUSDT")).isNull();
        assertThat(second.execution.orders().inFlight("LTCUSDT")).isNull();
        assertThat(venue.queryOrder("LTCUSDT", lost.clientOrderId()).toCompletableFuture().get()).isEmpty();
        second.journal.flush(5_000);
        assertThat(second.journal.order(lost.clientOrderId()).get(5, TimeUnit.SECONDS).orElseThrow().state())
                .isEqualTo("REJECTED");
        second.crash();
    }

    @Test
    void ordersAndTradesPlacedByHandAreReportedAndLeftAloneAndASaleByHandShrinksThePosition() throws Exception {
        Bot first = new Bot(venue);
        bar(first, "LTCUSDT", "100");
        first.buy("LTCUSDT");
        bar(first, "LTCUSDT", "100");
        BigDecimal held = first.portfolio.holding("LTCUSDT").qty();
        first.crash();
        // the owner sells part of the position by hand in the exchange's web page, and leaves an order open
        BigDecimal soldByHand = new BigDecimal("0.3");
        venue.submit(new OrderRequest("web_sell_1", "LTCUSDT", Side.SELL, soldByHand, null, new BigDecimal("100"), null,
                false, "by hand", T0));
        bar(null, "LTCUSDT", "100");
        venue.submit(new OrderRequest("web_buy_2", "ETHUSDT", Side.BUY, null, new BigDecimal("50"),
                new BigDecimal("1800"), null, false, "by hand", T0));

        Bot second = new Bot(venue);
        Recovery.Report r = second.recover();
        assertThat(r.ok()).isTrue();
        assertThat(kinds(r)).contains("foreign_trade", "foreign_order", "balance_changed_by_hand");
        assertThat(r.findings()).filteredOn(f -> f.kind().equals("foreign_order"))
                .extracting(Recovery.Finding::detail).anySatisfy(d -> assertThat(d).contains("web_buy_2"));
        assertThat(second.portfolio.holding("LTCUSDT").qty()).isEqualByComparingTo(held.subtract(soldByHand));
        assertThat(venue.openOrders(null).toCompletableFuture().get()).extracting("clientOrderId")
                .containsExactly("web_buy_2"); // left alone
        // the findings are journal rows too
        second.crash();
        try (var c = journalDb().connection();
             var st = c.createStatement();
             var rs = st.executeQuery("SELECT COUNT(*) FROM journal_reconcile")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(r.findings().size());
        }
    }

    @Test
    void aBalanceAboveThePositionIsTheOwnersAndQuoteCashIsCappedToTheExchange() throws Exception {
        Bot first = new Bot(venue);
        bar(first, "LTCUSDT", "100");
        first.buy("LTCUSDT");
        bar(first, "LTCUSDT", "100");
        BigDecimal held = first.portfolio.holding("LTCUSDT").qty();
        first.crash();
        // by hand: buy more LTC (the owner's), spending most of the quote the bot counted as its cash
        venue.submit(new OrderRequest("web_buy_3", "LTCUSDT", Side.BUY, null, new BigDecimal("9850"),
                new BigDecimal("100"), null, false, "by hand", T0));
        bar(null, "LTCUSDT", "100");

        Bot second = new Bot(venue);
        Recovery.Report r = second.recover();
        assertThat(kinds(r)).contains("balance_above_position", "quote_balance_short");
        assertThat(second.portfolio.holding("LTCUSDT").qty()).isEqualByComparingTo(held);
        assertThat(second.portfolio.cash()).isEqualByComparingTo(venue.balance("USDT"));
        second.crash();
    }

    @Test
    void whenTheExchangeCannotBeReadTheBotDoesNotTradeAndSaysWhy() throws Exception {
        ExchangeAdapter broken = new DelegatingExchange(venue) {
            @Override
            public CompletionStage<Map<String, AssetBalance>> balances() {
                return CompletableFuture.failedFuture(new java.io.IOException("HTTP 503 from GET /api/v3/account"));
            }
        };
        Bot bot = new Bot(broken);
        Recovery.Report r = bot.recover();
        assertThat(r.ok()).isFalse();
        assertThat(r.failure()).contains("reconciliation failed").contains("503");
        assertThat(bot.execution.tradingBlockedReason()).contains("503");
        bar(bot, "LTCUSDT", "100");
        bot.buy("LTCUSDT");
        assertThat(bot.execution.refusals()).containsEntry("not_reconciled", 1L);
        assertThat(bot.execution.orders().inFlight()).isEmpty();
        bot.crash();
        try (JournalReader reader = JournalReader.open(journalDb())) {
            assertThat(reader.orders(Long.MIN_VALUE)).isEmpty();
        }
    }
}
