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
    /** The wall clock: it follows the market's bars, while the bot runs and while it is down. */
    private long wall = T0;
    private static final long DAY = 86_400_000L;
    /** The venue's one-minute klines: the price at a minute's start (symbol@ms), where a test sets one. */
    private final Map<String, BigDecimal> klineOpens = new java.util.HashMap<>();
    /** The hard caps of the next bot started (a test sets its own before starting one). */
    private HardLimits limits = limits("300", 1000);

    private static HardLimits limits(String maxDailyLoss, int maxTradesPerDay) {
        return new HardLimits(new BigDecimal("250"), new BigDecimal("250"), 10, new BigDecimal("3000"),
                new BigDecimal(maxDailyLoss), 100, maxTradesPerDay);
    }

    /**
     * From now on the journal cannot write the fills of {@code clientOrderId} (a disk error, a dropped PostgreSQL
     * connection), until {@link #healJournalWritesOf}. After the first bot opened the journal (its schema exists).
     */
    void failJournalWritesOf(String clientOrderId) throws Exception {
        try (var c = journalDb().connection(); var st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE IF NOT EXISTS test_failing_fill (client_order_id VARCHAR(36) PRIMARY KEY)");
            failFillsListedInTestFailingFill(st);
            st.executeUpdate("INSERT INTO test_failing_fill VALUES ('" + clientOrderId + "')");
        }
    }

    /** A trigger that fails the insert of a fill whose order is listed in test_failing_fill (SQLite's dialect). */
    void failFillsListedInTestFailingFill(java.sql.Statement st) throws java.sql.SQLException {
        st.executeUpdate("CREATE TRIGGER IF NOT EXISTS test_failing_fill BEFORE INSERT ON journal_fill"
                + " WHEN EXISTS (SELECT 1 FROM test_failing_fill WHERE client_order_id = NEW.client_order_id)"
                + " BEGIN SELECT RAISE(ABORT, 'disk I/O error (test)'); END");
    }

    /**
     * From now on the journal cannot write the fills of {@code clientOrderId} nor any change of its order's row (its
     * state, its event lines): the whole journal fails for it, until {@link #healJournalWritesOf}.
     */
    void failAllJournalWritesOf(String clientOrderId) throws Exception {
        failJournalWritesOf(clientOrderId);
        try (var c = journalDb().connection(); var st = c.createStatement()) {
            failOrderChangesListedInTestFailingFill(st);
        }
    }

    /** Triggers that fail an update of the order row, or a new event line, of an order listed in test_failing_fill. */
    void failOrderChangesListedInTestFailingFill(java.sql.Statement st) throws java.sql.SQLException {
        st.executeUpdate("CREATE TRIGGER IF NOT EXISTS test_failing_order BEFORE UPDATE ON journal_order"
                + " WHEN EXISTS (SELECT 1 FROM test_failing_fill WHERE client_order_id = NEW.client_order_id)"
                + " BEGIN SELECT RAISE(ABORT, 'disk I/O error (test)'); END");
        st.executeUpdate("CREATE TRIGGER IF NOT EXISTS test_failing_order_event BEFORE INSERT ON journal_order_event"
                + " WHEN EXISTS (SELECT 1 FROM test_failing_fill WHERE client_order_id = NEW.client_order_id)"
                + " BEGIN SELECT RAISE(ABORT, 'disk I/O error (test)'); END");
    }

    /** Only the fills of the listed orders fail from now on; their rows can be updated again. */
    void healOrderChanges() throws Exception {
        try (var c = journalDb().connection(); var st = c.createStatement()) {
            st.executeUpdate("DROP TRIGGER IF EXISTS test_failing_order" + dropTriggerOn("journal_order"));
            st.executeUpdate("DROP TRIGGER IF EXISTS test_failing_order_event" + dropTriggerOn("journal_order_event"));
        }
    }

    /** What follows DROP TRIGGER's name (SQLite: nothing; PostgreSQL: the table). */
    String dropTriggerOn(String table) {
        return "";
    }

    void healJournalWritesOf(String clientOrderId) throws Exception {
        try (var c = journalDb().connection(); var st = c.createStatement()) {
            st.executeUpdate("DELETE FROM test_failing_fill WHERE client_order_id = '" + clientOrderId + "'");
        }
    }

    /** One run of the bot: its own portfolio and execution, the shared journal file and exchange. */
    final class Bot {
        final Portfolio portfolio = new Portfolio("USDT", new BigDecimal("10000"), new BigDecimal("0.5"), BigDecimal.ONE,
                rules::baseAsset, rules::isDust);
        final ExecutionService execution = new ExecutionService(portfolio, rules, limits, (now, exit) -> true, "unused-");
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
            return recover((d, t) -> t.run());
        }

        Recovery.Report recover(OrderManager.Scheduler waits) throws Exception {
            return new Recovery(execution, adapter, portfolio, journal, Runnable::run, waits, () -> wall,
                    "USDT", rules::baseAsset).run(Set.of("LTCUSDT")).get(10, TimeUnit.SECONDS);
        }

        void buy(String symbol) {
            execution.handle(List.of(), List.of(), List.of(OrderIntent.enter(symbol, new BigDecimal("100"), "entry-test",
                    1.0, 2.0, null)));
        }

        void sellAll(String symbol) {
            execution.handle(List.of(), List.of(), List.of(OrderIntent.exitAll(symbol, "exit-test")));
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
        wall = Math.max(wall, c.timeMs());
        if (bot != null) {
            bot.execution.onClock(c.timeMs());
        }
        venue.onMarketEvent(c);
        if (bot != null) {
            bot.portfolio.mark(symbol, new BigDecimal(price));
            bot.execution.onMarketEvent(c);
        }
    }

    /** A round trip of LTCUSDT: bought at {@code buyAt} in one minute, sold at {@code sellAt} in the next. */
    private void buyThenSellAll(Bot bot, String buyAt, String sellAt) {
        bar(bot, "LTCUSDT", buyAt);
        bot.buy("LTCUSDT");
        bar(bot, "LTCUSDT", buyAt);
        bot.sellAll("LTCUSDT");
        bar(bot, "LTCUSDT", sellAt);
    }

    /** The venue, telling the prices of {@link #klineOpens} as its klines. */
    private ExchangeAdapter withKlines() {
        return new DelegatingExchange(venue) {
            @Override
            public CompletionStage<java.util.Optional<BigDecimal>> priceAt(String s, long minuteStartMs) {
                return CompletableFuture.completedFuture(java.util.Optional.ofNullable(klineOpens.get(s + "@" + minuteStartMs)));
            }
        };
    }

    /** The client order id of every fill in the bot's journal, once what it queued is written. */
    private static List<String> journaledFillsOrders(Bot bot) throws Exception {
        bot.journal.flush(5_000);
        return bot.journal.fills().get(5, TimeUnit.SECONDS).stream().map(f -> f.fill().clientOrderId()).toList();
    }

    /** The state of an order's journal row. */
    private static String journaledState(Bot bot, String clientOrderId) throws Exception {
        return bot.journal.order(clientOrderId).get(5, TimeUnit.SECONDS).orElseThrow().state();
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
        assertThat(journaledFillsOrders(second)).containsExactly(id);
        assertThat(journaledState(second, id)).isEqualTo("FILLED");
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

    /**
     * The stopped run may have held a request in its throttle's queue long after it journaled it as sent, and signed it
     * just before it died: whenever it was sent, the look-up of an order the exchange never answered for waits a whole
     * recvWindow from the restart, so "not found" proves it will never arrive.
     */
    @Test
    void anOrderSentLongBeforeTheStopIsLookedUpOnlyAWholeRecvWindowAfterTheRestart() throws Exception {
        FlakyExchange flaky = new FlakyExchange(venue);
        Bot first = new Bot(flaky, (d, t) -> { }); // the process dies before its lookup is due
        bar(first, "LTCUSDT", "100");
        flaky.nextLoss = FlakyExchange.Loss.REQUEST;
        first.buy("LTCUSDT");
        assertThat(first.execution.orders().inFlight("LTCUSDT").state()).isEqualTo(OrderState.UNKNOWN);
        first.crash();
        wall += 60_000; // a minute after it was journaled as sent
        bar(null, "LTCUSDT", "101");

        Bot second = new Bot(venue);
        List<Long> waits = new java.util.ArrayList<>();
        Recovery.Report r = second.recover((d, t) -> {
            waits.add(d);
            t.run();
        });
        assertThat(r.ok()).isTrue();
        assertThat(waits).as("the recovery's wait before its look-ups").first()
                .isEqualTo(5_000L + OrderManager.CLOCK_MARGIN_MS);
        assertThat(kinds(r)).containsExactly("order_never_reached_exchange");
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

    @Test
    void aRestartTheSameUtcDayKeepsTheDaysLossAndItsHaltOfEntriesAndTheNextDayStartsAfresh() throws Exception {
        limits = limits("5", 1000);
        Bot first = new Bot(venue);
        buyThenSellAll(first, "100", "90"); // about -10 USDT, over the 5 USDT cap
        BigDecimal dayPnl = first.portfolio.todayPnl();
        assertThat(dayPnl).isLessThan(new BigDecimal("-5"));
        assertThat(first.execution.entriesHaltedToday()).isTrue();
        first.crash();

        // a crash loop: each start the same UTC day continues the day's loss and its halt
        for (int restart = 0; restart < 2; restart++) {
            Bot again = new Bot(venue);
            assertThat(again.recover().ok()).isTrue();
            bar(again, "LTCUSDT", "90");
            assertThat(again.portfolio.todayPnl()).as("the day's PnL after a restart is what it was before")
                    .isEqualByComparingTo(dayPnl);
            assertThat(again.execution.entriesHaltedToday()).as("entries stay halted for the rest of the UTC day")
                    .isTrue();
            again.buy("LTCUSDT");
            assertThat(again.execution.refusals()).containsEntry("entries_halted_today", 1L);
            again.crash();
        }

        Bot nextDay = new Bot(venue);
        assertThat(nextDay.recover().ok()).isTrue();
        minute = 24 * 60;
        bar(nextDay, "LTCUSDT", "90");
        assertThat(nextDay.portfolio.todayPnl()).as("a new UTC day starts at the equity it finds").isZero();
        assertThat(nextDay.execution.entriesHaltedToday()).isFalse();
        nextDay.crash();
    }

    @Test
    void aRestartTheSameUtcDayKeepsTheDaysAndTheMinutesOrderCount() throws Exception {
        limits = limits("1000", 3);
        Bot first = new Bot(venue);
        buyThenSellAll(first, "100", "100"); // the exit is sent one minute after the entry
        assertThat(first.execution.tradesToday()).isEqualTo(2);
        first.crash();

        Bot second = new Bot(venue);
        assertThat(second.recover().ok()).isTrue();
        second.execution.onClock(T0 + 150_000); // 30 s after the exit was sent (a bar's time is its minute's end)
        assertThat(second.execution.tradesLastMinute()).as("the exit was sent within the last minute").isEqualTo(1);
        assertThat(second.execution.tradesToday()).as("orders already sent today count against the daily cap")
                .isEqualTo(2);
        bar(second, "LTCUSDT", "100");
        second.buy("LTCUSDT"); // 2 sent + this entry + its exit would be 4 orders, over max_trades_per_day 3
        assertThat(second.execution.refusals()).containsEntry("max_trades_per_day", 1L);
        assertThat(second.execution.orders().inFlight()).isEmpty();
        second.crash();
    }

    @Test
    void aFillTheJournalCouldNotWriteIsRetriedAndNewEntriesPauseUntilItIsWritten() throws Exception {
        List<Runnable> retries = new java.util.ArrayList<>();
        Bot bot = new Bot(venue, (delay, task) -> retries.add(task));
        bar(bot, "LTCUSDT", "100");
        bot.buy("LTCUSDT");
        String id = bot.execution.orders().inFlight("LTCUSDT").clientOrderId();
        failJournalWritesOf(id);
        bar(bot, "LTCUSDT", "100"); // filled: applied, but its journal row fails
        bot.journal.flush(5_000);
        assertThat(bot.portfolio.holding("LTCUSDT").isOpen()).isTrue();
        assertThat(bot.execution.orders().unjournaledFills()).isEqualTo(1);
        assertThat(bot.execution.orders().journalFailures()).isPositive();
        assertThat(bot.execution.journalFailing()).contains(id).contains("disk I/O error");
        assertThat(retries).as("the write is retried").hasSize(1);
        bar(bot, "ETHUSDT", "1800");
        bot.buy("ETHUSDT");
        assertThat(bot.execution.refusals()).as("no new entry while a fill is not journaled")
                .containsEntry("journal_failing", 1L);
        assertThat(bot.execution.halts()).extracting(Halt::kind).contains("PAUSE_JOURNAL");

        healJournalWritesOf(id);
        retries.remove(0).run();
        bot.journal.flush(5_000);
        assertThat(bot.execution.orders().unjournaledFills()).isZero();
        assertThat(bot.execution.journalFailing()).as("entries resume once the fill is written").isNull();
        assertThat(bot.execution.halts()).extracting(Halt::kind).endsWith("RESUME_JOURNAL");
        assertThat(bot.journal.fills().get(5, TimeUnit.SECONDS)).extracting(f -> f.fill().clientOrderId())
                .containsExactly(id);
        bot.buy("ETHUSDT");
        assertThat(bot.execution.orders().inFlight("ETHUSDT")).isNotNull();
        bot.crash();
    }

    @Test
    void aFillWhoseJournalWriteFailedIsFoundAgainAtTheNextStart() throws Exception {
        Bot first = new Bot(venue, (delay, task) -> { }); // its retries never come: the process dies first
        bar(first, "LTCUSDT", "100");
        first.buy("LTCUSDT");
        String entry = first.execution.orders().inFlight("LTCUSDT").clientOrderId();
        failJournalWritesOf(entry);
        bar(first, "LTCUSDT", "100"); // the entry's fill: applied in memory, its journal row fails
        first.journal.flush(5_000);
        first.sellAll("LTCUSDT"); // exits go on while the journal fails
        bar(first, "LTCUSDT", "101"); // the exit's fill is journaled, with a higher trade id
        first.journal.flush(5_000);
        assertThat(first.portfolio.holding("LTCUSDT").isOpen()).isFalse();
        BigDecimal cash = first.portfolio.cash();
        BigDecimal realized = first.portfolio.realizedPnl();
        first.crash();
        healJournalWritesOf(entry); // the disk (the database connection) works again

        Bot second = new Bot(venue);
        Recovery.Report r = second.recover();
        assertThat(r.ok()).isTrue();
        assertThat(kinds(r)).containsExactly("fill_missing_from_journal");
        assertThat(r.findings().get(0).detail()).contains(entry);
        assertThat(second.portfolio.cash()).as("the entry's cost is in the books again").isEqualByComparingTo(cash);
        assertThat(second.portfolio.realizedPnl()).isEqualByComparingTo(realized);
        assertThat(second.portfolio.externalChanges()).as("the exit sold what the bot had bought").isEmpty();
        second.journal.flush(5_000);
        assertThat(second.journal.fills().get(5, TimeUnit.SECONDS)).extracting(f -> f.fill().clientOrderId())
                .contains(entry);
        second.crash();
        // a third start finds the journal complete
        Bot third = new Bot(venue);
        assertThat(third.recover().findings()).isEmpty();
        assertThat(third.portfolio.cash()).isEqualByComparingTo(cash);
        third.crash();
    }

    /**
     * The entry filled while the journal failed for it entirely: no fill row, and neither the FILL nor the DONE update
     * of its row; the process then died. Its row still says it was sent: the next start looks it up, finds it FILLED
     * and books its fill exactly once.
     */
    /** A run that died, and the client order id of its entry. */
    private record Died(Bot bot, String entry) {
    }

    /** A first run whose entry fills while the journal fails for it entirely, then sells it (journaled) and dies. */
    private Died entryFilledWhileTheJournalFailedForIt() throws Exception {
        Bot first = new Bot(venue, (delay, task) -> { }); // its retries never come: the process dies first
        bar(first, "LTCUSDT", "100");
        first.buy("LTCUSDT");
        String entry = first.execution.orders().inFlight("LTCUSDT").clientOrderId();
        first.journal.flush(5_000);
        failAllJournalWritesOf(entry);
        bar(first, "LTCUSDT", "100"); // filled: applied in memory; its fill row and its row's updates all fail
        first.journal.flush(5_000);
        assertThat(first.journal.order(entry).get(5, TimeUnit.SECONDS).orElseThrow().state())
                .as("the journal still has the entry as sent, not filled").isIn("NEW", "SENT", "ACKED");
        first.sellAll("LTCUSDT");
        bar(first, "LTCUSDT", "101"); // the exit's fill is journaled, with a higher trade id
        first.journal.flush(5_000);
        first.crash();
        return new Died(first, entry);
    }

    @Test
    void anOrderThatFilledWhileNeitherItsFillNorItsRowCouldBeWrittenIsBookedOnceAtTheNextStart() throws Exception {
        Died died = entryFilledWhileTheJournalFailedForIt();
        Bot first = died.bot();
        String entry = died.entry();
        BigDecimal cash = first.portfolio.cash();
        BigDecimal realized = first.portfolio.realizedPnl();
        healJournalWritesOf(entry);

        Bot second = new Bot(venue);
        Recovery.Report r = second.recover();
        assertThat(r.ok()).isTrue();
        assertThat(r.fillsRecovered()).as("the entry's fill, once").isEqualTo(1);
        assertThat(second.portfolio.cash()).isEqualByComparingTo(cash);
        assertThat(second.portfolio.realizedPnl()).isEqualByComparingTo(realized);
        assertThat(second.portfolio.externalChanges()).as("the exit sold what the bot had bought").isEmpty();
        assertThat(journaledFillsOrders(second)).containsOnlyOnce(entry);
        assertThat(journaledState(second, entry)).isEqualTo("FILLED");
        second.crash();
        Bot third = new Bot(venue);
        assertThat(third.recover().findings()).isEmpty();
        assertThat(third.portfolio.cash()).isEqualByComparingTo(cash);
        third.crash();
    }

    /**
     * As above, and the restart's own write of the recovered fill fails too: the order's row, closed by that restart,
     * must still say what the exchange executed, so the start after it finds the fill missing from the journal.
     */
    @Test
    void aRecoveredFillWhoseWriteFailsAgainIsStillFoundAtTheStartAfter() throws Exception {
        Died first = entryFilledWhileTheJournalFailedForIt();
        BigDecimal cash = first.bot().portfolio.cash();
        healOrderChanges(); // the row can be written again, the fill still cannot

        Bot second = new Bot(venue, (delay, task) -> { });
        assertThat(second.recover().ok()).isTrue();
        assertThat(second.portfolio.cash()).isEqualByComparingTo(cash);
        second.crash();
        healJournalWritesOf(first.entry());

        Bot third = new Bot(venue);
        Recovery.Report r = third.recover();
        assertThat(r.ok()).isTrue();
        assertThat(kinds(r)).containsExactly("fill_missing_from_journal");
        assertThat(third.portfolio.cash()).as("the entry's cost is in the books").isEqualByComparingTo(cash);
        assertThat(third.portfolio.externalChanges()).isEmpty();
        third.crash();
    }

    /** A bot on {@code adapter} that bought LTCUSDT at 100 (stop 1 % under, take-profit 2 % over). */
    private Bot boughtAt100(ExchangeAdapter adapter) {
        Bot bot = new Bot(adapter);
        bar(bot, "LTCUSDT", "100");
        bot.buy("LTCUSDT");
        bar(bot, "LTCUSDT", "100");
        return bot;
    }

    @Test
    void aBotDownOverUtcMidnightCountsTheFallSinceMidnightAgainstTheNewDaysLossCap() throws Exception {
        limits = limits("5", 1000);
        Bot first = boughtAt100(withKlines());
        BigDecimal held = first.portfolio.holding("LTCUSDT").qty();
        BigDecimal atMidnight = first.portfolio.cash().add(held.multiply(new BigDecimal("100"))); // still at 100 then
        first.crash();
        // while the bot is down the UTC day ends at 100, and the price falls to 90 by 05:00
        klineOpens.put("LTCUSDT@" + (T0 + DAY), new BigDecimal("100"));
        minute = 24 * 60;
        bar(null, "LTCUSDT", "100");
        minute = 29 * 60;
        bar(null, "LTCUSDT", "90");

        for (int restart = 0; restart < 2; restart++) { // and a crash loop later that day keeps the day's start
            Bot again = new Bot(withKlines());
            Recovery.Report r = again.recover();
            assertThat(r.ok()).isTrue();
            assertThat(r.findings()).isEmpty();
            assertThat(again.portfolio.dayStartTradingEquity()).as("the books' equity at 00:00 UTC")
                    .isEqualByComparingTo(atMidnight);
            bar(again, "LTCUSDT", "90"); // (the first restart's stop sells the position at 90 too)
            assertThat(again.portfolio.todayPnl()).as("the fall since midnight is the new day's loss, with the fee")
                    .isLessThanOrEqualTo(held.multiply(new BigDecimal("-10")))
                    .isGreaterThan(held.multiply(new BigDecimal("-10.2")));
            assertThat(again.execution.entriesHaltedToday()).as("over the 5 USDT cap").isTrue();
            again.crash();
        }
    }

    @Test
    void anExitThatFilledAfterMidnightWhileTheBotWasDownCountsAgainstTheNewDay() throws Exception {
        limits = limits("3", 1000);
        Bot first = boughtAt100(withKlines());
        BigDecimal held = first.portfolio.holding("LTCUSDT").qty();
        BigDecimal atMidnight = first.portfolio.cash().add(held.multiply(new BigDecimal("100"))); // still at 100 then
        minute = 24 * 60 - 2;
        bar(first, "LTCUSDT", "100"); // 23:58
        first.sellAll("LTCUSDT"); // sent; the process dies before the venue fills it
        first.crash();
        klineOpens.put("LTCUSDT@" + (T0 + DAY), new BigDecimal("100"));
        minute = 24 * 60 + 30;
        bar(null, "LTCUSDT", "95"); // the exchange fills the exit at 00:30, at 95
        minute = 29 * 60;
        bar(null, "LTCUSDT", "95");

        Bot second = new Bot(withKlines());
        Recovery.Report r = second.recover();
        assertThat(r.ok()).isTrue();
        assertThat(kinds(r)).contains("fill_missed_while_down");
        assertThat(second.portfolio.holding("LTCUSDT").isOpen()).isFalse();
        assertThat(second.portfolio.dayStartTradingEquity()).as("the position still held at 00:00, at 100")
                .isEqualByComparingTo(atMidnight);
        bar(second, "LTCUSDT", "95");
        assertThat(second.portfolio.todayPnl()).as("the exit's loss after midnight is the new day's")
                .isEqualByComparingTo(second.portfolio.cash().subtract(atMidnight))
                .isLessThan(held.multiply(new BigDecimal("-5")));
        assertThat(second.execution.entriesHaltedToday()).isTrue();
        second.crash();
    }

    @Test
    void withoutAPriceAtMidnightTheNewDayStartsNoLowerThanTheEquityLastJournaledBeforeIt() throws Exception {
        limits = limits("5", 1000);
        Bot first = boughtAt100(venue); // a venue that cannot tell the price at 00:00
        bar(first, "LTCUSDT", "101.5"); // the position is worth more now (under its take-profit); no fill says so
        bar(first, "LTCUSDT", "101.5"); // the equity at 101.5 is journaled at this minute's decision round
        BigDecimal held = first.portfolio.holding("LTCUSDT").qty();
        BigDecimal lastValued = first.portfolio.tradingEquity();
        first.crash();
        minute = 24 * 60;
        bar(null, "LTCUSDT", "101.5");
        minute = 29 * 60;
        bar(null, "LTCUSDT", "91");

        Bot second = new Bot(venue);
        Recovery.Report r = second.recover();
        assertThat(r.ok()).isTrue();
        assertThat(kinds(r)).containsExactly("day_start_estimated");
        assertThat(second.portfolio.dayStartTradingEquity()).as("no lower than the equity valued before midnight")
                .isEqualByComparingTo(lastValued);
        bar(second, "LTCUSDT", "91"); // the stop sells at 91
        assertThat(second.portfolio.todayPnl()).as("the fall from 101.5, with the fee")
                .isLessThanOrEqualTo(held.multiply(new BigDecimal("-10.5")))
                .isGreaterThan(held.multiply(new BigDecimal("-10.7")));
        assertThat(second.execution.entriesHaltedToday()).isTrue();
        second.crash();
    }
}
