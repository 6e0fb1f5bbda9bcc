package io.aquatrade.exchange;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.Objects;

/**
 * An error as Binance returns it: {@code {"code":-1013,"msg":"Filter failure: LOT_SIZE"}}. The local
 * filter check, the simulated and paper exchanges and the REST adapter all speak this one type, so a
 * rejection reads the same whichever of them produced it. Codes are universal, messages vary (errors.md).
 */
public record BinanceError(int code, String msg) {

    /** Too much request weight used, or IP banned (HTTP 429 / 418). */
    /** -1000 UNKNOWN: "An unknown error occurred while processing the request." */
    public static final int UNKNOWN = -1000;
    public static final int TOO_MANY_REQUESTS = -1003;
    /** An unexpected response from the message bus: execution status unknown. */
    public static final int UNEXPECTED_RESP = -1006;
    /** Backend timeout: send status unknown, execution status unknown. */
    public static final int TIMEOUT = -1007;
    /** Rejected before reaching the matching engine; the message names the failed filter. */
    public static final int INVALID_MESSAGE = -1013;
    /** Too many new orders (unfilled order count per 10 s or per day). */
    public static final int TOO_MANY_ORDERS = -1015;
    /** Timestamp outside recvWindow or more than 1000 ms ahead of the server. */
    public static final int INVALID_TIMESTAMP = -1021;
    public static final int INVALID_SIGNATURE = -1022;
    public static final int ILLEGAL_CHARS = -1100;
    public static final int MANDATORY_PARAM_EMPTY_OR_MALFORMED = -1102;
    public static final int BAD_PRECISION = -1111;
    public static final int BAD_SYMBOL = -1121;
    /** The matching engine rejected the order; the message says why (balance, duplicate id, market closed...). */
    public static final int NEW_ORDER_REJECTED = -2010;
    public static final int CANCEL_REJECTED = -2011;
    public static final int NO_SUCH_ORDER = -2013;
    public static final int REJECTED_MBX_KEY = -2015;
    public static final int ORDER_ARCHIVED = -2026;

    /** The prefix of every -1013 filter rejection, followed by the filter type. */
    public static final String FILTER_FAILURE_PREFIX = "Filter failure: ";

    public BinanceError {
        Objects.requireNonNull(msg, "msg");
    }

    /** -1013 {@code Filter failure: <filterType>}, e.g. {@code Filter failure: LOT_SIZE}. */
    public static BinanceError filterFailure(String filterType) {
        return new BinanceError(INVALID_MESSAGE, FILTER_FAILURE_PREFIX + filterType);
    }

    /** -1121 {@code Invalid symbol.} */
    public static BinanceError invalidSymbol() {
        return new BinanceError(BAD_SYMBOL, "Invalid symbol.");
    }

    /** -1013 {@code Invalid quantity.}: Binance's answer to a zero quantity. */
    public static BinanceError invalidQuantity() {
        return new BinanceError(INVALID_MESSAGE, "Invalid quantity.");
    }

    /** -1013 {@code Invalid price.}: Binance's answer to a zero price on a LIMIT order. */
    public static BinanceError invalidPrice() {
        return new BinanceError(INVALID_MESSAGE, "Invalid price.");
    }

    /** -1111 {@code Parameter '<name>' has too much precision.} */
    public static BinanceError badPrecision(String parameter) {
        return new BinanceError(BAD_PRECISION, "Parameter '" + parameter + "' has too much precision.");
    }

    /** -2010 with a matching-engine message such as {@code Market is closed.} */
    public static BinanceError newOrderRejected(String engineMessage) {
        return new BinanceError(NEW_ORDER_REJECTED, engineMessage);
    }

    /** True for -1013 rejections carrying {@code Filter failure: X}. */
    @JsonIgnore // the wire form is exactly {"code":..,"msg":..}
    public boolean isFilterFailure() {
        return code == INVALID_MESSAGE && msg.startsWith(FILTER_FAILURE_PREFIX);
    }

    /** The filter type of a filter failure ({@code LOT_SIZE}, {@code NOTIONAL}, ...), or null. */
    public String filterType() {
        return isFilterFailure() ? msg.substring(FILTER_FAILURE_PREFIX.length()).trim() : null;
    }

    /** True when the error is a rate-limit refusal (-1003 weight/ban, -1015 order count). */
    @JsonIgnore
    public boolean isRateLimited() {
        return code == TOO_MANY_REQUESTS || code == TOO_MANY_ORDERS;
    }

    /**
     * True when Binance does not know whether the order was executed (-1006, -1007): the caller must
     * query the order by its clientOrderId before assuming anything.
     */
    @JsonIgnore
    public boolean isExecutionStatusUnknown() {
        return code == TIMEOUT || code == UNEXPECTED_RESP;
    }

    @Override
    public String toString() {
        return code + " " + msg;
    }
}
