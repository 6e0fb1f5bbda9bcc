package io.aquatrade.ops;

import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * What the exchange's HTTP answers say about us: 429 (rate limited) and 418 (IP banned until
 * Retry-After) are counted in {@code aquatrade_exchange_http_errors_total}; a ban shows in
 * {@code aquatrade_exchange_banned} and notifies the operator once per ban.
 */
public final class ExchangeHealth {

    private final OpsMetrics metrics;
    private final LongSupplier wallClock;
    private final Consumer<String> onBan;
    private volatile long bannedUntilWallMs;

    public ExchangeHealth(OpsMetrics metrics, LongSupplier wallClock, Consumer<String> onBan) {
        this.metrics = metrics;
        this.wallClock = wallClock;
        this.onBan = onBan;
        metrics.gauge("aquatrade.exchange.banned", "1 while an exchange IP ban (HTTP 418) is in force, else 0",
                () -> banned() ? 1 : 0);
    }

    /**
     * Reports an HTTP status from the exchange.
     *
     * @param retryAfterMs the Retry-After header in milliseconds (0 when absent)
     */
    public void onHttpStatus(int status, long retryAfterMs) {
        metrics.exchangeHttpStatus(status);
        if (status == 418) {
            long until = wallClock.getAsLong() + Math.max(retryAfterMs, 0);
            boolean wasBanned = banned();
            if (until > bannedUntilWallMs) {
                bannedUntilWallMs = until;
            }
            if (!wasBanned) {
                onBan.accept("Binance banned this IP (HTTP 418) for " + Math.max(retryAfterMs, 0) / 1000 + " s");
            }
        }
    }

    public boolean banned() {
        return bannedUntilWallMs > wallClock.getAsLong();
    }

    public long bannedUntilWallMs() {
        return bannedUntilWallMs;
    }
}
