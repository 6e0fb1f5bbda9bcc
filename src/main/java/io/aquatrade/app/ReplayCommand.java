package io.aquatrade.app;

import io.aquatrade.config.ConfigKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/** {@code replay}: a backtest through the live pipeline on recorded Binance data. */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Backtest: replay recorded Binance data through the live pipeline, with simulated fills.",
                "%nWrites trades.csv, report.json and report.html to --out. Data before --from is warm-up "
                        + "history only."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the replay ran; every event was processed",
                "1:bad arguments, config or data",
                "3:the replay ran, but events failed inside the pipeline (listed in the summary and report.json)"})
final class ReplayCommand implements Callable<Integer> {

    /** Exit code of a replay in which events failed: its figures are not a valid backtest. */
    static final int FAILED_EVENTS = 3;

    @Option(names = "--data", required = true, arity = "1..*", paramLabel = "PATH",
            description = "Data files or directories (searched recursively): data.binance.vision kline/aggTrades/trades "
                    + "dumps (.zip/.csv), headed SYMBOL-1m.csv[.gz], combined-stream websocket captures.")
    List<Path> data = new ArrayList<>();

    @Option(names = "--symbols", split = ",", paramLabel = "SYMBOL",
            description = "Only these symbols, e.g. BTCUSDT,ETHUSDT (default: every symbol in the data).")
    List<String> symbols = new ArrayList<>();

    @Option(names = "--from", paramLabel = "DATE",
            description = "First UTC day traded (YYYY-MM-DD); earlier data is warm-up history only "
                    + "(default: 7 days after the data starts).")
    LocalDate from;

    @Option(names = "--to", paramLabel = "DATE", description = "Last UTC day traded, inclusive (default: end of data).")
    LocalDate to;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/replay",
            description = "Where trades.csv, report.json and report.html go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--speed", paramLabel = "X",
            description = "Pace as a multiple of real time from --from on; 0 = as fast as possible (default: replay.speed).")
    Double speed;

    @Option(names = "--http-port", paramLabel = "PORT",
            description = "Also serve the status page, control API and /metrics on this port while replaying "
                    + "(0 = any free port; default: not served).")
    Integer httpPort;

    @Option(names = "--quiet", description = "No progress lines.")
    boolean quiet;

    @Mixin
    RunOptions run = new RunOptions();

    @Override
    public Integer call() throws Exception {
        // cheap checks first: a wrong argument is reported before anything loads or compiles
        ReplaySetup.checkDayRange(from, to);
        if (speed != null && (speed < 0 || speed.isNaN() || speed.isInfinite())) {
            throw new IllegalArgumentException("--speed must be 0 (as fast as possible) or a positive multiple of real "
                    + "time, got " + speed);
        }
        Set<String> syms = new TreeSet<>();
        for (String s : symbols) {
            String sym = s.trim().toUpperCase(java.util.Locale.ROOT);
            if (!sym.matches("[A-Z0-9]{2,20}")) {
                throw new IllegalArgumentException("--symbols: '" + s + "' is not a Binance symbol (e.g. BTCUSDT)");
            }
            syms.add(sym);
        }
        for (Path p : data) {
            if (!java.nio.file.Files.exists(p)) {
                throw new IllegalArgumentException("--data " + p + ": no such file or directory ("
                        + p.toAbsolutePath().normalize() + ")");
            }
        }
        ConsoleLog.forInteractiveRun(run.verbose);
        ReplaySetup setup = new ReplaySetup(run, List.of());
        double pace = speed != null ? speed : setup.config.dbl(ConfigKeys.REPLAY_SPEED);
        if (pace < 0) {
            throw new IllegalArgumentException("replay.speed must be >= 0, got " + pace + " ("
                    + setup.config.where(ConfigKeys.REPLAY_SPEED) + ")");
        }
        setup.terminal = System.console() != null;
        ReplaySetup.Outcome o = setup.run(data, syms, from, to, out, pace, setup.config.string(ConfigKeys.OPS_HTTP_HOST),
                httpPort, System.out, !quiet, null);
        return ReplaySetup.failedEvents(o) > 0 ? FAILED_EVENTS : 0;
    }
}
