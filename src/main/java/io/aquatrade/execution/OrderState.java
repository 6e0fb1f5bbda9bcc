package io.aquatrade.execution;

import io.aquatrade.exchange.OrderStatus;

/**
 * An order's life as the order manager owns it. NEW: journaled, not yet sent. SENT: on the wire.
 * ACKED: the exchange has it. UNKNOWN: the request's outcome was lost (timeout, 5xx, dropped
 * connection); it is resolved by a lookup after its recvWindow, never assumed.
 */
public enum OrderState {
    NEW, SENT, ACKED, PARTIALLY_FILLED, FILLED, CANCELED, EXPIRED, REJECTED, UNKNOWN;

    /** Nothing more can happen to the order. */
    public boolean isFinal() {
        return this == FILLED || this == CANCELED || this == EXPIRED || this == REJECTED;
    }

    /** The exchange has not (yet) said it has the order: journaled, sent, or its outcome lost. It may still land. */
    public boolean unanswered() {
        return this == NEW || this == SENT || this == UNKNOWN;
    }

    /** The state an exchange status stands for (PENDING_NEW counts as acknowledged, EXPIRED_IN_MATCH as expired). */
    public static OrderState of(OrderStatus s) {
        return switch (s) {
            case NEW, PENDING_NEW, PENDING_CANCEL -> ACKED;
            case PARTIALLY_FILLED -> PARTIALLY_FILLED;
            case FILLED -> FILLED;
            case CANCELED -> CANCELED;
            case REJECTED -> REJECTED;
            case EXPIRED, EXPIRED_IN_MATCH -> EXPIRED;
        };
    }

    /** The state named by an adapter's done status (FILLED, CANCELED, EXPIRED, ...). */
    public static OrderState ofDone(String status) {
        try {
            return of(OrderStatus.valueOf(status));
        } catch (IllegalArgumentException e) {
            return EXPIRED;
        }
    }
}
