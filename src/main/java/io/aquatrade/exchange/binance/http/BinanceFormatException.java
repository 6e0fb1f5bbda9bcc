package io.aquatrade.exchange.binance.http;

/** A 2xx answer that is not what Binance documents (not JSON, a field missing or malformed), naming the endpoint and field. */
public final class BinanceFormatException extends RuntimeException {

    private final BinanceEndpoint endpoint;

    public BinanceFormatException(BinanceEndpoint endpoint, String problem) {
        super(endpoint.label() + ": " + problem);
        this.endpoint = endpoint;
    }

    public BinanceEndpoint endpoint() {
        return endpoint;
    }
}
