package io.aquatrade.app;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.journal.JournalDatabase;
import io.aquatrade.journal.JournalReader;
import io.aquatrade.journal.OrderRecord;
import io.aquatrade.execution.ExchangeSymbolRules;
import io.aquatrade.execution.SymbolRules;
import io.aquatrade.model.Fill;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code journal orders|fills|positions}: the trade history from the order journal, as a table or
 * as CSV for accounting, from the SQLite file or the PostgreSQL server of {@code journal.url}. Reads the database
 * while the bot runs (readers never block its writer).
 */
@Command(name = "journal", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print the trade history kept in the order journal, or export it as CSV.",
                "  orders     every order: client order id, symbol, side, type, state, amounts,",
                "             reason",
                "  fills      every exchange trade (one row per trade id), with price, quantity",
                "             and fee",
                "  positions  net quantity held per symbol, built from the fills, with quote",
                "             bought and sold; status open, dust (a remainder below the",
                "             symbol's minimum quantity or notional: not sellable) or closed"})
final class JournalCommand implements Callable<Integer> {

    enum View { orders, fills, positions }

    @Parameters(index = "0", paramLabel = "VIEW", description = "orders, fills or positions.")
    View view;

    @Option(names = "--since", paramLabel = "WHEN",
            description = "Only rows from this time on: a UTC day (2026-04-19), an instant (2026-04-19T10:00:00Z) "
                    + "or an age (90m, 36h, 7d). For positions: symbols traded since then. Default: everything.")
    String since;

    @Option(names = "--csv", description = "Write CSV (header row, plain decimals, times as ISO-8601 UTC and epoch ms) instead of a table.")
    boolean csv;

    @Option(names = "--out", paramLabel = "FILE", description = "Write to this file instead of standard output (with --csv: the export for accounting).")
    Path out;

    @Option(names = "--journal", paramLabel = "FILE",
            description = "A SQLite journal file (default: journal.url, or else journal.path, from the configuration).")
    Path journal;

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML configuration to read journal.url / journal.path from (default: config/aquatrade.yaml if present).")
    Path config;

    @Option(names = "--exchange-info", paramLabel = "FILE",
            description = "exchangeInfo JSON whose filters tell dust from open positions (default: exchange.info_file, "
                    + "else the real one bundled).")
    Path exchangeInfo;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Where journal.password_env's variable is looked up (the process's environment). */
    Map<String, String> environment = System.getenv();

    @Override
    public Integer call() throws IOException {
        long sinceMs;
        try {
            sinceMs = since == null ? Long.MIN_VALUE : parseSince(since, System.currentTimeMillis());
        } catch (IllegalArgumentException e) {
            // this command's own CommandLine: its error stream and its full name (aquatrade journal) in the hint
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        AquatradeConfig cfg = loadConfig();
        JournalDatabase db = journal != null ? JournalDatabase.sqlite(journal) : JournalDatabase.fromConfig(cfg, environment);
        String file = db.where();
        String counts = "";
        List<String> header;
        List<List<String>> rows = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(db)) {
            switch (view) {
                case orders -> {
                    header = List.of("created", "created_ms", "client_order_id", "symbol", "side", "type", "purpose",
                            "state", "quantity", "quote_qty", "executed_qty", "cum_quote_qty", "exchange_order_id",
                            "reason", "last_error");
                    for (OrderRecord o : reader.orders(sinceMs)) {
                        rows.add(List.of(iso(o.createdMs()), Long.toString(o.createdMs()), o.clientOrderId(), o.symbol(),
                                o.side(), o.orderType(), o.purpose(), o.state(), dec(o.quantity()), dec(o.quoteQty()),
                                dec(o.executedQty()), dec(o.cumQuoteQty()),
                                o.exchangeOrderId() == null ? "" : o.exchangeOrderId().toString(), o.reason(),
                                o.lastError() == null ? "" : o.lastError()));
                    }
                }
                case fills -> {
                    header = List.of("time", "time_ms", "symbol", "trade_id", "side", "price", "qty", "quote_qty", "fee",
                            "fee_asset", "client_order_id", "reason", "source");
                    for (JournalReader.FillRow r : reader.fills(sinceMs)) {
                        Fill f = r.fill();
                        rows.add(List.of(iso(f.timeMs()), Long.toString(f.timeMs()), f.symbol(), Long.toString(f.tradeId()),
                                f.side().name(), dec(f.price()), dec(f.qty()), dec(f.quoteQty()), dec(f.fee()), f.feeAsset(),
                                f.clientOrderId(), f.reason(), r.source()));
                    }
                }
                default -> {
                    header = List.of("symbol", "base_asset", "qty", "bought_quote", "sold_quote", "quote_fees", "buys",
                            "sells", "last_fill", "status");
                    SymbolRules filters = new ExchangeSymbolRules(ExchangeInfoSource.load(
                            ExchangeInfoSource.file(exchangeInfo, cfg)));
                    Map<String, Integer> byStatus = new LinkedHashMap<>();
                    for (String st : List.of(OPEN, DUST, CLOSED, NEGATIVE, NO_FILTERS)) {
                        byStatus.put(st, 0);
                    }
                    for (JournalReader.PositionRow p : reader.positions(sinceMs)) {
                        String st = status(p, filters);
                        byStatus.merge(st, 1, Integer::sum);
                        rows.add(List.of(p.symbol(), p.baseAsset(), dec(p.qty()), dec(p.boughtQuote()), dec(p.soldQuote()),
                                dec(p.quoteFees()), Integer.toString(p.buys()), Integer.toString(p.sells()),
                                iso(p.lastFillMs()), st));
                    }
                    StringBuilder c = new StringBuilder(": " + byStatus.get(OPEN) + " " + OPEN);
                    byStatus.forEach((st, n) -> {
                        if (n > 0 && !st.equals(OPEN)) {
                            c.append(", ").append(n).append(' ').append(st);
                        }
                    });
                    counts = c.toString();
                }
            }
        }
        PrintStream console = System.out;
        if (out != null) {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
                write(w, header, rows);
            }
            console.printf("%d %s row(s) from %s written to %s%s%n", rows.size(), view, file, out, counts);
        } else {
            PrintWriter w = new PrintWriter(console, true, StandardCharsets.UTF_8);
            write(w, header, rows);
            w.flush();
            if (!csv) {
                console.printf("%d %s row(s) from %s%s%n", rows.size(), view, file, counts);
            }
        }
        return 0;
    }

    private void write(PrintWriter w, List<String> header, List<List<String>> rows) {
        if (csv) {
            w.println(String.join(",", header));
            for (List<String> r : rows) {
                List<String> cells = new ArrayList<>(r.size());
                for (String c : r) {
                    cells.add(csvCell(c));
                }
                w.println(String.join(",", cells));
            }
        } else {
            printTable(w, header, rows);
        }
    }

    private AquatradeConfig loadConfig() {
        Path cfg = config;
        if (cfg == null) {
            Path dflt = Path.of("config", "aquatrade.yaml");
            cfg = dflt.toFile().isFile() ? dflt : null;
        }
        return AquatradeConfig.load(cfg, List.of());
    }

    static final String OPEN = "open";
    static final String DUST = "dust";
    static final String CLOSED = "closed";
    /** More sold than the journal saw bought (fills it never recorded): not a position it can judge. */
    static final String NEGATIVE = "negative";
    /** A symbol the exchangeInfo does not list: whether its remainder is sellable cannot be told. */
    static final String NO_FILTERS = "no filters";

    /**
     * What a position row is to the trader: open (sellable), dust (a fee remainder below the symbol's minimum
     * quantity or notional at the latest fill's price, by the same filters execution rounds with), or closed.
     */
    private static String status(JournalReader.PositionRow p, SymbolRules filters) {
        int sign = p.qty().signum();
        if (sign == 0) {
            return CLOSED;
        }
        if (sign < 0) {
            return NEGATIVE;
        }
        if (!filters.knows(p.symbol())) {
            return NO_FILTERS;
        }
        return filters.isDust(p.symbol(), p.qty(), p.lastPrice()) ? DUST : OPEN;
    }

    /** A UTC day, an ISO instant, or an age before {@code nowMs} such as 90m, 36h or 7d; else IllegalArgumentException. */
    static long parseSince(String s, long nowMs) {
        String t = s.trim();
        try {
            if (t.matches("\\d+[smhd]")) {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                Duration d = switch (t.charAt(t.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
                return nowMs - d.toMillis();
            }
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            }
            return Instant.parse(t).toEpochMilli();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--since '" + s + "': expected a UTC day (2026-04-19), an instant (2026-04-19T10:00:00Z) or an age (90m, 36h, 7d)");
        }
    }

    /** First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection). */
    private static final String FORMULA_START = "=+-@\t\r";
    private static final java.util.regex.Pattern PLAIN_NUMBER = java.util.regex.Pattern.compile("-?\\d+(\\.\\d+)?");

    /**
     * One CSV cell: a text cell that a spreadsheet would run as a formula gets a leading single quote (numbers such
     * as -1.5 stay numbers); then quoted where it holds a comma, a quote or a line break.
     */
    static String csvCell(String cell) {
        String c = cell;
        if (!c.isEmpty() && FORMULA_START.indexOf(c.charAt(0)) >= 0 && !PLAIN_NUMBER.matcher(c).matches()) {
            c = "'" + c;
        }
        if (c.indexOf(',') >= 0 || c.indexOf('"') >= 0 || c.indexOf('\n') >= 0 || c.indexOf('\r') >= 0) {
            return '"' + c.replace("\"", "\"\"") + '"';
        }
        return c;
    }

    private static void printTable(PrintWriter w, List<String> header, List<List<String>> rows) {
        int[] width = new int[header.size()];
        Function<List<String>, Void> measure = r -> {
            for (int i = 0; i < r.size(); i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
            return null;
        };
        measure.apply(header);
        rows.forEach(measure::apply);
        StringBuilder sb = new StringBuilder();
        line(sb, header, width);
        for (int i = 0; i < width.length; i++) {
            sb.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
        }
        sb.append('\n');
        for (List<String> r : rows) {
            line(sb, r, width);
        }
        w.print(sb);
    }

    private static void line(StringBuilder sb, List<String> r, int[] width) {
        for (int i = 0; i < r.size(); i++) {
            String c = r.get(i);
            sb.append(i == 0 ? "" : "  ").append(c);
            if (i < r.size() - 1) {
                sb.append(" ".repeat(width[i] - c.length()));
            }
        }
        sb.append('\n');
    }

    private static String iso(long ms) {
        return ms == Long.MIN_VALUE ? "" : Instant.ofEpochMilli(ms).toString();
    }

    private static String dec(BigDecimal d) {
        return d == null ? "" : d.stripTrailingZeros().toPlainString();
    }
}
