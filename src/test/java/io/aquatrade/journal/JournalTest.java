package io.aquatrade.journal;

import io.aquatrade.model.Fill;
import io.aquatrade.model.Side;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JournalTest {

    @TempDir
    Path dir;

    static OrderRecord order(String id, long run, long seq, String symbol, long createdMs) {
        return new OrderRecord(id, run, seq, symbol, "BUY", "MARKET", null, new BigDecimal("100"), null, null,
                new BigDecimal("27000.5"), "entry-echo-up", "ENTRY", 1L, 1.2, 1.5, "2023-04-01", 5000, createdMs,
                null, "NEW", null, BigDecimal.ZERO, BigDecimal.ZERO, createdMs, null);
    }

    static Fill fill(String symbol, long tradeId, String coid) {
        return new Fill(1_000L + tradeId, symbol, Side.BUY, new BigDecimal("27000"), new BigDecimal("0.0037"),
                new BigDecimal("99.9"), new BigDecimal("0.0000037"), "BTC", coid, "entry-echo-up", tradeId);
    }

    @Test
    void opensWithWalAndFullSyncAndAVersionedSchema() throws Exception {
        Path file = dir.resolve("var/journal.db");
        try (Journal j = Journal.open(file, "live", 1_700_000_000_000L, null)) {
            j.insertOrder(order(ClientOrderIds.of(j.idPrefix(), j.nextOrderSeq()), j.runNo(), 1, "BTCUSDT", 10))
                    .get(5, TimeUnit.SECONDS);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
            }
            try (ResultSet rs = st.executeQuery("SELECT version, success FROM journal_schema_history WHERE version IS NOT NULL")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("1");
                assertThat(rs.getBoolean(2)).isTrue();
            }
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM journal_order")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
        // synchronous is a per-connection setting: the writer's connection commits into the WAL (NORMAL, 1) and the
        // writer fsyncs the WAL after every commit itself (outside the lock), which is what FULL would do inside it
        try (Journal j = Journal.open(file, "live", 1_700_000_000_001L, null)) {
            int sync = j.submit(w -> {
                try (Statement st = w.conn.createStatement(); ResultSet rs = st.executeQuery("PRAGMA synchronous")) {
                    rs.next();
                    return rs.getInt(1);
                }
            }).get(5, TimeUnit.SECONDS);
            assertThat(sync).isEqualTo(1);
            j.recordKillSwitch(1, "ACTIVE", "HALTED", "test", "test").get(5, TimeUnit.SECONDS);
            assertThat(j.stats().syncP50Nanos()).as("the WAL was fsynced after the commit").isPositive();
        }
    }

    @Test
    void everyRunGetsANewPrefixSoClientOrderIdsNeverRepeatAcrossRestarts() throws Exception {
        Path file = dir.resolve("journal.db");
        List<String> ids = new ArrayList<>();
        long t = 1_700_000_000_000L;
        for (int run = 0; run < 3; run++) {
            try (Journal j = Journal.open(file, "live", t, null)) { // the same start ms each time: the run number differs
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
        assertThatThrownBy(() -> Journal.open(file, "live", t, Journal.newPrefix(t, 1)))
                .isInstanceOf(JournalException.class).hasMessageContaining("already used");
    }

    @Test
    void aFillSeenTwiceCountsOnce() throws Exception {
        try (Journal j = Journal.open(dir.resolve("j.db"), "live", 1L, null)) {
            assertThat(j.recordFill(fill("BTCUSDT", 7, "a1"), "BTC", "stream").get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(j.recordFill(fill("BTCUSDT", 7, "a1"), "BTC", "reconcile").get(5, TimeUnit.SECONDS)).isFalse();
            // the same trade id on another symbol is another trade
            assertThat(j.recordFill(fill("ETHUSDT", 7, "a2"), "ETH", "stream").get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(j.fills().get(5, TimeUnit.SECONDS)).hasSize(2);
            assertThat(j.lastTradeIds().get(5, TimeUnit.SECONDS)).containsEntry("BTCUSDT", 7L).containsEntry("ETHUSDT", 7L);
        }
    }

    @Test
    void orderStateChangesAreRowsAndUnfinishedOrdersAreFoundAfterAReopen() throws Exception {
        Path file = dir.resolve("j.db");
        try (Journal j = Journal.open(file, "live", 1L, null)) {
            j.insertOrder(order("x-1", j.runNo(), 1, "BTCUSDT", 10));
            j.insertOrder(order("x-2", j.runNo(), 2, "ETHUSDT", 11));
            j.updateOrder("x-1", 12, "SENT", "SENT", null, null, null, 12L, null);
            j.updateOrder("x-1", 13, "ACK", "ACKED", 991L, null, null, null, null);
            j.updateOrder("x-1", 14, "DONE", "FILLED", null, new BigDecimal("0.0037"), new BigDecimal("99.9"), null, null);
            j.updateOrder("x-2", 15, "UNKNOWN", "UNKNOWN", null, null, null, 15L, "timeout");
            j.flush(5000);
        }
        try (Journal j = Journal.open(file, "live", 2L, null)) {
            List<OrderRecord> open = j.unfinishedOrders().get(5, TimeUnit.SECONDS);
            assertThat(open).extracting(OrderRecord::clientOrderId).containsExactly("x-2");
            assertThat(open.get(0).lastError()).isEqualTo("timeout");
            assertThat(open.get(0).sentMs()).isEqualTo(15L);
            OrderRecord done = j.order("x-1").get(5, TimeUnit.SECONDS).orElseThrow();
            assertThat(done.state()).isEqualTo("FILLED");
            assertThat(done.exchangeOrderId()).isEqualTo(991L);
            assertThat(done.executedQty()).isEqualByComparingTo("0.0037");
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
    }

    @Test
    void aBurstOfWritesSharesCommitsAndABadRowFailsAloneWithoutLosingItsBatch() throws Exception {
        try (Journal j = Journal.open(dir.resolve("j.db"), "live", 1L, null)) {
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
    void writesAfterCloseFailInsteadOfVanishing() {
        Journal j = Journal.open(dir.resolve("j.db"), "live", 1L, null);
        j.close();
        assertThatThrownBy(() -> j.recordFill(fill("BTCUSDT", 1, "a"), "BTC", "stream").get(1, TimeUnit.SECONDS))
                .hasMessageContaining("closed");
    }

    @Test
    void positionsFoldFillsWithFeesInTheBaseAsset() throws Exception {
        Path file = dir.resolve("j.db");
        try (Journal j = Journal.open(file, "live", 1L, null)) {
            j.recordFill(new Fill(1, "BTCUSDT", Side.BUY, new BigDecimal("20000"), new BigDecimal("0.005"),
                    new BigDecimal("100"), new BigDecimal("0.000005"), "BTC", "o1", "e", 1), "BTC", "stream");
            j.recordFill(new Fill(2, "BTCUSDT", Side.SELL, new BigDecimal("21000"), new BigDecimal("0.004"),
                    new BigDecimal("84"), new BigDecimal("0.084"), "USDT", "o2", "x", 2), "BTC", "stream");
            j.flush(5000);
        }
        try (JournalReader r = JournalReader.open(file)) {
            List<JournalReader.PositionRow> p = r.positions(Long.MIN_VALUE);
            assertThat(p).hasSize(1);
            assertThat(p.get(0).qty()).isEqualByComparingTo("0.000995");
            assertThat(p.get(0).quoteFees()).isEqualByComparingTo("0.084");
            assertThat(p.get(0).buys()).isEqualTo(1);
            assertThat(p.get(0).sells()).isEqualTo(1);
        }
    }

    @Test
    void aFileThatIsNotAJournalIsRefusedByName() throws Exception {
        Path other = dir.resolve("other.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + other); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (a INTEGER)");
        }
        assertThatThrownBy(() -> JournalReader.open(other)).hasMessageContaining("not an Aquatrade journal")
                .hasMessageContaining("other.db");
        assertThatThrownBy(() -> JournalReader.open(dir.resolve("missing.db"))).hasMessageContaining("no such file");
    }
}
