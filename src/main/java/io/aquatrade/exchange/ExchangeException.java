package io.aquatrade.exchange;

/**
 * A request the exchange answered with an error (Binance's code and message), e.g. -2011 "Unknown
 * order sent." for a cancel, or -1021 for a timestamp outside the recvWindow. Carries the HTTP status
 * when there was one (0 otherwise). The message never holds a key, a signature or a signed query.
 */
public final class ExchangeException extends RuntimeException {

    private final BinanceError error;
    private final int httpStatus;

    public ExchangeException(BinanceError error, int httpStatus) {
        super(error.code() + " " + error.msg() + (httpStatus > 0 ? " (HTTP " + httpStatus + ")" : ""));
        this.error = error;
        this.httpStatus = httpStatus;
    }

    public BinanceError error() {
        return error;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
