package io.aquatrade.app;

import com.hazelcast.core.HazelcastInstance;
import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.config.ConfigKeys;
import io.aquatrade.echo.EchoEngine;
import io.aquatrade.echo.EchoParams;
import io.aquatrade.exchange.ExchangeInfo;
import io.aquatrade.exchange.OrderThrottle;
import io.aquatrade.exchange.ExchangeAdapter;
import io.aquatrade.execution.ExchangeSymbolRules;
import io.aquatrade.execution.ExecutionService;
import io.aquatrade.execution.Halt;
import io.aquatrade.execution.ExchangeSymbolRules;
import io.aquatrade.execution.HardLimits;
import io.aquatrade.execution.OrderManager;
import io.aquatrade.execution.Recovery;
import io.aquatrade.journal.Journal;
import io.aquatrade.model.Clock;
import io.aquatrade.model.Fill;
import io.aquatrade.model.MarketEvent;
import io.aquatrade.ops.ControlToken;
import io.aquatrade.ops.EventLoopMetrics;
import io.aquatrade.ops.ExchangeHealth;
import io.aquatrade.ops.Notice;
import io.aquatrade.ops.Notifier;
import io.aquatrade.ops.OpsMetrics;
import io.aquatrade.ops.OpsServer;
import io.aquatrade.ops.StreamHealth;
import io.aquatrade.ops.TradingMetrics;
import io.aquatrade.ops.TradingStatus;
import io.aquatrade.portfolio.Holding;
import io.aquatrade.portfolio.Portfolio;
import io.aquatrade.replay.ReplayDriver;
import io.aquatrade.report.ReportWriter;
import io.aquatrade.report.RunRecorder;
import io.aquatrade.execution.KillSwitchControl;
import io.aquatrade.rules.CompiledRuleSet;
import io.aquatrade.rules.ParamsSource;
import io.aquatrade.rules.ReloadOutcome;
import io.aquatrade.rules.ReloadResult;
import io.aquatrade.rules.RuleParams;
import io.aquatrade.rules.RulesService;
import io.aquatrade.rules.RiskLimits;
import io.aquatrade.rules.RuleEngine;
import io.aquatrade.rules.StrategyParams;
import io.aquatrade.state.HazelcastNode;
import io.aquatrade.state.StatePublisher;
import io.aquatrade.state.SymbolStateView;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One run of the bot: every component of a mode wired together around the pipeline, with Vert.x,
 * the embedded Hazelcast member and the metrics registry. Replay and demo use the simulated
 * exchange; the same wiring hosts the live adapters.
 */
final class TradingRun implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TradingRun.class);
    private static final int LATEST_TRADES = 50;
    private static final int EQUITY_POINTS = 720;

    final String mode;
    final Mode runMode;
    final AquatradeConfig config;
    final ExchangeInfo exchangeInfo;
    final CompiledRuleSet ruleSet;
    final PrometheusMeterRegistry registry;
    final Vertx vertx;
    final HazelcastInstance hazelcast;
    final Portfolio portfolio;
    final ExchangeAdapter exchange;
    final ExecutionService execution;
    final EchoEngine echo;
    final RuleEngine rules;
    final RunRecorder recorder;
    final TradingPipeline.PipelineStats stats = new TradingPipeline.PipelineStats();
    final TradingPipeline pipeline;
    /** the edge study of a replay (random baseline, buy and hold), else null. */
    final io.aquatrade.research.EdgeStudy edge;
    private long failedBatchEvents; // pipeline thread
    private String driverFailure;
    /** hot reload, {@code GET /api/rules} status, reload on request, rules metrics. */
    final RulesService rulesService;
    /** the graded kill switch for {@code POST /api/kill} / {@code /api/resume}, kill file, persistence. */
    final KillSwitchControl killSwitch;
    private final ExecutorService stateWriter;
    private final AtomicReference<TradingStatus> status;
    private final PipelineContext pipelineContext;
    private OpsServer ops;
    // metrics, stream health, control, notifications
    final OpsMetrics opsMetrics;
    final StreamHealth streams;
    final ExchangeHealth exchangeHealth;
    final OrderThrottle throttle;
    /** The symbol filters execution, the portfolio and recovery read; exchangeInfo's refresh updates them. */
    final ExchangeSymbolRules symbolRules;
    private final TradingMetrics tradingMetrics;
    private final EventLoopMetrics eventLoopMetrics;
    /** sees a rule evaluation stuck past {@code rules.watchdog_deadline_ms}, from a thread of its own. */
    final io.aquatrade.rules.RuleWatchdog ruleWatchdog;
    /** ends the process once an evaluation stays stuck past {@code ops.stuck_exit_after_ms}, so it is restarted. */
    private final StuckExit stuckExit;
    /** the kill switch's HALTED set by the watchdog, complete once persisted; null before it tripped. */
    private volatile CompletableFuture<?> stuckHalt;
    private final StreamHealth.Stream replayStream;
    private final long startedAtMs = System.currentTimeMillis();
    final Notifier notices;
    private final ControlToken controlToken;
    private volatile RunControl control;
    /** the order journal of this run (see {@link io.aquatrade.journal.Journal}) */
    final Journal journal;
    private final Path temporaryJournal;
    private volatile TradingStatus.Reconciliation reconciliation = TradingStatus.Reconciliation.PENDING;
    private volatile int opsPort;

    private volatile double progress;
    private volatile String phase = "warming up";
    private volatile double replaySeconds;

    TradingRun(String mode, AquatradeConfig config, ExchangeInfo exchangeInfo, CompiledRuleSet ruleSet,
               long tradeFromMs, String idPrefix) {
        this(Mode.parse(mode, "TradingRun"), config, exchangeInfo, ruleSet, tradeFromMs, idPrefix);
    }

    TradingRun(Mode runMode, AquatradeConfig config, ExchangeInfo exchangeInfo, CompiledRuleSet ruleSet,
               long tradeFromMs, String idPrefix) {
        this(runMode, config, exchangeInfo, ruleSet, tradeFromMs, idPrefix, null);
    }

    TradingRun(Mode runMode, AquatradeConfig config, ExchangeInfo exchangeInfo, CompiledRuleSet ruleSet,
               long tradeFromMs, String idPrefix, Path journalFile) {
        this(runMode, config, exchangeInfo, ruleSet, tradeFromMs, idPrefix, journalFile,
                ModeFactory.simulated(runMode, config, exchangeInfo));
    }

    /**
     * @param journalFile the order journal; null = {@code journal.url} or {@code journal.path}, except for a replay, which
     *                    keeps a journal of its own (a temporary file)
     * @param idPrefix    client-order-id prefix of a replay (reproducible ids); the other modes take the
     *                    one their journal allocates to the run, new at every start
     * @param venue       the mode's exchange adapter, created once the pipeline's context exists
     */
    TradingRun(Mode runMode, AquatradeConfig config, ExchangeInfo exchangeInfo, CompiledRuleSet ruleSet,
               long tradeFromMs, String idPrefix, Path journalFile, ModeFactory.Venue venue) {
        this.runMode = runMode;
        this.mode = runMode.key();
        ACTIVE.set(this);
        this.config = config;
        this.exchangeInfo = exchangeInfo;
        this.ruleSet = ruleSet;
        this.status = new AtomicReference<>(TradingStatus.starting(mode));
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        OpsMetrics.configurePrometheusNaming(registry); // before Vert.x registers its JVM meters
        this.vertx = Vertx.builder()
                .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
                        .setJvmMetricsEnabled(true)
                        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))))
                .withMetrics(new MicrometerMetricsFactory(registry))
                .build();
        this.hazelcast = ModeFactory.state(runMode, config);
        this.stateWriter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "state-publisher");
            t.setDaemon(true);
            return t;
        });

        // the venue reports on the pipeline's context, which exists once it is built below
        TradingSession session = TradingSession.on(venue.create(vertx, task -> pipelineExecutor().execute(task), registry), config,
                exchangeInfo, ruleSet, idPrefix, stats, (fill, closed) -> {
                    // nothing more: the status page reads the latest fills from the recorder's rows
                });
        this.portfolio = session.portfolio();
        this.exchange = session.exchange();
        this.throttle = session.throttle();
        this.symbolRules = session.symbolRules();
        this.execution = session.execution();
        this.recorder = session.recorder();
        this.rules = session.rules();
        this.echo = TradingPipeline.echoFor(config);
        StatePublisher publisher = new StatePublisher(
                hazelcast.<String, SymbolStateView>getMap(HazelcastNode.SYMBOL_STATE_MAP),
                config.longValue(ConfigKeys.STATE_PUBLISH_INTERVAL_MS), System::currentTimeMillis, stateWriter);
        this.pipeline = new TradingPipeline(TradingPipeline.STATE_MINUTES, config.longValue(ConfigKeys.RISK_STALE_FEED_SECONDS) * 1000L,
                echo, publisher, tradeFromMs, stats);
        pipeline.addSession(session);
        io.aquatrade.market.SanityBand sanityBand = new io.aquatrade.market.SanityBand(config.dbl(ConfigKeys.MARKET_SANITY_BAND_PCT));
        pipeline.sanityBand(sanityBand);
        // the edge report's random-entry baseline rides the same market pass (replay only: a simulated study)
        boolean backtest = runMode == Mode.REPLAY;
        int seeds = backtest ? config.integer(ConfigKeys.EDGE_RANDOM_SEEDS) : 0;
        this.edge = backtest ? io.aquatrade.research.EdgeStudy.attach(pipeline, session, seeds,
                config.longValue(ConfigKeys.EDGE_SEED), config.integer(ConfigKeys.STRATEGY_MAX_HOLD_MINUTES),
                config.dbl(ConfigKeys.FEES_TAKER_RATE), config.dbl(ConfigKeys.CAPITAL_BASE_FRACTION),
                seed -> TradingSession.simulated(config, exchangeInfo, ruleSet, idPrefix + "r" + seed + "-",
                        new TradingPipeline.PipelineStats(), null)) : null;
        // metrics, stream health and notifications: meters registered before the first event
        this.controlToken = ControlToken.resolve(config.string(ConfigKeys.OPS_CONTROL_TOKEN_ENV),
                config.string(ConfigKeys.OPS_CONTROL_TOKEN_FILE), System.getenv());
        this.notices = new Notifier(vertx, registry, notifierSettings(config, mode));
        pauseFeedsFailingTheBand(sanityBand, config);
        this.opsMetrics = new OpsMetrics(registry, OpsMetrics.buildVersion());
        this.tradingMetrics = TradingMetrics.bind(registry, status::get);
        tradingMetrics.bindThrottle(throttle);
        this.streams = new StreamHealth(registry, System::currentTimeMillis);
        this.replayStream = runMode.liveMarket() ? null : streams.stream("replay");
        this.exchangeHealth = new ExchangeHealth(opsMetrics, System::currentTimeMillis,
                text -> notices.accept(new Notice("exchange_ban", "critical", text, Map.of())));
        if (!runMode.liveMarket()) { // a live source counts its own websocket events (OpsMetrics.websocketEvents)
            opsMetrics.countedMarketEvents("replay", "trade", stats, st -> st.trades);
            opsMetrics.countedMarketEvents("replay", "quote", stats, st -> st.quotes);
            opsMetrics.countedMarketEvents("replay", "candle", stats, st -> st.candles);
        }
        opsMetrics.countedEchoMatches(stats, st -> st.echoMatches);
        opsMetrics.registerRules(ruleSet.ruleNames());
        RunObserver observer = new RunObserver(opsMetrics, notices, !runMode.isolated());
        execution.addObserver(observer);
        pipeline.addDecisionObserver(observer);
        this.eventLoopMetrics = EventLoopMetrics.bind(vertx, registry, 1000);

        this.pipelineContext = new PipelineContext(vertx, this::publishStatus, 500);

        // the order journal: every intent, order and fill is a row. A simulated venue (replay, paper) lives
        // and dies with this process, so its orders need not wait for the disk (a replay's fills stay in place);
        // Binance outlives it, so a request leaves only once its row is written into the journal (in process: it
        // survives kill -9), fsynced by the next group commit right after (a power cut: recovery adopts by prefix).
        try {
            this.temporaryJournal = journalFile == null && runMode.isolated()
                    ? java.nio.file.Files.createTempFile("aquatrade-replay-journal-", ".db") : null;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create the replay's journal file: " + e.getMessage(), e);
        }
        io.aquatrade.journal.JournalDatabase journalDb = journalFile != null ? io.aquatrade.journal.JournalDatabase.sqlite(journalFile)
                : temporaryJournal != null ? io.aquatrade.journal.JournalDatabase.sqlite(temporaryJournal)
                : io.aquatrade.journal.JournalDatabase.fromConfig(config, System.getenv()); // journal.url, or journal.path
        this.journal = Journal.open(journalDb, mode, System.currentTimeMillis(), runMode.isolated() ? idPrefix : null);
        journal.recordCapital(System.currentTimeMillis(), config.string(ConfigKeys.CAPITAL_QUOTE_ASSET),
                config.decimal(ConfigKeys.CAPITAL_START_QUOTE), config.decimal(ConfigKeys.CAPITAL_BASE_FRACTION),
                config.decimal(ConfigKeys.CAPITAL_PROFIT_REINVEST_FRACTION));
        OrderManager.Scheduler timers = (delayMs, task) ->
                vertx.setTimer(Math.max(1, delayMs), id -> pipelineContext.executor().execute(task));
        execution.attachJournal(journal, runMode.simulatedFills() ? OrderManager.SendPolicy.IMMEDIATE
                        : OrderManager.SendPolicy.AFTER_WRITE, pipelineContext.executor(), timers,
                System::currentTimeMillis, config.integer(ConfigKeys.EXECUTION_RECV_WINDOW_MS));
        // the kill switch's persisted level and a kill file already there are in force before reconciliation, which
        // may send orders (the protection of a held position): a bot halted before its restart sends none.
        // A backtest neither reads nor writes the live bot's kill file and state: it must be reproducible.
        boolean replay = runMode.isolated();
        this.killSwitch = new KillSwitchControl(execution, pipelineContext.executor(),
                replay ? null : Path.of(config.string(ConfigKeys.RISK_KILL_SWITCH_STATE_FILE)),
                replay ? null : Path.of(config.string(ConfigKeys.RISK_KILL_SWITCH_FILE)),
                KillSwitchControl.DEFAULT_POLL_MS);
        killSwitch.start();
        reconcile(timers, symbolRules);

        // rules hot reload
        this.rulesService = new RulesService(rules, pipelineContext.executor(), paramsSource(config),
                new RuleParams(rules.params(), rules.limits(), config), RulesService.Options.from(config));
        rulesService.bindMetrics(registry);
        rulesService.addSwapListener((result, applied) -> {
            if (applied.config() != null) {
                execution.setLimits(HardLimits.from(applied.config())); // risk.* caps follow the reloaded config
            }
        });
        pipeline.addDecisionObserver((d, nanos) -> rulesService.onDecisions(d));
        rulesService.start();

        io.micrometer.core.instrument.FunctionCounter.builder("aquatrade.order.lookup.failures", execution.orders(),
                        OrderManager::lookupFailures)
                .description("Look-ups of orders (or of their trades) the exchange did not answer; each is tried again")
                .register(registry);
        io.micrometer.core.instrument.Counter overruns = io.micrometer.core.instrument.Counter
                .builder("aquatrade_rules_evaluation_overruns")
                .description("Rule evaluations that ran past rules.watchdog_deadline_ms (trading was halted)")
                .register(registry);
        this.stuckExit = new StuckExit(config.longValue(ConfigKeys.OPS_STUCK_EXIT_AFTER_MS), this::stuckEvaluation,
                this::writeDownBeforeStuckExit, StuckExit.processExit());
        this.ruleWatchdog = new io.aquatrade.rules.RuleWatchdog(rules.watch(),
                config.longValue(ConfigKeys.RULES_WATCHDOG_DEADLINE_MS), o -> onStuckEvaluation(o, overruns)).start();

        this.control = new RunControl(rulesService, killSwitch, pipelineContext.executor(), this::publishStatus, notices);
        GracefulStop.reinstall();
        notices.accept(Notice.info("start", "Aquatrade " + OpsMetrics.buildVersion() + " started: "
                + runMode.describe() + ", rules " + ruleSet.version()));
    }

    /**
     * Crash-only start: the books from the journal, then reconciliation with the exchange, before any
     * signal is acted on. A failure leaves trading blocked, with the reason on the status page,
     * {@code /api/status} and in a notice. A simulated venue starts empty with the process, so only
     * the exchange's side is checked there (the journal's earlier runs traded on a venue now gone).
     */
    private void reconcile(OrderManager.Scheduler timers, ExchangeSymbolRules symbolRules) {
        Recovery recovery = new Recovery(execution, exchange, portfolio, journal, pipelineContext.executor(), timers,
                System::currentTimeMillis, config.string(ConfigKeys.CAPITAL_QUOTE_ASSET), symbolRules::baseAsset);
        boolean fromJournal = !runMode.simulatedFills();
        Recovery.Report report;
        try {
            report = CompletableFuture.supplyAsync(() -> recovery.run(java.util.Set.of(), fromJournal),
                    pipelineContext.executor()).thenCompose(f -> f).get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            String why = "reconciliation did not finish: " + Main.describe(e);
            pipelineContext.executor().execute(() -> execution.blockTrading(why));
            report = new Recovery.Report(false, why, List.of(), 0, 0, 0);
        }
        List<String> findings = new ArrayList<>();
        for (Recovery.Finding f : report.findings()) {
            findings.add(f.kind() + (f.symbol() == null ? "" : " " + f.symbol()) + ": " + f.detail());
        }
        this.reconciliation = new TradingStatus.Reconciliation(report.ok() ? "ok" : "failed", report.failure(), findings);
        if (!report.ok()) {
            notices.accept(new Notice("reconciliation_failed", "critical", "Aquatrade does not trade: "
                    + report.failure(), Map.of()));
        } else if (!findings.isEmpty()) {
            notices.accept(new Notice("reconciliation", "warning", findings.size()
                    + " disagreement(s) with the exchange at start, resolved by the exchange's truth: "
                    + String.join("; ", findings.subList(0, Math.min(5, findings.size()))), Map.of()));
        }
    }

    /** Notification settings from config; the URL from the environment variable named by notify.url_env first. */
    static Notifier.Settings notifierSettings(AquatradeConfig config, String mode) {
        return notifierSettings(config, mode, System.getenv());
    }

    /** A bad URL is named by where it came from (the variable, or notify.url and its file); never shown beyond its host. */
    static Notifier.Settings notifierSettings(AquatradeConfig config, String mode, Map<String, String> env) {
        String envName = config.string(ConfigKeys.NOTIFY_URL_ENV).trim();
        String url = envName.isEmpty() ? null : env.get(envName);
        String source = "environment variable " + envName + " (named by " + ConfigKeys.NOTIFY_URL_ENV + ", "
                + config.where(ConfigKeys.NOTIFY_URL_ENV) + ")";
        if (url == null || url.isBlank()) {
            url = config.string(ConfigKeys.NOTIFY_URL);
            source = ConfigKeys.NOTIFY_URL + " (" + config.where(ConfigKeys.NOTIFY_URL) + ")";
        }
        if (!url.isBlank()) {
            try {
                Notifier.webhook(url);
            } catch (IllegalArgumentException e) {
                throw new io.aquatrade.config.ConfigException(source + ": " + e.getMessage());
            }
        }
        if (!url.isBlank() && "telegram".equalsIgnoreCase(config.string(ConfigKeys.NOTIFY_FORMAT).trim())
                && config.string(ConfigKeys.NOTIFY_TELEGRAM_CHAT_ID).isBlank()) {
            String chatWhere = config.where(ConfigKeys.NOTIFY_TELEGRAM_CHAT_ID);
            throw new io.aquatrade.config.ConfigException(ConfigKeys.NOTIFY_FORMAT + " telegram ("
                    + config.where(ConfigKeys.NOTIFY_FORMAT) + ") needs " + ConfigKeys.NOTIFY_TELEGRAM_CHAT_ID + " ("
                    + ("default".equals(chatWhere) ? "default: empty" : "empty in " + chatWhere) + "), the chat the bot posts to");
        }
        return new Notifier.Settings(url, Notifier.Format.parse(config.string(ConfigKeys.NOTIFY_FORMAT), ConfigKeys.NOTIFY_FORMAT),
                config.string(ConfigKeys.NOTIFY_TELEGRAM_CHAT_ID), config.string(ConfigKeys.NOTIFY_INSTANCE), mode,
                config.integer(ConfigKeys.NOTIFY_MAX_ATTEMPTS), config.longValue(ConfigKeys.NOTIFY_INITIAL_BACKOFF_MS),
                config.longValue(ConfigKeys.NOTIFY_MAX_BACKOFF_MS), config.integer(ConfigKeys.NOTIFY_QUEUE_CAPACITY),
                config.longValue(ConfigKeys.NOTIFY_TIMEOUT_MS));
    }

    /** The effective configuration as reports show it: the webhook URL by scheme and host only (its path may be a secret). */
    static Map<String, String> shownConfig(AquatradeConfig config) {
        Map<String, String> m = config.effective();
        m.computeIfPresent(ConfigKeys.NOTIFY_URL, (k, v) -> Notifier.shownUrl(v));
        return m;
    }

    /** The control API's view of this run (kill switch, rules). */
    io.aquatrade.ops.ControlPort control() {
        return control;
    }

    /** runs tasks on the pipeline's context, in order (what every control API call hops onto). */
    java.util.concurrent.Executor pipelineExecutor() {
        return pipelineContext.executor();
    }

    /**
     * Where a reload re-reads the rules' parameters: the YAML file the config was loaded from ({@code --config}),
     * with everything that did not come from it or the defaults applied again on top: the command line's --set
     * overrides and the values the program set (a live account's starting capital), so they keep winning.
     */
    static ParamsSource paramsSource(AquatradeConfig config) {
        String file = config.file() == null ? null : config.file().toString();
        List<String> overrides = new ArrayList<>();
        Map<String, String> effective = config.effective();
        for (String key : ConfigKeys.all().keySet()) {
            String origin = config.origin(key);
            if (origin != null && !"default".equals(origin) && !origin.equals(file)) {
                overrides.add(key + "=" + effective.get(key));
            }
        }
        return new ParamsSource(config.file(), overrides);
    }

    /**
     * A rule evaluation is stuck (on the watchdog's thread): trading halts at the order gate, which needs no
     * pipeline thread, the operator is told, and /health fails so the container is restarted.
     */
    private void onStuckEvaluation(io.aquatrade.rules.RuleWatchdog.Overrun o, io.micrometer.core.instrument.Counter overruns) {
        overruns.increment();
        String text = o.describe();
        stuckHalt = killSwitch.kill(io.aquatrade.model.KillSwitchLevel.HALTED, "rule evaluation stuck: " + text, "rules watchdog")
                .exceptionally(e -> {
                    log.error("the kill switch is HALTED at the order gate but was not persisted: {}", e.toString());
                    return null;
                });
        notices.accept(new Notice("rules_stuck", "critical", "Trading HALTED: " + text
                + ". The trading thread is held by the rules; /health fails"
                + (stuckExit.afterMs() > 0 ? " and the process exits with status " + StuckExit.EXIT_CODE + " in "
                + stuckExit.afterMs() + " ms if it stays stuck, so it is restarted (still HALTED)."
                : "; ops.stuck_exit_after_ms is 0, so restart it by hand."), Map.of()));
        stuckExit.onOverrun(o);
    }

    /**
     * A symbol whose feed keeps failing the sanity band ({@code market.sanity_pause_*}) is paused for entries at
     * the order gate, with a notice, until a run of good events ({@code market.sanity_resume_after}). In every mode:
     * one pipeline, and a replay over bad data shows what live would have done. Called on the pipeline thread.
     */
    private void pauseFeedsFailingTheBand(io.aquatrade.market.SanityBand band, AquatradeConfig config) {
        int rejections = config.integer(ConfigKeys.MARKET_SANITY_PAUSE_REJECTIONS);
        if (rejections == 0) {
            return;
        }
        band.pauseFeeds(rejections, config.longValue(ConfigKeys.MARKET_SANITY_PAUSE_WINDOW_MS),
                config.integer(ConfigKeys.MARKET_SANITY_RESUME_AFTER), new io.aquatrade.market.SanityBand.FeedListener() {
                    @Override
                    public void onFeedFailing(String symbol, int count, long windowMs, String lastOutlier) {
                        String cause = count + " price outliers within " + windowMs / 1000 + " s (last: " + lastOutlier + ")";
                        execution.pauseFeed(symbol, cause);
                        notices.accept(new Notice("symbol_paused", "warning", symbol + " paused for entries: its feed keeps "
                                + "failing the sanity band, " + cause, Map.of("symbol", symbol)));
                    }

                    @Override
                    public void onFeedRecovered(String symbol, int goodEvents) {
                        execution.resumeFeed(symbol, goodEvents + " good events in a row");
                        notices.accept(new Notice("symbol_resumed", "info", symbol + " trades again: " + goodEvents
                                + " events in a row within the sanity band", Map.of("symbol", symbol)));
                    }
                });
    }

    private io.aquatrade.rules.RuleWatchdog.Overrun stuckEvaluation() {
        return ruleWatchdog.stuck();
    }

    /**
     * Before the stuck exit, on a thread of its own (bounded by {@link StuckExit}): the HALTED level durable,
     * the operator told why, the journal's stop row written and the journal closed (its own writer thread
     * checkpoints the WAL). Nothing here waits for the stuck pipeline thread; the run counts as closed.
     */
    private void writeDownBeforeStuckExit(io.aquatrade.rules.RuleWatchdog.Overrun o) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ACTIVE.compareAndSet(this, null);
        try {
            CompletableFuture<?> halt = stuckHalt;
            if (halt != null) {
                halt.get(2, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            log.error("stuck exit: the kill switch's HALTED is not confirmed persisted: {}", Main.describe(e));
        }
        String why = "rules stuck, exit " + StuckExit.EXIT_CODE + ": " + o.describe();
        notices.accept(new Notice("rules_stuck_exit", "critical", "Exiting with status " + StuckExit.EXIT_CODE
                + " to be restarted: " + o.describe() + ". The kill switch stays HALTED across the restart"
                + " (resume by hand once the rule is fixed).", Map.of()));
        try {
            notices.close(3_000).toCompletionStage().toCompletableFuture().get(4, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("stuck exit: notifications not all delivered: {}", Main.describe(e));
        }
        closeJournal(why);
    }

    /** What /health reports besides the status: a rule evaluation stuck past its deadline. */
    private String healthProblem() {
        io.aquatrade.rules.RuleWatchdog.Overrun o = ruleWatchdog.stuck();
        return o == null ? null : "trading HALTED: " + o.describe();
    }

    /** Starts the status page, API and /metrics; returns the bound port. */
    int startOps(String host, int port) {
        ops = new OpsServer(vertx, registry, status::get, control, controlToken)
                .allowHosts(List.of(config.string(ConfigKeys.OPS_ALLOWED_HOSTS).split(",")))
                .healthProblem(this::healthProblem);
        opsPort = ops.start(host, port).await();
        return opsPort;
    }

    /** The port the ops server listens on; 0 before {@link #startOps}. */
    int opsPort() {
        return opsPort;
    }

    /** The latest published status. */
    TradingStatus status() {
        return status.get();
    }

    /**
     * Replays the events through the pipeline. The reader runs on its own thread (blocking I/O);
     * the pipeline on its context. Completes after the last event has been processed.
     */
    CompletableFuture<Void> replay(Iterator<MarketEvent> events, double speed, long tradeFromMs, long tradeToMs,
                                   ProgressPrinter progressPrinter) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        long replayStart = System.nanoTime();
        ReplayDriver driver = new ReplayDriver(events, pipelineContext.executor(), batch -> {
            pipeline.onEvents(batch);
            if (replayStream != null) {
                replayStream.onMessages(batch.size());
            }
            long clock = pipeline.clockMs();
            if (clock >= tradeFromMs) {
                phase = "trading";
                if (tradeToMs > tradeFromMs) {
                    progress = Math.min(1.0, (clock - tradeFromMs) / (double) (tradeToMs - tradeFromMs));
                }
            }
        }, 2048, 4, speed, tradeFromMs);
        long periodic = progressPrinter == null ? -1 : vertx.setPeriodic(2000, id -> pipelineContext.executor().execute(() ->
                progressPrinter.print(pipeline.clockMs(), progress, stats.events, portfolio, recorder)));
        Thread reader = new Thread(() -> {
            try {
                driver.run();
                pipelineContext.executor().execute(() -> {
                    if (periodic >= 0) {
                        vertx.cancelTimer(periodic); // the reader runs ahead: progress lasts until the last event is processed
                    }
                    failedBatchEvents = driver.failedBatches() == 0 ? 0 : Math.max(1, stats.events - driver.delivered());
                    driverFailure = driver.firstFailure();
                    pipeline.flush();
                    replaySeconds = (System.nanoTime() - replayStart) / 1e9;
                    phase = "finished";
                    progress = 1.0;
                    if (progressPrinter != null) {
                        progressPrinter.printLast(pipeline.clockMs(), stats.events, portfolio, recorder);
                    }
                    publishStatus();
                    done.complete(null);
                });
            } catch (Throwable t) {
                phase = "failed";
                if (periodic >= 0) {
                    vertx.cancelTimer(periodic);
                }
                done.completeExceptionally(t);
            }
        }, "replay-reader");
        reader.setDaemon(true);
        reader.start();
        return done;
    }

    /** Builds the status picture on the pipeline's thread (the only one that may read its state). */
    private void publishStatus() {
        long now = Math.max(0, pipeline.clockMs());
        var limits = execution.limits();
        List<TradingStatus.PositionRow> positions = new ArrayList<>();
        for (Holding h : portfolio.holdings().values()) {
            if (h.isOpen()) {
                positions.add(new TradingStatus.PositionRow(h.symbol(), h.qty(), h.avgEntryPrice(), h.markPrice(),
                        h.costQuote(), h.unrealizedPnl(), h.stopPrice(), h.takeProfitPrice(), h.entryReason(),
                        execution.protectionLine(h.symbol()), execution.protectionKind(h.symbol())));
            }
        }
        List<TradingStatus.TradeRow> trades = new ArrayList<>();
        List<RunRecorder.FillRow> rows = recorder.rows();
        for (int i = rows.size() - 1; i >= Math.max(0, rows.size() - LATEST_TRADES); i--) {
            Fill f = rows.get(i).fill();
            trades.add(new TradingStatus.TradeRow(f.timeMs(), f.symbol(), f.side().name(), f.price(), f.qty(),
                    f.quoteQty(), f.reason(), f.clientOrderId(), rows.get(i).realizedPnl()));
        }
        Map<String, BigDecimal> exposureBySymbol = new java.util.TreeMap<>();
        for (String sym : pipeline.states().keySet()) {
            exposureBySymbol.put(sym, portfolio.exposure(sym));
        }
        tradingMetrics.ensureSymbols(exposureBySymbol.keySet());
        var risk = execution.riskState();
        status.set(new TradingStatus(mode, phase, now, System.currentTimeMillis(), risk.killSwitch().name(),
                risk.entriesHalted(), risk.haltReason(), portfolio.startQuote(), portfolio.equity(), portfolio.cash(),
                portfolio.deployable(), portfolio.exposure(), limits.maxTotalExposureQuote(), portfolio.openPositions(),
                limits.maxOpenPositions(), portfolio.realizedPnl(), portfolio.unrealizedPnl(), portfolio.todayPnl(),
                limits.maxDailyLossQuote(), portfolio.fees(), portfolio.fills(), execution.ordersSent(),
                execution.tradesToday(), execution.tradesLastMinute(), limits.maxTradesPerMinute(),
                limits.maxTradesPerDay(), stats.events, progress, positions, trades,
                new java.util.TreeMap<>(execution.refusals()), rules.version(), limits.maxPositionQuote(),
                limits.maxSymbolExposureQuote(), exposureBySymbol, streams.rows(), rulesStatus(),
                exchangeHealth.banned(), OpsMetrics.buildVersion(), startedAtMs, killSwitchCause(), pauses(now),
                equityToday(now), portfolio.dayStartEquity(), reconciliation,
                venueSource == null ? null : venueSource.get(), balanceRows(), openOrderRows(),
                execution.protectionMoves(), new TradingStatus.JournalHealth(execution.orders().journalFailures(),
                        execution.orders().unjournaledFills(), execution.journalFailing())));
    }

    /** Symbols paused for entries at {@code now}: the latest pause of each that has not run out. */
    private List<TradingStatus.PauseRow> pauses(long now) {
        List<Halt> hs = execution.halts();
        Map<String, TradingStatus.PauseRow> bySymbol = new java.util.TreeMap<>();
        for (int i = hs.size() - 1; i >= Math.max(0, hs.size() - 1000); i--) {
            Halt h = hs.get(i);
            if ("PAUSE_SYMBOL".equals(h.kind()) && h.symbol() != null && h.untilMs() > now && !bySymbol.containsKey(h.symbol())) {
                String cause = h.cause() == null ? "" : h.cause();
                String lower = cause.toLowerCase(java.util.Locale.ROOT);
                String kind = lower.contains("stale") ? "stale feed" : lower.contains("circuit") || lower.contains("loss")
                        ? "circuit breaker" : "paused";
                bySymbol.put(h.symbol(), new TradingStatus.PauseRow(h.symbol(), kind, h.timeMs(), h.untilMs(), cause,
                        h.source()));
            }
        }
        // until 0: no end time, the pause lasts until the feed agrees with the band again
        execution.feedPauses().forEach((symbol, cause) -> bySymbol.put(symbol, new TradingStatus.PauseRow(symbol,
                "price outliers", feedPauseSince(hs, symbol), 0, cause, "sanity band")));
        return new ArrayList<>(bySymbol.values());
    }

    private static long feedPauseSince(List<Halt> hs, String symbol) {
        for (int i = hs.size() - 1; i >= 0; i--) {
            if ("PAUSE_FEED".equals(hs.get(i).kind()) && symbol.equals(hs.get(i).symbol())) {
                return hs.get(i).timeMs();
            }
        }
        return 0;
    }

    /** The equity curve of the current UTC day (at most {@value #EQUITY_POINTS} points) for the status page. */
    private List<TradingStatus.EquityPoint> equityToday(long now) {
        List<RunRecorder.Sample> samples = recorder.samples();
        long dayStart = Math.floorDiv(now, 86_400_000L) * 86_400_000L;
        int first = samples.size();
        while (first > 0 && samples.get(first - 1).timeMs() >= dayStart) {
            first--;
        }
        int n = samples.size() - first;
        int step = Math.max(1, (n + EQUITY_POINTS - 1) / EQUITY_POINTS);
        BigDecimal dayStartEquity = portfolio.dayStartEquity();
        List<TradingStatus.EquityPoint> points = new ArrayList<>();
        for (int i = first; i < samples.size(); i += step) {
            RunRecorder.Sample x = samples.get(i);
            points.add(new TradingStatus.EquityPoint(x.timeMs(), x.equity(), x.equity().subtract(dayStartEquity)));
        }
        if (n > 0 && (n - 1) % step != 0) {
            RunRecorder.Sample x = samples.get(samples.size() - 1);
            points.add(new TradingStatus.EquityPoint(x.timeMs(), x.equity(), x.equity().subtract(dayStartEquity)));
        }
        return points;
    }

    private volatile java.util.function.Supplier<io.aquatrade.ops.VenueStatus> venueSource;

    /** What a live-data run adds to the status (streams, REST weight); read on the pipeline's thread. */
    void venueSource(java.util.function.Supplier<io.aquatrade.ops.VenueStatus> source) {
        this.venueSource = source;
    }

    void phase(String phase) {
        this.phase = phase;
    }

    /**
     * The venue's balances as last reported (Binance: the start's account read, then the user stream's updates). Never a
     * request: this runs at every status publish, and one per publish would spend the exchange's request weight.
     */
    private List<TradingStatus.BalanceRow> balanceRows() {
        List<TradingStatus.BalanceRow> rows = new ArrayList<>();
        exchange.lastKnownBalances().forEach((asset, b) -> rows.add(new TradingStatus.BalanceRow(asset, b.free(), b.locked())));
        return rows;
    }

    /** The orders not yet final as their one owner, the order manager, tracks them; no request either. */
    private List<TradingStatus.OpenOrderRow> openOrderRows() {
        List<TradingStatus.OpenOrderRow> rows = new ArrayList<>();
        for (io.aquatrade.execution.ManagedOrder o : execution.orders().inFlight()) {
            BigDecimal qty = o.request().quantity(); // null for a BUY by quote amount: known once it fills
            rows.add(new TradingStatus.OpenOrderRow(o.symbol(), o.clientOrderId(), o.request().side().name(),
                    o.state().name(), qty == null ? BigDecimal.ZERO : qty, o.executedQty(), o.request().createdMs()));
        }
        return rows;
    }

    /** The summary of report.json; call on the pipeline's thread or after the run. */
    Map<String, Object> summary(long fromMs, long toMs, List<String> symbols, Map<String, Object> data,
                                double wallSeconds) {
        Map<String, Object> s = new LinkedHashMap<>();
        BigDecimal start = portfolio.startQuote();
        s.put("start_quote", ReportWriter.money(start));
        s.put("end_equity", ReportWriter.money(portfolio.equity()));
        s.put("realized_pnl", ReportWriter.money(portfolio.realizedPnl()));
        s.put("unrealized_pnl", ReportWriter.money(portfolio.unrealizedPnl()));
        s.put("fees", ReportWriter.money(portfolio.fees()));
        s.put("end_cash", ReportWriter.money(portfolio.cash()));
        s.put("trades", recorder.fills().size());
        s.put("orders_sent", execution.ordersSent());
        long trips = portfolio.roundTrips().size();
        long wins = portfolio.roundTrips().stream().filter(r -> r.win()).count();
        s.put("round_trips", trips);
        s.put("wins", wins);
        s.put("win_rate", trips == 0 ? 0.0 : round4(wins / (double) trips));
        s.put("max_drawdown_pct", recorder.maxDrawdownPct().setScale(4, RoundingMode.HALF_EVEN));
        s.put("max_total_exposure_quote", ReportWriter.money(recorder.maxExposure()));
        s.put("max_total_exposure_time", Instant.ofEpochMilli(recorder.maxExposureTimeMs()).toString());
        s.put("max_open_positions", recorder.maxOpenPositions());
        double days = Math.max(1e-9, (toMs - fromMs) / 86_400_000.0);
        s.put("trading_days", round4(days));
        s.put("trades_per_day", round4(recorder.fills().size() / days));
        List<Map<String, Object>> halts = new ArrayList<>();
        for (Halt h : execution.halts()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("time", Instant.ofEpochMilli(h.timeMs()).toString());
            m.put("time_ms", h.timeMs());
            m.put("kind", h.kind());
            if (h.symbol() != null) {
                m.put("symbol", h.symbol());
            }
            m.put("cause", h.cause());
            m.put("source", h.source());
            if (h.untilMs() > 0) {
                m.put("until", Instant.ofEpochMilli(h.untilMs()).toString());
            }
            halts.add(m);
        }
        s.put("halts", halts);
        Map<String, Object> per = new LinkedHashMap<>();
        recorder.perSymbol().forEach((sym, st) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("trades", st.fills);
            m.put("buys", st.buys);
            m.put("sells", st.sells);
            m.put("round_trips", st.roundTrips);
            m.put("wins", st.wins);
            m.put("realized_pnl", ReportWriter.money(st.realizedPnl));
            m.put("fees", ReportWriter.money(st.fees));
            m.put("bought_quote", ReportWriter.money(st.boughtQuote));
            m.put("max_exposure_quote", ReportWriter.money(st.maxExposure));
            per.put(sym, m);
        });
        s.put("per_symbol", per);
        var limits = execution.limits();
        Map<String, Object> caps = new LinkedHashMap<>();
        caps.put("max_position_quote", limits.maxPositionQuote());
        caps.put("max_symbol_exposure_quote", limits.maxSymbolExposureQuote());
        caps.put("max_open_positions", limits.maxOpenPositions());
        caps.put("max_total_exposure_quote", limits.maxTotalExposureQuote());
        caps.put("max_daily_loss_quote", limits.maxDailyLossQuote());
        caps.put("max_trades_per_minute", limits.maxTradesPerMinute());
        caps.put("max_trades_per_day", limits.maxTradesPerDay());
        caps.put("deployable_at_start", ReportWriter.money(start.multiply(config.decimal(ConfigKeys.CAPITAL_BASE_FRACTION))));
        s.put("caps", caps);
        s.put("intents_refused", execution.refusals());
        s.put("exchange_rejections", execution.exchangeRejections());
        List<Map<String, Object>> open = new ArrayList<>();
        for (Holding h : portfolio.holdings().values()) {
            if (h.isOpen()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("symbol", h.symbol());
                m.put("qty", h.qty());
                m.put("cost_quote", ReportWriter.money(h.costQuote()));
                m.put("mark_price", h.markPrice());
                m.put("unrealized_pnl", ReportWriter.money(h.unrealizedPnl()));
                open.add(m);
            }
        }
        s.put("open_positions_at_end", open);
        s.put("orders_pending_at_end", exchange.openOrders(null).toCompletableFuture().getNow(List.of()).size());
        Map<String, Object> window = new LinkedHashMap<>();
        window.put("from", Instant.ofEpochMilli(fromMs).toString());
        window.put("to", Instant.ofEpochMilli(toMs).toString());
        window.put("days", round4(days));
        s.put("window", window);
        s.put("symbols", symbols);
        s.put("data", data);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("events", stats.events);
        p.put("closed_minutes", stats.closedMinutes);
        p.put("decision_rounds", stats.decisionRounds);
        p.put("echo_matches", stats.echoMatches);
        p.put("intents", stats.intents);
        p.put("rule_firings", stats.ruleFirings);
        p.put("failed_events", stats.failedEvents + failedBatchEvents);
        p.put("price_outliers", stats.outliers);
        if (pipeline.sanityBand() != null) {
            p.put("price_outliers_by_symbol", pipeline.sanityBand().outliersBySymbol());
            p.put("last_price_outlier", pipeline.sanityBand().lastOutlier());
        }
        List<String> failures = new ArrayList<>(stats.failures);
        if (driverFailure != null) {
            failures.add(driverFailure);
        }
        p.put("failures", failures);
        s.put("pipeline", p);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("version", rules.version());
        Map<String, String> files = new LinkedHashMap<>();
        rules.ruleSet().files().forEach(f -> files.put(f.displayPath(), f.sha256()));
        r.put("files", files);
        if (!rules.version().equals(ruleSet.version())) {
            r.put("version_at_start", ruleSet.version());
        }
        List<Map<String, Object>> reloads = new ArrayList<>(); // what went live during the run
        for (ReloadResult rr : rulesService.history()) {
            if (rr.outcome() != ReloadOutcome.UNCHANGED) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("at", rr.requestedAt());
                m.put("result", rr.result());
                m.put("trigger", rr.trigger());
                m.put("version", rr.activeVersion());
                if (!rr.errors().isEmpty()) {
                    m.put("errors", rr.errors());
                }
                reloads.add(m);
            }
        }
        r.put("reloads", reloads);
        s.put("rules", r);
        Map<String, Object> perf = new LinkedHashMap<>();
        perf.put("wall_seconds", round4(wallSeconds));
        perf.put("replay_seconds", round4(replaySeconds));
        perf.put("events_per_second", Math.round(stats.events / Math.max(1e-9, replaySeconds)));
        s.put("performance", perf);
        if (edge != null) {
            s.put("edge", edge.summary());
        }
        s.put("config", shownConfig(config));
        return s;
    }

    private static double round4(double v) {
        return Math.round(v * 10_000.0) / 10_000.0;
    }

    String phase() {
        return phase;
    }

    /** Wall time of the replay itself: first event read to last event processed. */
    double replaySeconds() {
        return replaySeconds;
    }

    /** Who set the kill switch's current level and why, from the latest kill/resume halt record. */
    private String killSwitchCause() {
        List<Halt> hs = execution.halts();
        for (int i = hs.size() - 1; i >= 0; i--) {
            Halt h = hs.get(i);
            if (h.kind().startsWith("KILL_") || h.kind().equals("RESUME")) {
                return h.source() + ": " + h.cause() + " (" + utc(h.timeMs()) + " UTC)";
            }
        }
        return null;
    }

    /** The active rule set, for the status; replaced by the control's view once it is wired. */
    private io.aquatrade.ops.ControlPort.RulesStatus rulesStatus() {
        RunControl c = control;
        return c == null ? null : c.rulesStatus();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ACTIVE.compareAndSet(this, null);
        stuckExit.close();
        ruleWatchdog.close();
        rulesService.close();
        killSwitch.close();
        eventLoopMetrics.stop();
        notices.accept(Notice.info("stop", "Aquatrade stopping (" + mode + ", phase " + phase + ", rules "
                + rules.version() + ")"));
        try {
            notices.close(5_000).await();
        } catch (RuntimeException e) {
            log.warn("notifications at stop: {}", e.getMessage());
        }
        try {
            if (ops != null) {
                ops.stop().await();
            }
            vertx.close().await();
        } catch (RuntimeException e) {
            log.warn("closing Vert.x: {}", e.getMessage());
        }
        pipelineContext.close();
        stateWriter.shutdown();
        try {
            stateWriter.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        rules.close();
        hazelcast.shutdown();
        closeJournal("stopped (" + phase + ")");
    }

    /** The journal's stop row, the journal closed, and a replay's temporary journal removed. */
    private void closeJournal(String reason) {
        journal.recordStop(System.currentTimeMillis(), reason);
        journal.close();
        if (temporaryJournal != null) {
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                try {
                    java.nio.file.Files.deleteIfExists(Path.of(temporaryJournal + suffix));
                } catch (java.io.IOException e) {
                    log.warn("could not delete the replay's journal {}: {}", temporaryJournal + suffix, e.getMessage());
                }
            }
        }
    }

    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    /** The run a stop signal applies to (one per process outside tests). */
    static final AtomicReference<TradingRun> ACTIVE = new AtomicReference<>();

    /**
     * Graceful stop, step one: no new entries, then wait (at most {@code boundMs}) until every order
     * in flight has resolved. Returns the orders still unresolved (0 = all resolved); those stay in
     * the journal as they are and are looked up by reconciliation at the next start.
     */
    int stopGracefully(long boundMs) {
        if (closed.get()) {
            return 0;
        }
        long deadline = System.currentTimeMillis() + boundMs;
        int left;
        try {
            CompletableFuture.runAsync(execution::stopEntries, pipelineContext.executor()).get(5, TimeUnit.SECONDS);
            do {
                left = CompletableFuture.supplyAsync(() -> execution.orders().unresolved(), pipelineContext.executor())
                        .get(5, TimeUnit.SECONDS);
                if (left > 0) {
                    Thread.sleep(50);
                }
            } while (left > 0 && System.currentTimeMillis() < deadline);
        } catch (Exception e) {
            log.warn("graceful stop: {}", Main.describe(e));
            left = -1;
        }
        log.info("graceful stop: entries stopped, {} order(s) unresolved", left);
        return left;
    }

    /** Prints progress of long replays. */
    interface ProgressPrinter {
        void print(long clockMs, double progress, long events, Portfolio portfolio, RunRecorder recorder);

        /** The state at the end of the replay: always shown, however short the run was. */
        default void printLast(long clockMs, long events, Portfolio portfolio, RunRecorder recorder) {
            print(clockMs, 1.0, events, portfolio, recorder);
        }
    }

    static String utc(long ms) {
        return Clock.at(ms).utcDay() + " " + String.format("%02d:%02d", Clock.at(ms).minuteOfDay() / 60,
                Clock.at(ms).minuteOfDay() % 60);
    }
}
