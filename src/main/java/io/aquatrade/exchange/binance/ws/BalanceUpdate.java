package io.aquatrade.exchange.binance.ws;

import java.math.BigDecimal;

/** A user-data {@code balanceUpdate}: a deposit, withdrawal or transfer changed an asset by {@code delta} ({@code d}). */
public record BalanceUpdate(long eventTimeMs, String asset, BigDecimal delta, long clearTimeMs) {
}
