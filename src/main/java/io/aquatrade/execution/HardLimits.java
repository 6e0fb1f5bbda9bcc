package io.aquatrade.execution;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.config.ConfigKeys;

import java.math.BigDecimal;

/** The hard caps from config, enforced in Java whatever the rules say. */
public record HardLimits(BigDecimal maxPositionQuote, BigDecimal maxSymbolExposureQuote, int maxOpenPositions,
                         BigDecimal maxTotalExposureQuote, BigDecimal maxDailyLossQuote, int maxTradesPerMinute,
                         int maxTradesPerDay) {

    public static HardLimits from(AquatradeConfig c) {
        return new HardLimits(c.decimal(ConfigKeys.RISK_MAX_POSITION_QUOTE),
                c.decimal(ConfigKeys.RISK_MAX_SYMBOL_EXPOSURE_QUOTE), c.integer(ConfigKeys.RISK_MAX_OPEN_POSITIONS),
                c.decimal(ConfigKeys.RISK_MAX_TOTAL_EXPOSURE_QUOTE), c.decimal(ConfigKeys.RISK_MAX_DAILY_LOSS_QUOTE),
                c.integer(ConfigKeys.RISK_MAX_TRADES_PER_MINUTE), c.integer(ConfigKeys.RISK_MAX_TRADES_PER_DAY));
    }
}
