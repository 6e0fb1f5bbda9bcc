package io.aquatrade.exchange.binance.ws;

import io.aquatrade.exchange.AssetBalance;

import java.util.List;

/** A user-data {@code outboundAccountPosition}: the balances of the assets that changed ({@code B[{a,f,l}]}). */
public record AccountPosition(long eventTimeMs, long lastUpdateMs, List<AssetBalance> balances) {
    public AccountPosition {
        balances = List.copyOf(balances);
    }
}
