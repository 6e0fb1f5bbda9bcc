package io.aquatrade.journal;

import io.aquatrade.model.Fill;
import io.aquatrade.model.Side;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the journal does, whichever database holds it: {@link JournalTest} runs these scenarios on SQLite,
 * {@link PostgresJournalTest} on a real PostgreSQL server.
 */
abstract class JournalContract {

    /** The journal called {@code name} in this test: the same name is the same database (a reopen), a new one is empty. */
    abstract JournalDatabase db(String name) throws Exception;

    static OrderRecord order(String id, long run, long seq, String symbol, long createdMs) {
        return new OrderRecord(id, run, seq, symbol, "BUY", "MARKET", null, new BigDecimal("100"), null, null,
                new BigDecimal("27000.5"), "entry-echo-up", "ENTRY", 1L, 1.2, 1.5, "2023-04-01", 5000, createdMs,
                null, "NEW", null, BigDecimal.ZERO, BigDecimal.ZERO, createdMs, null);
    }

    static Fill fill(String symbol, long tradeId, String coid) {
        return new Fill(1_000L + tradeId, symbol, Side.BUY, new BigDecimal("27000"), new BigDecimal("0.0037"),
                new BigDecimal("99.9"), new BigDecimal("0.0000037"), "BTC", coid, "entry-echo-up", tradeId);
    }

    /** One row of a query on its own connection to {@code db}, as text (null for SQL NULL). */
    static List<List<String>> query(JournalDatabase db, String sql) throws Exception {
        List<List<String>> out = new ArrayList<>();
        try (Connection c = db.connection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    @Test
    void theSchemaIsVersionedByFlywayAndRowsSurviveAReopen() throws Exception {
        JournalDatabase db = db("var/journal.db");
        try (Journal j = Journal.open(db, "live", 1_700_000_000_000L, null)) {
            j.insertOrder(order(ClientOrderIds.of(j.idPrefix(), j.nextOrderSeq()), j.runNo(), 1, "BTCUSDT", 10))
                    .get(5, TimeUnit.SECONDS);
        }
        assertThat(query(db, "SELECT version, success FROM journal_schema_history WHERE version IS NOT NULL"
                + " ORDER BY installed_rank")).first().satisfies(r -> {
                    assertThat(r.get(0)).isEqualTo("1");
                    assertThat(r.get(1)).isIn("1", "t", "true");
                });
        try (Journal j = Journal.open(db, "live", 1_700_000_000_001L, null)) {
            assertThat(j.runNo()).isEqualTo(2);
            assertThat(j.allOrders().get(5, TimeUnit.SECONDS)).hasSize(1);
        }
    }

    @Test
    void everyRunGetsANewPrefixSoClientOrderIdsNeverRepeatAcrossRestarts() throws Exception {
        JournalDatabase db = db("journal.db");
        List<String> ids = new ArrayList<>();
        long t = 1_700_000_000_000L;
        for (int run = 0; run < 3; run++) {
            try (Journal j = Journal.open(db, "live", t, null)) { // the same start ms each time: the run number differs
                assertThat(j.runNo()).isEqualTo(run + 1);
                for (int i = 0; i < 3; i++) {
                    long seq = j.nextOrderSeq();
                    String id = ClientOrderIds.of(j.idPrefix(), seq);
                    j.insertOrder(order(id, j.runNo(), seq, "BTCUSDT", t)).get(5, TimeUnit.SECONDS);
                    ids.add(id);
                }
            }
        }
        assertThat(ids).doesNotHaveDuplicates().hasSize(9)
                .allSatisfy(id -> assertThat(id).matches(ClientOrderIds.VALID).hasSizeLessThanOrEqualTo(36));
        // a run whose fixed prefix was used before is refused: ids must stay unique forever
        assertThatThrownBy(() -> Journal.open(db, "live", t, Journal.newPrefix(t, 1)))
                .isInstanceOf(JournalException.class).hasMessageContaining("already used");
        try (Journal j = Journal.open(db, "live", t, null)) {
            assertThat(j.runPrefixes().get(5, TimeUnit.SECONDS)).hasSize(4).containsValue(j.runNo());
        }
    }

    @Test
    void anOrderWrittenByItsCallerIsCommittedBeforeTheCallReturns() throws Exception {
        JournalDatabase db = db("j.db");
        try (Journal j = Journal.open(db, "live", 1L, null)) {
            String id = ClientOrderIds.of(j.idPrefix(), j.nextOrderSeq());
            CompletableFuture<Void> durable = j.insertOrderWritten(order(id, j.runNo(), 1, "BTCUSDT", 10));
            // before the request would leave: another connection already sees the row (committed, not just queued)
            try (JournalReader r = JournalReader.open(db)) {
                assertThat(r.orders(Long.MIN_VALUE)).extracting(OrderRecord::clientOrderId).containsExactly(id);
            }
            durable.get(5, TimeUnit.SECONDS);
            assertThat(query(db, "SELECT event, state FROM journal_order_event WHERE client_order_id = '" + id + "'"))
                    .containsExactly(List.of("REQUEST", "NEW"));
            assertThat(j.stats().callerWriteP50Nanos()).isPositive();
        }
    }

    @Test
    void aFillSeenTwiceCountsOnce() throws Exception {
        try (Journal j = Journal.open(db("j.db"), "live", 1L, null)) {
            assertThat(j.recordFill(fill("BTCUSDT", 7, "a1"), "BTC", "stream").get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(j.recordFill(fill("BTCUSDT", 7, "a1"), "BTC", "reconcile").get(5, TimeUnit.SECONDS)).isFalse();
            // the same trade id on another symbol is another trade
            assertThat(j.recordFill(fill("ETHUSDT", 7, "a2"), "ETH", "stream").get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(j.fills().get(5, TimeUnit.SECONDS)).hasSize(2);
            assertThat(j.lastTradeIds().get(5, TimeUnit.SECONDS)).containsEntry("BTCUSDT", 7L).containsEntry("ETHUSDT", 7L);
            JournalReader.FillRow first = j.fills().get(5, TimeUnit.SECONDS).get(0);
            assertThat(first.source()).isEqualTo("stream");
            assertThat(first.fill().fee()).isEqualTo(new BigDecimal("0.0000037")); // exact, scale kept
        }
    }

    @Test
    void orderStateChangesAreRowsAndUnfinishedOrdersAreFoundAfterAReopen() throws Exception {
        JournalDatabase db = db("j.db");
        try (Journal j = Journal.open(db, "live", 1L, null)) {
            j.insertOrder(order("x-1", j.runNo(), 1, "BTCUSDT", 10));
            j.insertOrder(order("x-2", j.runNo(), 2, "ETHUSDT", 11));
            j.updateOrder("x-1", 12, "SENT", "SENT", null, null, null, 12L, null);
            j.updateOrder("x-1", 13, "ACK", "ACKED", 991L, null, null, null, null);
            j.updateOrder("x-1", 14, "DONE", "FILLED", null, new BigDecimal("0.0037"), new BigDecimal("99.9"), null, null);
            j.updateOrder("x-2", 15, "UNKNOWN", "UNKNOWN", null, null, null, 15L, "timeout");
            j.flush(5000);
        }
        try (Journal j = Journal.open(db, "live", 2L, null)) {
            List<OrderRecord> open = j.unfinishedOrders().get(5, TimeUnit.SECONDS);
            assertThat(open).extracting(OrderRecord::clientOrderId).containsExactly("x-2");
            assertThat(open.get(0).lastError()).isEqualTo("timeout");
            assertThat(open.get(0).sentMs()).isEqualTo(15L);
            OrderRecord done = j.order("x-1").get(5, TimeUnit.SECONDS).orElseThrow();
            assertThat(done.state()).isEqualTo("FILLED");
            assertThat(done.exchangeOrderId()).isEqualTo(991L);
            assertThat(done.executedQty()).isEqualByComparingTo("0.0037");
            assertThat(done.cumQuoteQty()).isEqualTo(new BigDecimal("99.9"));
            assertThat(done.referencePrice()).isEqualTo(new BigDecimal("27000.5"));
            assertThat(done.stopLossPct()).isEqualTo(1.2);
            int events = j.submit(w -> {
                try (Statement st = w.conn.createStatement();
                     ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM journal_order_event WHERE client_order_id = 'x-1'")) {
                    rs.next();
                    return rs.getInt(1);
                }
            }).get(5, TimeUnit.SECONDS);
            assertThat(events).isEqualTo(4); // REQUEST, SENT, ACK, DONE
        }
        assertThat(query(db, "SELECT event FROM journal_order_event WHERE client_order_id = 'x-1' ORDER BY event_no"))
                .containsExactly(List.of("REQUEST"), List.of("SENT"), List.of("ACK"), List.of("DONE"));
    }

    @Test
    void killSwitchChangesTheCapitalBaseAndReconcileFindingsAreRowsOfTheirRun() throws Exception {
        JournalDatabase db = db("j.db");
        long run;
        try (Journal j = Journal.open(db, "live", 1L, null)) {
            run = j.runNo();
            j.recordCapital(5, "USDT", new BigDecimal("10000.00"), new BigDecimal("0.5"), BigDecimal.ONE);
            j.recordKillSwitch(6, "ACTIVE", "REDUCING", "daily loss", "risk");
            j.recordKillSwitch(7, "REDUCING", "HALTED", "operator", "api");
            j.recordReconcile(8, "FOREIGN_ORDER", "BTCUSDT", "left alone");
            j.recordStop(9, "graceful stop").get(5, TimeUnit.SECONDS);
        }
        assertThat(query(db, "SELECT run_no, quote_asset, start_quote, base_fraction, reinvest_fraction FROM journal_capital"))
                .containsExactly(List.of(Long.toString(run), "USDT", "10000", "0.5", "1"));
        assertThat(query(db, "SELECT change_no, from_level, to_level, cause, source FROM journal_kill_switch ORDER BY change_no"))
                .containsExactly(List.of("1", "ACTIVE", "REDUCING", "daily loss", "risk"),
                        List.of("2", "REDUCING", "HALTED", "operator", "api"));
        assertThat(query(db, "SELECT kind, symbol, detail FROM journal_reconcile"))
                .containsExactly(List.of("FOREIGN_ORDER", "BTCUSDT", "left alone"));
        assertThat(query(db, "SELECT stopped_ms, stop_reason FROM journal_run"))
                .containsExactly(List.of("9", "graceful stop"));
    }

    @Test
    void aBurstOfWritesSharesCommitsAndABadRowFailsAloneWithoutLosingItsBatch() throws Exception {
        try (Journal j = Journal.open(db("j.db"), "live", 1L, null)) {
            List<CompletableFuture<Boolean>> futures = new ArrayList<>();
            for (int i = 1; i <= 2000; i++) {
                futures.add(j.recordFill(fill("BTCUSDT", i, "b" + i), "BTC", "stream"));
            }
            CompletableFuture<Void> bad = j.updateOrder("no-such-order", 1, "ACK", "ACKED", 1L, null, null, null, null);
            CompletableFuture<Boolean> after = j.recordFill(fill("BTCUSDT", 5000, "c"), "BTC", "stream");
            for (CompletableFuture<Boolean> f : futures) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThatThrownBy(() -> bad.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(JournalException.class)
                    .hasMessageContaining("no-such-order");
            assertThat(after.get(5, TimeUnit.SECONDS)).isTrue();
            Journal.Stats s = j.stats();
            assertThat(s.rows()).isGreaterThanOrEqualTo(2001);
            assertThat(s.commits()).isLessThan(s.rows()); // group commit: fewer fsyncs than rows
            assertThat(s.failures()).isEqualTo(1);
            assertThat(j.fills().get(5, TimeUnit.SECONDS)).hasSize(2001);
        }
    }

    @Test
    void writesAfterCloseFailInsteadOfVanishing() throws Exception {
        Journal j = Journal.open(db("j.db"), "live", 1L, null);
        j.close();
        assertThatThrownBy(() -> j.recordFill(fill("BTCUSDT", 1, "a"), "BTC", "stream").get(1, TimeUnit.SECONDS))
                .hasMessageContaining("closed");
    }

    @Test
    void positionsFoldFillsWithFeesInTheBaseAsset() throws Exception {
        JournalDatabase db = db("j.db");
        try (Journal j = Journal.open(db, "live", 1L, null)) {
            j.recordFill(new Fill(1, "BTCUSDT", Side.BUY, new BigDecimal("20000"), new BigDecimal("0.005"),
                    new BigDecimal("100"), new BigDecimal("0.000005"), "BTC", "o1", "e", 1), "BTC", "stream");
            j.recordFill(new Fill(2, "BTCUSDT", Side.SELL, new BigDecimal("21000"), new BigDecimal("0.004"),
                    new BigDecimal("84"), new BigDecimal("0.084"), "USDT", "o2", "x", 2), "BTC", "stream");
            j.flush(5000);
        }
        try (JournalReader r = JournalReader.open(db)) {
            List<JournalReader.PositionRow> p = r.positions(Long.MIN_VALUE);
            assertThat(p).hasSize(1);
            assertThat(p.get(0).qty()).isEqualByComparingTo("0.000995");
            assertThat(p.get(0).quoteFees()).isEqualByComparingTo("0.084");
            assertThat(p.get(0).buys()).isEqualTo(1);
            assertThat(p.get(0).sells()).isEqualTo(1);
            assertThat(r.fills(2)).hasSize(1);
        }
    }

    @Test
    void aUtcDaysStartAndItsFirstHaltAreOneRowAndTheLatestDayIsReadBackAfterAReopen() throws Exception {
        JournalDatabase db = db("days.db");
        try (Journal j = Journal.open(db, "live", 1L, null)) {
            assertThat(j.lastDay().get(5, TimeUnit.SECONDS)).isEmpty();
            j.recordDayStart(19_465, new BigDecimal("10000"), 19_465 * 86_400_000L);
            j.recordDayStart(19_466, new BigDecimal("9990.5"), 19_466 * 86_400_000L + 7);
            j.recordDayHalt(19_466, new BigDecimal("9990.5"), 19_466 * 86_400_000L + 60_000, "daily loss -300", "hard_cap");
            j.recordDayHalt(19_466, new BigDecimal("9990.5"), 19_466 * 86_400_000L + 90_000, "later", "rule")
                    .get(5, TimeUnit.SECONDS);
        }
        try (Journal j = Journal.open(db, "live", 2L, null)) {
            // a run that starts the day afresh replaces its start, never its halt
            j.recordDayStart(19_466, new BigDecimal("9995"), 19_466 * 86_400_000L + 100_000).get(5, TimeUnit.SECONDS);
            TradingDay day = j.lastDay().get(5, TimeUnit.SECONDS).orElseThrow();
            assertThat(day.utcDay()).isEqualTo(19_466);
            assertThat(day.startTradingEquity()).isEqualByComparingTo("9995");
            assertThat(day.runNo()).isEqualTo(2);
            assertThat(day.halted()).isTrue();
            assertThat(day.haltedMs()).isEqualTo(19_466 * 86_400_000L + 60_000);
            assertThat(day.haltCause()).isEqualTo("daily loss -300");
            assertThat(day.haltSource()).isEqualTo("hard_cap");
        }
        assertThat(query(db, "SELECT COUNT(*) FROM journal_day")).containsExactly(List.of("2"));
    }

    @Test
    void theDaysLatestEquityIsKeptWithItsStartAndHaltAndWritesTheDaysRowWhenItHasNone() throws Exception {
        JournalDatabase db = db("day-equity.db");
        try (Journal j = Journal.open(db, "live", 1L, null)) {
            j.recordDayStart(19_466, new BigDecimal("10000"), 19_466 * 86_400_000L);
            j.recordDayHalt(19_466, new BigDecimal("10000"), 19_466 * 86_400_000L + 60_000, "daily loss -300", "hard_cap");
            j.recordDayEquity(19_466, new BigDecimal("10000"), new BigDecimal("9700.25"), 19_466 * 86_400_000L + 120_000);
            j.recordDayEquity(19_466, new BigDecimal("10000"), new BigDecimal("9690.5"), 19_466 * 86_400_000L + 180_000)
                    .get(5, TimeUnit.SECONDS);
            TradingDay day = j.lastDay().get(5, TimeUnit.SECONDS).orElseThrow();
            assertThat(day.lastTradingEquity()).isEqualByComparingTo("9690.5");
            assertThat(day.lastEquityMs()).isEqualTo(19_466 * 86_400_000L + 180_000);
            assertThat(day.startTradingEquity()).as("the start stays").isEqualByComparingTo("10000");
            assertThat(day.haltCause()).as("the halt stays").isEqualTo("daily loss -300");
            // a day whose start was not written (its write failed) gets its row from the equity's
            j.recordDayEquity(19_467, new BigDecimal("9690.5"), new BigDecimal("9695"), 19_467 * 86_400_000L + 60_000)
                    .get(5, TimeUnit.SECONDS);
            TradingDay next = j.lastDay().get(5, TimeUnit.SECONDS).orElseThrow();
            assertThat(next.utcDay()).isEqualTo(19_467);
            assertThat(next.startTradingEquity()).isEqualByComparingTo("9690.5");
            assertThat(next.lastTradingEquity()).isEqualByComparingTo("9695");
            assertThat(next.halted()).isFalse();
        }
        try (Journal j = Journal.open(db, "live", 2L, null)) {
            j.recordDayStart(19_468, new BigDecimal("9695"), 19_468 * 86_400_000L).get(5, TimeUnit.SECONDS);
            TradingDay fresh = j.lastDay().get(5, TimeUnit.SECONDS).orElseThrow();
            assertThat(fresh.lastTradingEquity()).as("none valued yet that day").isNull();
            assertThat(fresh.lastEquityMs()).isNull();
        }
    }

    /** The journal called {@code name}, with the schema only up to version {@code target}. */
    private JournalDatabase migratedTo(String name, String target) throws Exception {
        JournalDatabase db = db(name);
        db.prepareForWriting();
        org.flywaydb.core.Flyway.configure().dataSource(db.url(), db.user(), db.password())
                .locations("classpath:db/journal").table("journal_schema_history").target(target).load().migrate();
        return db;
    }

    @Test
    void aJournalOfTheV3SchemaKeepsItsDaysWhenMigrated() throws Exception {
        JournalDatabase db = migratedTo("v3.db", "3");
        try (Connection c = db.connection(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO journal_day (utc_day, start_trading_equity, run_no, started_ms, halted_ms,"
                    + " halt_cause, halt_source) VALUES (19466, '9990.5', 1, 5, 60000, 'daily loss -300', 'hard_cap')");
        }
        try (Journal j = Journal.open(db, "live", 10L, null)) {
            TradingDay day = j.lastDay().get(5, TimeUnit.SECONDS).orElseThrow();
            assertThat(day.startTradingEquity()).isEqualByComparingTo("9990.5");
            assertThat(day.halted()).isTrue();
            assertThat(day.lastTradingEquity()).isNull();
        }
        assertThat(query(db, "SELECT MAX(version) FROM journal_schema_history")).containsExactly(List.of("4"));
    }

    @Test
    void aJournalOfTheEarlierSchemaIsMigratedAtOpenAndKeepsItsRows() throws Exception {
        JournalDatabase db = migratedTo("v2.db", "2");
        try (Connection c = db.connection(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO journal_run (run_no, id_prefix, mode, started_ms) VALUES (1, 'aqold1-', 'live', 5)");
            st.executeUpdate("INSERT INTO journal_fill (symbol, trade_id, client_order_id, time_ms, side, price, qty,"
                    + " quote_qty, fee, fee_asset, base_asset, reason, source) VALUES ('BTCUSDT', 7, 'aqold1-1', 6, 'BUY',"
                    + " '27000', '0.001', '27', '0.000001', 'BTC', 'BTC', 'entry', 'exchange')");
        }
        try (Journal j = Journal.open(db, "live", 10L, null)) {
            assertThat(j.runNo()).isEqualTo(2);
            assertThat(j.fills().get(5, TimeUnit.SECONDS)).extracting(r -> r.fill().tradeId()).containsExactly(7L);
            assertThat(j.lastDay().get(5, TimeUnit.SECONDS)).isEmpty();
            j.recordDayStart(1, new BigDecimal("1000"), 86_400_000L).get(5, TimeUnit.SECONDS);
            assertThat(j.lastDay().get(5, TimeUnit.SECONDS)).isPresent();
        }
        assertThat(query(db, "SELECT MAX(version) FROM journal_schema_history")).containsExactly(List.of("4"));
    }
}
