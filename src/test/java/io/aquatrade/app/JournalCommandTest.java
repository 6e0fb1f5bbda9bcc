package io.aquatrade.app;

import io.aquatrade.journal.ClientOrderIds;
import io.aquatrade.journal.Journal;
import io.aquatrade.journal.OrderRecord;
import io.aquatrade.model.Fill;
import io.aquatrade.model.Side;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JournalCommandTest {

    @TempDir
    Path dir;
    Path file;
    String buyId;
    String sellId;

    static final long T0 = Instant.parse("2026-04-18T10:00:00Z").toEpochMilli();
    static final long T1 = Instant.parse("2026-04-19T12:30:00Z").toEpochMilli();

    @BeforeEach
    void aRealJournalFile() {
        file = dir.resolve("var/journal.db");
        try (Journal j = Journal.open(file, "live", T0, null)) {
            buyId = ClientOrderIds.of(j.idPrefix(), j.nextOrderSeq());
            sellId = ClientOrderIds.of(j.idPrefix(), j.nextOrderSeq());
            j.insertOrder(new OrderRecord(buyId, j.runNo(), 1, "BTCUSDT", "BUY", "MARKET", null, new BigDecimal("100"),
                    null, null, new BigDecimal("20000"), "entry-echo-up", "ENTRY", 1L, 1.2, 1.5, null, 5000, T0, T0,
                    "FILLED", 11L, new BigDecimal("0.005"), new BigDecimal("100"), T0, null));
            j.insertOrder(new OrderRecord(sellId, j.runNo(), 2, "BTCUSDT", "SELL", "MARKET", new BigDecimal("0.004"),
                    null, null, null, new BigDecimal("21000"), "take_profit, all", "EXIT", null, null, null, null, 5000,
                    T1, T1, "FILLED", 12L, new BigDecimal("0.004"), new BigDecimal("84"), T1, null));
            j.recordFill(new Fill(T0, "BTCUSDT", Side.BUY, new BigDecimal("20000"), new BigDecimal("0.005"),
                    new BigDecimal("100"), new BigDecimal("0.000005"), "BTC", buyId, "entry-echo-up", 501), "BTC", "stream");
            j.recordFill(new Fill(T1, "BTCUSDT", Side.SELL, new BigDecimal("21000"), new BigDecimal("0.004"),
                    new BigDecimal("84"), new BigDecimal("0.084"), "USDT", sellId, "take_profit, all", 502), "BTC", "stream");
        }
    }

    private String run(String... args) {
        PrintStream before = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int code = Main.commandLine().execute(args);
            assertThat(code).as("exit code of " + String.join(" ", args)).isZero();
        } finally {
            System.setOut(before);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void fillsExportAsCsvWithOneRowPerTradeAndQuotedCells() {
        String csv = run("journal", "fills", "--csv", "--journal", file.toString());
        List<String> lines = csv.lines().toList();
        assertThat(lines.get(0)).isEqualTo("time,time_ms,symbol,trade_id,side,price,qty,quote_qty,fee,fee_asset,"
                + "client_order_id,reason,source");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).isEqualTo("2026-04-18T10:00:00Z," + T0 + ",BTCUSDT,501,BUY,20000,0.005,100,0.000005,BTC,"
                + buyId + ",entry-echo-up,stream");
        assertThat(lines.get(2)).contains(",\"take_profit, all\",");
    }

    @Test
    void sinceFiltersByDayAndTheTableNamesItsRowCount() {
        String table = run("journal", "orders", "--since", "2026-04-19", "--journal", file.toString());
        assertThat(table).contains(sellId).doesNotContain(buyId).contains("1 orders row(s) from");
        assertThat(table.lines().findFirst().orElseThrow()).startsWith("created").contains("client_order_id");
    }

    @Test
    void positionsAreNetOfBaseFeesAndExportToAFile() throws Exception {
        Path out = dir.resolve("export/positions.csv");
        String msg = run("journal", "positions", "--csv", "--out", out.toString(), "--journal", file.toString());
        assertThat(msg).contains("1 positions row(s)").contains(out.toString());
        List<String> lines = Files.readAllLines(out);
        assertThat(lines.get(1)).startsWith("BTCUSDT,BTC,0.000995,100,84,0.084,1,1,");
    }

    @Test
    void badSinceAndMissingFileAreClearErrors() {
        PrintStream before = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            var cl = Main.commandLine();
            cl.setErr(new java.io.PrintWriter(err, true));
            assertThat(cl.execute("journal", "fills", "--since", "yesterday", "--journal", file.toString())).isNotZero();
            assertThat(cl.execute("journal", "fills", "--journal", dir.resolve("nope.db").toString())).isNotZero();
        } finally {
            System.setErr(before);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--since 'yesterday'").contains("no such file");
    }

    @Test
    void ageSinceCountsBackFromNow() {
        assertThat(JournalCommand.parseSince("36h", 100_000_000L)).isEqualTo(100_000_000L - 36 * 3_600_000L);
        assertThat(JournalCommand.parseSince("2026-04-19T12:00:00Z", 0)).isEqualTo(T1 - 30 * 60_000L);
    }
}
