package io.aquatrade.journal;

import java.math.BigDecimal;

/**
 * One row of {@code journal_intent}: what a rule or a guardrail asked for and what became of it.
 *
 * @param outcome         {@code SENT}, or {@code REFUSED:<reason>} naming the guardrail that refused it
 * @param clientOrderId   the order it became, or null when refused
 */
public record IntentRecord(long runNo, long intentNo, long timeMs, String symbol, String side, BigDecimal quoteQty,
                           BigDecimal sellFraction, Double stopLossPct, Double takeProfitPct, String templateDay,
                           String reason, String outcome, String clientOrderId) {
}
