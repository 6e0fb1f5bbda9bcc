package io.aquatrade.state;

import java.io.Serializable;

/**
 * What is published per symbol to the Hazelcast IMap: enough for another member to show the symbol
 * and to warm its own state after a failover (the last hour of 1m closes and volumes, today's path).
 * Prices and volumes in E8.
 */
public record SymbolStateView(String symbol, long publishedAtMs, long lastEventMs, long lastPriceE8, long dayStartMs,
                              long dayOpenE8, long dayHighE8, long dayLowE8, long lastMinuteOpenTimeMs,
                              long[] recentClosesE8, double[] recentVolumesE8, double volatility1hPct,
                              double volumeRatio15m, long events) implements Serializable {

    public static final int RECENT_MINUTES = 60;
}
