package io.aquatrade.exchange.binance.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.aquatrade.exchange.BinanceError;
import io.aquatrade.exchange.ExchangeException;
import io.aquatrade.exchange.OrderThrottle;
import io.aquatrade.exchange.RateLimit;
import io.aquatrade.exchange.ThrottleQueue;
import io.aquatrade.exchange.binance.BinanceCredentials;
import io.aquatrade.exchange.binance.BinanceMetrics;
import io.aquatrade.exchange.binance.SignaturePayload;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Binance's REST API over the Vert.x Web Client: one place for everything a request must get right.
 * <ul>
 *   <li><b>Signing.</b> Signed endpoints get {@code recvWindow} and {@code timestamp} (local wall clock plus
 *       the server-time offset), a {@code signature} over the query string (HMAC hex or Ed25519/RSA base64,
 *       percent-encoded) and the {@code X-MBX-APIKEY} header. All parameters go in the query string, which
 *       Binance accepts for every method; the body stays empty. They are signed when the waiting queue lets the
 *       request go, so its window counts from then: an {@link OutcomeUnknownException} carries the local wall time
 *       after which the exchange can no longer accept it ({@link #acceptDeadlineWallMs}).</li>
 *   <li><b>Server time.</b> {@link #syncTime()} measures the offset from {@code GET /api/v3/time} (the
 *       midpoint of the round trip); a -1021 answer re-syncs it and sends the request once more with a
 *       fresh timestamp (a -1021 request was refused, never executed).</li>
 *   <li><b>Weight.</b> Each request is charged its {@link BinanceEndpoint#weight documented weight} in the
 *       {@link OrderThrottle} before it goes; the exchange's own {@code X-MBX-USED-WEIGHT-*} and
 *       {@code X-MBX-ORDER-COUNT-*} headers then correct the throttle upwards. This throttle is the one owner
 *       of the order budget on Binance (execution does not count orders a second time).</li>
 *   <li><b>Waiting queue.</b> A refused request waits in one queue, exits and cancels first, then other
 *       requests, then entries; nothing overtakes the head. One that would get its slot only after its
 *       {@code maxWaitMs} (for an entry: its validity, {@code execution.entry_validity_ms}) fails as not sent
 *       and is counted ({@code aquatrade_order_dropped_total}), never sent late. A Vert.x timer wakes the queue.</li>
 *   <li><b>Order errors.</b> An order or cancel answered with an error code is counted by code and outcome
 *       ({@code aquatrade_order_errors_total}, the table in {@link BinanceError#orderOutcome()}): LOOK_UP fails
 *       a new order as outcome unknown (it is looked up, never resent blind), HALT reports
 *       {@link Events#onOrderHalt} (the app halts trading).</li>
 *   <li><b>429 / 418.</b> {@code Retry-After} (seconds) pauses the throttle for everything, exits included:
 *       sending during a ban only lengthens it. A 418 also reports {@link Events#onBanned}, which the app
 *       wires to the kill switch (HALTED) and a notice.</li>
 *   <li><b>Failures are typed.</b> {@link RequestNotSentException}: throttled, backing off, no connection
 *       could be opened, or the request could not be signed: safe to retry. {@link OutcomeUnknownException}: timeout, HTTP 5xx, -1006/-1007, a
 *       connection lost after sending, an unreadable answer: look the order up first. {@link ExchangeException}:
 *       the exchange answered with an error code and did not act.</li>
 * </ul>
 * No message, log line or exception carries the key, the signature or a signed query: requests are named
 * by their endpoint only.
 *
 * <p>Thread-safe. Futures complete on the Vert.x context of the caller (an event loop when called from a
 * verticle); nothing here blocks.
 */
public final class BinanceHttp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BinanceHttp.class);
    static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS).build();
    /** Waiting for a Retry-After that never came: Binance always sends one, so this is a fallback. */
    static final long DEFAULT_RETRY_AFTER_MS = 60_000;
    /**
     * Added to a signed request's window before it counts as past: the server-time offset is measured from a round
     * trip's midpoint, so our reading of the exchange's clock may be off by up to this much.
     */
    public static final long ACCEPT_MARGIN_MS = 1_000;

    /**
     * @param baseUrl          e.g. {@code https://api.binance.com}; {@code http://} only for loopback hosts
     * @param recvWindowMs     Binance's recvWindow for signed requests (1..60000; the default is 5000)
     * @param connectTimeoutMs time to open a connection; beyond it the request was not sent
     * @param timeoutMs        time without an answer after sending; beyond it the outcome is unknown
     * @param maxWaitMs        default longest wait for a throttle slot before a request fails as not sent
     */
    public record Settings(String baseUrl, long recvWindowMs, long connectTimeoutMs, long timeoutMs, long maxWaitMs) {
        public Settings {
            Objects.requireNonNull(baseUrl, "baseUrl");
            URI u = URI.create(baseUrl);
            if (u.getHost() == null || !("https".equals(u.getScheme()) || "http".equals(u.getScheme()))) {
                throw new IllegalArgumentException("exchange.rest_url must be https://host[:port], got '" + baseUrl + "'");
            }
            if ("http".equals(u.getScheme()) && !isLoopback(u.getHost())) {
                throw new IllegalArgumentException("exchange.rest_url: plain http:// is accepted for loopback only, got host "
                        + u.getHost());
            }
            if (recvWindowMs < 1 || recvWindowMs > 60_000) {
                throw new IllegalArgumentException("recvWindow must be 1..60000 ms, got " + recvWindowMs);
            }
            if (connectTimeoutMs < 1 || timeoutMs < 1 || maxWaitMs < 0) {
                throw new IllegalArgumentException("REST timeouts must be positive: connect " + connectTimeoutMs
                        + " ms, answer " + timeoutMs + " ms, wait " + maxWaitMs + " ms");
            }
            baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        }

        /** The same settings with another recvWindow ({@code execution.recv_window_ms}). */
        public Settings withRecvWindowMs(long ms) {
            return new Settings(baseUrl, ms, connectTimeoutMs, timeoutMs, maxWaitMs);
        }

        /** Binance's default recvWindow (5 s), a 5 s connect and 10 s answer timeout (the API's own), 30 s queueing. */
        public static Settings defaults(String baseUrl) {
            return new Settings(baseUrl, 5_000, 5_000, 10_000, 30_000);
        }
    }

    /** What the app wires to ops: HTTP status counts, bans (kill switch HALTED + notice), time sync. */
    public interface Events {
        /** Every 429, 418 and 5xx answer, with its Retry-After in ms (0 when absent). */
        default void onHttpStatus(int status, long retryAfterMs) {
        }

        /** HTTP 418: the IP is banned until {@code untilWallMs}. */
        default void onBanned(long untilWallMs, String message) {
        }

        /** HTTP 429: requests paused until {@code untilWallMs}. */
        default void onRateLimited(long untilWallMs, String message) {
        }

        /**
         * An order was refused with an error whose outcome is {@link BinanceError.OrderOutcome#HALT} (bad signature
         * or key, missing permission, trading disabled on the account): the app stops all orders (HALTED).
         */
        default void onOrderHalt(BinanceError error) {
        }

        /** A new server-time offset (server minus local, ms). */
        default void onTimeSynced(long offsetMs) {
        }
    }

    /** An answer with HTTP 2xx. */
    public record Response(BinanceEndpoint endpoint, int status, String body, long usedWeight1m, long latencyNanos) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new BinanceFormatException(endpoint, "the answer is not JSON: " + e.getMessage());
            }
        }
    }

    private final Vertx vertx;
    private final Settings settings;
    private final WebClient client;
    private final BinanceCredentials credentials;
    private final LongSupplier wallClock;
    private final BinanceMetrics metrics;
    private volatile Events events = new Events() { };
    private final OrderThrottle throttle;
    private final ThrottleQueue<Waiting> queue;
    private volatile long offsetMs;
    private volatile long usedWeight1m;
    private volatile long bannedUntilMs;

    /**
     * @param credentials null for public market data only (paper mode): signed endpoints then fail as not sent
     * @param throttle    the rate-limit windows; replace them with {@link #useRateLimits} after exchangeInfo
     * @param wallClock   local wall-clock ms (System::currentTimeMillis outside tests)
     * @param metrics     null for none
     */
    public BinanceHttp(Vertx vertx, Settings settings, BinanceCredentials credentials, OrderThrottle throttle,
                       LongSupplier wallClock, BinanceMetrics metrics) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.credentials = credentials;
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.queue = new ThrottleQueue<>(throttle);
        this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
        this.metrics = metrics;
        URI u = URI.create(settings.baseUrl());
        this.client = WebClient.create(vertx, new WebClientOptions().setUserAgent("aquatrade")
                .setSsl("https".equals(u.getScheme())).setTrustAll(false).setVerifyHost(true)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.connectTimeoutMs()))
                .setKeepAlive(true).setDecompressionSupported(true));
        reportLimit();
    }

    public void setEvents(Events events) {
        this.events = Objects.requireNonNull(events, "events");
    }

    public Settings settings() {
        return settings;
    }

    public boolean hasCredentials() {
        return credentials != null;
    }

    public OrderThrottle throttle() {
        return throttle;
    }

    /**
     * Replaces the throttle's limits with the exchange's current {@code rateLimits} (exchangeInfo at start
     * and each refresh) in place, keeping its fractions, any pause in force and the counts of limits that
     * stay; the next response's usage headers bring any new one up to the exchange's count.
     */
    public void useRateLimits(List<RateLimit> limits) {
        throttle.useLimits(limits);
        throttle.observeUsageHeader(wallClock.getAsLong(), "X-MBX-USED-WEIGHT-1M", usedWeight1m);
        reportLimit();
    }

    private void reportLimit() {
        if (metrics == null) {
            return;
        }
        for (RateLimit l : throttle.usage().stream().map(OrderThrottle.Usage::limit).toList()) {
            if (l.type() == RateLimit.Type.REQUEST_WEIGHT && l.windowMs() == 60_000) {
                metrics.weightLimit(l.limit());
            }
        }
    }

    /** Server time minus local wall time, ms, as last measured. */
    public long serverTimeOffsetMs() {
        return offsetMs;
    }

    /** The local wall clock corrected by the server-time offset: what {@code timestamp} is set to. */
    public long serverNowMs() {
        return wallClock.getAsLong() + offsetMs;
    }

    /**
     * The local wall time after which the exchange can no longer accept a signed request signed at local wall time
     * {@code signedWallMs}: Binance refuses it once {@code serverTime - timestamp > recvWindow}, and
     * {@code timestamp = signedWallMs + offset}, so in local time that is {@code signedWallMs + recvWindow}; plus
     * {@link #ACCEPT_MARGIN_MS} for the offset's error. A request signed no later than now is bounded by
     * {@code acceptDeadlineWallMs(now)}.
     */
    public long acceptDeadlineWallMs(long signedWallMs) {
        return signedWallMs + settings.recvWindowMs() + ACCEPT_MARGIN_MS;
    }

    /** The exchange's last reported {@code X-MBX-USED-WEIGHT-1M}. */
    public long usedWeight1m() {
        return usedWeight1m;
    }

    /** Wall-clock ms until which a 418 ban is in force (0 if there never was one). */
    public long bannedUntilMs() {
        return bannedUntilMs;
    }

    /** How long the back-off the exchange last asked for (429/418 Retry-After) still holds every request, ms; 0 if none. */
    public long pauseRemainingMs() {
        return Math.max(0, throttle.pausedUntilMs() - wallClock.getAsLong());
    }

    /**
     * Measures the server-time offset from {@code GET /api/v3/time}: server time minus the midpoint of the
     * local send and receive times. Completes with the new offset.
     */
    public Future<Long> syncTime() {
        long before = wallClock.getAsLong();
        return call(BinanceEndpoint.TIME, Map.of(), OrderThrottle.Kind.REQUEST).map(r -> {
            long after = wallClock.getAsLong();
            JsonNode t = r.json().get("serverTime");
            if (t == null || !t.canConvertToLong()) {
                throw new BinanceFormatException(BinanceEndpoint.TIME, "no serverTime in the answer");
            }
            long offset = t.asLong() - (before + after) / 2;
            offsetMs = offset;
            events.onTimeSynced(offset);
            log.info("server time offset {} ms (round trip {} ms)", offset, after - before);
            return offset;
        });
    }

    /** Sends a request with the default wait for a throttle slot. */
    public Future<Response> call(BinanceEndpoint endpoint, Map<String, ?> params, OrderThrottle.Kind kind) {
        return call(endpoint, params, kind, settings.maxWaitMs());
    }

    /**
     * Sends one request.
     *
     * @param params    the endpoint's parameters in order (without timestamp, recvWindow, signature)
     * @param kind      what the throttle counts it as (REQUEST; ENTRY_ORDER or EXIT_ORDER for new orders)
     * @param maxWaitMs longest time to wait for a throttle slot; beyond it the request fails as not sent
     * @return the 2xx answer; or fails with {@link RequestNotSentException}, {@link OutcomeUnknownException},
     *         {@link ExchangeException} (the exchange's error code), {@link BinanceFormatException}
     */
    public Future<Response> call(BinanceEndpoint endpoint, Map<String, ?> params, OrderThrottle.Kind kind, long maxWaitMs) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(kind, "kind");
        if (endpoint.security().signed() && credentials == null) {
            return notSent(endpoint, "no API key configured (" + BinanceCredentials.API_KEY + " and a secret)", Long.MAX_VALUE, null);
        }
        Promise<Response> promise = Promise.promise();
        long now = wallClock.getAsLong();
        admit(endpoint, new LinkedHashMap<>(params), kind, now, now + maxWaitMs, false, promise);
        return promise.future();
    }

    /** A request waiting for its throttle slot. */
    private record Waiting(BinanceEndpoint endpoint, Map<String, Object> params, OrderThrottle.Kind kind, long deadline,
                           boolean resynced, Promise<Response> promise) {
    }

    static boolean isCancel(BinanceEndpoint endpoint) {
        return endpoint == BinanceEndpoint.CANCEL_ORDER || endpoint == BinanceEndpoint.CANCEL_ORDER_LIST;
    }

    /** Requests that act on orders: their error answers go through {@link BinanceError#orderOutcome()}. */
    static boolean isOrderAction(BinanceEndpoint endpoint, OrderThrottle.Kind kind) {
        return kind.isOrder() || isCancel(endpoint);
    }

    private long drainTimer = -1;
    private long drainAtMs = Long.MAX_VALUE;

    /** Requests waiting for a throttle slot now. */
    public int waitingCount() {
        return queue.size();
    }

    /** @param nowMs the clock reading the deadline was set from: the first look at the queue uses the same time */
    private void admit(BinanceEndpoint endpoint, Map<String, Object> params, OrderThrottle.Kind kind, long nowMs, long deadline,
                       boolean resynced, Promise<Response> promise) {
        queue.offer(new Waiting(endpoint, params, kind, deadline, resynced, promise), kind,
                ThrottleQueue.rank(kind, isCancel(endpoint)), endpoint.weight(params),
                kind.isOrder() ? endpoint.ordersPlaced() : 0, deadline);
        drain(nowMs);
    }

    /**
     * Sends what the queue admits and fails what it dropped (counted, never sent late), then sets one Vert.x timer
     * for the queue's next wake-up: nothing here blocks a thread.
     */
    private void drain(long now) {
        ThrottleQueue.Drained<Waiting> d;
        synchronized (queue) {
            d = queue.drain(now);
            long wakeAt = d.wakeAtMs();
            if (wakeAt != Long.MAX_VALUE && (drainTimer < 0 || wakeAt < drainAtMs)) {
                if (drainTimer >= 0) {
                    vertx.cancelTimer(drainTimer);
                }
                drainAtMs = wakeAt;
                drainTimer = vertx.setTimer(Math.max(1, wakeAt - now), id -> {
                    synchronized (queue) {
                        if (drainTimer == id) {
                            drainTimer = -1;
                            drainAtMs = Long.MAX_VALUE;
                        }
                    }
                    drain(wallClock.getAsLong());
                });
            }
        }
        for (ThrottleQueue.Dropped<Waiting> x : d.dropped()) {
            Waiting w = x.item();
            if (metrics != null && w.kind().isOrder()) {
                metrics.orderDropped(w.kind().name().toLowerCase(Locale.ROOT), x.reason().label());
            }
            log.warn("{} {} not sent: {}", w.endpoint().label(), w.kind(), x.detail());
            w.promise().fail(notSentException(w.endpoint(), x.detail(), x.retryAtMs(), null));
        }
        for (Waiting w : d.admitted()) {
            send(w.endpoint(), w.params(), w.kind(), w.deadline(), w.resynced(), w.promise());
        }
    }

    private void send(BinanceEndpoint endpoint, Map<String, Object> params, OrderThrottle.Kind kind, long deadline,
                      boolean resynced, Promise<Response> promise) {
        String query;
        long acceptDeadline = Long.MAX_VALUE;
        HttpRequest<Buffer> request;
        try {
            if (endpoint.security().signed()) {
                // the window counts from this timestamp, not from when the request was queued
                long signedWallMs = wallClock.getAsLong();
                Map<String, Object> signed = new LinkedHashMap<>(params);
                signed.put("recvWindow", settings.recvWindowMs());
                signed.put("timestamp", signedWallMs + offsetMs);
                query = SignaturePayload.signedRestQuery(signed, "", credentials.signer());
                acceptDeadline = acceptDeadlineWallMs(signedWallMs);
            } else {
                query = SignaturePayload.restQuery(params);
            }
            String uri = settings.baseUrl() + endpoint.path() + (query.isEmpty() ? "" : "?" + query);
            request = client.requestAbs(endpoint.method(), uri)
                    .connectTimeout(settings.connectTimeoutMs()).idleTimeout(settings.timeoutMs());
            if (endpoint.security().signed()) {
                request.putHeader("X-MBX-APIKEY", credentials.apiKey().reveal());
            }
        } catch (RuntimeException e) {
            // signing or building failed (a broken key, a closed client): nothing left, so it is not an unknown outcome
            promise.fail(notSentException(endpoint, "could not be prepared: " + e.getClass().getSimpleName(), 0, e));
            return;
        }
        long acceptBy = acceptDeadline;
        long started = System.nanoTime();
        request.send().onComplete(ar -> {
            long nanos = System.nanoTime() - started;
            if (ar.failed()) {
                Throwable t = ar.cause();
                if (neverSent(t)) {
                    promise.fail(notSentException(endpoint, "no connection: " + describe(t), 0, t));
                } else {
                    record(endpoint, nanos, "unknown");
                    promise.fail(new OutcomeUnknownException(endpoint, describe(t), 0, t, acceptBy));
                }
                return;
            }
            HttpResponse<Buffer> r = ar.result();
            observeHeaders(r);
            int status = r.statusCode();
            String body = r.bodyAsString();
            if (status / 100 == 2) {
                record(endpoint, nanos, "ok");
                promise.complete(new Response(endpoint, status, body == null ? "" : body, usedWeight1m, nanos));
                return;
            }
            if (status >= 500) {
                events.onHttpStatus(status, 0);
                record(endpoint, nanos, "unknown");
                promise.fail(new OutcomeUnknownException(endpoint, "HTTP " + status, status, null, acceptBy));
                return;
            }
            BinanceError error = parseError(body, status);
            if (status == 429 && error.code() == BinanceError.TOO_MANY_ORDERS) {
                // the account's unfilled-order count, not the IP's weight: hold new orders only (cancels and
                // queries stay free) by filling the throttle's ORDERS window the exchange named
                saturateOrderWindow(error.msg());
                events.onHttpStatus(status, 0);
            } else if (status == 429 || status == 418) {
                long retryAfterMs = retryAfterMs(r.getHeader("Retry-After"));
                long until = wallClock.getAsLong() + retryAfterMs;
                throttle.pauseUntil(until, "HTTP " + status + " " + error);
                events.onHttpStatus(status, retryAfterMs);
                if (status == 418) {
                    bannedUntilMs = Math.max(bannedUntilMs, until);
                    log.error("Binance banned this IP (HTTP 418, {}): no request until {} ({} s)", error, until, retryAfterMs / 1000);
                    events.onBanned(until, "Binance banned this IP (HTTP 418, " + error + ") for " + retryAfterMs / 1000 + " s");
                } else {
                    log.warn("Binance rate limit (HTTP 429, {}): pausing requests for {} s", error, retryAfterMs / 1000);
                    events.onRateLimited(until, "HTTP 429 " + error + ": requests paused for " + retryAfterMs / 1000 + " s");
                }
            }
            if (error.isExecutionStatusUnknown()) {
                record(endpoint, nanos, "unknown");
                promise.fail(new OutcomeUnknownException(endpoint, error.toString(), status, null, acceptBy));
                return;
            }
            if (error.code() == BinanceError.INVALID_TIMESTAMP && !resynced) {
                record(endpoint, nanos, "rejected");
                log.warn("{} refused with {}: re-syncing the server time and sending once more", endpoint.label(), error);
                syncTime().onComplete(s -> {
                    if (s.failed()) {
                        promise.fail(new ExchangeException(error, status));
                    } else {
                        long now = wallClock.getAsLong();
                        admit(endpoint, params, kind, now, Math.max(deadline, now), true, promise);
                    }
                });
                return;
            }
            record(endpoint, nanos, "rejected");
            if (isOrderAction(endpoint, kind)) {
                BinanceError.OrderOutcome outcome = error.orderOutcome();
                if (metrics != null) {
                    metrics.orderError(error);
                }
                if (outcome == BinanceError.OrderOutcome.HALT) {
                    log.error("{} refused with {}: this key or account cannot trade; halting orders", endpoint.label(), error);
                    events.onOrderHalt(error);
                } else if (outcome == BinanceError.OrderOutcome.LOOK_UP && kind.isOrder()) {
                    // the exchange may hold the order (an unknown error, "Duplicate order sent."): look it up, never resend blind
                    promise.fail(new OutcomeUnknownException(endpoint, error.toString(), status, null, acceptBy));
                    return;
                }
            }
            promise.fail(new ExchangeException(error, status));
        });
    }

    private void saturateOrderWindow(String msg) {
        boolean day = msg != null && msg.toUpperCase(Locale.ROOT).contains("DAY");
        long now = wallClock.getAsLong();
        for (OrderThrottle.Usage u : throttle.usage(now)) {
            RateLimit l = u.limit();
            if (l.type() == RateLimit.Type.ORDERS && (day == (l.interval() == RateLimit.Interval.DAY))) {
                throttle.observeUsageHeader(now, l.usageHeader(), l.limit());
            }
        }
        log.warn("Binance refused a new order ({}): new orders wait for the window to free", msg);
    }

    private void record(BinanceEndpoint endpoint, long nanos, String result) {
        if (metrics != null) {
            metrics.restRequest(endpoint, nanos, result);
        }
    }

    private void observeHeaders(HttpResponse<Buffer> r) {
        long now = wallClock.getAsLong();
        r.headers().forEach(h -> {
            String name = h.getKey().toUpperCase(Locale.ROOT);
            if (name.startsWith("X-MBX-USED-WEIGHT-") || name.startsWith("X-MBX-ORDER-COUNT-")) {
                long v;
                try {
                    v = Long.parseLong(h.getValue().trim());
                } catch (NumberFormatException e) {
                    return;
                }
                throttle.observeUsageHeader(now, name, v);
                if (name.equals("X-MBX-USED-WEIGHT-1M")) {
                    usedWeight1m = v;
                    if (metrics != null) {
                        metrics.weightUsed(v);
                    }
                }
            }
        });
    }

    static BinanceError parseError(String body, int status) {
        if (body != null && !body.isBlank()) {
            try {
                JsonNode n = JSON.readTree(body);
                if (n != null && n.has("code")) {
                    return new BinanceError(n.get("code").asInt(), n.path("msg").asText(""));
                }
            } catch (Exception ignored) {
                // not Binance's JSON (a WAF page, a proxy): described by the status below
            }
        }
        return switch (status) {
            case 403 -> new BinanceError(0, "HTTP 403: the request was blocked by the exchange's web application firewall");
            case 429 -> new BinanceError(BinanceError.TOO_MANY_REQUESTS, "HTTP 429 without a Binance error body");
            case 418 -> new BinanceError(BinanceError.TOO_MANY_REQUESTS, "HTTP 418 (IP banned) without a Binance error body");
            default -> new BinanceError(0, "HTTP " + status + " without a Binance error body");
        };
    }

    static long retryAfterMs(String header) {
        if (header == null || header.isBlank()) {
            return DEFAULT_RETRY_AFTER_MS;
        }
        try {
            return Math.max(0, Long.parseLong(header.trim())) * 1000;
        } catch (NumberFormatException e) {
            return DEFAULT_RETRY_AFTER_MS;
        }
    }

    /** True when the failure happened before the request could be written: no connection was ever made. */
    static boolean neverSent(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConnectException || c instanceof UnknownHostException
                    || c instanceof io.netty.channel.ConnectTimeoutException
                    || c instanceof javax.net.ssl.SSLHandshakeException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + stripQuery(m));
    }

    /** Exception texts from the HTTP stack may quote the URL: drop any query string (it holds the signature). */
    static String stripQuery(String text) {
        return text.replaceAll("\\?[^\\s\"']*", "?…");
    }

    private Future<Response> notSent(BinanceEndpoint endpoint, String reason, long retryAt, Throwable cause) {
        return Future.failedFuture(notSentException(endpoint, reason, retryAt, cause));
    }

    private RequestNotSentException notSentException(BinanceEndpoint endpoint, String reason, long retryAt, Throwable cause) {
        if (metrics != null) {
            metrics.restNotSent();
        }
        return new RequestNotSentException(endpoint, reason, retryAt, cause);
    }

    /** The endpoint's answer as JSON, or a format error naming it. */
    static Optional<JsonNode> field(JsonNode n, String name) {
        JsonNode v = n == null ? null : n.get(name);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
    }

    static boolean isLoopback(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return h.equals("localhost") || h.equals("::1") || h.startsWith("127.");
    }

    @Override
    public void close() {
        client.close();
    }
}
