package io.aquatrade.execution;

import io.aquatrade.exchange.OrderRequest;
import io.aquatrade.model.OrderIntent;

import java.math.BigDecimal;

/**
 * One order as the order manager owns it: the request, the intent it serves, and its state. Only
 * the order manager changes it, on the pipeline's thread; everyone else reads.
 */
public final class ManagedOrder {

    /** What the order is for: opening, closing, or protecting a position on the exchange. */
    public enum Purpose { ENTRY, EXIT, PROTECT }

    private final OrderRequest request;
    private final OrderIntent intent;
    private final Purpose purpose;
    private final Long intentNo;
    private final long recvWindowMs;
    private final String orderType;
    private final String listClientOrderId;
    OrderState state = OrderState.NEW;
    long exchangeOrderId = -1;
    BigDecimal executedQty = BigDecimal.ZERO;
    BigDecimal cumQuoteQty = BigDecimal.ZERO;
    long sentWallMs;
    long acceptDeadlineWallMs;
    int attempts;
    String lastError;

    ManagedOrder(OrderRequest request, OrderIntent intent, Purpose purpose, Long intentNo, long recvWindowMs) {
        this(request, intent, purpose, intentNo, recvWindowMs, "MARKET", null);
    }

    /**
     * @param orderType         MARKET, or a protective leg's LIMIT_MAKER / STOP_LOSS_LIMIT: its limit price is the
     *                          request's {@code referencePrice}, a stop's trigger the request's {@code triggerPrice}
     * @param listClientOrderId the OCO list the leg belongs to, or null
     */
    ManagedOrder(OrderRequest request, OrderIntent intent, Purpose purpose, Long intentNo, long recvWindowMs,
                 String orderType, String listClientOrderId) {
        this.orderType = orderType;
        this.listClientOrderId = listClientOrderId;
        this.request = request;
        this.intent = intent;
        this.purpose = purpose;
        this.intentNo = intentNo;
        this.recvWindowMs = recvWindowMs;
    }

    public OrderRequest request() { return request; }
    public String clientOrderId() { return request.clientOrderId(); }
    public String symbol() { return request.symbol(); }
    /** The intent this order serves, or null (a protective level's exit, an order rebuilt at recovery). */
    public OrderIntent intent() { return intent; }
    public Purpose purpose() { return purpose; }
    public Long intentNo() { return intentNo; }
    public long recvWindowMs() { return recvWindowMs; }
    public String orderType() { return orderType; }
    public String listClientOrderId() { return listClientOrderId; }
    /** A protective leg's limit price (null for a MARKET order). */
    public java.math.BigDecimal limitPrice() { return "MARKET".equals(orderType) ? null : request.referencePrice(); }
    /** A stop leg's trigger price (null otherwise). */
    public java.math.BigDecimal stopPrice() { return "STOP_LOSS_LIMIT".equals(orderType) ? request.triggerPrice() : null; }
    public OrderState state() { return state; }
    public long exchangeOrderId() { return exchangeOrderId; }
    public BigDecimal executedQty() { return executedQty; }
    public BigDecimal cumQuoteQty() { return cumQuoteQty; }
    /** Wall-clock time of the latest submit to the venue (it may be signed later, after a wait in the throttle's queue). */
    public long sentWallMs() { return sentWallMs; }
    /** After a lost outcome: the local wall time after which the exchange can no longer accept the request (0 before). */
    public long acceptDeadlineWallMs() { return acceptDeadlineWallMs; }
    public int attempts() { return attempts; }
    public String lastError() { return lastError; }

    @Override
    public String toString() {
        return clientOrderId() + " " + request.side() + " " + symbol() + " " + purpose + " " + state;
    }
}
