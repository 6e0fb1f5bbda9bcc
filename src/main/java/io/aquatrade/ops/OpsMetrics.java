package io.aquatrade.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The event-driven meters of the catalogue (METRICS.md): orders, rejections, refusals, fills, market
 * events, echo matches, rule firings, latencies, exchange HTTP errors. Every label value known in
 * advance is registered at construction, so dashboards and alerts have data before the first trade;
 * meters are cached here so that the trading thread never looks anything up in the registry.
 * Counters whose value the pipeline already keeps (events, echo matches) are function counters that
 * read it at scrape time: nothing at all on the hot path.
 */
public final class OpsMetrics {

    public static final List<String> SIDES = List.of("BUY", "SELL");
    public static final List<String> ORDER_OUTCOMES = List.of("sent", "filled", "rejected");
    /** Every reason ExecutionService refuses an intent with. */
    public static final List<String> REFUSAL_REASONS = List.of("kill_switch_reducing", "kill_switch_halted",
            "entries_halted_today", "symbol_paused", "unknown_symbol", "not_quote_asset", "invalid_intent", "order_in_flight",
            "max_open_positions",
            "max_trades_per_minute", "max_trades_per_day", "caps_exhausted", "no_price",
            "caps_leave_less_than_filters_allow", "filters", "exchange_rate_limit", "no_position", "exit_below_filters");
    /** The Binance error codes an order rejection usually carries (others are added as they happen). */
    public static final List<Integer> KNOWN_REJECTION_CODES = List.of(-1003, -1013, -1015, -1021, -2010);
    public static final List<String> MARKET_SOURCES = List.of("replay", "websocket");
    public static final List<String> MARKET_TYPES = List.of("trade", "quote", "candle");
    /** HTTP statuses from the exchange worth counting: rate limited, banned, exchange-side failure. */
    public static final List<String> EXCHANGE_HTTP_STATUSES = List.of("429", "418", "5xx");

    private final MeterRegistry registry;
    private final Counter[][] orders = new Counter[SIDES.size()][ORDER_OUTCOMES.size()];
    private final Map<Integer, Counter> rejections = new ConcurrentHashMap<>();
    private final Map<String, Counter> refusals = new ConcurrentHashMap<>();
    private final Map<String, Counter> fills = new ConcurrentHashMap<>();
    private final Map<String, Counter> ruleFirings = new ConcurrentHashMap<>();
    private final Map<String, Counter> websocketEvents = new ConcurrentHashMap<>();
    private final Map<String, Counter> httpErrors = new ConcurrentHashMap<>();
    private final Timer orderLatency;
    /** Micrometer holds a function counter's state weakly: keep it alive as long as these meters. */
    private final List<Object> keepAlive = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Timer decisionTime;
    private final io.aquatrade.exchange.binance.BinanceMetrics exchangeConnection;

    public OpsMetrics(MeterRegistry registry, String version) {
        this.registry = registry;
        // REST latency and weight, user-stream events: registered in every mode so dashboards always find them
        this.exchangeConnection = new io.aquatrade.exchange.binance.BinanceMetrics(registry);
        for (int s = 0; s < SIDES.size(); s++) {
            for (int o = 0; o < ORDER_OUTCOMES.size(); o++) {
                orders[s][o] = Counter.builder("aquatrade.orders").description("Orders by side and outcome")
                        .tags("side", SIDES.get(s), "outcome", ORDER_OUTCOMES.get(o)).register(registry);
            }
        }
        KNOWN_REJECTION_CODES.forEach(this::rejection);
        REFUSAL_REASONS.forEach(this::refusal);
        for (String type : MARKET_TYPES) {
            websocketEvents.put(type, Counter.builder("aquatrade.market.events")
                    .description("Market events processed, by source and type")
                    .tags("source", "websocket", "type", type).register(registry));
        }
        EXCHANGE_HTTP_STATUSES.forEach(st -> httpErrors.put(st, Counter.builder("aquatrade.exchange.http.errors")
                .description("HTTP 429, 418 and 5xx answers from the exchange").tag("status", st).register(registry)));
        this.orderLatency = Timer.builder("aquatrade.order.latency")
                .description("Wall-clock time from an order's submission to its first fill")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(50_000))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
        this.decisionTime = Timer.builder("aquatrade.decision")
                .description("Wall-clock time of one rule evaluation round (facts updated, rules fired, orders handled)")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(5)).register(registry);
        Gauge.builder("aquatrade.build.info", () -> 1).strongReference(true).description("Build of the running bot (always 1)")
                .tag("version", version == null || version.isBlank() ? "dev" : version).register(registry);
    }

    /** The Binance connection's meters (REST latency/weight, user data stream), for the exchange adapter. */
    public io.aquatrade.exchange.binance.BinanceMetrics exchangeConnection() {
        return exchangeConnection;
    }

    public MeterRegistry registry() {
        return registry;
    }

    // ------------------------------------------------------------------ orders

    /** The counter of orders with {@code side} (BUY/SELL) and {@code outcome} (sent/filled/rejected). */
    public Counter orders(String side, String outcome) {
        int s = SIDES.indexOf(side);
        int o = ORDER_OUTCOMES.indexOf(outcome);
        if (s < 0 || o < 0) {
            throw new IllegalArgumentException("unknown order side/outcome " + side + "/" + outcome);
        }
        return orders[s][o];
    }

    public Counter rejection(int binanceCode) {
        return rejections.computeIfAbsent(binanceCode, c -> Counter.builder("aquatrade.order.rejections")
                .description("Orders the exchange rejected, by Binance error code").tag("code", Integer.toString(c))
                .register(registry));
    }

    public Counter refusal(String reason) {
        return refusals.computeIfAbsent(reason, r -> Counter.builder("aquatrade.intents.refused")
                .description("Order intents refused by a guardrail before the exchange, by reason").tag("reason", r)
                .register(registry));
    }

    public Counter fill(String symbol, String side, String reason) {
        return fills.computeIfAbsent(symbol + '\u0000' + side + '\u0000' + reason, k -> Counter.builder("aquatrade.fills")
                .description("Fills by symbol, side and reason").tags("symbol", symbol, "side", side, "reason", reason)
                .register(registry));
    }

    public Timer orderLatency() {
        return orderLatency;
    }

    // ------------------------------------------------------------------ rules

    public Counter ruleFiring(String rule) {
        return ruleFirings.computeIfAbsent(rule, r -> Counter.builder("aquatrade.rule.firings")
                .description("Rule firings by rule").tag("rule", r).register(registry));
    }

    public Timer decisionTime() {
        return decisionTime;
    }

    /** Registers the firing counters of a rule set's rules at 0, so they exist before they fire. */
    public void registerRules(List<String> ruleNames) {
        ruleNames.forEach(this::ruleFiring);
    }

    // ------------------------------------------------------------------ market data

    /**
     * Market events of a source that already counts them (the pipeline): a function counter reads the
     * count at scrape time.
     */
    public <T> void countedMarketEvents(String source, String type, T counts, ToDoubleFunction<T> count) {
        keepAlive.add(counts);
        FunctionCounter.builder("aquatrade.market.events", counts, count)
                .description("Market events processed, by source and type").tags("source", source, "type", type)
                .register(registry);
    }

    /** The counter a live websocket source increments (one per event type). */
    public Counter websocketEvents(String type) {
        Counter c = websocketEvents.get(type);
        if (c == null) {
            throw new IllegalArgumentException("unknown market event type " + type + "; known: " + MARKET_TYPES);
        }
        return c;
    }

    public <T> void countedEchoMatches(T counts, ToDoubleFunction<T> count) {
        keepAlive.add(counts);
        FunctionCounter.builder("aquatrade.echo.matches", counts, count)
                .description("Echo matches produced for the rules").register(registry);
    }

    // ------------------------------------------------------------------ exchange

    /** Counts an HTTP answer from the exchange if it is one of 429, 418, 5xx; other statuses are ignored. */
    public void exchangeHttpStatus(int status) {
        String key = status == 429 || status == 418 ? Integer.toString(status) : status >= 500 && status <= 599 ? "5xx" : null;
        if (key != null) {
            httpErrors.get(key).increment();
        }
    }

    /** A gauge read from a supplier at scrape time. */
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value, v -> {
            Number n = v.get();
            return n == null ? Double.NaN : n.doubleValue();
        }).strongReference(true).description(description).register(registry);
    }

    /**
     * Keeps the exposition clean for {@code promtool check metrics}: drops two JVM meters whose Prometheus
     * names carry abbreviated units ({@code jvm_compilation_time_ms_total}, {@code process_cpu_time_ns_total};
     * {@code process_cpu_usage} stays) and exposes {@code system_cpu_count} as {@code system_cpu_cores} (a gauge
     * must not end in {@code _count}). Apply to the registry before Vert.x registers its JVM meters.
     */
    public static void configurePrometheusNaming(MeterRegistry registry) {
        registry.config()
                .meterFilter(io.micrometer.core.instrument.config.MeterFilter.deny(id ->
                        id.getName().equals("jvm.compilation.time") || id.getName().equals("process.cpu.time")))
                .meterFilter(new io.micrometer.core.instrument.config.MeterFilter() {
                    @Override
                    public io.micrometer.core.instrument.Meter.Id map(io.micrometer.core.instrument.Meter.Id id) {
                        return id.getName().equals("system.cpu.count") ? id.withName("system.cpu.cores") : id;
                    }
                });
    }

    /** The version of this build: the jar's Maven metadata, else "dev". */
    public static String buildVersion() {
        try (var in = OpsMetrics.class.getResourceAsStream("/META-INF/maven/io.aquatrade/aquatrade/pom.properties")) {
            if (in != null) {
                java.util.Properties p = new java.util.Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.isBlank()) {
                    return v;
                }
            }
        } catch (java.io.IOException ignored) {
            // fall through: a build without Maven metadata
        }
        String v = OpsMetrics.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
