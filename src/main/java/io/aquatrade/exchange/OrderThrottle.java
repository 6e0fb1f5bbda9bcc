package io.aquatrade.exchange;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Keeps Aquatrade inside the exchange's own rate limits, built from exchangeInfo's {@code rateLimits}
 * (REQUEST_WEIGHT per minute, ORDERS per 10 s and per day, RAW_REQUESTS per 5 min).
 *
 * <p><b>Exact sliding windows.</b> Each limit keeps a log of what was admitted in its window (entries in the
 * same millisecond are merged, so memory is bounded by the admitted count: at most ~160k entries, 2.5 MB,
 * for a saturated daily order limit; a refusal is answered in O(log n)). A request is admitted only if, for every limit, what was admitted in the last
 * {@code windowMs} plus the request stays within the cap. Hence no window of that length, wherever it
 * starts, ever holds more than the cap, and in particular none of Binance's fixed, clock-aligned windows.
 *
 * <p><b>Safety fraction.</b> The cap of each limit is {@code floor(limit × safetyFraction)}: with 0.8, at most
 * 4800 of 6000 weight per minute and 80 of 100 orders per 10 s. The rest absorbs what we cannot see (the
 * exchange's clock being offset from ours, other clients on the same IP or account).
 *
 * <p><b>Exits before entries.</b> Entry orders and plain requests may fill each window only up to
 * {@code entryCap = floor(cap × (1 − exitReserveFraction))}; exit orders may use the full cap. With a
 * reserve of 0.2 and 100 orders / 10 s at 0.8 safety, entries stop at 64 orders while exits can still
 * send 16 more, so a burst of entries can never leave a stop-loss waiting for the window. (Requests are
 * held to the entry cap on weight too: a query must not eat the weight an exit needs.)
 *
 * <p><b>Clock.</b> Time is passed in by the caller: the pipeline's one clock (event time in replay, wall
 * time live); nothing here reads the system clock. Should the clock step back, the throttle keeps using
 * the latest time it has seen, which is the conservative choice.
 *
 * <p>Thread-safe (all methods synchronized; the cost is tiny next to an HTTP round trip).
 */
public final class OrderThrottle {

    public static final double DEFAULT_SAFETY_FRACTION = 0.8;
    public static final double DEFAULT_EXIT_RESERVE_FRACTION = 0.2;

    /** What the request is, which decides what it counts against and how much of each budget it may use. */
    public enum Kind {
        /** A non-order request (market data, account, order status): weight and raw count, held to the entry cap. */
        REQUEST,
        /** A new order that opens or adds to a position: also counts as an order; held to the entry cap. */
        ENTRY_ORDER,
        /** A new order that reduces or closes a position: counts as an order; may use the full cap. */
        EXIT_ORDER;

        public boolean isOrder() {
            return this != REQUEST;
        }
    }

    /**
     * The answer to {@link #tryAcquire}.
     *
     * @param allowed    true when the request was admitted (and counted)
     * @param nextSlotMs when refused: the earliest clock time at which the same request would be admitted,
     *                   provided nothing else is admitted meanwhile; {@link Long#MAX_VALUE} when it can never
     *                   be (weight above the cap). When allowed: the time of the request.
     * @param blockedBy  the limit that sets {@code nextSlotMs}; null when allowed or when a pause blocks
     * @param reason     why refused, in words; empty when allowed
     */
    public record Decision(boolean allowed, long nextSlotMs, RateLimit blockedBy, String reason) {
        static Decision admitted(long nowMs) {
            return new Decision(true, nowMs, null, "");
        }
    }

    /**
     * Usage of one limit for metrics.
     *
     * @param used       amount admitted in the window ending now (weight, orders or requests)
     * @param cap        what the throttle lets exits use: floor(limit × safety)
     * @param entryCap   what entries and requests may use: floor(cap × (1 − exit reserve))
     */
    public record Usage(RateLimit limit, long used, long cap, long entryCap) {
        /** used / the exchange's limit (not the safe cap), 0..1 in normal operation. */
        public double fractionOfLimit() {
            return used / (double) limit.limit();
        }

        /** A metric-friendly name such as {@code orders_10s} or {@code request_weight_1m}. */
        public String name() {
            return limit.type().name().toLowerCase(Locale.ROOT) + "_" + limit.intervalNum()
                    + Character.toLowerCase(limit.interval().letter());
        }
    }

    private final double safetyFraction;
    private final double exitReserveFraction;
    private Window[] windows;
    private long lastNowMs = Long.MIN_VALUE;
    private long pausedUntilMs = Long.MIN_VALUE;
    private String pauseReason = "";

    /**
     * @param limits              the exchange's rate limits (from {@link ExchangeInfo#rateLimits()})
     * @param safetyFraction      in (0, 1]: the share of each limit the bot allows itself
     * @param exitReserveFraction in [0, 1): the share of each cap kept free for exit orders
     * @throws IllegalArgumentException when a fraction is out of range, or a cap would leave entries nothing
     */
    public OrderThrottle(List<RateLimit> limits, double safetyFraction, double exitReserveFraction) {
        Objects.requireNonNull(limits, "limits");
        if (!(safetyFraction > 0.0 && safetyFraction <= 1.0)) {
            throw new IllegalArgumentException("safetyFraction must be in (0, 1], got " + safetyFraction);
        }
        if (!(exitReserveFraction >= 0.0 && exitReserveFraction < 1.0)) {
            throw new IllegalArgumentException("exitReserveFraction must be in [0, 1), got " + exitReserveFraction);
        }
        this.safetyFraction = safetyFraction;
        this.exitReserveFraction = exitReserveFraction;
        this.windows = windows(limits);
    }

    private Window[] windows(List<RateLimit> limits) {
        if (limits.isEmpty()) {
            throw new IllegalArgumentException("no rate limits to throttle by: exchangeInfo rateLimits is empty");
        }
        BigDecimal safety = BigDecimal.valueOf(safetyFraction);
        BigDecimal keep = BigDecimal.ONE.subtract(BigDecimal.valueOf(exitReserveFraction));
        Window[] out = new Window[limits.size()];
        for (int i = 0; i < limits.size(); i++) {
            RateLimit l = Objects.requireNonNull(limits.get(i), "rate limit");
            // BigDecimal so that 100 x 0.7 is 70, not 69 after a binary rounding.
            long cap = BigDecimal.valueOf(l.limit()).multiply(safety).setScale(0, RoundingMode.FLOOR).longValueExact();
            long entryCap = BigDecimal.valueOf(cap).multiply(keep).setScale(0, RoundingMode.FLOOR).longValueExact();
            if (entryCap < 1) {
                throw new IllegalArgumentException("rate limit " + l + " with safety " + safetyFraction
                        + " and exit reserve " + exitReserveFraction + " leaves entries a cap of " + entryCap);
            }
            out[i] = new Window(l, cap, entryCap);
        }
        return out;
    }

    /**
     * Takes in the exchange's current {@code rateLimits} (exchangeInfo's hourly refresh) in place, so whoever
     * holds this throttle (the order path, the metric gauges) keeps it. A limit that stays (same type and
     * interval) keeps what it has admitted in its window; a new one starts empty. Any pause stays in force.
     */
    public synchronized void useLimits(List<RateLimit> limits) {
        Objects.requireNonNull(limits, "limits");
        Window[] next = windows(limits);
        for (Window n : next) {
            for (Window o : windows) {
                if (o.limit.type() == n.limit.type() && o.windowMs == n.windowMs) {
                    n.copyFrom(o);
                }
            }
        }
        windows = next;
    }

    /** A throttle over the exchange's rate limits with the given fractions. */
    public static OrderThrottle fromExchangeInfo(ExchangeInfo info, double safetyFraction, double exitReserveFraction) {
        return new OrderThrottle(info.rateLimits(), safetyFraction, exitReserveFraction);
    }

    public double safetyFraction() {
        return safetyFraction;
    }

    public double exitReserveFraction() {
        return exitReserveFraction;
    }

    /**
     * Admits and counts the request if every limit allows it. {@code isOrder} requests are treated as
     * entries; use {@link #tryAcquire(long, int, Kind)} with {@link Kind#EXIT_ORDER} for exits.
     */
    public synchronized Decision tryAcquire(long nowMs, int weight, boolean isOrder) {
        return tryAcquire(nowMs, weight, isOrder ? Kind.ENTRY_ORDER : Kind.REQUEST);
    }

    /**
     * Admits and counts the request if every limit allows it: {@code weight} against REQUEST_WEIGHT, 1
     * against RAW_REQUESTS, and for orders 1 against each ORDERS limit. A refused request is not counted.
     */
    public synchronized Decision tryAcquire(long nowMs, int weight, Kind kind) {
        return tryAcquire(nowMs, weight, kind, kind.isOrder() ? 1 : 0);
    }

    /**
     * The same for a request that places {@code orders} orders at once: an OCO places two, and Binance counts both
     * against each ORDERS limit.
     */
    public synchronized Decision tryAcquire(long nowMs, int weight, Kind kind, int orders) {
        Decision d = check(nowMs, weight, kind, orders);
        if (d.allowed()) {
            long now = lastNowMs;
            for (Window w : windows) {
                w.add(now, w.amount(weight, kind, orders));
            }
        }
        return d;
    }

    /** Would {@link #tryAcquire(long, int, Kind)} admit the request now? Counts nothing. */
    public synchronized Decision check(long nowMs, int weight, Kind kind) {
        return check(nowMs, weight, kind, kind.isOrder() ? 1 : 0);
    }

    /** Would {@link #tryAcquire(long, int, Kind, int)} admit the request now? Counts nothing. */
    public synchronized Decision check(long nowMs, int weight, Kind kind, int orders) {
        Objects.requireNonNull(kind, "kind");
        if (weight < 0) {
            throw new IllegalArgumentException("request weight must not be negative, got " + weight);
        }
        if (orders < 0 || orders > 0 && !kind.isOrder()) {
            throw new IllegalArgumentException(kind + " cannot place " + orders + " order(s)");
        }
        long now = advance(nowMs);
        long next = now;
        RateLimit blockedBy = null;
        String reason = "";
        if (now < pausedUntilMs) {
            next = pausedUntilMs;
            reason = "paused until " + pausedUntilMs + ": " + pauseReason;
        }
        for (Window w : windows) {
            long amount = w.amount(weight, kind, orders);
            if (amount == 0) {
                continue;
            }
            long cap = kind == Kind.EXIT_ORDER ? w.cap : w.entryCap;
            if (amount > cap) {
                return new Decision(false, Long.MAX_VALUE, w.limit, kind + " needs " + amount + " of " + w.limit
                        + " but its cap for " + kind + " is " + cap);
            }
            long freeAt = w.freeAt(now, amount, cap);
            if (freeAt > next) {
                next = freeAt;
                blockedBy = w.limit;
                reason = w.limit + ": " + w.sum + " used in the window, cap for " + kind + " is " + cap;
            }
        }
        return next == now ? Decision.admitted(now) : new Decision(false, next, blockedBy, reason);
    }

    /**
     * Refuses everything (exits too) until {@code untilMs}: call it on HTTP 429/418 with
     * {@code now + Retry-After seconds × 1000}, or with a WebSocket-API {@code retryAfter} (epoch ms). Sending
     * during a ban only lengthens it. A later, shorter pause does not shorten an earlier one.
     */
    public synchronized void pauseUntil(long untilMs, String reason) {
        if (untilMs > pausedUntilMs) {
            pausedUntilMs = untilMs;
            pauseReason = reason == null ? "" : reason;
        }
    }

    public synchronized long pausedUntilMs() {
        return pausedUntilMs;
    }

    /**
     * Takes in the exchange's own count for a limit, e.g. from the {@code X-MBX-USED-WEIGHT-1M} or
     * {@code X-MBX-ORDER-COUNT-10S} response header (see {@link RateLimit#usageHeader()}). When the exchange
     * has counted more than we have (other clients on the IP or account, requests we did not route through
     * here), the difference is recorded now, so our window is never below the exchange's count.
     *
     * @return true when the header names a limit this throttle keeps
     */
    public synchronized boolean observeUsageHeader(long nowMs, String headerName, long usedByExchange) {
        Objects.requireNonNull(headerName, "headerName");
        long now = advance(nowMs);
        boolean matched = false;
        for (Window w : windows) {
            String h = w.limit.usageHeader();
            if (h != null && h.equalsIgnoreCase(headerName.trim())) {
                matched = true;
                if (usedByExchange > w.sum) {
                    w.add(now, usedByExchange - w.sum);
                }
            }
        }
        return matched;
    }

    /** Usage of every limit in the window ending at {@code nowMs}. */
    public synchronized List<Usage> usage(long nowMs) {
        long now = advance(nowMs);
        List<Usage> out = new ArrayList<>(windows.length);
        for (Window w : windows) {
            w.evict(now);
            out.add(new Usage(w.limit, w.sum, w.cap, w.entryCap));
        }
        return out;
    }

    /** Usage as of the latest clock time seen (for metric gauges, which have no clock of their own). */
    public synchronized List<Usage> usage() {
        List<Usage> out = new ArrayList<>(windows.length);
        for (Window w : windows) {
            if (lastNowMs != Long.MIN_VALUE) {
                w.evict(lastNowMs);
            }
            out.add(new Usage(w.limit, w.sum, w.cap, w.entryCap));
        }
        return out;
    }

    private long advance(long nowMs) {
        if (nowMs > lastNowMs) {
            lastNowMs = nowMs;
        }
        for (Window w : windows) {
            w.evict(lastNowMs);
        }
        return lastNowMs;
    }

    /**
     * The admissions of one limit in its sliding window, oldest first, as a growable ring of (time, running
     * total admitted up to and including that entry). The running totals make the window's sum O(1) and
     * the earliest free slot a binary search, so a refusal costs O(log n) even with the ~160k entries of
     * a saturated daily order window.
     */
    private static final class Window {
        final RateLimit limit;
        final long windowMs;
        final long cap;
        final long entryCap;
        long[] times = new long[16];
        long[] totals = new long[16];
        int head;
        int size;
        /** Everything ever admitted, and everything that has left the window. */
        long admittedTotal;
        long leftTotal;
        /** What the window holds now: admittedTotal - leftTotal. */
        long sum;

        Window(RateLimit limit, long cap, long entryCap) {
            this.limit = limit;
            this.windowMs = limit.windowMs();
            this.cap = cap;
            this.entryCap = entryCap;
        }

        long amount(int weight, Kind kind, int orders) {
            return switch (limit.type()) {
                case REQUEST_WEIGHT -> weight;
                case RAW_REQUESTS -> 1;
                case ORDERS -> kind.isOrder() ? orders : 0;
            };
        }

        /** Drops what was admitted at or before now − windowMs: the window is (now − windowMs, now]. */
        void evict(long now) {
            long cutoff = now - windowMs;
            int mask = times.length - 1;
            while (size > 0 && times[head] <= cutoff) {
                leftTotal = totals[head];
                head = (head + 1) & mask;
                size--;
            }
            sum = admittedTotal - leftTotal;
        }

        void add(long now, long amount) {
            if (amount == 0) {
                return;
            }
            admittedTotal += amount;
            sum += amount;
            int mask = times.length - 1;
            if (size > 0) {
                int tail = (head + size - 1) & mask;
                if (times[tail] == now) { // same millisecond: merge, memory stays bounded by distinct times
                    totals[tail] = admittedTotal;
                    return;
                }
            }
            if (size == times.length) {
                grow();
                mask = times.length - 1;
            }
            int at = (head + size) & mask;
            times[at] = now;
            totals[at] = admittedTotal;
            size++;
        }

        /** Earliest time ≥ now at which sum + amount fits the cap, as old entries leave the window. */
        long freeAt(long now, long amount, long cap) {
            long excess = sum + amount - cap;
            if (excess <= 0) {
                return now;
            }
            // the first entry whose departure frees at least `excess`: totals are increasing, so bisect
            long target = leftTotal + excess;
            if (size == 0 || totals[(head + size - 1) & (times.length - 1)] < target) {
                return Long.MAX_VALUE; // unreachable while amount <= cap
            }
            int mask = times.length - 1;
            int lo = 0;
            int hi = size - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (totals[(head + mid) & mask] >= target) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return times[(head + lo) & mask] + windowMs;
        }

        /** Takes over another window's admissions (the same limit with a new cap after a refresh). */
        void copyFrom(Window o) {
            times = o.times.clone();
            totals = o.totals.clone();
            head = o.head;
            size = o.size;
            admittedTotal = o.admittedTotal;
            leftTotal = o.leftTotal;
            sum = o.sum;
        }

        private void grow() {
            int n = times.length;
            long[] t = new long[n * 2];
            long[] c = new long[n * 2];
            for (int i = 0; i < size; i++) {
                int at = (head + i) & (n - 1);
                t[i] = times[at];
                c[i] = totals[at];
            }
            times = t;
            totals = c;
            head = 0;
        }
    }

    @Override
    public synchronized String toString() {
        StringBuilder sb = new StringBuilder("OrderThrottle[safety=").append(safetyFraction)
                .append(", exitReserve=").append(exitReserveFraction);
        for (Window w : windows) {
            sb.append(", ").append(w.limit).append(" used ").append(w.sum).append('/').append(w.cap);
        }
        return sb.append(']').toString();
    }
}
