package io.aquatrade.exchange.binance.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.aquatrade.exchange.AssetBalance;
import io.aquatrade.exchange.ExchangeInfo;
import io.aquatrade.exchange.OrderList;
import io.aquatrade.exchange.OrderReport;
import io.aquatrade.exchange.OrderThrottle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Typed calls of Binance's REST API on top of {@link BinanceHttp}: public market data (time,
 * exchangeInfo, 24 h tickers, klines with paging) and the signed account endpoints the adapter uses
 * (orders, OCO lists, cancels, queries, open orders, account balances, own trades). Field names and
 * weights follow rest-api.md; every answer is checked for the fields the bot relies on.
 */
public final class BinanceRestClient {

    /** Binance's maximum klines per request. */
    public static final int MAX_KLINES = 1000;
    /** Binance's maximum own trades per {@code myTrades} request (its default is 500). */
    static final int MAX_TRADES = 1000;

    private final Vertx vertx;
    private final BinanceHttp http;

    public BinanceRestClient(Vertx vertx, BinanceHttp http) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.http = Objects.requireNonNull(http, "http");
    }

    /** The Vert.x instance its futures complete on (for a caller's timers, e.g. a retry's wait). */
    public Vertx vertx() {
        return vertx;
    }

    public BinanceHttp http() {
        return http;
    }

    // ------------------------------------------------------------------ public market data

    /** {@code GET /api/v3/time}: the exchange's clock, epoch ms. */
    public Future<Long> serverTime() {
        return http.call(BinanceEndpoint.TIME, Map.of(), OrderThrottle.Kind.REQUEST)
                .map(r -> BinanceJson.requireLong(r.json(), "serverTime", BinanceEndpoint.TIME));
    }

    /** {@code GET /api/v3/ping}: connectivity. */
    public Future<Void> ping() {
        return http.call(BinanceEndpoint.PING, Map.of(), OrderThrottle.Kind.REQUEST).mapEmpty();
    }

    /**
     * {@code GET /api/v3/exchangeInfo} for all symbols: parsed (both filter generations) off the event loop,
     * and its {@code rateLimits} handed to the throttle, so the limits in force are the exchange's own.
     */
    public Future<ExchangeInfo> exchangeInfo() {
        return exchangeInfo(List.of());
    }

    /** As {@link #exchangeInfo()}, for the listed symbols only (all when empty). */
    public Future<ExchangeInfo> exchangeInfo(List<String> symbols) {
        Map<String, Object> p = new LinkedHashMap<>();
        if (symbols.size() == 1) {
            p.put("symbol", symbols.get(0));
        } else if (!symbols.isEmpty()) {
            p.put("symbols", jsonArray(symbols));
        }
        String source = http.settings().baseUrl() + BinanceEndpoint.EXCHANGE_INFO.path();
        return http.call(BinanceEndpoint.EXCHANGE_INFO, p, OrderThrottle.Kind.REQUEST)
                .compose(r -> vertx.executeBlocking(() -> ExchangeInfo.parse(r.body(), source), false))
                .map(info -> {
                    if (!info.rateLimits().isEmpty()) {
                        http.useRateLimits(info.rateLimits());
                    }
                    return info;
                });
    }

    /** {@code GET /api/v3/ticker/24hr} of every symbol (weight 80). */
    public Future<List<Ticker24h>> ticker24h() {
        return ticker24h(List.of());
    }

    /** {@code GET /api/v3/ticker/24hr} of the listed symbols (all when empty). */
    public Future<List<Ticker24h>> ticker24h(List<String> symbols) {
        Map<String, Object> p = new LinkedHashMap<>();
        if (symbols.size() == 1) {
            p.put("symbol", symbols.get(0));
        } else if (!symbols.isEmpty()) {
            p.put("symbols", jsonArray(symbols));
        }
        return http.call(BinanceEndpoint.TICKER_24HR, p, OrderThrottle.Kind.REQUEST).map(r -> {
            JsonNode n = r.json();
            List<Ticker24h> out = new ArrayList<>();
            if (n.isArray()) {
                n.forEach(t -> out.add(BinanceJson.ticker24h(t)));
            } else {
                out.add(BinanceJson.ticker24h(n));
            }
            return out;
        });
    }

    /**
     * {@code GET /api/v3/klines}: at most {@code limit} (≤ 1000) bars of {@code interval} opening in
     * [{@code startMs}, {@code endMs}], oldest first. {@code startMs}/{@code endMs} ≤ 0 leave them out.
     */
    public Future<List<Kline>> klines(String symbol, String interval, long startMs, long endMs, int limit) {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(interval, "interval");
        if (limit < 1 || limit > MAX_KLINES) {
            throw new IllegalArgumentException("klines limit must be 1.." + MAX_KLINES + ", got " + limit);
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("symbol", symbol);
        p.put("interval", interval);
        if (startMs > 0) {
            p.put("startTime", startMs);
        }
        if (endMs > 0) {
            p.put("endTime", endMs);
        }
        p.put("limit", limit);
        return http.call(BinanceEndpoint.KLINES, p, OrderThrottle.Kind.REQUEST).map(r -> {
            JsonNode n = r.json();
            if (!n.isArray()) {
                throw new BinanceFormatException(BinanceEndpoint.KLINES, "expected an array of klines for " + symbol);
            }
            List<Kline> out = new ArrayList<>(n.size());
            for (int i = 0; i < n.size(); i++) {
                out.add(BinanceJson.kline(n.get(i), symbol, i));
            }
            return out;
        });
    }

    /**
     * Every bar of {@code interval} opening in [{@code startMs}, {@code endMs}], fetched in pages of 1000
     * (weight 2 each, paced by the throttle), each page handed to {@code onPage} in order as it arrives.
     * Completes with the number of bars. A gap in the exchange's data (an outage) is simply absent.
     */
    public Future<Long> klinesPaged(String symbol, String interval, long startMs, long endMs, Consumer<List<Kline>> onPage) {
        Objects.requireNonNull(onPage, "onPage");
        long intervalMs = intervalMs(interval);
        Promise<Long> done = Promise.promise();
        nextPage(symbol, interval, intervalMs, startMs, endMs, onPage, 0, done);
        return done.future();
    }

    private void nextPage(String symbol, String interval, long intervalMs, long from, long endMs,
                          Consumer<List<Kline>> onPage, long count, Promise<Long> done) {
        if (from > endMs) {
            done.complete(count);
            return;
        }
        klines(symbol, interval, from, endMs, MAX_KLINES).onComplete(ar -> {
            if (ar.failed()) {
                done.fail(ar.cause());
                return;
            }
            List<Kline> page = ar.result();
            if (page.isEmpty()) {
                done.complete(count);
                return;
            }
            try {
                onPage.accept(page);
            } catch (RuntimeException e) {
                done.fail(e);
                return;
            }
            long last = page.get(page.size() - 1).openTimeMs();
            if (last < from) {
                done.fail(new BinanceFormatException(BinanceEndpoint.KLINES, symbol + ": a page starting at "
                        + from + " ended at " + last + " (not moving forward)"));
                return;
            }
            nextPage(symbol, interval, intervalMs, last + intervalMs, endMs, onPage, count + page.size(), done);
        });
    }

    /** Milliseconds of a Binance kline interval ({@code 1s, 1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h, 12h, 1d, 3d, 1w}). */
    public static long intervalMs(String interval) {
        if (interval == null || interval.length() < 2) {
            throw new IllegalArgumentException("not a kline interval: '" + interval + "'");
        }
        char unit = interval.charAt(interval.length() - 1);
        long n;
        try {
            n = Long.parseLong(interval.substring(0, interval.length() - 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a kline interval: '" + interval + "'");
        }
        long unitMs = switch (unit) {
            case 's' -> 1_000L;
            case 'm' -> 60_000L;
            case 'h' -> 3_600_000L;
            case 'd' -> 86_400_000L;
            case 'w' -> 7 * 86_400_000L;
            default -> throw new IllegalArgumentException("not a kline interval (1M has no fixed length): '" + interval + "'");
        };
        if (n <= 0) {
            throw new IllegalArgumentException("not a kline interval: '" + interval + "'");
        }
        return n * unitMs;
    }

    // ------------------------------------------------------------------ signed: orders and account

    /**
     * {@code POST /api/v3/order} with {@code newOrderRespType=FULL} added unless given: the parameters in
     * order (symbol, side, type, quantity or quoteOrderQty, price, timeInForce, stopPrice, newClientOrderId...).
     *
     * @param kind      ENTRY_ORDER or EXIT_ORDER: exits may use the throttle's reserve
     * @param maxWaitMs how long the order may wait for a throttle slot (its validity)
     */
    public Future<OrderResult> newOrder(Map<String, ?> params, OrderThrottle.Kind kind, long maxWaitMs) {
        Map<String, Object> p = new LinkedHashMap<>(params);
        p.putIfAbsent("newOrderRespType", "FULL");
        return http.call(BinanceEndpoint.NEW_ORDER, p, kind, maxWaitMs).map(r -> BinanceJson.orderResult(r.json()));
    }

    /**
     * {@code POST /api/v3/orderList/oco}: a take-profit above and a stop below (for a SELL), as one list.
     * Parameters per rest-api.md ({@code symbol, side, quantity, aboveType, abovePrice, belowType,
     * belowStopPrice, belowPrice, belowTimeInForce, listClientOrderId, aboveClientOrderId, belowClientOrderId...}).
     */
    public Future<OrderList> newOco(Map<String, ?> params, OrderThrottle.Kind kind, long maxWaitMs) {
        Map<String, Object> p = new LinkedHashMap<>(params);
        p.putIfAbsent("newOrderRespType", "FULL");
        return http.call(BinanceEndpoint.NEW_OCO, p, kind, maxWaitMs).map(r -> BinanceJson.orderList(r.json()));
    }

    /**
     * {@code DELETE /api/v3/orderList} by {@code listClientOrderId}. A cancel is not a new order: it does not count
     * against the ORDERS limits (as {@link #cancelOrder}), is queued as a cancel, and a refusal (-2011 when the list
     * has already ended) comes back as the exchange's error, not as an unknown outcome.
     */
    public Future<OrderList> cancelOrderList(String symbol, String listClientOrderId) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("symbol", symbol);
        p.put("listClientOrderId", listClientOrderId);
        return http.call(BinanceEndpoint.CANCEL_ORDER_LIST, p, OrderThrottle.Kind.REQUEST)
                .map(r -> BinanceJson.orderList(r.json()));
    }

    /** {@code GET /api/v3/order} by {@code origClientOrderId}; empty on -2013 (no such order). */
    public Future<Optional<OrderReport>> queryOrder(String symbol, String clientOrderId) {
        return queryOrderBy(symbol, "origClientOrderId", clientOrderId);
    }

    /** {@code GET /api/v3/order} by the exchange's {@code orderId}; empty on -2013. */
    public Future<Optional<OrderReport>> queryOrderById(String symbol, long orderId) {
        return queryOrderBy(symbol, "orderId", orderId);
    }

    private Future<Optional<OrderReport>> queryOrderBy(String symbol, String idParam, Object id) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("symbol", symbol);
        p.put(idParam, id);
        return http.call(BinanceEndpoint.QUERY_ORDER, p, OrderThrottle.Kind.REQUEST)
                .map(r -> Optional.of(BinanceJson.orderReport(r.json(), BinanceEndpoint.QUERY_ORDER)))
                .recover(t -> {
                    if (t instanceof io.aquatrade.exchange.ExchangeException e
                            && e.error().code() == io.aquatrade.exchange.BinanceError.NO_SUCH_ORDER) {
                        return Future.succeededFuture(Optional.empty());
                    }
                    return Future.failedFuture(t);
                });
    }

    /** {@code DELETE /api/v3/order} by {@code origClientOrderId}: the order as it stands after the cancel. */
    public Future<OrderReport> cancelOrder(String symbol, String clientOrderId) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("symbol", symbol);
        p.put("origClientOrderId", clientOrderId);
        // a cancel frees exposure and protects nothing new: it may use the exit reserve
        return http.call(BinanceEndpoint.CANCEL_ORDER, p, OrderThrottle.Kind.REQUEST)
                .map(r -> BinanceJson.orderReport(r.json(), BinanceEndpoint.CANCEL_ORDER));
    }

    /** {@code GET /api/v3/openOrders}: of one symbol, or all when {@code symbol} is null (weight 80). */
    public Future<List<OrderReport>> openOrders(String symbol) {
        Map<String, Object> p = new LinkedHashMap<>();
        if (symbol != null) {
            p.put("symbol", symbol);
        }
        return http.call(BinanceEndpoint.OPEN_ORDERS, p, OrderThrottle.Kind.REQUEST).map(r -> {
            List<OrderReport> out = new ArrayList<>();
            r.json().forEach(o -> out.add(BinanceJson.orderReport(o, BinanceEndpoint.OPEN_ORDERS)));
            return out;
        });
    }

    /** {@code GET /api/v3/account?omitZeroBalances=true}: balances by asset. */
    public Future<Map<String, AssetBalance>> balances() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("omitZeroBalances", "true");
        return http.call(BinanceEndpoint.ACCOUNT, p, OrderThrottle.Kind.REQUEST).map(r -> {
            JsonNode b = r.json().get("balances");
            if (b == null || !b.isArray()) {
                throw new BinanceFormatException(BinanceEndpoint.ACCOUNT, "no balances[] in the answer");
            }
            Map<String, AssetBalance> out = new TreeMap<>();
            b.forEach(x -> {
                AssetBalance ab = new AssetBalance(BinanceJson.requireText(x, "asset", BinanceEndpoint.ACCOUNT),
                        BinanceJson.requireDecimal(x, "free", BinanceEndpoint.ACCOUNT),
                        BinanceJson.requireDecimal(x, "locked", BinanceEndpoint.ACCOUNT));
                if (ab.total().signum() != 0) {
                    out.put(ab.asset(), ab);
                }
            });
            return out;
        });
    }

    /**
     * {@code GET /api/v3/myTrades} with {@code fromId = afterTradeId + 1}, up to 1000 per page, oldest first,
     * paging until a short page: every own trade of the symbol after that id.
     */
    public Future<List<MyTrade>> myTradesSince(String symbol, long afterTradeId) {
        return tradesFrom(symbol, null, afterTradeId + 1);
    }

    /**
     * {@code GET /api/v3/myTrades?orderId=} (weight 5 a page): every trade of one order, by the exchange's order id,
     * oldest first. Pages of 1000 by {@code fromId} (Binance's default page is 500): an order that filled against many
     * makers may have more.
     */
    public Future<List<MyTrade>> tradesOfOrder(String symbol, long orderId) {
        return tradesFrom(symbol, orderId, 0);
    }

    /** Own trades from {@code fromId} on (of one order when {@code orderId} is not null), paging until a short page. */
    private Future<List<MyTrade>> tradesFrom(String symbol, Long orderId, long fromId) {
        Promise<List<MyTrade>> done = Promise.promise();
        tradesPage(symbol, orderId, fromId, new ArrayList<>(), done);
        return done.future();
    }

    private void tradesPage(String symbol, Long orderId, long fromId, List<MyTrade> acc, Promise<List<MyTrade>> done) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("symbol", symbol);
        if (orderId != null) {
            p.put("orderId", orderId); // symbol + orderId + fromId is one of the endpoint's documented combinations
        }
        p.put("fromId", Math.max(0, fromId));
        p.put("limit", MAX_TRADES);
        http.call(BinanceEndpoint.MY_TRADES, p, OrderThrottle.Kind.REQUEST).onComplete(ar -> {
            if (ar.failed()) {
                done.fail(ar.cause());
                return;
            }
            JsonNode n = ar.result().json();
            long last = fromId - 1;
            for (JsonNode t : n) {
                MyTrade f = BinanceJson.myTrade(t);
                if (f.id() >= fromId) {
                    acc.add(f);
                    last = Math.max(last, f.id());
                }
            }
            if (n.size() >= MAX_TRADES) {
                tradesPage(symbol, orderId, last + 1, acc, done);
            } else {
                done.complete(acc);
            }
        });
    }

    private static String jsonArray(List<String> symbols) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < symbols.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append('"').append(symbols.get(i)).append('"');
        }
        return sb.append(']').toString();
    }

    static BigDecimal zeroIfNull(BigDecimal d) {
        return d == null ? BigDecimal.ZERO : d;
    }
}
