package io.aquatrade.app;

import io.aquatrade.journal.ClientOrderIds;
import io.aquatrade.journal.Journal;
import io.aquatrade.journal.JournalDatabase;
import io.aquatrade.journal.OrderRecord;
import io.aquatrade.model.Fill;
import io.aquatrade.model.Side;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code aquatrade journal orders|fills|positions} on a real journal, whichever database holds it:
 * {@link JournalCommandTest} (SQLite, {@code --journal FILE}) and {@link PostgresJournalCommandTest}
 * ({@code journal.url} from {@code --config}, the password from the environment).
 */
abstract class JournalCommandContract {

    @TempDir
    Path dir;
    String buyId;
    String sellId;

    static final long T0 = Instant.parse("2026-04-18T10:00:00Z").toEpochMilli();
    static final long T1 = Instant.parse("2026-04-19T12:30:00Z").toEpochMilli();

    /** The journal the command is pointed at (created empty by the first call of a test). */
    abstract JournalDatabase database() throws Exception;

    /** The command-line arguments that point the command at {@link #database()}. */
    abstract List<String> source() throws Exception;

    /** The environment the command sees (journal.password_env's variable). */
    Map<String, String> environment() {
        return Map.of();
    }

    @BeforeEach
    void aRealJournal() throws Exception {
        try (Journal j = Journal.open(database(), "live", T0, null)) {
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

    /** The command line with the journal command's environment set to {@link #environment()}. */
    CommandLine commandLine() {
        CommandLine cl = Main.commandLine();
        ((JournalCommand) cl.getSubcommands().get("journal").getCommand()).environment = environment();
        return cl;
    }

    /** Runs {@code args} plus {@link #source()}; asserts exit code 0 and returns standard output. */
    String run(String... args) throws Exception {
        return execute(true, args);
    }

    /** Runs {@code args} plus {@link #source()}, expecting a non-zero exit: what it printed on standard error. */
    String fail(String... args) throws Exception {
        return execute(false, args);
    }

    /** Runs the command line; asserts its exit code is 0 ({@code ok}) or not; returns standard output or error. */
    private String execute(boolean ok, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(source());
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ByteArrayOutputStream errBuf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(errBuf, true, StandardCharsets.UTF_8));
        try {
            CommandLine cl = commandLine();
            cl.setErr(new java.io.PrintWriter(errBuf, true));
            int code = cl.execute(all.toArray(String[]::new));
            if (ok) {
                assertThat(code).as("exit code of " + String.join(" ", all) + "; stderr: " + errBuf).isZero();
            } else {
                assertThat(code).as("exit code of " + String.join(" ", all)).isNotZero();
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return (ok ? buf : errBuf).toString(StandardCharsets.UTF_8);
    }

    @Test
    void fillsExportAsCsvWithOneRowPerTradeAndQuotedCells() throws Exception {
        String csv = run("journal", "fills", "--csv");
        List<String> lines = csv.lines().toList();
        assertThat(lines.get(0)).isEqualTo("time,time_ms,symbol,trade_id,side,price,qty,quote_qty,fee,fee_asset,"
                + "client_order_id,reason,source");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).isEqualTo("2026-04-18T10:00:00Z," + T0 + ",BTCUSDT,501,BUY,20000,0.005,100,0.000005,BTC,"
                + buyId + ",entry-echo-up,stream");
        assertThat(lines.get(2)).contains(",\"take_profit, all\",");
    }

    @Test
    void sinceFiltersByDayAndTheTableNamesItsRowCount() throws Exception {
        String table = run("journal", "orders", "--since", "2026-04-19");
        assertThat(table).contains(sellId).doesNotContain(buyId).contains("1 orders row(s) from " + database().where());
        assertThat(table.lines().findFirst().orElseThrow()).startsWith("created").contains("client_order_id");
    }

    @Test
    void positionsAreNetOfBaseFeesAndExportToAFile() throws Exception {
        Path out = dir.resolve("export/positions.csv");
        String msg = run("journal", "positions", "--csv", "--out", out.toString());
        assertThat(msg).contains("1 positions row(s)").contains(out.toString());
        List<String> lines = Files.readAllLines(out);
        assertThat(lines.get(1)).startsWith("BTCUSDT,BTC,0.000995,100,84,0.084,1,1,");
    }

    /** A second run that leaves ETH dust (the base fee) and closes SOL to exactly zero; BTC stays really open. */
    private void dustAndAClosedSymbol() throws Exception {
        try (Journal j = Journal.open(database(), "live", T1, null)) {
            String ethBuy = ClientOrderIds.of(j.idPrefix(), j.nextOrderSeq());
            String ethSell = ClientOrderIds.of(j.idPrefix(), j.nextOrderSeq());
            j.recordFill(new Fill(T1, "ETHUSDT", Side.BUY, new BigDecimal("2000"), new BigDecimal("0.05"),
                    new BigDecimal("100"), new BigDecimal("0.00005"), "ETH", ethBuy, "entry-echo-up", 601), "ETH", "stream");
            j.recordFill(new Fill(T1 + 60_000, "ETHUSDT", Side.SELL, new BigDecimal("2100"), new BigDecimal("0.0499"),
                    new BigDecimal("104.79"), new BigDecimal("0.10479"), "USDT", ethSell, "take_profit", 602), "ETH", "stream");
            j.recordFill(new Fill(T1, "SOLUSDT", Side.BUY, new BigDecimal("20"), new BigDecimal("5"),
                    new BigDecimal("100"), new BigDecimal("0.1"), "BNB", ethBuy, "entry-echo-up", 701), "SOL", "stream");
            j.recordFill(new Fill(T1 + 60_000, "SOLUSDT", Side.SELL, new BigDecimal("21"), new BigDecimal("5"),
                    new BigDecimal("105"), new BigDecimal("0.1"), "BNB", ethSell, "take_profit", 702), "SOL", "stream");
        }
    }

    @Test
    void positionsMarkDustAndClosedSymbolsApartFromTheRealOpenPositions() throws Exception {
        dustAndAClosedSymbol();
        String table = run("journal", "positions");
        List<String> lines = table.lines().toList();
        assertThat(lines.get(0)).endsWith("status");
        // 0.000995 BTC at 21000 is 20.9 USDT: sellable. 0.00005 ETH is below ETHUSDT's LOT_SIZE minQty 0.0001.
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("BTCUSDT").endsWith("open"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("ETHUSDT").contains("0.00005").endsWith("dust"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("SOLUSDT").endsWith("closed"));
        assertThat(table).contains("3 positions row(s) from " + database().where() + ": 1 open, 1 dust, 1 closed");

        List<String> csv = run("journal", "positions", "--csv").lines().toList();
        assertThat(csv.get(0)).isEqualTo("symbol,base_asset,qty,bought_quote,sold_quote,quote_fees,buys,sells,last_fill,status");
        assertThat(csv).anySatisfy(l -> assertThat(l).startsWith("ETHUSDT,ETH,0.00005,").endsWith(",dust"));
    }

    @Test
    void csvTextCellsThatASpreadsheetWouldRunAsAFormulaAreQuotedAndNumbersStayNumbers() throws Exception {
        try (Journal j = Journal.open(database(), "live", T1, null)) {
            String id = ClientOrderIds.of(j.idPrefix(), j.nextOrderSeq());
            j.insertOrder(new OrderRecord(id, j.runNo(), 1, "BTCUSDT", "BUY", "MARKET", null, new BigDecimal("100"),
                    null, null, new BigDecimal("20000"), "=HYPERLINK(\"http://x\",\"y\")", "ENTRY", 2L, 1.2, 1.5, null,
                    5000, T1, T1, "REJECTED", null, BigDecimal.ZERO, BigDecimal.ZERO, T1, "@SUM(A1:A9)"));
            j.recordFill(new Fill(T1, "ETHUSDT", Side.BUY, new BigDecimal("2000"), new BigDecimal("0.05"),
                    new BigDecimal("100"), new BigDecimal("0.00005"), "ETH", id, "+1+1", 801), "ETH", "stream");
            j.recordFill(new Fill(T1 + 1, "ETHUSDT", Side.SELL, new BigDecimal("2000"), new BigDecimal("0.06"),
                    new BigDecimal("120"), new BigDecimal("0.12"), "USDT", id, "-1+1", 802), "ETH", "stream");
        }
        String orders = run("journal", "orders", "--csv");
        assertThat(orders).contains(",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",").contains(",'@SUM(A1:A9)")
                .doesNotContain(",=").doesNotContain(",@");
        String fills = run("journal", "fills", "--csv");
        assertThat(fills).contains(",'+1+1,").contains(",'-1+1,");
        // a short position in the journal's arithmetic (sold more than bought): a negative number, not text
        String positions = run("journal", "positions", "--csv");
        assertThat(positions).contains("ETHUSDT,ETH,-0.01005,");
        assertThat(JournalCommand.csvCell("-1.5")).isEqualTo("-1.5");
        assertThat(JournalCommand.csvCell("-x")).isEqualTo("'-x");
        assertThat(JournalCommand.csvCell("\t=1")).isEqualTo("'\t=1");
        assertThat(JournalCommand.csvCell("=1,2")).isEqualTo("\"'=1,2\"");
        assertThat(JournalCommand.csvCell("a=b")).isEqualTo("a=b");
    }

    @Test
    void aBadSinceIsAClearError() throws Exception {
        assertThat(fail("journal", "fills", "--since", "yesterday")).contains("--since 'yesterday'");
    }

    @Test
    void ageSinceCountsBackFromNow() {
        assertThat(JournalCommand.parseSince("36h", 100_000_000L)).isEqualTo(100_000_000L - 36 * 3_600_000L);
        assertThat(JournalCommand.parseSince("2026-04-19T12:00:00Z", 0)).isEqualTo(T1 - 30 * 60_000L);
    }
}
