package io.aquatrade.app;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.config.ConfigKeys;
import io.aquatrade.market.MarketData;
import io.aquatrade.market.ReadOptions;
import io.aquatrade.report.Formats;
import io.aquatrade.research.EquityCurve;
import io.aquatrade.research.FanOut;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code analyze} and {@code optimize} both set up before their market passes: the config, compiled
 * rules and exchange info (a {@link ReplaySetup}), the data files, the symbols and the trading window, and
 * the simulated sessions and market parts built from them.
 */
final class ResearchRun {

    private static final long DAY = 86_400_000L;

    final ReplaySetup setup;
    final AquatradeConfig config;
    final List<Path> dataPaths;
    final MarketData.Discovery found;
    final Set<String> symbols;
    final long fromMs;
    /** Exclusive end of the trading window in event time; {@link Long#MAX_VALUE}: to the end of the data. */
    final long toExclusiveMs;
    /** Where the data ends (exclusive, epoch ms), {@link Long#MIN_VALUE} when the files do not tell. */
    final long dataEndMs;
    private final RunOptions run;

    private ResearchRun(RunOptions run, ReplaySetup setup, List<Path> dataPaths, MarketData.Discovery found,
                        Set<String> symbols, long fromMs, long toExclusiveMs, long dataEndMs) {
        this.run = run;
        this.setup = setup;
        this.config = setup.config;
        this.dataPaths = List.copyOf(dataPaths);
        this.found = found;
        this.symbols = symbols;
        this.fromMs = fromMs;
        this.toExclusiveMs = toExclusiveMs;
        this.dataEndMs = dataEndMs;
    }

    /**
     * Loads the config and rules of {@code run} and finds the data.
     *
     * @param from first UTC day traded; null: {@link ReplaySetup#RECOMMENDED_WARM_UP_DAYS} after the data starts
     * @param to   last UTC day traded, inclusive; null: to the end of the data
     */
    static ResearchRun open(RunOptions run, List<Path> data, List<String> symbols, LocalDate from, LocalDate to)
            throws IOException {
        ReplaySetup.checkDayRange(from, to);
        ReplaySetup setup = new ReplaySetup(run, List.of());
        MarketData.Discovery found = ReplaySetup.discoverData(data);
        Set<String> symbolSet = ReplaySetup.symbolSet(symbols);
        long toExclusive = to == null ? Long.MAX_VALUE : EquityCurve.dayStartMs(to.plusDays(1));
        long dataStart = firstEvent(found, data, symbolSet);
        long dataEnd = DataSpan.endMs(found.files());
        long fromMs = from != null ? EquityCurve.dayStartMs(from)
                : Math.floorDiv(dataStart, DAY) * DAY + ReplaySetup.RECOMMENDED_WARM_UP_DAYS * DAY;
        // an empty trading window would report every figure as 0 (and rank every set alike), as if it were a result
        if (dataEnd != Long.MIN_VALUE && fromMs >= dataEnd) {
            throw new IllegalArgumentException(ReplaySetup.pastTheEnd(from, fromMs, dataStart, dataEnd));
        }
        if (toExclusive <= dataStart) {
            throw new IllegalArgumentException("--to " + to + " is before the data starts (" + Formats.utcMinute(dataStart)
                    + " UTC), so nothing would trade");
        }
        return new ResearchRun(run, setup, data, found, symbolSet, fromMs, toExclusive, dataEnd);
    }

    /** The last UTC day the data holds, or null when the files do not tell. */
    LocalDate lastDataDay() {
        return dataEndMs == Long.MIN_VALUE ? null : LocalDate.ofEpochDay(Math.floorDiv(dataEndMs - 1, DAY));
    }

    private static long firstEvent(MarketData.Discovery found, List<Path> data, Set<String> symbols) {
        ReadOptions read = ReadOptions.defaults();
        if (symbols != null && !symbols.isEmpty()) {
            read = read.withSymbols(symbols);
        }
        try (var reader = MarketData.openAll(found.files(), read)) {
            var first = reader.next();
            if (first == null) {
                throw new IllegalArgumentException("--data " + data + ": no events"
                        + (symbols == null || symbols.isEmpty() ? "" : " of " + symbols));
            }
            return first.timeMs();
        }
    }

    /** The data a pass reads: the window's symbols, warm-up from the start, trading from {@link #fromMs}. */
    FanOut.Data window() {
        return window(toExclusiveMs);
    }

    /** The same data cut at {@code toExclusiveMs} (the look-ahead check's runs). */
    FanOut.Data window(long toExclusiveMs) {
        return new FanOut.Data(found.files(), symbols, fromMs, toExclusiveMs);
    }

    /** Client order ids of this window's sessions. */
    String clientIdPrefix() {
        return TradingSession.clientIdPrefix(fromMs);
    }

    /** A market part for {@link #config}'s {@code echo.*} keys, trading from {@link #fromMs}. */
    TradingPipeline marketPass() {
        return TradingPipeline.marketOnly(config, fromMs, new TradingPipeline.PipelineStats());
    }

    /** A simulated session of {@code c} with this run's rules and exchange info. */
    TradingSession session(AquatradeConfig c, String idPrefix) {
        return TradingSession.simulated(c, setup.exchangeInfo(), setup.ruleSet(), idPrefix,
                new TradingPipeline.PipelineStats(), null);
    }

    /** Sessions for a fan-out, each with this run's rules and exchange info. */
    FanOut.SessionFactory sessions() {
        return FanOut.simulated(setup.exchangeInfo(), setup.ruleSet());
    }

    /**
     * Sessions for the optimizer: their recorders stream daily equity into an {@link EquityCurve.Builder}
     * instead of keeping every minute and fill, so a hundred sets fit in a few hundred megabytes.
     */
    List<EquityCurve> equityCurves(FanOut fan, List<FanOut.Job> jobs, java.util.function.Consumer<Double> progress) {
        Map<FanOut.Job, EquityCurve.Builder> builders = new java.util.concurrent.ConcurrentHashMap<>();
        FanOut.SessionFactory plain = sessions();
        FanOut.SessionFactory lean = (job, from) -> {
            TradingSession s = plain.create(job, from);
            EquityCurve.Builder b = new EquityCurve.Builder(s.portfolio().startQuote().doubleValue());
            s.recorder().streamTo(b);
            builders.put(job, b);
            return s;
        };
        return fan.run(jobs, lean, (job, s) -> builders.remove(job).build(), progress);
    }

    /** The config of this run with {@code set}'s keys on top of the command line's overrides. */
    AquatradeConfig configWith(Map<String, String> set) {
        List<String> overrides = new ArrayList<>(run.overrides);
        set.forEach((k, v) -> overrides.add(k + "=" + v));
        AquatradeConfig c = AquatradeConfig.load(run.configFile(), overrides);
        if (!"replay".equals(c.string(ConfigKeys.MODE))) {
            throw new IllegalArgumentException("mode must be replay for research runs, got " + c.string(ConfigKeys.MODE));
        }
        return c;
    }
}
