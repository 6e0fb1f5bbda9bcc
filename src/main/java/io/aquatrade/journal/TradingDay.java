package io.aquatrade.journal;

import java.math.BigDecimal;

/**
 * A UTC day as the daily-loss cap counts it: the equity of the bot's own trading when it began (deposits and
 * withdrawals excluded), the halt of new entries if the day has one, and that equity as the bot last valued it.
 *
 * @param utcDay             days since the epoch
 * @param startTradingEquity the portfolio's equity net of outside money at the day's start
 * @param haltedMs           when new entries were halted for the day, or null
 * @param haltCause          why (the cap's or the rule's words), or null
 * @param haltSource         who decided ("hard_cap", "rule"), or null
 * @param lastTradingEquity  the equity of the bot's own trading as last valued that day, or null (none journaled)
 * @param lastEquityMs       when it was, or null
 */
public record TradingDay(long utcDay, BigDecimal startTradingEquity, long runNo, long startedMs, Long haltedMs,
                         String haltCause, String haltSource, BigDecimal lastTradingEquity, Long lastEquityMs) {

    public boolean halted() {
        return haltedMs != null;
    }
}
