package io.aquatrade.exchange.binance;

import io.aquatrade.exchange.binance.http.BinanceEndpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Binance connection's meters (METRICS.md, "exchange connection"): REST latency per endpoint,
 * REST results, the request weight used against its limit, and user-data-stream events and reconnects.
 * Every label value is registered at construction, so the series exist before the first request.
 * Registering twice on one registry returns the same meters (Micrometer), so the ops layer and the
 * adapter may both construct one.
 */
public final class BinanceMetrics {

    /** What became of a REST request. */
    public static final List<String> REST_RESULTS = List.of("ok", "rejected", "unknown", "not_sent");
    /** User-data-stream event types counted by name; anything else counts as {@code other}. */
    public static final List<String> USER_EVENT_TYPES = List.of("executionReport", "outboundAccountPosition",
            "balanceUpdate", "listStatus", "eventStreamTerminated", "externalLockUpdate", "other");

    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final Map<BinanceEndpoint, Timer> latency = new EnumMap<>(BinanceEndpoint.class);
    private final Map<String, Counter> results = new ConcurrentHashMap<>();
    private final Map<String, Counter> userEvents = new ConcurrentHashMap<>();
    private final Counter userStreamReconnects;
    private final AtomicLong weightUsed;
    private final AtomicLong weightLimit;
    private final AtomicLong lastUserEventWallMs;

    /**
     * The values behind the gauges, one set per registry: a gauge registered twice keeps reading the first
     * object it was given, so every BinanceMetrics of one registry must write to the same ones.
     */
    private static final Map<MeterRegistry, AtomicLong[]> GAUGE_STATE =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    private final MeterRegistry registry;

    public BinanceMetrics(MeterRegistry registry) {
        this.registry = registry;
        AtomicLong[] state = GAUGE_STATE.computeIfAbsent(registry,
                r -> new AtomicLong[] {new AtomicLong(), new AtomicLong(), new AtomicLong()});
        this.weightUsed = state[0];
        this.weightLimit = state[1];
        this.lastUserEventWallMs = state[2];
        for (BinanceEndpoint e : BinanceEndpoint.values()) {
            latency.put(e, Timer.builder("aquatrade.exchange.rest.latency")
                    .description("Wall-clock time of one REST request to the exchange, by endpoint")
                    .tag("endpoint", e.label())
                    // a dozen fixed buckets per endpoint, not Micrometer's ~70: the series count stays low
                    .serviceLevelObjectives(LATENCY_BUCKETS)
                    .register(registry));
        }
        for (String r : REST_RESULTS) {
            results.put(r, Counter.builder("aquatrade.exchange.rest.requests")
                    .description("REST requests to the exchange by result (ok, rejected, unknown outcome, not sent)")
                    .tag("result", r).register(registry));
        }
        for (String t : USER_EVENT_TYPES) {
            userEvents.put(t, Counter.builder("aquatrade.user.stream.events")
                    .description("User data stream events received, by event type").tag("type", t).register(registry));
        }
        userStreamReconnects = Counter.builder("aquatrade.user.stream.reconnects")
                .description("User data stream (WebSocket API) reconnects").register(registry);
        Gauge.builder("aquatrade.exchange.rest.weight.used", weightUsed, AtomicLong::get).strongReference(true)
                .description("Request weight used in the current minute, as the exchange reports it (X-MBX-USED-WEIGHT-1M)")
                .register(registry);
        Gauge.builder("aquatrade.exchange.rest.weight.limit", weightLimit, AtomicLong::get).strongReference(true)
                .description("REQUEST_WEIGHT limit per minute from exchangeInfo rateLimits").register(registry);
        Gauge.builder("aquatrade.user.stream.last.event.age.seconds", lastUserEventWallMs,
                        v -> v.get() == 0 ? 0 : Math.max(0, System.currentTimeMillis() - v.get()) / 1000.0)
                .strongReference(true)
                .description("Seconds since the last user data stream message (0 before the first)").register(registry);
    }

    public void restRequest(BinanceEndpoint endpoint, long nanos, String result) {
        latency.get(endpoint).record(nanos, TimeUnit.NANOSECONDS);
        results.get(result).increment();
    }

    /**
     * {@code aquatrade_order_errors_total{code,outcome}}: an order (new, OCO, cancel) answered with a Binance
     * error, by code and by what the bot did with it ({@link io.aquatrade.exchange.BinanceError#orderOutcome}).
     * The codes are a bounded set (Binance's list), so the series stay few.
     */
    public void orderError(io.aquatrade.exchange.BinanceError error) {
        Counter.builder("aquatrade.order.errors").description("Orders answered with a Binance error, by code and outcome")
                .tag("code", Integer.toString(error.code())).tag("outcome", error.orderOutcome().label())
                .register(registry).increment();
    }

    /**
     * {@code aquatrade_order_dropped_total{kind,reason}}: an order the throttle's queue gave up before sending it
     * (an entry that waited past its validity), never sent late.
     */
    public void orderDropped(String kind, String reason) {
        Counter.builder("aquatrade.order.dropped").description("Orders dropped unsent by the throttle's queue")
                .tag("kind", kind).tag("reason", reason).register(registry).increment();
    }

    public void restNotSent() {
        results.get("not_sent").increment();
    }

    public void weightUsed(long used) {
        weightUsed.set(used);
    }

    public void weightLimit(long limit) {
        weightLimit.set(limit);
    }

    public long weightUsed() {
        return weightUsed.get();
    }

    public void userEvent(String type) {
        lastUserEventWallMs.set(System.currentTimeMillis());
        Counter c = userEvents.get(type);
        (c == null ? userEvents.get("other") : c).increment();
    }

    /** Any user-stream message (responses and pongs included) shows the connection is alive. */
    public void userStreamAlive() {
        lastUserEventWallMs.set(System.currentTimeMillis());
    }

    public void userStreamReconnect() {
        userStreamReconnects.increment();
    }
}
