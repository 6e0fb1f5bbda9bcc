package io.aquatrade.portfolio;

import java.math.BigDecimal;

/**
 * A closed position: from its first entry fill to the exit that left at most dust.
 *
 * @param cost     quote spent on the entries (BUY fees are taken in the base asset, so they are inside)
 * @param proceeds quote received from the exits, net of SELL fees
 * @param pnl      proceeds - cost of what was sold (dust left over keeps its share of the cost)
 */
public record RoundTrip(String symbol, long entryTimeMs, long exitTimeMs, BigDecimal cost, BigDecimal proceeds,
                        BigDecimal pnl, BigDecimal fees, String entryReason, String exitReason) {

    public boolean win() {
        return pnl.signum() > 0;
    }
}
