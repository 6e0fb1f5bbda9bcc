package io.aquatrade.exchange;

import java.math.BigDecimal;

/** One asset of the account as the exchange reports it ({@code balances[]} of GET /api/v3/account). */
public record AssetBalance(String asset, BigDecimal free, BigDecimal locked) {

    public BigDecimal total() {
        return free.add(locked);
    }
}
