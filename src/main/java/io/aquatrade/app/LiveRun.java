package io.aquatrade.app;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.config.ConfigException;
import io.aquatrade.config.ConfigKeys;
import io.aquatrade.exchange.ExchangeInfo;
import io.aquatrade.exchange.OrderThrottle;
import io.aquatrade.exchange.PairUniverse;
import io.aquatrade.exchange.binance.BinanceCredentials;
import io.aquatrade.exchange.binance.BinanceExchangeAdapter;
import io.aquatrade.exchange.binance.ws.BinanceUserStream;
import io.aquatrade.exchange.binance.http.BinanceHttp;
import io.aquatrade.exchange.binance.http.BinanceRestClient;
import io.aquatrade.exchange.binance.http.Ticker24h;
import io.aquatrade.history.KlineHistory;
import io.aquatrade.market.MarketData;
import io.aquatrade.market.MarketEventReader;
import io.aquatrade.market.ReadOptions;
import io.aquatrade.market.live.BinanceStreamVerticle;
import io.aquatrade.market.live.StreamSettings;
import io.aquatrade.market.live.StreamStats;
import io.aquatrade.model.Candle;
import io.aquatrade.model.MarketEvent;
import io.aquatrade.ops.Notice;
import io.aquatrade.ops.StreamHealth;
import io.aquatrade.portfolio.Holding;
import io.aquatrade.rules.CompiledRuleSet;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A paper, testnet or live run: Binance's exchangeInfo and pair universe, the history bootstrap, the
 * market streams with REST backfill, the wall clock, and the mode's adapter, around one {@link TradingRun}.
 * Wiring only, top to bottom; the trading loop is the pipeline's, the feed's completeness {@link LiveMarket}'s.
 */
final class LiveRun implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LiveRun.class);
    /** The phrase {@code exchange.live_confirm} must hold for a live run (or {@code run --confirm-live}). */
    static final String LIVE_CONFIRMATION = "I-TRADE-REAL-MONEY";
    static final long UNIVERSE_REFRESH_MS = 24 * 3_600_000L;
    /** exchangeInfo (filters, rate limits) is re-read this often while running. */
    static final long EXCHANGE_INFO_REFRESH_MS = 3_600_000L;
    private static final int WARM_UP_BATCH = 4096;

    final Mode mode;
    final AquatradeConfig config;
    final ExchangeUrls urls;
    private final PrintStream console;
    final TradingRun run;
    final BinanceHttp http;
    final BinanceRestClient rest;
    final KlineHistory history;
    final LiveMarket market;
    private final boolean universeMode;
    private volatile PairUniverse universe;
    private volatile BinanceStreamVerticle streams;
    private volatile String streamsDeployment;
    private final Map<Integer, long[]> seen = new HashMap<>(); // per connection: messages, reconnects already reported
    private long wallTimer = -1;
    private long universeTimer = -1;

    /**
     * Refuses what must not start (and says why): a replay mode, live without its explicit confirmation,
     * testnet or paper pointed at hosts not their own, testnet or live without API keys. Paper needs no keys.
     */
    static Optional<BinanceCredentials> checkStart(Mode mode, AquatradeConfig config, boolean confirmLive,
                                                   Map<String, String> env) {
        if (mode == Mode.REPLAY) {
            throw new ConfigException("run trades on Binance: --mode paper, testnet or live (mode is replay, "
                    + config.where(ConfigKeys.MODE) + "); backtests use the replay command");
        }
        if (mode == Mode.LIVE && !confirmLive
                && !LIVE_CONFIRMATION.equals(config.string(ConfigKeys.EXCHANGE_LIVE_CONFIRM).trim())) {
            throw new ConfigException("live mode trades real money and needs an explicit confirmation: pass --confirm-live"
                    + " or set exchange.live_confirm=" + LIVE_CONFIRMATION + " (no default sets it). Refusing to start.");
        }
        ExchangeUrls.of(mode, config); // a host the mode must not talk to is refused before anything compiles or connects
        Optional<BinanceCredentials> keys = mode.needsKeys() ? BinanceCredentials.fromEnvironment(env) : Optional.empty();
        if (mode.needsKeys() && keys.isEmpty()) {
            throw new ConfigException(mode.key() + " mode needs Binance API keys from the environment: "
                    + BinanceCredentials.API_KEY + " with " + BinanceCredentials.API_SECRET + " (HMAC) or "
                    + BinanceCredentials.PRIVATE_KEY_FILE + " (Ed25519 PEM), or their *_FILE variants. Refusing to start.");
        }
        return keys;
    }

    LiveRun(Mode mode, AquatradeConfig config, CompiledRuleSet ruleSet, Optional<BinanceCredentials> keys,
            PrintStream console) throws Exception {
        this.mode = mode;
        this.config = config;
        this.console = console;
        this.urls = ExchangeUrls.of(mode, config);
        String quote = config.string(ConfigKeys.CAPITAL_QUOTE_ASSET);
        List<String> explicit = symbols(config.string(ConfigKeys.EXCHANGE_SYMBOLS));
        this.universeMode = explicit.isEmpty();

        // 1. the exchange's own filters and rate limits, and the pairs, before anything trades
        console.printf("Mode %s: REST %s, streams %s%n", mode.key().toUpperCase(Locale.ROOT), urls.rest(), urls.stream());
        ExchangeInfo info;
        PairUniverse pairs;
        AquatradeConfig runConfig = config;
        // the recvWindow every signed request carries is the one execution resolves lost outcomes by
        long recvWindowMs = config.integer(ConfigKeys.EXECUTION_RECV_WINDOW_MS);
        BinanceHttp.Settings restSettings = BinanceHttp.Settings.defaults(urls.rest()).withRecvWindowMs(recvWindowMs);
        Vertx boot = Vertx.vertx();
        try (BinanceHttp bootHttp = new BinanceHttp(boot, restSettings, keys.orElse(null),
                OrderThrottle.fromExchangeInfo(ExchangeInfo.loadDefault(), config.dbl(ConfigKeys.EXCHANGE_LIMIT_FRACTION), 0.0),
                System::currentTimeMillis, null)) {
            BinanceRestClient bootRest = new BinanceRestClient(boot, bootHttp);
            info = get(bootRest.exchangeInfo(), "GET /api/v3/exchangeInfo");
            pairs = universeMode ? select(info, get(bootRest.ticker24h(), "GET /api/v3/ticker/24hr"), quote)
                    : PairUniverse.of(validated(explicit, info, quote));
            if (mode.needsKeys()) {
                // capital: the account's free quote balance at the first start, or capital.start_quote if lower
                get(bootHttp.syncTime(), "GET /api/v3/time");
                var balances = get(bootRest.balances(), "GET /api/v3/account");
                BigDecimal free = balances.containsKey(quote) ? balances.get(quote).free() : BigDecimal.ZERO;
                Path kept = StartingCapital.file(Path.of(config.string(ConfigKeys.RISK_KILL_SWITCH_STATE_FILE)), mode);
                BigDecimal capital = StartingCapital.resolve(kept, free, config.decimal(ConfigKeys.CAPITAL_START_QUOTE));
                runConfig = config.with(ConfigKeys.CAPITAL_START_QUOTE, capital.toPlainString(), kept.toString());
                console.printf("Capital: %s %s (account free %s, capital.start_quote %s; kept in %s)%n",
                        capital.toPlainString(), quote, free.toPlainString(),
                        config.decimal(ConfigKeys.CAPITAL_START_QUOTE).toPlainString(), kept);
            }
        } finally {
            boot.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        this.universe = pairs;
        console.printf("Pairs (%s): %s%n", universeMode ? "universe: top " + config.integer(ConfigKeys.EXCHANGE_UNIVERSE_SIZE)
                + " USDT pairs by 24 h quote volume" : "exchange.symbols", pairs.symbols());

        // 2. the run: pipeline, execution, the mode's venue (paper: the simulator at the live book; testnet and
        //    live: Binance's REST and user data stream), ops
        long start = System.currentTimeMillis();
        ExchangeInfo venueInfo = info;
        AquatradeConfig venueConfig = runConfig;
        BinanceHttp[] made = new BinanceHttp[1];
        this.run = new TradingRun(mode, runConfig, info, ruleSet, start, ReplaySetup.idPrefix(start), null, (vertx, pipeline, registry) -> {
            // the connection's meters are registered here first, so these are the instances that feed them
            io.aquatrade.exchange.binance.BinanceMetrics metrics = new io.aquatrade.exchange.binance.BinanceMetrics(registry);
            BinanceHttp h = new BinanceHttp(vertx, restSettings, keys.orElse(null),
                    OrderThrottle.fromExchangeInfo(venueInfo, venueConfig.dbl(ConfigKeys.EXCHANGE_LIMIT_FRACTION),
                            OrderThrottle.DEFAULT_EXIT_RESERVE_FRACTION), System::currentTimeMillis, metrics);
            made[0] = h;
            if (!mode.needsKeys()) {
                return ModeFactory.adapter(mode, venueConfig, venueInfo);
            }
            return new BinanceExchangeAdapter(vertx, new BinanceRestClient(vertx, h), keys.get(),
                    BinanceUserStream.Settings.defaults(urls.wsApi()).withRecvWindowMs(recvWindowMs), pipeline,
                    BinanceExchangeAdapter.Settings.defaults(mode.key())
                            .withEntryValidityMs(venueConfig.integer(ConfigKeys.EXECUTION_ENTRY_VALIDITY_MS)), metrics);
        });
        this.http = made[0];
        http.setEvents(new BinanceHttp.Events() {
            @Override
            public void onHttpStatus(int status, long retryAfterMs) {
                run.exchangeHealth.onHttpStatus(status, retryAfterMs); // counts, and the ban notice
            }

            @Override
            public void onBanned(long untilWallMs, String message) {
                // an IP ban (418) means the bot kept sending past 429s: stop every order until an operator resumes
                run.killSwitch.kill(io.aquatrade.model.KillSwitchLevel.HALTED, "Binance banned this IP (HTTP 418) until "
                        + java.time.Instant.ofEpochMilli(untilWallMs), "exchange");
            }

            @Override
            public void onOrderHalt(io.aquatrade.exchange.BinanceError error) {
                // a bad key, signature or permission, or trading disabled: every further order would fail the same way
                run.killSwitch.kill(io.aquatrade.model.KillSwitchLevel.HALTED, "Binance refused an order with " + error
                        + ": this key or account cannot trade", "exchange");
            }
        });
        this.rest = new BinanceRestClient(run.vertx, http);
        this.history = new KlineHistory(Path.of(config.string(ConfigKeys.HISTORY_CACHE_DIR)), rest, System::currentTimeMillis);
        this.market = new LiveMarket(LiveMarket.of(run.pipeline), LiveMarket.of(history), System::currentTimeMillis);
    }

    /** Serves the status page, bootstraps history, opens the streams: from here on it trades. */
    int start() throws Exception {
        String host = config.string(ConfigKeys.OPS_HTTP_HOST);
        int port = run.startOps(host, config.integer(ConfigKeys.OPS_HTTP_PORT));
        console.printf("Status page:  http://%s:%d/%n", host, port);
        console.printf("Metrics:      http://%s:%d/metrics%n", host, port);
        console.printf("Status API:   http://%s:%d/api/status%n", host, port);
        run.venueSource(this::venue);
        if (run.exchange instanceof BinanceExchangeAdapter binance) {
            watchAccount(binance);
            // server time, the user data stream, the REST safety net: before any order can go out
            get(binance.start(), "user data stream (" + urls.wsApi() + ")");
            console.printf("User data stream: subscribed on %s%n", urls.wsApi());
        }
        warmUp(universe.symbols());
        onPipeline(() -> market.watch(universe.symbols()));
        openStreams(universe.symbols());
        wallTimer = run.vertx.setPeriodic(1_000, id -> run.pipelineExecutor().execute(this::tick));
        if (universeMode) {
            universeTimer = run.vertx.setPeriodic(UNIVERSE_REFRESH_MS, id -> refreshUniverse());
        }
        run.phase("trading");
        console.printf("Trading %s on %d pair(s) from %s UTC; stop with Ctrl-C (SIGTERM/SIGINT)%n", mode.key(),
                universe.symbols().size(), TradingRun.utc(System.currentTimeMillis()));
        return port;
    }

    /**
     * What happens on the account besides the bot's own orders (both on the pipeline's thread): a deposit,
     * withdrawal or transfer is absorbed into the books and reported; an order placed by hand or by another
     * program is reported and left alone. exchangeInfo is re-read hourly (its rate limits reach the throttle).
     */
    private void watchAccount(BinanceExchangeAdapter binance) {
        binance.setAccountListener(new BinanceExchangeAdapter.AccountListener() {
            @Override
            public void onBalances(List<io.aquatrade.exchange.AssetBalance> changed, long eventTimeMs) {
                // the balances after the bot's own fills too: fills are booked from the execution reports
            }

            @Override
            public void onBalanceUpdate(String asset, BigDecimal delta, long eventTimeMs) {
                run.portfolio.absorbExternal(asset, delta, "balanceUpdate: deposit, withdrawal or transfer", eventTimeMs);
                run.notices.accept(new Notice("external_balance_change", "warning", "the " + asset + " balance changed by "
                        + delta.toPlainString() + " outside the bot (deposit, withdrawal or transfer); the books absorbed it",
                        Map.of("asset", asset, "delta", delta.toPlainString())));
            }
        });
        binance.setForeignOrderHandler(r -> run.notices.accept(new Notice("foreign_order", "warning", "order "
                + r.orderClientId() + " on " + r.symbol() + " (" + r.side() + " " + r.orderType() + ", " + r.executionType()
                + ") was not placed by this bot: reported and left alone", Map.of("symbol", r.symbol()))));
        // on the pipeline's thread (refreshExchangeInfo hands it there): the next order uses the new filters
        binance.refreshExchangeInfo(EXCHANGE_INFO_REFRESH_MS, info -> {
            run.symbolRules.update(info);
            log.info("exchangeInfo re-read: {} symbols; execution's filters and the throttle's rate limits updated", info.size());
        });
    }

    private void tick() {
        long now = System.currentTimeMillis();
        run.pipeline.onWallClock(now);
        run.pipeline.decideStaleFeeds(now, market.watched());
        market.onWallClock(now);
        reportStreams();
    }

    /** Feeds each connection's counts into the per-stream health and metrics. */
    private void reportStreams() {
        BinanceStreamVerticle v = streams;
        if (v == null) {
            return;
        }
        for (StreamStats st : v.stats()) {
            StreamHealth.Stream h = run.streams.stream("websocket-" + st.connection());
            long[] before = seen.computeIfAbsent(st.connection(), k -> new long[2]);
            if (st.messages() > before[0]) {
                h.onMessages((int) Math.min(Integer.MAX_VALUE, st.messages() - before[0]));
            }
            for (long r = before[1]; r < st.reconnects(); r++) {
                h.onReconnect();
            }
            before[0] = st.messages();
            before[1] = st.reconnects();
        }
    }

    /** The look-back of each pair from the cache (fetching what is missing), then today's minutes, into the state. */
    private void warmUp(List<String> symbols) throws Exception {
        int days = config.integer(ConfigKeys.HISTORY_LOOKBACK_DAYS);
        console.printf("History: %d day(s) of 1m klines for %d pair(s) in %s%n", days, symbols.size(), history.dir());
        TaskProgress bar = new TaskProgress(console);
        KlineHistory.Summary s = get(history.ensure(symbols, days, p -> bar.show(p.daysDone(), p.daysTotal(),
                p.symbol() + " " + p.day() + (p.fetched() ? " fetched" : " cached"))), "history download");
        bar.done();
        long bars = 0;
        try (MarketEventReader r = MarketData.openAll(MarketData.discover(s.files()).files(), ReadOptions.defaults())) {
            List<Candle> batch = new ArrayList<>(WARM_UP_BATCH);
            for (MarketEvent e = r.next(); e != null; e = r.next()) {
                if (e instanceof Candle c) {
                    batch.add(c);
                    bars++;
                }
                if (batch.size() == WARM_UP_BATCH) {
                    feed(batch);
                    batch = new ArrayList<>(WARM_UP_BATCH);
                }
            }
            feed(batch);
        }
        long today = 0;
        for (String sym : symbols) {
            List<Candle> minutes = get(history.today(sym), "GET /api/v3/klines " + sym + " today");
            feed(minutes);
            today += minutes.size();
        }
        console.printf(Locale.ROOT, "History: %,d cached bars (%d day file(s) fetched now, %d cached before) + %,d of today%n",
                bars, s.fetched(), s.cachedBefore(), today);
    }

    private void feed(List<Candle> batch) throws Exception {
        List<Candle> b = List.copyOf(batch);
        onPipeline(() -> b.forEach(run.pipeline::warmUp));
    }

    private void onPipeline(Runnable task) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        run.pipelineExecutor().execute(() -> {
            try {
                task.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        done.get(60, TimeUnit.SECONDS);
    }

    /** Opens the streams of these pairs; the previous connections close once the new ones are deployed. */
    private void openStreams(List<String> symbols) throws Exception {
        StreamSettings settings = StreamSettings.of(symbols).withBaseUrl(urls.stream());
        io.micrometer.core.instrument.Counter trades = run.opsMetrics.websocketEvents("trade");
        io.micrometer.core.instrument.Counter quotes = run.opsMetrics.websocketEvents("quote");
        io.micrometer.core.instrument.Counter candles = run.opsMetrics.websocketEvents("candle");
        BinanceStreamVerticle next = new BinanceStreamVerticle(settings, e -> {
            (e instanceof io.aquatrade.model.TradeTick ? trades : e instanceof io.aquatrade.model.QuoteTick ? quotes
                    : candles).increment();
            run.pipelineExecutor().execute(() -> market.onEvent(e));
        });
        next.continuing(streams); // the old connections stream on until the new ones are up: no trade twice
        String id = run.vertx.deployVerticle(next).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        String old = streamsDeployment;
        streams = next;
        streamsDeployment = id;
        seen.clear();
        if (old != null) {
            run.vertx.undeploy(old);
        }
        log.info("streams: {} connection(s) for {} pair(s): {}", next.urls().size(), symbols.size(), next.urls());
    }

    /**
     * The daily universe refresh: new pairs warm up before their streams open; pairs still held stay until
     * flat; every other pair keeps its state. Completes with what changed.
     */
    CompletableFuture<PairUniverse.Change> refreshUniverse() {
        CompletableFuture<PairUniverse.Change> done = new CompletableFuture<>();
        rest.ticker24h().onComplete(ar -> {
            if (ar.failed()) {
                log.warn("universe refresh failed ({}); keeping {}", ar.cause().getMessage(), universe.symbols());
                done.completeExceptionally(ar.cause());
                return;
            }
            run.pipelineExecutor().execute(() -> {
                try {
                    Set<String> holding = new TreeSet<>();
                    for (Holding h : run.portfolio.holdings().values()) {
                        if (h.isOpen()) {
                            holding.add(h.symbol());
                        }
                    }
                    PairUniverse next = select(run.exchangeInfo, ar.result(), config.string(ConfigKeys.CAPITAL_QUOTE_ASSET));
                    PairUniverse.Change change = universe.change(next, holding);
                    if (change.isEmpty()) {
                        done.complete(change);
                        return;
                    }
                    log.info("universe refresh: adding {}, dropping {}", change.added(), change.dropped());
                    // history and stream switch-over block: off the event loop
                    Thread t = new Thread(() -> {
                        try {
                            warmUp(change.added());
                            universe = PairUniverse.of(change.symbols());
                            onPipeline(() -> market.watch(change.symbols()));
                            openStreams(change.symbols());
                            done.complete(change);
                        } catch (Exception e) {
                            log.error("universe refresh: {}", e.getMessage(), e);
                            done.completeExceptionally(e);
                        }
                    }, "universe-refresh");
                    t.setDaemon(true);
                    t.start();
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
            });
        });
        return done;
    }

    private PairUniverse select(ExchangeInfo info, List<Ticker24h> tickers, String quote) {
        Map<String, BigDecimal> volumes = new LinkedHashMap<>();
        for (Ticker24h t : tickers) {
            volumes.put(t.symbol(), t.quoteVolume());
        }
        PairUniverse u = PairUniverse.select(info, volumes, quote, config.integer(ConfigKeys.EXCHANGE_UNIVERSE_SIZE));
        if (u.symbols().isEmpty()) {
            throw new IllegalStateException("the pair universe is empty: no TRADING " + quote + " pair in "
                    + tickers.size() + " 24 h tickers");
        }
        return u;
    }

    static List<String> symbols(String list) {
        List<String> out = new ArrayList<>();
        for (String s : list.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim().toUpperCase(Locale.ROOT));
            }
        }
        return out;
    }

    private static List<String> validated(List<String> symbols, ExchangeInfo info, String quote) {
        for (String s : symbols) {
            var si = info.symbol(s).orElseThrow(() -> new ConfigException("exchange.symbols: " + s
                    + " is not listed by the exchange (exchangeInfo has " + info.size() + " symbols)"));
            if (!si.isTrading() || !quote.equals(si.quoteAsset())) {
                throw new ConfigException("exchange.symbols: " + s + " is " + si.status() + " and quoted in "
                        + si.quoteAsset() + "; the bot trades TRADING pairs quoted in " + quote);
            }
        }
        return symbols;
    }

    /** What the status page shows of the venue: balances, open orders, streams, REST weight. Pipeline thread. */
    private io.aquatrade.ops.VenueStatus venue() {
        List<io.aquatrade.ops.VenueStatus.Connection> conns = new ArrayList<>();
        BinanceStreamVerticle v = streams;
        long now = System.currentTimeMillis();
        if (v != null) {
            for (StreamStats st : v.stats()) {
                conns.add(new io.aquatrade.ops.VenueStatus.Connection(st.connection(), st.connected(),
                        st.lastMessageMs() == 0 ? -1 : (now - st.lastMessageMs()) / 1000.0, st.messages(), st.reconnects(),
                        st.malformed(), st.lastReconnectReason()));
            }
        }
        long limit = 0;
        for (OrderThrottle.Usage u : http.throttle().usage()) {
            if (u.limit().type() == io.aquatrade.exchange.RateLimit.Type.REQUEST_WEIGHT && u.limit().windowMs() == 60_000) {
                limit = u.limit().limit();
            }
        }
        return new io.aquatrade.ops.VenueStatus(mode.key(), mode == Mode.LIVE, run.exchange.name(), urls.rest(),
                universe.symbols(), http.usedWeight1m(), limit, conns, market.backfills(), market.backfilledMinutes(),
                market.droppedWhileHeld());
    }

    private static <T> T get(Future<T> f, String what) throws Exception {
        try {
            return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(what + ": " + Main.describe(e.getCause()), e.getCause());
        }
    }

    @Override
    public void close() {
        if (wallTimer >= 0) {
            run.vertx.cancelTimer(wallTimer);
        }
        if (universeTimer >= 0) {
            run.vertx.cancelTimer(universeTimer);
        }
        String d = streamsDeployment;
        if (d != null) {
            try {
                run.vertx.undeploy(d).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("closing streams: {}", e.getMessage());
            }
        }
        http.close();
        run.close();
    }
}
