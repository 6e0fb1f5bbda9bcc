package io.aquatrade.exchange;

import io.aquatrade.model.Fill;

/**
 * What an exchange adapter reports back, on the pipeline's thread/context: fills as they happen,
 * the end of an order, and rejections with Binance's code and message.
 */
public interface ExecutionListener {

    void onFill(Fill fill);

    /** The order is complete (FILLED, EXPIRED, CANCELED) and nothing more will fill. */
    void onOrderDone(OrderRequest order, String status);

    /** The exchange refused the order (e.g. -1013 "Filter failure: LOT_SIZE", -2010 insufficient balance). */
    void onRejected(OrderRequest order, int code, String message);
}
