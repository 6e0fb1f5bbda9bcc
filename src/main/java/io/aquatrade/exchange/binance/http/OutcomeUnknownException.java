package io.aquatrade.exchange.binance.http;

/**
 * The request went out but its outcome was lost: a timeout, HTTP 5xx, -1006/-1007, a connection that
 * dropped after sending, an answer that could not be read. Binance says to assume nothing (rest-api.md):
 * an order may or may not exist, so it must be looked up by its client order id before any resend.
 */
public final class OutcomeUnknownException extends RuntimeException {

    private final BinanceEndpoint endpoint;
    private final int httpStatus;
    private final long acceptDeadlineWallMs;

    /** @param acceptDeadlineWallMs see {@link #acceptDeadlineWallMs()} */
    public OutcomeUnknownException(BinanceEndpoint endpoint, String cause, int httpStatus, Throwable throwable,
                                   long acceptDeadlineWallMs) {
        super(endpoint.label() + " outcome unknown: " + cause, throwable, false, false);
        this.endpoint = endpoint;
        this.httpStatus = httpStatus;
        this.acceptDeadlineWallMs = acceptDeadlineWallMs;
    }

    public BinanceEndpoint endpoint() {
        return endpoint;
    }

    /** The HTTP status when there was an answer (5xx), 0 when there was none. */
    public int httpStatus() {
        return httpStatus;
    }

    /**
     * The local wall time after which the exchange can no longer accept this request: its signed {@code timestamp}
     * plus the {@code recvWindow} it carried, in local time, plus {@link BinanceHttp#ACCEPT_MARGIN_MS}. Before it, a
     * look-up that finds no order proves nothing. {@link Long#MAX_VALUE} for an unsigned request (no window bounds it).
     */
    public long acceptDeadlineWallMs() {
        return acceptDeadlineWallMs;
    }
}
