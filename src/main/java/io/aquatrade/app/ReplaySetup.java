package io.aquatrade.app;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.config.ConfigKeys;
import io.aquatrade.exchange.ExchangeInfo;
import io.aquatrade.market.MarketData;
import io.aquatrade.market.MarketEventReader;
import io.aquatrade.market.QuoteClock;
import io.aquatrade.market.ReadOptions;
import io.aquatrade.market.ReadReport;
import io.aquatrade.market.TimeWindow;
import io.aquatrade.model.MarketEvent;
import io.aquatrade.report.ReportWriter;
import io.aquatrade.rules.CompiledRuleSet;
import io.aquatrade.rules.RuleSetCompiler;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;

/**
 * What replay and demo share: loading config, exchange rules and rules; opening the data with its
 * warm-up; running it through a {@link TradingRun}; writing and printing the report.
 */
final class ReplaySetup {

    private static final long DAY = 86_400_000L;

    final AquatradeConfig config;
    final ExchangeInfo exchangeInfo;
    final CompiledRuleSet ruleSet;

    ReplaySetup(RunOptions opts, List<String> extraOverrides) {
        List<String> overrides = new ArrayList<>(extraOverrides);
        overrides.addAll(opts.overrides);
        this.config = AquatradeConfig.load(opts.configFile(), overrides);
        Mode mode = Mode.of(config);
        if (mode != Mode.REPLAY) {
            // replay and demo always fill in the simulator: never let a run look like live trading
            throw new io.aquatrade.config.ConfigException("mode must be replay for replay, demo and bench runs, got '"
                    + mode.key() + "' (" + config.origin(ConfigKeys.MODE) + "); paper, testnet and live trade with the run command");
        }
        Path info = opts.exchangeInfo;
        if (info == null && !config.string(ConfigKeys.EXCHANGE_INFO_FILE).isBlank()) {
            info = Path.of(config.string(ConfigKeys.EXCHANGE_INFO_FILE));
        }
        this.exchangeInfo = info == null ? ExchangeInfo.loadDefault() : ExchangeInfo.load(info);
        this.ruleSet = new RuleSetCompiler().compile(opts.rules);
    }

    /** The result of one replay: where the report went and its summary. */
    record Outcome(Path out, Map<String, Object> summary) {
    }

    /**
     * Replays {@code data} (warm-up before {@code from}, trading from {@code from} to {@code to}
     * inclusive; null bounds: trade from the start of the data plus the echo's warm-up, to its end).
     */
    Outcome run(List<Path> data, Set<String> symbols, LocalDate from, LocalDate to, Path out, double speed,
                String httpHost, Integer httpPort, PrintStream console, boolean progress,
                java.util.function.Consumer<TradingRun> whileRunning) throws IOException {
        MarketData.Discovery found = MarketData.discover(data);
        if (found.files().isEmpty()) {
            throw new IllegalArgumentException("--data " + data + ": no market data files found"
                    + (found.ignored().isEmpty() ? "" : " (ignored: " + found.ignored().get(0) + " …)"));
        }
        long toExclusive = to == null ? Long.MAX_VALUE : to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        // Captured quotes carry only the recorder's receive time; shift them onto the exchange clock so a
        // backtest never sees a quote before the trades it followed.
        ReadOptions read = ReadOptions.defaults().withWindow(new TimeWindow(Long.MIN_VALUE, toExclusive))
                .withQuoteClock(QuoteClock.EXCHANGE_ESTIMATE)
                .withMaxFutureSkewMs(config.longValue(ConfigKeys.MARKET_MAX_FUTURE_SKEW_MS));
        if (symbols != null && !symbols.isEmpty()) {
            read = read.withSymbols(symbols);
        }
        long wallStart = System.nanoTime();
        try (MarketEventReader reader = MarketData.openAll(found.files(), read)) {
            PeekingEvents events = new PeekingEvents(reader);
            if (!events.hasNext()) {
                throw new IllegalArgumentException("--data " + data + ": no events"
                        + (to == null ? "" : " up to " + to) + (symbols == null || symbols.isEmpty() ? "" : " for " + symbols));
            }
            long dataStart = events.peek().timeMs();
            long fromMs = from != null ? from.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli()
                    : Math.floorDiv(dataStart, DAY) * DAY + 7 * DAY;
            try (TradingRun run = new TradingRun(Mode.REPLAY, config, exchangeInfo, ruleSet, fromMs, idPrefix(fromMs))) {
                if (httpPort != null) {
                    int port = run.startOps(httpHost, httpPort);
                    console.printf("Status page:  http://%s:%d/%n", httpHost, port);
                    console.printf("Metrics:      http://%s:%d/metrics%n", httpHost, port);
                    console.printf("Status API:   http://%s:%d/api/status%n", httpHost, port);
                }
                console.printf("Replaying %d file(s)%s, trading %s .. %s, rules %s%n", found.files().size(),
                        symbols == null || symbols.isEmpty() ? "" : " for " + symbols, TradingRun.utc(fromMs),
                        to == null ? "end of data" : to + " 23:59", ruleSet.version());
                long progressTo = toExclusive == Long.MAX_VALUE ? fromMs : toExclusive;
                run.replay(events, speed, fromMs, progressTo, progress ? (clock, pct, n, p, r) -> console.printf(
                        Locale.ROOT, "  %s UTC  %5.1f%%  %,d events  %,d fills  equity %s%n", TradingRun.utc(clock),
                        pct * 100, n, r.fills().size(), p.equity().setScale(2, RoundingMode.HALF_EVEN).toPlainString())
                        : null).join();
                double wall = (System.nanoTime() - wallStart) / 1e9;
                long endMs = to == null ? Math.max(fromMs + 1, run.pipeline.clockMs()) : toExclusive;
                ReadReport total = reader.summary();
                List<ReadReport> perFile = reader.reports();
                Map<String, Object> dataSummary = dataSummary(found, total, perFile);
                List<String> syms = new ArrayList<>(new TreeSet<>(run.pipeline.states().keySet()));
                Map<String, Object> summary = run.summary(fromMs, endMs, syms, dataSummary, wall);
                ReportWriter.write(out, summary, run.recorder);
                printSummary(console, summary, out, total, perFile);
                if (whileRunning != null) {
                    whileRunning.accept(run);
                }
                return new Outcome(out, summary);
            }
        }
    }

    /** Client order ids: "aq" + the trading start in base 36 + "-" + sequence: unique per run, deterministic. */
    static String idPrefix(long fromMs) {
        return TradingSession.clientIdPrefix(fromMs);
    }

    private static Map<String, Object> dataSummary(MarketData.Discovery found, ReadReport total, List<ReadReport> perFile) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("files", found.files().size());
        d.put("events", total.events());
        d.put("malformed_lines", total.malformed());
        d.put("malformed_by_reason", total.malformedByReason());
        d.put("out_of_order_rows", total.outOfOrder());
        d.put("duplicate_rows", total.duplicates());
        d.put("malformed_examples", total.issues());
        // per file, so one bad file's examples do not hide another's
        List<Map<String, Object>> files = new ArrayList<>();
        for (ReadReport r : perFile) {
            if (r.clean()) {
                continue;
            }
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("file", r.source());
            f.put("events", r.events());
            f.put("malformed_lines", r.malformed());
            f.put("malformed_by_reason", r.malformedByReason());
            f.put("out_of_order_rows", r.outOfOrder());
            f.put("duplicate_rows", r.duplicates());
            f.put("file_error", r.fileError());
            f.put("examples", r.issues());
            files.add(f);
        }
        d.put("files_with_issues", files);
        d.put("skipped_by_type", total.skippedByType());
        d.put("gaps", total.gaps());
        d.put("missing_candles", total.missingCandles());
        d.put("ignored_files", found.ignored());
        return d;
    }

    @SuppressWarnings("unchecked")
    private static void printSummary(PrintStream out, Map<String, Object> s, Path dir, ReadReport total,
                                     List<ReadReport> perFile) {
        out.println();
        out.println("Replay finished: " + ((Map<String, Object>) s.get("window")).get("from") + " .. "
                + ((Map<String, Object>) s.get("window")).get("to"));
        BigDecimal start = (BigDecimal) s.get("start_quote");
        BigDecimal end = (BigDecimal) s.get("end_equity");
        BigDecimal ret = end.subtract(start).multiply(BigDecimal.valueOf(100)).divide(start, 4, RoundingMode.HALF_EVEN);
        out.printf(Locale.ROOT, "  equity       %s -> %s USDT (%s%%)%n", money(start), money(end), ret.toPlainString());
        out.printf(Locale.ROOT, "  realised PnL %s USDT, fees %s USDT, unrealised %s USDT%n", money(s.get("realized_pnl")),
                money(s.get("fees")), money(s.get("unrealized_pnl")));
        out.printf(Locale.ROOT, "  trades       %s fills (%s a day), %s round trips, win rate %s%n", s.get("trades"),
                s.get("trades_per_day"), s.get("round_trips"), s.get("win_rate"));
        out.printf(Locale.ROOT, "  risk         max drawdown %s%%, max exposure %s USDT, %d halt(s)%n",
                s.get("max_drawdown_pct"), money(s.get("max_total_exposure_quote")), ((List<?>) s.get("halts")).size());
        Map<String, Object> perf = (Map<String, Object>) s.get("performance");
        out.printf(Locale.ROOT, "  data         %,d events in %s s (%,d events/s); %d malformed, %d out-of-order, "
                        + "%d duplicate row(s)%n",
                ((Number) ((Map<String, Object>) s.get("pipeline")).get("events")).longValue(), perf.get("wall_seconds"),
                ((Number) perf.get("events_per_second")).longValue(), total.malformed(), total.outOfOrder(),
                total.duplicates());
        for (ReadReport r : perFile) {
            if (r.clean()) {
                continue;
            }
            out.printf(Locale.ROOT, "    %s: %,d events, %,d malformed %s, %,d out of order, %,d duplicate(s)%s%n",
                    r.source(), r.events(), r.malformed(), r.malformedByReason(), r.outOfOrder(), r.duplicates(),
                    r.fileError() == null ? "" : ", FILE ERROR");
            List<String> examples = r.issues();
            for (String issue : examples.subList(0, Math.min(3, examples.size()))) {
                out.println("      " + issue);
            }
            if (r.issueCount() > 3) {
                out.printf(Locale.ROOT, "      ... %,d more (report.json keeps %d per file)%n", r.issueCount() - 3, r.maxIssues());
            }
        }
        out.println("  report       " + dir.resolve("report.html") + "  (also trades.csv, report.json)");
    }

    private static String money(Object v) {
        return ((BigDecimal) v).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** Lets the first event be looked at (to place the trading window) and still be replayed. */
    static final class PeekingEvents implements Iterator<MarketEvent> {
        private final MarketEventReader reader;
        private MarketEvent ahead;

        PeekingEvents(MarketEventReader reader) {
            this.reader = reader;
        }

        MarketEvent peek() {
            if (ahead == null) {
                ahead = reader.next();
            }
            return ahead;
        }

        @Override
        public boolean hasNext() {
            return peek() != null;
        }

        @Override
        public MarketEvent next() {
            MarketEvent e = peek();
            if (e == null) {
                throw new NoSuchElementException();
            }
            ahead = null;
            return e;
        }
    }
}
