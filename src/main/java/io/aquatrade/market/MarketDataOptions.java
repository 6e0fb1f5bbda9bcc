package io.aquatrade.market;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The command-line options that select recorded market data, as a picocli mixin
 * ({@code @Mixin MarketDataOptions data;}): {@code --data PATH...} (directories are scanned recursively),
 * {@code --symbols BTCUSDT,ETHUSDT}, {@code --from} / {@code --to} (UTC date, date-time or epoch ms;
 * {@code [from, to)}), {@code --quote-clock}. The window is returned as given: the caller decides how much
 * warm-up history before {@code --from} it reads ({@link TimeWindow#withWarmUp}).
 */
public final class MarketDataOptions {

    @Option(names = "--data", arity = "1..*", paramLabel = "PATH",
            description = "Recorded market data: files or directories (scanned recursively). Formats: "
                    + "data.binance.vision klines/aggTrades/trades (.zip/.csv), headed kline CSV(.gz), "
                    + "websocket captures.")
    private List<String> data = new ArrayList<>();

    @Option(names = "--symbols", split = ",", paramLabel = "SYMBOL",
            description = "Only these symbols (default: all found).")
    private List<String> symbols = new ArrayList<>();

    @Option(names = "--from", paramLabel = "TIME",
            description = "Start of the traded period (inclusive): 2023-04-05, 2023-04-05T12:00 (UTC), or epoch ms.")
    private String from;

    @Option(names = "--to", paramLabel = "TIME", description = "End of the traded period (exclusive).")
    private String to;

    @Option(names = "--quote-clock", paramLabel = "CLOCK",
            description = "Clock of recorded bookTicker quotes: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    private QuoteClock quoteClock = QuoteClock.RECEIVE_TIME;

    public List<String> dataPaths() {
        return List.copyOf(data);
    }

    public List<String> symbols() {
        return List.copyOf(symbols);
    }

    /** {@code [--from, --to)}, open-ended where not given. */
    public TimeWindow window() {
        return TimeWindow.parse(from, to);
    }

    /** The files under {@code --data}. */
    public MarketData.Discovery discover() throws IOException {
        if (data.isEmpty()) {
            throw new IllegalArgumentException("--data: no path given");
        }
        return MarketData.discoverPaths(data);
    }

    /** Read options for the given read window (the traded window, or it widened by warm-up). */
    public ReadOptions readOptions(TimeWindow readWindow) {
        return ReadOptions.defaults().withSymbols(symbols).withWindow(readWindow).withQuoteClock(quoteClock);
    }
}
