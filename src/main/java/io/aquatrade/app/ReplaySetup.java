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
import io.aquatrade.report.Formats;
import io.aquatrade.report.ReportWriter;
import io.aquatrade.rules.CompiledRuleSet;
import io.aquatrade.rules.RuleSetCompiler;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
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
    /** Warm-up the default rules want: the 5-day lookback of the templates and 7 days of activity. */
    static final int RECOMMENDED_WARM_UP_DAYS = 7;

    final AquatradeConfig config;
    private final RunOptions opts;
    private final Path exchangeInfoFile;
    private ExchangeInfo exchangeInfo;
    private CompiledRuleSet ruleSet;
    /** Where the ops port came from, for the message when it is taken. */
    String httpPortSource = "--http-port";
    /** True when the console is a terminal: the progress bar redraws one line. */
    boolean terminal;
    /** Sees the run once it is wired, before the first event (tests add observers here). */
    java.util.function.Consumer<TradingRun> beforeReplay = r -> { };

    /**
     * Reads the configuration and checks what is cheap to check (mode, rules directory, exchangeInfo
     * file); the rules compile later, once the data and the port have been found usable.
     */
    ReplaySetup(RunOptions opts, List<String> extraOverrides) {
        List<String> overrides = new ArrayList<>(extraOverrides);
        overrides.addAll(opts.overrides);
        this.opts = opts;
        this.config = AquatradeConfig.load(opts.configFile(), overrides);
        Mode mode = Mode.of(config);
        if (mode != Mode.REPLAY) {
            // replay and demo always fill in the simulator: never let a run look like live trading
            throw new io.aquatrade.config.ConfigException("mode must be replay for replay, demo and bench runs, got '"
                    + mode.key() + "' (" + config.where(ConfigKeys.MODE) + "); paper, testnet and live trade with the run command");
        }
        if (!Files.isDirectory(opts.rules)) {
            throw new IllegalArgumentException("--rules " + opts.rules + ": " + (Files.exists(opts.rules)
                    ? "not a directory" : "no such directory (" + opts.rules.toAbsolutePath().normalize() + ")")
                    + "; run from the project folder, which has rules/, or give --rules DIR");
        }
        this.exchangeInfoFile = ExchangeInfoSource.file(opts.exchangeInfo, config);
    }

    /** Compiles the rules and loads the exchange rules (once): the expensive part of the start. */
    void prepare() {
        if (ruleSet == null) {
            this.exchangeInfo = ExchangeInfoSource.load(exchangeInfoFile);
            this.ruleSet = new RuleSetCompiler().compile(opts.rules);
        }
    }

    CompiledRuleSet ruleSet() {
        prepare();
        return ruleSet;
    }

    ExchangeInfo exchangeInfo() {
        prepare();
        return exchangeInfo;
    }

    /** The result of one replay: where the report went and its summary. */
    record Outcome(Path out, Map<String, Object> summary) {
    }

    /**
     * Replays {@code data} (warm-up before {@code from}, trading from {@code from} to {@code to}
     * inclusive; null bounds: trade from the start of the data plus the echo's warm-up, to its end).
     * Every cheap check (output folder, data, port, dates) comes before the rules compile.
     */
    Outcome run(List<Path> data, Set<String> symbols, LocalDate from, LocalDate to, Path out, double speed,
                String httpHost, Integer httpPort, PrintStream console, boolean progress,
                java.util.function.Consumer<TradingRun> whileRunning) throws IOException {
        checkOutputDir(out);
        MarketData.Discovery found = MarketData.discover(data);
        if (found.files().isEmpty()) {
            throw new IllegalArgumentException("--data " + paths(data) + ": no market data files found"
                    + (found.ignored().isEmpty() ? "" : "; " + found.ignored().size() + " file(s) not recognised, e.g. "
                    + printable(found.ignored().get(0)))
                    + ". Expected Binance dumps (SYMBOL-1m-YYYY-MM-DD.zip|csv), SYMBOL-1m.csv[.gz] with a header, "
                    + "or websocket captures (README: 'Running a replay on your own files')");
        }
        if (httpPort != null) {
            checkPortFree(httpHost, httpPort);
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
                throw new IllegalArgumentException(noEvents(data, found, reader, to, symbols));
            }
            long dataStart = events.peek().timeMs();
            long dataEnd = to == null ? DataSpan.endMs(found.files()) : Long.MIN_VALUE;
            long fromMs = from != null ? from.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli()
                    : Math.floorDiv(dataStart, DAY) * DAY + RECOMMENDED_WARM_UP_DAYS * DAY;
            if (dataEnd != Long.MIN_VALUE && fromMs >= dataEnd) {
                throw new IllegalArgumentException(pastTheEnd(from, fromMs, dataStart, dataEnd));
            }
            warnAboutWarmUp(console, from, fromMs, dataStart);
            prepare();
            // the replay's order journal sits beside its report; a new replay starts a new one
            Path journalFile = out.resolve("journal.db");
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                java.nio.file.Files.deleteIfExists(Path.of(journalFile + suffix));
            }
            try (TradingRun run = new TradingRun(Mode.REPLAY, config, exchangeInfo, ruleSet, fromMs, idPrefix(fromMs),
                    journalFile)) {
                beforeReplay.accept(run);
                if (httpPort != null) {
                    int port;
                    try {
                        port = run.startOps(httpHost, httpPort);
                    } catch (RuntimeException e) {
                        throw portError(httpHost, httpPort, e);
                    }
                    console.printf("Status page:  http://%s:%d/%n", httpHost, port);
                    console.printf("Metrics:      http://%s:%d/metrics%n", httpHost, port);
                    console.printf("Status API:   http://%s:%d/api/status%n", httpHost, port);
                }
                long progressTo = toExclusive != Long.MAX_VALUE ? toExclusive : dataEnd;
                console.printf("Replaying %d file(s)%s, trading %s UTC .. %s, rules %s%n", found.files().size(),
                        symbols == null || symbols.isEmpty() ? "" : " for " + symbols, Formats.utcMinute(fromMs),
                        progressTo == Long.MIN_VALUE ? "the end of the data" : Formats.utcMinute(progressTo) + " UTC",
                        ruleSet.version());
                for (String u : found.unusable()) { // left out of this run: say so where the operator looks
                    console.println("  not used: " + printable(u));
                }
                ProgressBar bar = progress ? new ProgressBar(console, terminal, dataStart, fromMs, progressTo,
                        System::currentTimeMillis) : null;
                try {
                    run.replay(events, speed, fromMs, progressTo == Long.MIN_VALUE ? fromMs : progressTo, bar).join();
                } finally {
                    if (bar != null) {
                        bar.finish();
                    }
                }
                double wall = (System.nanoTime() - wallStart) / 1e9;
                long clock = run.pipeline.clockMs();
                if (clock < fromMs) {
                    StringBuilder why = new StringBuilder(pastTheEnd(from, fromMs, dataStart, clock + 1));
                    for (ReadReport r : reader.reports()) {
                        if (r.fileError() != null) {
                            why.append("\n  the data ended early: ").append(printable(r.fileError()));
                        }
                    }
                    throw new IllegalArgumentException(why.toString());
                }
                // the window ends where the data ended (its last minute's close, rounded up to the millisecond after)
                long endMs = to == null ? Math.max(fromMs + 1, clock + 1) : toExclusive;
                ReadReport total = reader.summary();
                List<ReadReport> perFile = reader.reports();
                Map<String, Object> dataSummary = dataSummary(found, total, perFile);
                List<String> syms = new ArrayList<>(new TreeSet<>(run.pipeline.states().keySet()));
                Map<String, Object> summary = run.summary(fromMs, endMs, syms, dataSummary, wall);
                summary.put("config_overrides", overrides(config));
                ReportWriter.write(out, summary, run.recorder);
                printSummary(console, summary, out, total, perFile);
                if (whileRunning != null) {
                    whileRunning.accept(run);
                }
                return new Outcome(out, summary);
            }
        }
    }

    /** The keys whose value differs from the built-in default, each as "value (where it came from)". */
    static Map<String, String> overrides(AquatradeConfig config) {
        Map<String, String> o = new LinkedHashMap<>();
        Map<String, String> effective = TradingRun.shownConfig(config);
        for (var e : ConfigKeys.all().entrySet()) {
            String value = effective.get(e.getKey());
            String origin = config.origin(e.getKey());
            if (origin != null && !"default".equals(origin) && !sameValue(value, e.getValue().defaultValue())) {
                o.put(e.getKey(), value + " (default " + e.getValue().defaultValue() + "; " + origin + ")");
            }
        }
        return o;
    }

    private static boolean sameValue(String a, String b) {
        if (a == null || b == null) {
            return a == b;
        }
        try {
            return new BigDecimal(a.trim()).compareTo(new BigDecimal(b.trim())) == 0;
        } catch (NumberFormatException e) {
            return a.trim().equals(b.trim());
        }
    }

    /** --symbols as the pipeline names them: trimmed, upper case, each once. */
    static Set<String> symbolSet(List<String> symbols) {
        Set<String> syms = new TreeSet<>();
        symbols.forEach(s -> syms.add(s.trim().toUpperCase(Locale.ROOT)));
        return syms;
    }

    /** The market data files under --data; none is an error naming the paths. */
    static MarketData.Discovery discoverData(List<Path> data) throws IOException {
        MarketData.Discovery found = MarketData.discover(data);
        if (found.files().isEmpty()) {
            throw new IllegalArgumentException("--data " + paths(data) + ": no market data files found");
        }
        return found;
    }

    private static String paths(List<Path> data) {
        return data.stream().map(Path::toString).collect(java.util.stream.Collectors.joining(" "));
    }

    /** Fails now, not after the replay, when the report could not be written. */
    private static void checkOutputDir(Path out) {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + ": a file, not a directory; give a directory for the report");
        }
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new IllegalArgumentException("--out " + out + ": cannot create the report directory ("
                    + Main.ioReason(e) + ")");
        }
        if (!Files.isWritable(out)) {
            throw new IllegalArgumentException("--out " + out + ": the directory is not writable");
        }
    }

    /** Binds and releases the port, so that a taken one is reported before the 10 s of rule compilation. */
    private void checkPortFree(String host, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(httpPortSource + " " + port + ": a port is 0..65535 (0 = any free port)");
        }
        if (port == 0) {
            return;
        }
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new java.net.InetSocketAddress(host, port));
        } catch (IOException e) {
            throw portError(host, port, e);
        }
    }

    private IllegalArgumentException portError(String host, int port, Exception e) {
        String m = String.valueOf(Main.describe(e));
        if (m.toLowerCase(Locale.ROOT).contains("already in use") || e instanceof java.net.BindException) {
            return new IllegalArgumentException("port " + port + " on " + host + " (" + httpPortSource
                    + ") is already in use: another bot or demo may be running (`aquatrade status --url http://" + host
                    + ":" + port + "` tells). Choose another port with --http-port PORT, or 0 for any free port.");
        }
        return new IllegalArgumentException("cannot serve the status page on " + host + ":" + port + " ("
                + httpPortSource + "): " + m);
    }

    private static String noEvents(List<Path> data, MarketData.Discovery found, MarketEventReader reader, LocalDate to,
                                   Set<String> symbols) {
        ReadReport total = reader.summary();
        StringBuilder b = new StringBuilder("--data ").append(paths(data)).append(": ")
                .append(found.files().size()).append(" data file(s) found but no market event could be read");
        if (to != null) {
            b.append(" up to --to ").append(to);
        }
        if (symbols != null && !symbols.isEmpty()) {
            b.append(" for --symbols ").append(String.join(",", symbols));
        }
        List<String> problems = new ArrayList<>();
        for (ReadReport r : reader.reports()) {
            if (r.fileError() != null) {
                problems.add(r.fileError());
            }
        }
        problems.addAll(total.issues());
        found.ignored().forEach(i -> problems.add("not used: " + i));
        if (!problems.isEmpty()) {
            b.append(" (").append(total.malformed()).append(" malformed line(s)")
                    .append(found.ignored().isEmpty() ? "" : ", " + found.ignored().size() + " file(s) not recognised")
                    .append("); first problems:");
            problems.stream().limit(4).forEach(i -> b.append("\n  ").append(printable(i)));
            if (problems.size() > 4) {
                b.append("\n  … and ").append(problems.size() - 4).append(" more");
            }
            b.append("\nEach file must be a Binance dump or a headed SYMBOL-1m.csv[.gz] (README: 'Running a replay on your own files').");
        } else if (to != null) {
            b.append("; the data may start after that day");
        } else if (symbols != null && !symbols.isEmpty()) {
            b.append("; the data has other symbols");
        }
        return b.toString();
    }

    /** --from and --to of a replay or a study, each optional: refuses a --to before the --from. */
    static void checkDayRange(LocalDate from, LocalDate to) {
        if (from != null && to != null && to.isBefore(from)) {
            throw new IllegalArgumentException("--to " + to + " is before --from " + from + "; --to is the last day "
                    + "traded, inclusive");
        }
    }

    static String pastTheEnd(LocalDate from, long fromMs, long dataStart, long dataEnd) {
        LocalDate lastDay = java.time.Instant.ofEpochMilli(dataEnd - 1).atZone(ZoneOffset.UTC).toLocalDate();
        return (from != null ? "--from " + from : "the default start (" + RECOMMENDED_WARM_UP_DAYS
                + " days of warm-up, " + Formats.utcMinute(fromMs) + ")") + " is after the end of the data: it runs "
                + Formats.utcMinute(dataStart) + " .. " + Formats.utcMinute(dataEnd) + " UTC, so nothing would trade. "
                + "Give --from " + lastDay + " or earlier.";
    }

    /** Too little history before the trading window leaves the echo with few templates to match. */
    private static void warnAboutWarmUp(PrintStream console, LocalDate from, long fromMs, long dataStart) {
        // from the minute the data starts (a candle's event time is its close, a minute after it began)
        double days = (fromMs - Math.floorDiv(dataStart, 60_000L) * 60_000L) / (double) DAY;
        if (days >= RECOMMENDED_WARM_UP_DAYS - 1e-9) {
            return;
        }
        console.printf("warning: %s of warm-up history before %s (the data starts %s UTC); the default rules want %d "
                        + "days (mover-day templates over a 5-day lookback, activity against 7 days), so the first "
                        + "days may trade little or not at all. Start the data earlier or give a later --from.%n",
                days <= 0 ? "no day" : Formats.days(days), from != null ? "--from " + from : Formats.utcMinute(fromMs),
                Formats.utcMinute(dataStart), RECOMMENDED_WARM_UP_DAYS);
    }

    /** A line from a data file as the console may show it: no control bytes, no binary, not too long. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 200));
        int odd = 0;
        for (int i = 0; i < s.length() && b.length() < 200; i++) {
            char c = s.charAt(i);
            if (c == '\t') {
                b.append(' ');
            } else if (c < 0x20 || c == 0x7f || c == '\uFFFD' || (c >= 0x80 && c < 0xa0)) {
                odd++;
                b.append('?');
            } else {
                b.append(c);
            }
        }
        String t = b.length() < s.length() ? b + "…" : b.toString();
        return odd > 3 ? t.replaceAll("\\?{2,}", "?") + " (binary content: not a text data file)" : t;
    }

    /** Events of the run that failed (0 for a clean run). */
    @SuppressWarnings("unchecked")
    static long failedEvents(Outcome o) {
        return ((Number) ((Map<String, Object>) o.summary().get("pipeline")).get("failed_events")).longValue();
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
        Map<String, Object> window = (Map<String, Object>) s.get("window");
        out.println();
        out.println("Replay finished: " + Formats.utcMinute((String) window.get("from")) + " .. "
                + Formats.utcMinute((String) window.get("to")) + " UTC (" + Formats.days(((Number) window.get("days"))
                .doubleValue()) + ")");
        BigDecimal start = (BigDecimal) s.get("start_quote");
        BigDecimal end = (BigDecimal) s.get("end_equity");
        double ret = end.subtract(start).doubleValue() * 100 / start.doubleValue();
        out.printf(Locale.ROOT, "  equity       %s -> %s USDT (%s)%n", Formats.money(start), Formats.money(end),
                Formats.signedPercent(ret));
        out.printf(Locale.ROOT, "  realised PnL %s USDT net of fees (fees %s USDT), unrealised %s USDT%n",
                Formats.signedMoney(s.get("realized_pnl")), Formats.money(s.get("fees")),
                Formats.signedMoney(s.get("unrealized_pnl")));
        out.printf(Locale.ROOT, "  trades       %s fills (%s a day), %s round trips, win rate %s%n",
                Formats.count(((Number) s.get("trades")).longValue()), Formats.oneDecimal(((Number) s.get("trades_per_day"))
                        .doubleValue()), Formats.count(((Number) s.get("round_trips")).longValue()),
                ((Number) s.get("round_trips")).longValue() == 0 ? "–" : Formats.fraction(((Number) s.get("win_rate")).doubleValue()));
        out.printf(Locale.ROOT, "  risk         max drawdown %s, max exposure %s USDT, %d halt(s)%n",
                Formats.percent(((BigDecimal) s.get("max_drawdown_pct")).doubleValue()),
                Formats.money(s.get("max_total_exposure_quote")), ((List<?>) s.get("halts")).size());
        Map<String, Object> perf = (Map<String, Object>) s.get("performance");
        out.printf(Locale.ROOT, "  data         %s events in %s (%s events/s); %s malformed, %s out-of-order, "
                        + "%s duplicate row(s)%n",
                Formats.count(((Number) ((Map<String, Object>) s.get("pipeline")).get("events")).longValue()),
                Formats.duration(((Number) perf.get("wall_seconds")).doubleValue()),
                Formats.count(((Number) perf.get("events_per_second")).longValue()), Formats.count(total.malformed()),
                Formats.count(total.outOfOrder()), Formats.count(total.duplicates()));
        for (ReadReport r : perFile) {
            if (r.clean()) {
                continue;
            }
            out.printf(Locale.ROOT, "    %s: %,d events, %,d malformed %s, %,d out of order, %,d duplicate(s)%s%n",
                    printable(r.source()), r.events(), r.malformed(), r.malformedByReason(), r.outOfOrder(), r.duplicates(),
                    r.fileError() == null ? "" : ", FILE ERROR");
            List<String> examples = r.issues();
            for (String issue : examples.subList(0, Math.min(3, examples.size()))) {
                out.println("      " + printable(issue));
            }
            if (r.issueCount() > 3) {
                out.printf(Locale.ROOT, "      ... %,d more (report.json keeps %d per file)%n", r.issueCount() - 3, r.maxIssues());
            }
        }
        if (total.gaps() > 0) { // missing minutes change what the echo and the fills see: name where they are
            out.printf(Locale.ROOT, "  gaps         %s gap(s), %s missing candle(s), not filled%n", Formats.count(total.gaps()),
                    Formats.count(total.missingCandles()));
            List<String> notes = total.gapNotes();
            for (String note : notes.subList(0, Math.min(3, notes.size()))) {
                out.println("    " + printable(note));
            }
            if (total.gaps() > 3) {
                out.printf(Locale.ROOT, "    ... %,d more (report.json counts them)%n", total.gaps() - 3);
            }
        }
        Map<String, Object> pipe = (Map<String, Object>) s.get("pipeline");
        long failed = ((Number) pipe.get("failed_events")).longValue();
        if (failed > 0) {
            out.printf(Locale.ROOT, "  FAILED       %,d event(s) failed and were skipped; this run is not a valid backtest%n", failed);
            for (Object f : (List<?>) pipe.get("failures")) {
                out.println("    " + f);
            }
        }
        out.println("  report       " + dir.resolve("report.html") + "  (also trades.csv, report.json)");
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
