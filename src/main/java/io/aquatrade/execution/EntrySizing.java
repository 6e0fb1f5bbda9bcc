package io.aquatrade.execution;

import java.math.BigDecimal;

/**
 * How much an entry may spend: the intent's quote shrunk to the tightest of the hard caps and the
 * capital rule, counting BUYs still in flight as spent. Rounding to the symbol's filters follows.
 */
final class EntrySizing {

    private EntrySizing() {
    }

    /**
     * @param symbolExposure cost of what is held of the symbol, dust included (no order of it is in flight here)
     * @param exposure       cost of every open position, with the symbol's dust when the entry opens a new one
     * @param pendingQuote   quote that BUYs in flight may still spend
     */
    static BigDecimal quote(BigDecimal wanted, HardLimits limits, BigDecimal symbolExposure, BigDecimal exposure,
                            BigDecimal pendingQuote, BigDecimal deployable, BigDecimal cash) {
        BigDecimal totalExposure = exposure.add(pendingQuote);
        return wanted
                .min(limits.maxPositionQuote().subtract(symbolExposure))
                .min(limits.maxSymbolExposureQuote().subtract(symbolExposure))
                .min(limits.maxTotalExposureQuote().subtract(totalExposure))
                .min(deployable.subtract(totalExposure))
                .min(cash.subtract(pendingQuote))
                .max(BigDecimal.ZERO);
    }
}
