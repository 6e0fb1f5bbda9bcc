package io.aquatrade.exchange.binance.http;

/**
 * The request never left: refused by the throttle or a back-off in force (429 Retry-After, 418 ban),
 * or the connection could not be opened. The exchange cannot have acted on it, so sending it again
 * later is safe (an order keeps its client order id).
 */
public final class RequestNotSentException extends RuntimeException {

    private final BinanceEndpoint endpoint;
    private final long retryAtMs;

    public RequestNotSentException(BinanceEndpoint endpoint, String reason, long retryAtMs, Throwable cause) {
        super(endpoint.label() + " not sent: " + reason, cause, false, false);
        this.endpoint = endpoint;
        this.retryAtMs = retryAtMs;
    }

    public BinanceEndpoint endpoint() {
        return endpoint;
    }

    /** Wall-clock ms from which the same request could be admitted; 0 when unknown, Long.MAX_VALUE when never. */
    public long retryAtMs() {
        return retryAtMs;
    }
}
