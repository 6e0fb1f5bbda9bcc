package io.aquatrade.exchange.binance.http;

/**
 * The request went out but its outcome was lost: a timeout, HTTP 5xx, -1006/-1007, a connection that
 * dropped after sending, an answer that could not be read. Binance says to assume nothing (rest-api.md):
 * an order may or may not exist, so it must be looked up by its client order id before any resend.
 */
public final class OutcomeUnknownException extends RuntimeException {

    private final BinanceEndpoint endpoint;
    private final int httpStatus;

    public OutcomeUnknownException(BinanceEndpoint endpoint, String cause, int httpStatus, Throwable throwable) {
        super(endpoint.label() + " outcome unknown: " + cause, throwable, false, false);
        this.endpoint = endpoint;
        this.httpStatus = httpStatus;
    }

    public BinanceEndpoint endpoint() {
        return endpoint;
    }

    /** The HTTP status when there was an answer (5xx), 0 when there was none. */
    public int httpStatus() {
        return httpStatus;
    }
}
