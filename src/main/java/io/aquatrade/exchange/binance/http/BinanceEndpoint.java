package io.aquatrade.exchange.binance.http;

import io.vertx.core.http.HttpMethod;

import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The REST endpoints the bot calls, with their method, path, security type and request weight as
 * Binance documents them (rest-api.md; BINANCE-NOTES.md §2). The weight is what the throttle is
 * charged before the request goes out; the exchange's own count comes back in
 * {@code X-MBX-USED-WEIGHT-1M} and corrects it.
 */
public enum BinanceEndpoint {

    PING(HttpMethod.GET, "/api/v3/ping", Security.NONE, p -> 1),
    TIME(HttpMethod.GET, "/api/v3/time", Security.NONE, p -> 1),
    /** 20 for any form (all symbols, one, or a list). */
    EXCHANGE_INFO(HttpMethod.GET, "/api/v3/exchangeInfo", Security.NONE, p -> 20),
    /** 2 for one symbol, 80 for all; with {@code symbols}: 2 / 40 / 80 for 1-20 / 21-100 / 101+. */
    TICKER_24HR(HttpMethod.GET, "/api/v3/ticker/24hr", Security.NONE, BinanceEndpoint::ticker24hWeight),
    /** Best bid/ask: 2 for one symbol, 4 for all or a list. */
    BOOK_TICKER(HttpMethod.GET, "/api/v3/ticker/bookTicker", Security.NONE, p -> p.containsKey("symbol") ? 2 : 4),
    KLINES(HttpMethod.GET, "/api/v3/klines", Security.NONE, p -> 2),
    AVG_PRICE(HttpMethod.GET, "/api/v3/avgPrice", Security.NONE, p -> 2),
    NEW_ORDER(HttpMethod.POST, "/api/v3/order", Security.TRADE, p -> 1),
    TEST_ORDER(HttpMethod.POST, "/api/v3/order/test", Security.TRADE,
            p -> "true".equals(String.valueOf(p.get("computeCommissionRates"))) ? 20 : 1),
    QUERY_ORDER(HttpMethod.GET, "/api/v3/order", Security.USER_DATA, p -> 4),
    CANCEL_ORDER(HttpMethod.DELETE, "/api/v3/order", Security.TRADE, p -> 1),
    /** 6 with a symbol, 80 without. */
    OPEN_ORDERS(HttpMethod.GET, "/api/v3/openOrders", Security.USER_DATA, p -> p.containsKey("symbol") ? 6 : 80),
    NEW_OCO(HttpMethod.POST, "/api/v3/orderList/oco", Security.TRADE, p -> 1),
    CANCEL_ORDER_LIST(HttpMethod.DELETE, "/api/v3/orderList", Security.TRADE, p -> 1),
    ACCOUNT(HttpMethod.GET, "/api/v3/account", Security.USER_DATA, p -> 20),
    /** 20, or 5 with {@code orderId}. */
    MY_TRADES(HttpMethod.GET, "/api/v3/myTrades", Security.USER_DATA, p -> p.containsKey("orderId") ? 5 : 20);

    /** Binance's endpoint security types: signed ones need the key header, a timestamp and a signature. */
    public enum Security {
        NONE, TRADE, USER_DATA;

        public boolean signed() {
            return this != NONE;
        }
    }

    private final HttpMethod method;
    private final String path;
    private final Security security;
    private final ToIntFunction<Map<String, ?>> weight;

    BinanceEndpoint(HttpMethod method, String path, Security security, ToIntFunction<Map<String, ?>> weight) {
        this.method = method;
        this.path = path;
        this.security = security;
        this.weight = weight;
    }

    public HttpMethod method() {
        return method;
    }

    public String path() {
        return path;
    }

    public Security security() {
        return security;
    }

    /** True for the endpoints that place an order (they count against the ORDERS limits). */
    public boolean placesOrder() {
        return this == NEW_ORDER || this == NEW_OCO;
    }

    /** How many orders one order request to this endpoint counts against the ORDERS limits: an OCO places two. */
    public int ordersPlaced() {
        return this == NEW_OCO ? 2 : 1;
    }

    /** The request weight of a call with these parameters. */
    public int weight(Map<String, ?> params) {
        return weight.applyAsInt(params);
    }

    /** The metric label and the name in messages: e.g. {@code new_order}, {@code ticker_24hr}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    private static int ticker24hWeight(Map<String, ?> p) {
        if (p.containsKey("symbol")) {
            return 2;
        }
        Object symbols = p.get("symbols");
        if (symbols == null) {
            return 80;
        }
        int n = symbols.toString().split(",").length;
        return n <= 20 ? 2 : n <= 100 ? 40 : 80;
    }
}
