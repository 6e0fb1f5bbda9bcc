package io.aquatrade.app;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.config.ConfigKey;
import io.aquatrade.config.ConfigKeys;
import io.aquatrade.exchange.ExchangeInfo;
import io.aquatrade.exchange.OrderThrottle;
import io.aquatrade.exchange.binance.http.BinanceHttp;
import io.aquatrade.exchange.binance.http.BinanceRestClient;
import io.aquatrade.history.KlineHistory;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code download}: one-minute klines from Binance's REST API into Binance dump files that {@code replay --data} reads. */
@Command(name = "download", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Download one-minute klines of the given pairs from Binance, for replay.",
                "Pages GET /api/v3/klines inside the request-weight budget into DIR as Binance's daily dump files "
                        + "SYMBOL-1m-YYYY-MM-DD.csv, the completed UTC days before today. Days already in DIR are not "
                        + "fetched again, so an interrupted download resumes where it stopped (a day's file appears "
                        + "only once the whole day is fetched). A rate limit (HTTP 429/418) is waited out past its "
                        + "Retry-After; a 5xx or a lost connection is retried; up to 6 attempts a day. Replay them with:",
                "  java -jar target/aquatrade.jar replay --data DIR"})
final class DownloadCommand implements Callable<Integer> {

    @Option(names = "--symbols", required = true, split = ",", paramLabel = "SYMBOL",
            description = "Pairs to download, e.g. BTCUSDT,ETHUSDT.")
    List<String> symbols = new ArrayList<>();

    @Option(names = "--days", paramLabel = "N",
            description = "Completed UTC days before today to download, 1 to 400 like history.lookback_days "
                    + "(default: history.lookback_days, 30).")
    Integer days;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Directory of the dump files (default: history.cache_dir, var/history; the bot's own cache).")
    Path out;

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML configuration (default: config/aquatrade.yaml if present): exchange.rest_url, exchange.limit_fraction.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one config key, e.g. --set exchange.rest_url=https://data-api.binance.vision (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        RunOptions ro = new RunOptions();
        ro.config = config;
        AquatradeConfig cfg = AquatradeConfig.load(ro.configFile(), overrides);
        int n = days != null ? days : cfg.integer(ConfigKeys.HISTORY_LOOKBACK_DAYS);
        // the same look-back as the bot's: its key's bounds, not a second pair (and no empty files for centuries)
        ConfigKey lookback = ConfigKeys.all().get(ConfigKeys.HISTORY_LOOKBACK_DAYS);
        if (n < Long.parseLong(lookback.min()) || n > Long.parseLong(lookback.max())) {
            throw new IllegalArgumentException("--days must be between " + lookback.min() + " and " + lookback.max()
                    + " (the range of " + lookback.name() + "), got " + n);
        }
        Path dir = out != null ? out : Path.of(cfg.string(ConfigKeys.HISTORY_CACHE_DIR));
        List<String> syms = new ArrayList<>(ReplaySetup.symbolSet(symbols));
        Mode mode = Mode.of(cfg);
        ExchangeUrls urls = ExchangeUrls.of(mode, cfg);
        Vertx vertx = Vertx.vertx();
        PrintStream console = System.out;
        try (BinanceHttp http = new BinanceHttp(vertx, BinanceHttp.Settings.defaults(urls.rest()), null,
                OrderThrottle.fromExchangeInfo(ExchangeInfo.loadDefault(), cfg.dbl(ConfigKeys.EXCHANGE_LIMIT_FRACTION), 0.0),
                System::currentTimeMillis, null)) {
            BinanceRestClient rest = new BinanceRestClient(vertx, http);
            // the exchange's own rate limits, and a clear error for a pair it does not list
            ExchangeInfo info = rest.exchangeInfo().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            for (String s : syms) {
                if (!info.contains(s)) {
                    throw new IllegalArgumentException("--symbols: " + s + " is not a symbol of " + urls.rest()
                            + " (exchangeInfo lists " + info.size() + ")");
                }
            }
            console.printf("Downloading %d day(s) of 1m klines for %s from %s into %s%n", n, syms, urls.rest(), dir);
            TaskProgress bar = new TaskProgress(console);
            KlineHistory.Summary s = new KlineHistory(dir, rest, System::currentTimeMillis)
                    .ensure(syms, n, p -> bar.show(p.daysDone(), p.daysTotal(), p.symbol() + " " + p.day()
                            + (p.fetched() ? " " + p.bars() + " bars" : " cached")))
                    .toCompletionStage().toCompletableFuture().get();
            bar.done();
            console.printf(Locale.ROOT, "Done: %d file(s) fetched (%,d bars), %d already cached, %d pair(s) x %d day(s) in %s%n",
                    s.fetched(), s.barsFetched(), s.cachedBefore(), s.symbols(), s.days(), dir);
            console.printf("Replay them: java -jar target/aquatrade.jar replay --data %s%n", dir);
            return 0;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
