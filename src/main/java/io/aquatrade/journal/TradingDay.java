package io.aquatrade.journal;

import java.math.BigDecimal;

/**
 * A UTC day as the daily-loss cap counts it: the equity of the bot's own trading when it began (deposits and
 * withdrawals excluded), and the halt of new entries if the day has one.
 *
 * @param utcDay             days since the epoch
 * @param startTradingEquity the portfolio's equity net of outside money at the day's start
 * @param haltedMs           when new entries were halted for the day, or null
 * @param haltCause          why (the cap's or the rule's words), or null
 * @param haltSource         who decided ("hard_cap", "rule"), or null
 */
public record TradingDay(long utcDay, BigDecimal startTradingEquity, long runNo, long startedMs, Long haltedMs,
                         String haltCause, String haltSource) {

    public boolean halted() {
        return haltedMs != null;
    }
}
