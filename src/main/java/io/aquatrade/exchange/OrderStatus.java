package io.aquatrade.exchange;

/** Binance's order status enum (enums.md), as the exchange reports an order's state. */
public enum OrderStatus {
    NEW, PENDING_NEW, PARTIALLY_FILLED, FILLED, CANCELED, PENDING_CANCEL, REJECTED, EXPIRED, EXPIRED_IN_MATCH;

    /** True when nothing more can fill. */
    public boolean isFinal() {
        return this == FILLED || this == CANCELED || this == REJECTED || this == EXPIRED || this == EXPIRED_IN_MATCH;
    }
}
