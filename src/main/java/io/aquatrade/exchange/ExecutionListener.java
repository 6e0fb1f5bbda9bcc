package io.aquatrade.exchange;

import io.aquatrade.model.Fill;

/**
 * What an exchange adapter reports back, on the pipeline's thread/context: the exchange's
 * acknowledgement, fills as they happen (one call per trade, so partial fills arrive fill by fill),
 * the end of an order, rejections with Binance's code and message, and outcomes that were lost.
 */
public interface ExecutionListener {

    /** The exchange accepted the order (it has this order id); fills may follow. */
    void onAcknowledged(OrderRequest order, long exchangeOrderId);

    /** One trade of an order; a fill the listener has already seen (same trade id) must count once. */
    void onFill(Fill fill);

    /** The order is complete (FILLED, EXPIRED, CANCELED) and nothing more will fill. */
    void onOrderDone(OrderRequest order, String status);

    /** The exchange refused the order (e.g. -1013 "Filter failure: LOT_SIZE", -2010 insufficient balance). */
    void onRejected(OrderRequest order, int code, String message);

    /**
     * The request may or may not have reached the exchange (timeout, HTTP 5xx, -1007, a dropped
     * connection): the order's state must be looked up by its client order id, never assumed.
     *
     * @param acceptDeadlineWallMs the local wall time after which the exchange can no longer accept this
     *                             request (its signed timestamp plus its recvWindow, with a margin): a look-up
     *                             that finds no order proves it never arrived only after this
     */
    void onUnknownOutcome(OrderRequest order, String cause, long acceptDeadlineWallMs);
}
