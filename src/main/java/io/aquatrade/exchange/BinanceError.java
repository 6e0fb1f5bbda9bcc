package io.aquatrade.exchange;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An error as Binance returns it: {@code {"code":-1013,"msg":"Filter failure: LOT_SIZE"}}. The local
 * filter check, the simulated and paper exchanges and the REST adapter all speak this one type, so a
 * rejection reads the same whichever of them produced it. Codes are universal, messages vary (errors.md).
 */
public record BinanceError(int code, String msg) {

    /** -1000 UNKNOWN: "An unknown error occurred while processing the request." */
    public static final int UNKNOWN = -1000;
    /** Too much request weight used, or IP banned (HTTP 429 / 418). */
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

    public static final int DISCONNECTED = -1001;
    public static final int UNAUTHORIZED = -1002;
    public static final int SERVER_BUSY = -1008;
    public static final int UNKNOWN_ORDER_COMPOSITION = -1014;
    public static final int SERVICE_SHUTTING_DOWN = -1016;
    public static final int UNSUPPORTED_OPERATION = -1020;
    public static final int NOT_FOUND_AUTHENTICATED_OR_AUTHORIZED = -1099;
    public static final int BAD_RECV_WINDOW = -1131;
    public static final int BAD_API_KEY_FMT = -2014;

    /**
     * What the bot does with an order (new order, OCO, cancel) the exchange answered with an error: the one
     * table of it, {@link #orderOutcome()}.
     */
    public enum OrderOutcome {
        /** Not executed, for a passing reason (rate limit, busy server, clock): a later attempt may succeed. */
        RETRY,
        /** Not executed and never will be as sent (filters, balance, parameters): give the order up. */
        DROP,
        /** The account or key cannot trade (signature, key, permissions, trading disabled): stop all orders (HALTED). */
        HALT,
        /** The exchange does not know what became of it: look the order up by its client id before anything else. */
        LOOK_UP;

        /** The metric label: {@code retry}, {@code drop}, {@code halt}, {@code look_up}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Code → outcome, from Binance's spot error list (errors.md; BINANCE-NOTES.md §errors). -2010 depends on its
     * message ({@link #orderOutcome()}); -1100..-1131 request issues are {@link OrderOutcome#DROP} (the same request
     * would fail again); a code missing here is {@link OrderOutcome#DROP}: the exchange answered, so it did not act.
     */
    private static final Map<Integer, OrderOutcome> OUTCOMES = Map.ofEntries(
            Map.entry(UNKNOWN, OrderOutcome.LOOK_UP),
            Map.entry(DISCONNECTED, OrderOutcome.RETRY),          // "unable to process your request. Please try again."
            Map.entry(UNAUTHORIZED, OrderOutcome.HALT),
            Map.entry(TOO_MANY_REQUESTS, OrderOutcome.RETRY),     // after Retry-After: the throttle is paused
            Map.entry(UNEXPECTED_RESP, OrderOutcome.LOOK_UP),
            Map.entry(TIMEOUT, OrderOutcome.LOOK_UP),
            Map.entry(SERVER_BUSY, OrderOutcome.RETRY),
            Map.entry(INVALID_MESSAGE, OrderOutcome.DROP),        // filter failures: before the matching engine
            Map.entry(UNKNOWN_ORDER_COMPOSITION, OrderOutcome.DROP),
            Map.entry(TOO_MANY_ORDERS, OrderOutcome.RETRY),       // when the ORDERS window frees
            Map.entry(SERVICE_SHUTTING_DOWN, OrderOutcome.RETRY),
            Map.entry(UNSUPPORTED_OPERATION, OrderOutcome.DROP),
            Map.entry(INVALID_TIMESTAMP, OrderOutcome.RETRY),     // after a server-time re-sync
            Map.entry(INVALID_SIGNATURE, OrderOutcome.HALT),
            Map.entry(NOT_FOUND_AUTHENTICATED_OR_AUTHORIZED, OrderOutcome.HALT),
            Map.entry(CANCEL_REJECTED, OrderOutcome.LOOK_UP),     // "Unknown order sent.": done already, or never there
            Map.entry(NO_SUCH_ORDER, OrderOutcome.DROP),
            Map.entry(BAD_API_KEY_FMT, OrderOutcome.HALT),
            Map.entry(REJECTED_MBX_KEY, OrderOutcome.HALT),
            Map.entry(ORDER_ARCHIVED, OrderOutcome.DROP));

    /** -2010 messages that mean the account may not trade at all (errors.md, "Messages for -1010, -2010, -2011"). */
    private static final java.util.List<String> ACCOUNT_CANNOT_TRADE = java.util.List.of(
            "this action is disabled on this account", "rest api trading is not enabled",
            "websocket api trading is not enabled", "this account may not place or cancel orders",
            "api-keys are not supported on this endpoint");

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

    /**
     * What the bot does with an order that got this error: see {@link OrderOutcome}. -2010 NEW_ORDER_REJECTED is
     * read by its message: "Duplicate order sent." means an order with this client id is open (look it up), a
     * disabled account or API trading halts, anything else (insufficient balance, market closed, would match
     * and take, ...) drops the order.
     */
    @JsonIgnore
    public OrderOutcome orderOutcome() {
        if (code == NEW_ORDER_REJECTED) {
            String m = msg.toLowerCase(Locale.ROOT);
            if (m.contains("duplicate order")) {
                return OrderOutcome.LOOK_UP;
            }
            for (String s : ACCOUNT_CANNOT_TRADE) {
                if (m.contains(s)) {
                    return OrderOutcome.HALT;
                }
            }
            return OrderOutcome.DROP;
        }
        return OUTCOMES.getOrDefault(code, OrderOutcome.DROP);
    }

    @Override
    public String toString() {
        return code + " " + msg;
    }
}
