package io.aquatrade.exchange.binance.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.aquatrade.exchange.OrderList;
import io.aquatrade.exchange.OrderReport;
import io.aquatrade.exchange.OrderStatus;
import io.aquatrade.model.Side;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Binance's REST answers into the port's types, refusing a document that lacks a field the bot
 * relies on with an error naming the endpoint and the field. Numbers arrive as strings and are read
 * as BigDecimal (never double).
 */
public final class BinanceJson {

    private BinanceJson() {
    }

    static Ticker24h ticker24h(JsonNode t) {
        BinanceEndpoint e = BinanceEndpoint.TICKER_24HR;
        return new Ticker24h(requireText(t, "symbol", e), requireDecimal(t, "lastPrice", e),
                optDecimal(t, "priceChangePercent"), requireDecimal(t, "volume", e), requireDecimal(t, "quoteVolume", e),
                t.path("count").asLong(0), t.path("openTime").asLong(0), t.path("closeTime").asLong(0));
    }

    static Kline kline(JsonNode row, String symbol, int index) {
        BinanceEndpoint e = BinanceEndpoint.KLINES;
        if (row == null || !row.isArray() || row.size() < 11) {
            throw new BinanceFormatException(e, symbol + " row " + index + ": expected an array of 12 values, got " + row);
        }
        try {
            return new Kline(row.get(0).asLong(), dec(row.get(1)), dec(row.get(2)), dec(row.get(3)), dec(row.get(4)),
                    dec(row.get(5)), row.get(6).asLong(), dec(row.get(7)), row.get(8).asLong(), dec(row.get(9)),
                    dec(row.get(10)));
        } catch (NumberFormatException ex) {
            throw new BinanceFormatException(e, symbol + " row " + index + ": not a number: " + ex.getMessage());
        }
    }

    private static BigDecimal dec(JsonNode n) {
        return new BigDecimal(n.asText());
    }

    /** A FULL (or RESULT/ACK) answer to {@code POST /api/v3/order}. */
    static OrderResult orderResult(JsonNode n) {
        OrderReport report = orderReport(n, BinanceEndpoint.NEW_ORDER);
        List<TradeFill> fills = new ArrayList<>();
        JsonNode fs = n.get("fills");
        if (fs != null && fs.isArray()) {
            for (JsonNode f : fs) {
                fills.add(tradeFill(f));
            }
        }
        return new OrderResult(report, fills);
    }

    static TradeFill tradeFill(JsonNode f) {
        BinanceEndpoint e = BinanceEndpoint.NEW_ORDER;
        return new TradeFill(requireDecimal(f, "price", e), requireDecimal(f, "qty", e), requireDecimal(f, "commission", e),
                requireText(f, "commissionAsset", e), requireLong(f, "tradeId", e));
    }

    /** An answer to {@code POST /api/v3/orderList/oco} or {@code DELETE /api/v3/orderList}. */
    static OrderList orderList(JsonNode n) {
        BinanceEndpoint e = BinanceEndpoint.NEW_OCO;
        List<OrderReport> orders = new ArrayList<>();
        JsonNode reports = n.get("orderReports");
        if (reports != null && reports.isArray()) {
            for (JsonNode r : reports) {
                orders.add(orderReport(r, e));
            }
        }
        return new OrderList(requireLong(n, "orderListId", e), requireText(n, "listClientOrderId", e),
                n.path("listStatusType").asText(""), n.path("listOrderStatus").asText(""), orders);
    }

    /**
     * An order as {@code GET /api/v3/order}, {@code openOrders}, a cancel or a new-order answer describes it.
     * A cancel answer's {@code clientOrderId} is the cancel's own id: the order's is {@code origClientOrderId}.
     */
    public static OrderReport orderReport(JsonNode n, BinanceEndpoint e) {
        String clientOrderId = n.hasNonNull("origClientOrderId") ? n.get("origClientOrderId").asText()
                : requireText(n, "clientOrderId", e);
        long time = n.has("time") ? n.get("time").asLong() : n.path("transactTime").asLong(0);
        long update = n.has("updateTime") ? n.get("updateTime").asLong() : n.path("transactTime").asLong(time);
        return new OrderReport(requireText(n, "symbol", e), requireLong(n, "orderId", e), clientOrderId,
                side(requireText(n, "side", e), e), requireText(n, "type", e), status(requireText(n, "status", e), e),
                optDecimal(n, "origQty"), optDecimal(n, "executedQty"), optDecimal(n, "cummulativeQuoteQty"),
                optDecimal(n, "price"), optDecimal(n, "stopPrice"), n.path("orderListId").asLong(-1), time, update);
    }

    static MyTrade myTrade(JsonNode t) {
        BinanceEndpoint e = BinanceEndpoint.MY_TRADES;
        return new MyTrade(requireText(t, "symbol", e), requireLong(t, "id", e), requireLong(t, "orderId", e),
                requireDecimal(t, "price", e), requireDecimal(t, "qty", e), requireDecimal(t, "quoteQty", e),
                requireDecimal(t, "commission", e), requireText(t, "commissionAsset", e), requireLong(t, "time", e),
                requireBoolean(t, "isBuyer", e) ? Side.BUY : Side.SELL, t.path("isMaker").asBoolean(false));
    }

    public static Side side(String s, BinanceEndpoint e) {
        try {
            return Side.valueOf(s);
        } catch (IllegalArgumentException ex) {
            throw new BinanceFormatException(e, "unknown side '" + s + "'");
        }
    }

    public static OrderStatus status(String s, BinanceEndpoint e) {
        try {
            return OrderStatus.valueOf(s);
        } catch (IllegalArgumentException ex) {
            throw new BinanceFormatException(e, "unknown order status '" + s + "'");
        }
    }

    static String requireText(JsonNode n, String field, BinanceEndpoint e) {
        JsonNode v = n == null ? null : n.get(field);
        if (v == null || v.isNull() || v.isContainerNode()) {
            throw new BinanceFormatException(e, "field '" + field + "' missing");
        }
        return v.asText();
    }

    static long requireLong(JsonNode n, String field, BinanceEndpoint e) {
        JsonNode v = n == null ? null : n.get(field);
        if (v == null || !v.canConvertToLong()) {
            throw new BinanceFormatException(e, "field '" + field + "' missing or not an integer");
        }
        return v.asLong();
    }

    static boolean requireBoolean(JsonNode n, String field, BinanceEndpoint e) {
        JsonNode v = n == null ? null : n.get(field);
        if (v == null || !v.isBoolean()) {
            throw new BinanceFormatException(e, "field '" + field + "' missing or not a boolean");
        }
        return v.asBoolean();
    }

    static BigDecimal requireDecimal(JsonNode n, String field, BinanceEndpoint e) {
        JsonNode v = n == null ? null : n.get(field);
        if (v == null || v.isNull()) {
            throw new BinanceFormatException(e, "field '" + field + "' missing");
        }
        try {
            return new BigDecimal(v.asText());
        } catch (NumberFormatException ex) {
            throw new BinanceFormatException(e, "field '" + field + "' is not a number: '" + v.asText() + "'");
        }
    }

    static BigDecimal optDecimal(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        if (v == null || v.isNull() || v.asText().isEmpty()) {
            return BigDecimal.ZERO;
        }
        try {
            return new BigDecimal(v.asText());
        } catch (NumberFormatException ex) {
            return BigDecimal.ZERO;
        }
    }
}
