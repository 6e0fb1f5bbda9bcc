package io.aquatrade.journal;

import java.math.BigDecimal;

/**
 * One row of {@code journal_order}: a request as it was written before it left, with the state
 * the order manager last recorded for it.
 *
 * @param purpose      ENTRY, EXIT or PROTECT (a protective order resting on the exchange)
 * @param intentNo     the intent it came from in its run, or null (a protective level's exit)
 * @param recvWindowMs the request's recvWindow: after {@code sentMs + recvWindowMs} the exchange can
 *                     no longer accept the original, so a lookup by client order id is final
 * @param state        the order manager's state name (NEW, SENT, ACKED, ..., UNKNOWN)
 * @param orderType    MARKET, or a protective leg's LIMIT_MAKER / STOP_LOSS_LIMIT ({@code price} its limit)
 * @param listClientOrderId the OCO list a protective leg belongs to, or null
 */
public record OrderRecord(String clientOrderId, long runNo, long seq, String symbol, String side, String orderType,
                          BigDecimal quantity, BigDecimal quoteQty, BigDecimal price, BigDecimal stopPrice,
                          BigDecimal referencePrice, String reason, String purpose, Long intentNo,
                          Double stopLossPct, Double takeProfitPct, String templateDay, long recvWindowMs,
                          long createdMs, Long sentMs, String state, Long exchangeOrderId, BigDecimal executedQty,
                          BigDecimal cumQuoteQty, long updatedMs, String lastError, String listClientOrderId) {

    /** An order outside any order list. */
    public OrderRecord(String clientOrderId, long runNo, long seq, String symbol, String side, String orderType,
                       BigDecimal quantity, BigDecimal quoteQty, BigDecimal price, BigDecimal stopPrice,
                       BigDecimal referencePrice, String reason, String purpose, Long intentNo,
                       Double stopLossPct, Double takeProfitPct, String templateDay, long recvWindowMs,
                       long createdMs, Long sentMs, String state, Long exchangeOrderId, BigDecimal executedQty,
                       BigDecimal cumQuoteQty, long updatedMs, String lastError) {
        this(clientOrderId, runNo, seq, symbol, side, orderType, quantity, quoteQty, price, stopPrice, referencePrice,
                reason, purpose, intentNo, stopLossPct, takeProfitPct, templateDay, recvWindowMs, createdMs, sentMs, state,
                exchangeOrderId, executedQty, cumQuoteQty, updatedMs, lastError, null);
    }
}
