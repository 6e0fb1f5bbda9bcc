package io.aquatrade.exchange.binance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aquatrade.exchange.binance.LocalBinanceServer.Answer;
import io.aquatrade.exchange.binance.LocalBinanceServer.ExchangeError;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import static io.aquatrade.exchange.binance.LocalBinanceServer.JSON;
import static io.aquatrade.exchange.binance.LocalBinanceServer.dec;

/**
 * The matching side of {@link LocalBinanceServer}: one account's balances, a book and a last traded price per
 * symbol, and Binance's order types as rest-api.md, errors.md and user-data-stream.md describe them (BINANCE-NOTES.md).
 *
 * <p><b>Orders.</b> MARKET orders fill at once at the ask (BUY) or bid (SELL), optionally in several trades
 * ({@link #nextMarketOrderFillsIn}); a {@code quoteOrderQty} BUY never spends more than asked and EXPIRES the rest.
 * Resting orders stay on the book until they fill, are cancelled, or expire, whether or not any client is connected
 * (the bot may be down):
 * <ul>
 *   <li>{@code LIMIT} (GTC): a limit that crosses the book on arrival takes at the book's price (taker); otherwise it
 *       rests and fills at its own price (maker) when a trade prints at or through it, or the opposite side of the
 *       book reaches it, as much as that trade or book level holds (so a resting order may fill in parts:
 *       {@code PARTIALLY_FILLED}, then {@code FILLED});</li>
 *   <li>{@code LIMIT_MAKER}: as LIMIT, but one that would cross on arrival is refused -2010
 *       "Order would immediately match and take.";</li>
 *   <li>{@code STOP_LOSS_LIMIT}: not on the book ({@code isWorking=false}, executionReport {@code w=false}) until the
 *       last traded price reaches {@code stopPrice} (SELL: at or below, BUY: at or above); then its limit enters the
 *       book: it takes at the trade that triggered it when that price is not beyond its limit, else rests at its limit.
 *       A stop that would trigger at once is refused -2010 "Order would trigger immediately.";</li>
 *   <li>{@code POST /api/v3/orderList/oco}: SELL with {@code aboveType=LIMIT_MAKER} and {@code belowType=STOP_LOSS_LIMIT}
 *       (the protective shape; other combinations -1106 here). Refused -2010 "The relationship of the prices for the
 *       orders is not correct." unless {@code abovePrice} &gt; last traded price &gt; {@code belowStopPrice}; -2010
 *       "OCO orders are not supported for this symbol." where exchangeInfo's {@code ocoAllowed} is false; filters on
 *       both legs (-1013); the quantity is locked once for the list. It adds two orders to the order count. When one
 *       leg is activated (the stop triggers, or the take-profit trades at all) the other EXPIRES and the list is
 *       {@code ALL_DONE} ({@code listStatus}); cancelling either leg ({@code DELETE /api/v3/order}) or the list
 *       ({@code DELETE /api/v3/orderList}) cancels both.</li>
 * </ul>
 * What an open order may spend is {@code locked} (account and {@code outboundAccountPosition}) until it fills, is
 * cancelled or expires. Every change goes to the user data stream as {@code executionReport} (NEW, TRADE with trade
 * id {@code t}, commission {@code n}/{@code N}, list id {@code g}; CANCELED, EXPIRED), {@code outboundAccountPosition},
 * {@code balanceUpdate} and {@code listStatus}; trades are in {@code GET /api/v3/myTrades} (with their
 * {@code orderListId}).
 *
 * <p><b>Prices.</b> The market moves by test control ({@link #setBook}, {@link #trade}, {@link #bar}) or by replaying
 * real captured {@code @trade} / {@code @aggTrade} / {@code @bookTicker} messages ({@link #replay}). A move whose path
 * within the step is unknown ({@link #bar}) is taken conservatively, like the simulator: the fall first, so a bar
 * that reaches both legs of a SELL OCO fills the stop and the take-profit EXPIRES.
 *
 * <p>Also: LOT_SIZE / PRICE_FILTER / (MIN_)NOTIONAL checks from the served exchangeInfo (-1013), balance checks
 * (-2010), duplicate open client order ids (-2010), the ORDERS limit per 10 s (-1015). Answers use the documented
 * FULL response shape.
 */
public final class LocalExchange {

    private record SymbolSpec(String base, String quote, BigDecimal minQty, BigDecimal stepSize, BigDecimal tickSize,
                              BigDecimal minNotional, String notionalFilter, boolean ocoAllowed) {
    }

    /** What an open order holds locked: its own, or one for both legs of an OCO list. */
    static final class Lock {
        final String asset;
        BigDecimal amount;

        Lock(String asset, BigDecimal amount) {
            this.asset = asset;
            this.amount = amount;
        }
    }

    /** An order on the exchange. */
    static final class Order {
        String symbol;
        long orderId;
        long orderListId = -1;
        String clientOrderId;
        String side;
        String type;
        String timeInForce = "GTC";
        BigDecimal origQty;
        BigDecimal origQuoteOrderQty = BigDecimal.ZERO;
        BigDecimal price = BigDecimal.ZERO;
        BigDecimal stopPrice = BigDecimal.ZERO;
        BigDecimal executedQty = BigDecimal.ZERO;
        BigDecimal cumQuote = BigDecimal.ZERO;
        String status = "NEW";
        boolean triggered;
        long time;
        long updateTime;
        /** When the order went on the book; -1 while a stop waits for its trigger. */
        long workingTime = -1;
        Lock lock;

        boolean open() {
            return status.equals("NEW") || status.equals("PARTIALLY_FILLED");
        }

        boolean isStop() {
            return type.equals("STOP_LOSS_LIMIT") || type.equals("TAKE_PROFIT_LIMIT");
        }

        /** On the book: open, and not a stop still waiting for its trigger. */
        boolean working() {
            return open() && (!isStop() || triggered);
        }

        boolean sell() {
            return side.equals("SELL");
        }

        BigDecimal remaining() {
            return origQty.subtract(executedQty);
        }
    }

    /** One own trade. */
    record Trade(String symbol, long id, long orderId, long orderListId, BigDecimal price, BigDecimal qty,
                 BigDecimal quoteQty, BigDecimal commission, String commissionAsset, long time, boolean isBuyer,
                 boolean isMaker) {
    }

    private final LocalBinanceServer server;
    private final Map<String, SymbolSpec> symbols = new HashMap<>();
    private final Map<String, BigDecimal[]> book = new HashMap<>();
    private final Map<String, BigDecimal> lastPrice = new HashMap<>();
    private final Map<String, BigDecimal[]> balances = new TreeMap<>();
    private final Map<Long, Order> orders = new LinkedHashMap<>();
    private final List<Trade> trades = new ArrayList<>();
    private final Map<Long, List<Long>> lists = new HashMap<>();
    private final Map<Long, String> listClientIds = new HashMap<>();
    private final Map<Long, String> listStatusTypes = new HashMap<>();
    private final List<Long> orderTimes = new ArrayList<>();
    private Consumer<ObjectNode> userEvents = e -> { };
    private final List<ObjectNode> emitted = new ArrayList<>();
    private long nextOrderId = 1000;
    private long nextTradeId = 50_000;
    private long nextListId = 1;
    private BigDecimal commissionRate = new BigDecimal("0.001");
    /** When set, commission is paid in this asset (BNB), valued at {@link #commissionAssetPrice} quote per unit. */
    private String commissionAsset;
    private BigDecimal commissionAssetPrice;
    private int nextMarketFills = 1;
    private int ordersPer10s = 100;

    LocalExchange(LocalBinanceServer server) {
        this.server = server;
    }

    synchronized void onUserEvent(Consumer<ObjectNode> sink) {
        this.userEvents = sink;
    }

    /** Every user data event goes to the stream (as it would to any subscriber) and into the exchange's own log. */
    private void emit(ObjectNode e) {
        emitted.add(e);
        userEvents.accept(e);
    }

    /** The user data events of one type ({@code executionReport}, {@code listStatus}, ...) sent so far, oldest first. */
    public synchronized List<ObjectNode> userEvents(String type) {
        return emitted.stream().filter(e -> e.path("e").asText().equals(type)).map(ObjectNode::deepCopy).toList();
    }

    synchronized void useExchangeInfo(String json) {
        try {
            for (JsonNode s : JSON.readTree(json).get("symbols")) {
                BigDecimal minQty = BigDecimal.ZERO;
                BigDecimal step = BigDecimal.ZERO;
                BigDecimal tick = BigDecimal.ZERO;
                BigDecimal minNotional = BigDecimal.ZERO;
                String notionalFilter = "NOTIONAL";
                for (JsonNode f : s.get("filters")) {
                    switch (f.get("filterType").asText()) {
                        case "LOT_SIZE" -> {
                            minQty = new BigDecimal(f.get("minQty").asText());
                            step = new BigDecimal(f.get("stepSize").asText());
                        }
                        case "PRICE_FILTER" -> tick = new BigDecimal(f.get("tickSize").asText());
                        case "NOTIONAL", "MIN_NOTIONAL" -> {
                            minNotional = new BigDecimal(f.get("minNotional").asText());
                            notionalFilter = f.get("filterType").asText();
                        }
                        default -> { }
                    }
                }
                symbols.put(s.get("symbol").asText(), new SymbolSpec(s.get("baseAsset").asText(), s.get("quoteAsset").asText(),
                        minQty, step, tick, minNotional, notionalFilter, s.path("ocoAllowed").asBoolean(false)));
            }
        } catch (Exception e) {
            throw new IllegalArgumentException("exchangeInfo for the local exchange: " + e, e);
        }
    }

    // ------------------------------------------------------------------ test controls

    /** Sets the account's free balance of an asset (as if it had always been so; no event). */
    public synchronized void setBalance(String asset, String free) {
        balances.put(asset, new BigDecimal[] {new BigDecimal(free), BigDecimal.ZERO});
    }

    public synchronized BigDecimal free(String asset) {
        BigDecimal[] b = balances.get(asset);
        return b == null ? BigDecimal.ZERO : b[0];
    }

    public synchronized List<String> assets() {
        return List.copyOf(balances.keySet());
    }

    public synchronized BigDecimal locked(String asset) {
        BigDecimal[] b = balances.get(asset);
        return b == null ? BigDecimal.ZERO : b[1];
    }

    /** A deposit or a manual transfer: the balance moves and a {@code balanceUpdate} event goes out. */
    public synchronized void deposit(String asset, String delta) {
        BigDecimal d = new BigDecimal(delta);
        balance(asset)[0] = balance(asset)[0].add(d);
        ObjectNode e = event("balanceUpdate");
        e.put("a", asset);
        e.put("d", d.toPlainString());
        e.put("T", server.serverTimeMs());
        emit(e);
        accountPosition(List.of(asset));
    }

    /** Commission rate (taker and maker), and the asset it is paid in: null for Binance's default (what is received). */
    public synchronized void commission(String rate, String asset, String assetPriceInQuote) {
        this.commissionRate = new BigDecimal(rate);
        this.commissionAsset = asset;
        this.commissionAssetPrice = assetPriceInQuote == null ? null : new BigDecimal(assetPriceInQuote);
    }

    /** The account's unfilled-order limit per 10 s (exchangeInfo ORDERS; Binance: 100); beyond it: 429 with -1015. */
    public synchronized void ordersPer10s(int limit) {
        this.ordersPer10s = limit;
    }

    /** The next MARKET order fills in this many trades (partial fills), at prices one tick apart. */
    public synchronized void nextMarketOrderFillsIn(int trades) {
        this.nextMarketFills = trades;
    }

    /**
     * Moves the book. When the last traded price is outside the new book, the market traded there on the way:
     * down to the new bid (a fall) or up to the new ask (a rise), which may trigger stops; then resting orders the
     * new book reaches fill (the book's size is taken as deep enough). The first book of a symbol sets its last
     * price to the bid.
     */
    public synchronized void setBook(String symbol, String bid, String ask) {
        BigDecimal b = new BigDecimal(bid);
        BigDecimal a = new BigDecimal(ask);
        BigDecimal last = lastPrice.get(symbol);
        book.put(symbol, new BigDecimal[] {b, a});
        if (last == null || last.compareTo(a) > 0) {
            print(symbol, b, null);
        } else if (last.compareTo(b) < 0) {
            print(symbol, a, null);
        }
        quote(symbol, b, null, a, null);
        pendingFills.clear(); // fills of resting orders reach the client through the user stream only
    }

    /** Someone else's trade: the last price moves to it, stops trigger, resting orders at or through it fill up to {@code qty}. */
    public synchronized void trade(String symbol, String price, String qty) {
        print(symbol, new BigDecimal(price), qty == null ? null : new BigDecimal(qty));
        pendingFills.clear();
    }

    /**
     * A step whose path is unknown (a candle): open, low, high, close, traded through continuously, the fall first
     * (the conservative order for protective SELLs: a bar reaching both legs of an OCO fills the stop). Every stop
     * or limit price passed on the way prints; the book ends one tick around the close.
     */
    public synchronized void bar(String symbol, String open, String high, String low, String close) {
        List<BigDecimal> path = List.of(new BigDecimal(open), new BigDecimal(low), new BigDecimal(high), new BigDecimal(close));
        BigDecimal at = lastPrice.getOrDefault(symbol, path.get(0));
        for (BigDecimal to : path) {
            for (BigDecimal level : levelsBetween(symbol, at, to)) {
                print(symbol, level, null);
            }
            print(symbol, to, null);
            at = to;
        }
        BigDecimal tick = spec(symbol).tickSize.signum() == 0 ? new BigDecimal("0.00000001") : spec(symbol).tickSize;
        BigDecimal c = path.get(3);
        book.put(symbol, new BigDecimal[] {c, c.add(tick)});
        pendingFills.clear();
    }

    /**
     * Replays captured market messages (the combined-stream JSON of {@link LocalMarketStreams#readCapture}) into the
     * exchange, in order: {@code @trade} and {@code @aggTrade} print (price {@code p}, quantity {@code q}),
     * {@code @bookTicker} moves the book (bid {@code b}/{@code B}, ask {@code a}/{@code A}); other streams are ignored.
     */
    public synchronized void replay(List<LocalMarketStreams.Captured> capture) {
        try {
            for (LocalMarketStreams.Captured c : capture) {
                JsonNode d = JSON.readTree(c.json()).path("data");
                String symbol = d.path("s").asText();
                if (!symbols.containsKey(symbol)) {
                    continue;
                }
                if (c.stream().endsWith("@trade") || c.stream().endsWith("@aggTrade")) {
                    print(symbol, new BigDecimal(d.get("p").asText()), new BigDecimal(d.get("q").asText()));
                } else if (c.stream().endsWith("@bookTicker")) {
                    BigDecimal b = new BigDecimal(d.get("b").asText());
                    BigDecimal a = new BigDecimal(d.get("a").asText());
                    book.put(symbol, new BigDecimal[] {b, a});
                    quote(symbol, b, new BigDecimal(d.get("B").asText()), a, new BigDecimal(d.get("A").asText()));
                }
            }
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("captured market message: " + e, e);
        }
        pendingFills.clear();
    }

    /** The symbol's last traded price (own trades included), or null before any. */
    public synchronized BigDecimal lastPrice(String symbol) {
        return lastPrice.get(symbol);
    }

    public synchronized List<Trade> trades() {
        return List.copyOf(trades);
    }

    /** Orders placed, in order (all statuses). */
    public synchronized List<Order> orders() {
        return List.copyOf(orders.values());
    }

    /** The order with this client order id (the latest), or null. */
    public synchronized Order order(String clientOrderId) {
        Order found = null;
        for (Order o : orders.values()) {
            if (o.clientOrderId.equals(clientOrderId)) {
                found = o;
            }
        }
        return found;
    }

    public synchronized long ordersWithClientId(String clientOrderId) {
        return orders.values().stream().filter(o -> o.clientOrderId.equals(clientOrderId)).count();
    }

    // ------------------------------------------------------------------ REST handlers

    synchronized Answer newOrder(Map<String, String> p) {
        long now = server.serverTimeMs();
        checkOrderRate(now, 1);
        SymbolSpec spec = spec(p.get("symbol"));
        String side = require(p, "side");
        String type = require(p, "type");
        if (!side.equals("BUY") && !side.equals("SELL")) {
            throw new ExchangeError(400, -1102, "Mandatory parameter 'side' was not sent, was empty/null, or malformed.");
        }
        String clientId = clientId(p, "newClientOrderId", "x-" + Long.toString(nextOrderId, 36));
        checkNotDuplicate(p.get("symbol"), clientId);
        Order o = new Order();
        o.symbol = p.get("symbol");
        o.clientOrderId = clientId;
        o.side = side;
        o.type = type;
        o.time = now;
        o.updateTime = now;
        BigDecimal[] b = book.get(o.symbol);
        switch (type) {
            case "MARKET" -> {
                if (b == null) {
                    throw new ExchangeError(400, -2010, "Market is closed.");
                }
                BigDecimal qty = dec(p, "quantity");
                BigDecimal quote = dec(p, "quoteOrderQty");
                if ((qty == null) == (quote == null)) {
                    throw new ExchangeError(400, -1102, "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!");
                }
                BigDecimal px = side.equals("BUY") ? b[1] : b[0];
                if (quote != null) {
                    o.origQuoteOrderQty = quote;
                    qty = spec.stepSize.signum() == 0 ? quote.divide(px, 8, RoundingMode.DOWN)
                            : quote.divide(px, 20, RoundingMode.DOWN).divide(spec.stepSize, 0, RoundingMode.DOWN).multiply(spec.stepSize);
                }
                checkLot(spec, qty);
                checkNotional(spec, qty.multiply(px));
                checkFunds(spec, side, qty, px);
                o.origQty = qty;
                place(o, null);
                fillMarket(o, spec, px);
            }
            case "LIMIT", "LIMIT_MAKER", "STOP_LOSS_LIMIT", "TAKE_PROFIT_LIMIT" -> {
                BigDecimal qty = dec(p, "quantity");
                BigDecimal price = dec(p, "price");
                if (qty == null || price == null) {
                    throw new ExchangeError(400, -1102, "Mandatory parameter '" + (qty == null ? "quantity" : "price")
                            + "' was not sent, was empty/null, or malformed.");
                }
                if (!type.equals("LIMIT_MAKER") && p.get("timeInForce") == null) {
                    throw new ExchangeError(400, -1102, "Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed.");
                }
                if (type.endsWith("_LIMIT") && p.get("stopPrice") == null) {
                    throw new ExchangeError(400, -1102, "Mandatory parameter 'stopPrice' was not sent, was empty/null, or malformed.");
                }
                checkPrice(spec, price);
                checkLot(spec, qty);
                checkNotional(spec, qty.multiply(price));
                o.origQty = qty;
                o.price = price;
                o.timeInForce = type.equals("LIMIT_MAKER") ? "GTC" : p.get("timeInForce");
                o.stopPrice = dec(p, "stopPrice") == null ? BigDecimal.ZERO : dec(p, "stopPrice");
                if (o.isStop()) {
                    checkPrice(spec, o.stopPrice);
                }
                if (type.equals("LIMIT_MAKER") && b != null && crossesBook(o, b)) {
                    throw new ExchangeError(400, -2010, "Order would immediately match and take.");
                }
                if (type.equals("STOP_LOSS_LIMIT") && stopReached(o, lastPrice.get(o.symbol))) {
                    throw new ExchangeError(400, -2010, "Order would trigger immediately.");
                }
                checkFunds(spec, side, qty, price);
                place(o, newLock(spec, o));
                if (!o.isStop()) {
                    goOnBook(o, spec, b == null ? null : o.sell() ? b[0] : b[1]);
                }
            }
            default -> throw new ExchangeError(400, -1116, "Invalid orderType.");
        }
        return new Answer(200, fullResponse(o).toString(), orderCountHeaders(now));
    }

    synchronized Answer newOco(Map<String, String> p) {
        long now = server.serverTimeMs();
        checkOrderRate(now, 2); // an OCO adds two orders to the order count
        SymbolSpec spec = spec(p.get("symbol"));
        String side = require(p, "side");
        BigDecimal qty = dec(p, "quantity");
        if (qty == null) {
            throw new ExchangeError(400, -1102, "Mandatory parameter 'quantity' was not sent, was empty/null, or malformed.");
        }
        String aboveType = require(p, "aboveType");
        String belowType = require(p, "belowType");
        if (!side.equals("SELL") || !aboveType.equals("LIMIT_MAKER") || !belowType.equals("STOP_LOSS_LIMIT")) {
            throw new ExchangeError(400, -1106, "this local exchange supports SELL OCOs of LIMIT_MAKER above and STOP_LOSS_LIMIT below");
        }
        BigDecimal abovePrice = dec(p, "abovePrice");
        BigDecimal belowStop = dec(p, "belowStopPrice");
        BigDecimal belowPrice = dec(p, "belowPrice");
        if (abovePrice == null) {
            throw new ExchangeError(400, -1102, "Mandatory parameter 'abovePrice' was not sent, was empty/null, or malformed.");
        }
        if (belowStop == null) {
            throw new ExchangeError(400, -1102, "Mandatory parameter 'belowStopPrice' was not sent, was empty/null, or malformed.");
        }
        if (belowPrice == null || p.get("belowTimeInForce") == null) {
            throw new ExchangeError(400, -1102, "Mandatory parameter '" + (belowPrice == null ? "belowPrice" : "belowTimeInForce")
                    + "' was not sent, was empty/null, or malformed.");
        }
        if (!spec.ocoAllowed) {
            throw new ExchangeError(400, -2010, "OCO orders are not supported for this symbol.");
        }
        String listClientId = clientId(p, "listClientOrderId", "list-" + nextListId);
        String aboveId = clientId(p, "aboveClientOrderId", "above-" + nextListId);
        String belowId = clientId(p, "belowClientOrderId", "below-" + nextListId);
        if (listClientIds.entrySet().stream().anyMatch(e -> e.getValue().equals(listClientId)
                && lists.get(e.getKey()).stream().anyMatch(id -> orders.get(id).open()))) {
            throw new ExchangeError(400, -2010, "Duplicate order sent.");
        }
        checkNotDuplicate(p.get("symbol"), aboveId);
        checkNotDuplicate(p.get("symbol"), belowId);
        checkPrice(spec, abovePrice);
        checkPrice(spec, belowStop);
        checkPrice(spec, belowPrice);
        checkLot(spec, qty);
        checkNotional(spec, qty.multiply(abovePrice));
        checkNotional(spec, qty.multiply(belowPrice));
        BigDecimal last = lastPrice.get(p.get("symbol"));
        // SELL: the take-profit above the last traded price, the stop below it
        if (last == null || abovePrice.compareTo(last) <= 0 || belowStop.compareTo(last) >= 0) {
            throw new ExchangeError(400, -2010, "The relationship of the prices for the orders is not correct.");
        }
        if (free(spec.base).compareTo(qty) < 0) {
            throw new ExchangeError(400, -2010, "Account has insufficient balance for requested action.");
        }
        long listId = nextListId++;
        Order above = new Order();
        above.symbol = p.get("symbol");
        above.orderListId = listId;
        above.clientOrderId = aboveId;
        above.side = side;
        above.type = aboveType;
        above.origQty = qty;
        above.price = abovePrice;
        above.time = now;
        above.updateTime = now;
        Order below = new Order();
        below.symbol = above.symbol;
        below.orderListId = listId;
        below.clientOrderId = belowId;
        below.side = side;
        below.type = belowType;
        below.origQty = qty;
        below.price = belowPrice;
        below.stopPrice = belowStop;
        below.timeInForce = p.get("belowTimeInForce");
        below.time = now;
        below.updateTime = now;
        // both legs share one lock of the base asset: Binance locks the list's quantity once
        Lock lock = newLock(spec, below);
        listClientIds.put(listId, listClientId);
        listStatusTypes.put(listId, "EXEC_STARTED");
        place(below, lock);
        place(above, lock);
        lists.put(listId, List.of(below.orderId, above.orderId));
        listStatus(listId, "EXEC_STARTED", "EXECUTING");
        ObjectNode r = listResponse(listId, "EXEC_STARTED", "EXECUTING", now);
        return new Answer(200, r.toString(), orderCountHeaders(now));
    }

    synchronized Answer cancelOrderList(Map<String, String> p) {
        Long listId = null;
        if (p.containsKey("orderListId")) {
            listId = Long.parseLong(p.get("orderListId"));
        } else if (p.containsKey("listClientOrderId")) {
            for (var e : listClientIds.entrySet()) {
                if (e.getValue().equals(p.get("listClientOrderId"))) {
                    listId = e.getKey();
                }
            }
        } else {
            throw new ExchangeError(400, -1102, "Param 'orderListId' or 'listClientOrderId' must be sent, but both were empty/null!");
        }
        if (listId == null || !lists.containsKey(listId)
                || !orders.get(lists.get(listId).get(0)).symbol.equals(p.get("symbol"))
                || lists.get(listId).stream().noneMatch(id -> orders.get(id).open())) {
            throw new ExchangeError(400, -2011, "Unknown order sent.");
        }
        cancelList(listId);
        return Answer.ok(listResponse(listId, "ALL_DONE", "ALL_DONE", server.serverTimeMs()).toString());
    }

    synchronized Answer queryOrder(Map<String, String> p) {
        Order o = find(p);
        if (o == null) {
            throw new ExchangeError(400, -2013, "Order does not exist.");
        }
        return Answer.ok(queryJson(o).toString());
    }

    synchronized Answer cancelOrder(Map<String, String> p) {
        Order o = find(p);
        if (o == null || !o.open()) {
            throw new ExchangeError(400, -2011, "Unknown order sent.");
        }
        if (o.orderListId >= 0) {
            cancelList(o.orderListId); // cancelling one leg of an order list cancels the whole list
        } else {
            finish(o, "CANCELED", "CANCELED");
        }
        ObjectNode n = orderJson(o);
        n.put("origClientOrderId", o.clientOrderId);
        n.put("clientOrderId", p.getOrDefault("newClientOrderId", "cancel-" + o.orderId));
        n.put("transactTime", server.serverTimeMs());
        return Answer.ok(n.toString());
    }

    synchronized Answer openOrders(Map<String, String> p) {
        ArrayNode a = JSON.createArrayNode();
        for (Order o : orders.values()) {
            if (o.open() && (p.get("symbol") == null || p.get("symbol").equals(o.symbol))) {
                a.add(queryJson(o));
            }
        }
        return Answer.ok(a.toString());
    }

    synchronized Answer account(Map<String, String> p) {
        ObjectNode n = JSON.createObjectNode();
        n.put("makerCommission", 10);
        n.put("takerCommission", 10);
        n.put("canTrade", true);
        n.put("canWithdraw", false);
        n.put("canDeposit", true);
        n.put("updateTime", server.serverTimeMs());
        n.put("accountType", "SPOT");
        ArrayNode bs = n.putArray("balances");
        boolean omitZero = "true".equals(p.get("omitZeroBalances"));
        balances.forEach((asset, v) -> {
            if (omitZero && v[0].signum() == 0 && v[1].signum() == 0) {
                return;
            }
            ObjectNode x = bs.addObject();
            x.put("asset", asset);
            x.put("free", v[0].toPlainString());
            x.put("locked", v[1].toPlainString());
        });
        n.putArray("permissions").add("SPOT");
        return Answer.ok(n.toString());
    }

    synchronized Answer myTrades(Map<String, String> p) {
        String symbol = require(p, "symbol");
        long fromId = p.containsKey("fromId") ? Long.parseLong(p.get("fromId")) : Long.MIN_VALUE;
        Long orderId = p.containsKey("orderId") ? Long.parseLong(p.get("orderId")) : null;
        int limit = p.containsKey("limit") ? Math.min(1000, Integer.parseInt(p.get("limit"))) : 500;
        ArrayNode a = JSON.createArrayNode();
        for (Trade t : trades) {
            if (!t.symbol().equals(symbol) || t.id() < fromId || (orderId != null && t.orderId() != orderId)) {
                continue;
            }
            if (a.size() == limit) {
                break;
            }
            ObjectNode n = a.addObject();
            n.put("symbol", t.symbol());
            n.put("id", t.id());
            n.put("orderId", t.orderId());
            n.put("orderListId", t.orderListId());
            n.put("price", t.price().toPlainString());
            n.put("qty", t.qty().toPlainString());
            n.put("quoteQty", t.quoteQty().toPlainString());
            n.put("commission", t.commission().toPlainString());
            n.put("commissionAsset", t.commissionAsset());
            n.put("time", t.time());
            n.put("isBuyer", t.isBuyer());
            n.put("isMaker", t.isMaker());
            n.put("isBestMatch", true);
        }
        return Answer.ok(a.toString());
    }

    // ------------------------------------------------------------------ placing and ending orders

    private Lock newLock(SymbolSpec spec, Order o) {
        return o.sell() ? new Lock(spec.base, o.origQty) : new Lock(spec.quote, o.origQty.multiply(o.price));
    }

    /** Accepts the order: an id, the order count, its lock moved from free to locked (once for a list), the NEW report. */
    private void place(Order o, Lock lock) {
        o.orderId = nextOrderId++;
        if (lock != null && orders.values().stream().noneMatch(x -> x.lock == lock)) {
            BigDecimal[] bal = balance(lock.asset);
            bal[0] = bal[0].subtract(lock.amount);
            bal[1] = bal[1].add(lock.amount);
        }
        o.lock = lock;
        orders.put(o.orderId, o);
        orderTimes.add(o.time);
        if (!o.isStop()) {
            o.workingTime = o.time;
        }
        executionReport(o, "NEW", null);
        if (lock != null) {
            accountPosition(List.of(lock.asset));
        }
    }

    /** Ends an open order without a trade; what it held locked goes back to free unless a sibling still holds it. */
    private void finish(Order o, String execType, String status) {
        o.status = status;
        o.updateTime = server.serverTimeMs();
        executionReport(o, execType, null);
        release(o);
    }

    private void release(Order o) {
        Lock lock = o.lock;
        if (lock == null || lock.amount.signum() == 0) {
            return;
        }
        boolean stillHeld = orders.values().stream().anyMatch(x -> x != o && x.lock == lock && x.open());
        if (!stillHeld) {
            BigDecimal[] bal = balance(lock.asset);
            bal[1] = bal[1].subtract(lock.amount);
            bal[0] = bal[0].add(lock.amount);
            lock.amount = BigDecimal.ZERO;
            accountPosition(List.of(lock.asset));
        }
    }

    private void cancelList(long listId) {
        for (long id : lists.get(listId)) {
            Order leg = orders.get(id);
            if (leg.open()) {
                finish(leg, "CANCELED", "CANCELED");
            }
        }
        endList(listId);
    }

    /** One leg of the list was activated (its stop triggered, or it traded): the other legs expire; the list is done. */
    private void activate(Order o) {
        if (o.orderListId < 0 || "ALL_DONE".equals(listStatusTypes.get(o.orderListId))) {
            return;
        }
        for (long id : lists.get(o.orderListId)) {
            Order other = orders.get(id);
            if (other != o && other.open()) {
                finish(other, "EXPIRED", "EXPIRED");
            }
        }
        endList(o.orderListId);
    }

    private void endList(long listId) {
        if (!"ALL_DONE".equals(listStatusTypes.get(listId))) {
            listStatusTypes.put(listId, "ALL_DONE");
            listStatus(listId, "ALL_DONE", "ALL_DONE");
        }
    }

    // ------------------------------------------------------------------ matching

    private void fillMarket(Order o, SymbolSpec spec, BigDecimal px) {
        int n = Math.max(1, nextMarketFills);
        nextMarketFills = 1;
        BigDecimal remaining = o.origQty;
        BigDecimal step = spec.stepSize.signum() == 0 ? new BigDecimal("0.00000001") : spec.stepSize;
        BigDecimal part = o.origQty.divide(BigDecimal.valueOf(n), 20, RoundingMode.DOWN).divide(step, 0, RoundingMode.DOWN).multiply(step);
        BigDecimal lastFill = null;
        for (int i = 0; i < n && remaining.signum() > 0; i++) {
            BigDecimal q = i == n - 1 || part.signum() == 0 ? remaining : part;
            BigDecimal tick = spec.tickSize.signum() == 0 ? BigDecimal.ZERO : spec.tickSize.multiply(BigDecimal.valueOf(i));
            BigDecimal p = o.side.equals("BUY") ? px.add(tick) : px.subtract(tick);
            if (o.origQuoteOrderQty.signum() > 0 && o.side.equals("BUY")) {
                // never spend more than quoteOrderQty: later, dearer trades get what is left
                BigDecimal left = o.origQuoteOrderQty.subtract(o.cumQuote);
                BigDecimal affordable = left.divide(p, 20, RoundingMode.DOWN).divide(step, 0, RoundingMode.DOWN).multiply(step);
                q = q.min(affordable);
                if (q.signum() <= 0) {
                    break;
                }
            }
            trade(o, spec, p, q, false);
            lastFill = p;
            remaining = remaining.subtract(q);
        }
        if (o.open()) {
            // quote ran out before the quantity: Binance expires the rest of a quoteOrderQty MARKET order
            finish(o, "EXPIRED", "EXPIRED");
        }
        if (lastFill != null) {
            print(o.symbol, lastFill, BigDecimal.ZERO); // an own trade moves the last price too (and may trigger stops)
        }
    }

    /** A limit order enters the book: it takes at once at {@code opposite} (the best price it crosses), or rests. */
    private void goOnBook(Order o, SymbolSpec spec, BigDecimal opposite) {
        o.workingTime = server.serverTimeMs();
        if (opposite != null && (o.sell() ? opposite.compareTo(o.price) >= 0 : opposite.compareTo(o.price) <= 0)) {
            lastPrice.put(o.symbol, opposite);
            trade(o, spec, opposite, o.remaining(), false);
        }
    }

    /**
     * A trade on the market at {@code price} for {@code qty} (null: as much as any order needs): the last price moves,
     * stops it reaches trigger (before any limit is looked at), and working limits at or through it fill at their
     * own price, best price first, then oldest, up to the trade's quantity.
     */
    private void print(String symbol, BigDecimal price, BigDecimal qty) {
        lastPrice.put(symbol, price);
        SymbolSpec spec = symbols.get(symbol);
        for (Order o : new ArrayList<>(orders.values())) {
            if (o.symbol.equals(symbol) && o.open() && o.isStop() && !o.triggered && stopReached(o, price)) {
                o.triggered = true;
                activate(o); // a triggered OCO stop ends the take-profit leg
                // its limit enters the book and takes at the trade that triggered it, unless that is beyond the limit
                goOnBook(o, spec, price);
            }
        }
        fillResting(symbol, spec, true, price, qty);
        fillResting(symbol, spec, false, price, qty);
    }

    /** The book moved: working limits the other side now reaches fill at their own price (maker), up to its size. */
    private void quote(String symbol, BigDecimal bid, BigDecimal bidQty, BigDecimal ask, BigDecimal askQty) {
        SymbolSpec spec = symbols.get(symbol);
        fillResting(symbol, spec, true, bid, bidQty);
        fillResting(symbol, spec, false, ask, askQty);
    }

    /**
     * Fills the working limits of one side that a counterparty at {@code price} reaches (a SELL at or below it, a BUY at
     * or above it), at their own price, best first, then oldest, up to {@code qty} in all (null: unlimited).
     */
    private void fillResting(String symbol, SymbolSpec spec, boolean sells, BigDecimal price, BigDecimal qty) {
        List<Order> reached = new ArrayList<>();
        for (Order o : orders.values()) {
            if (o.symbol.equals(symbol) && o.working() && !o.type.equals("MARKET") && o.sell() == sells
                    && (sells ? price.compareTo(o.price) >= 0 : price.compareTo(o.price) <= 0)) {
                reached.add(o);
            }
        }
        reached.sort(Comparator.comparing((Order o) -> sells ? o.price : o.price.negate()).thenComparingLong(o -> o.orderId));
        BigDecimal left = qty;
        for (Order o : reached) {
            if (left != null && left.signum() <= 0) {
                return;
            }
            if (!o.working()) {
                continue; // expired by a sibling that traded in this loop
            }
            BigDecimal q = left == null ? o.remaining() : o.remaining().min(left);
            trade(o, spec, o.price, q, true);
            if (left != null) {
                left = left.subtract(q);
            }
        }
    }

    private static boolean stopReached(Order o, BigDecimal last) {
        return last != null && (o.sell() ? last.compareTo(o.stopPrice) <= 0 : last.compareTo(o.stopPrice) >= 0);
    }

    private static boolean crossesBook(Order o, BigDecimal[] b) {
        return o.sell() ? b[0].compareTo(o.price) >= 0 : b[1].compareTo(o.price) <= 0;
    }

    /** The stop and limit prices of open orders strictly between {@code from} and {@code to}, in the order a move passes them. */
    private List<BigDecimal> levelsBetween(String symbol, BigDecimal from, BigDecimal to) {
        java.util.TreeSet<BigDecimal> levels = new java.util.TreeSet<>();
        for (Order o : orders.values()) {
            if (o.symbol.equals(symbol) && o.open()) {
                for (BigDecimal l : List.of(o.price, o.stopPrice)) {
                    if (l.signum() > 0 && l.compareTo(from.min(to)) > 0 && l.compareTo(from.max(to)) < 0) {
                        levels.add(l);
                    }
                }
            }
        }
        return to.compareTo(from) >= 0 ? List.copyOf(levels) : List.copyOf(levels.descendingSet());
    }

    /** One trade of an order: balances (from its lock when it has one), the fee, the trade, the report, the order's end. */
    private void trade(Order o, SymbolSpec spec, BigDecimal price, BigDecimal qty, boolean maker) {
        long now = server.serverTimeMs();
        BigDecimal quoteQty = price.multiply(qty).setScale(8, RoundingMode.DOWN).stripTrailingZeros();
        if (quoteQty.scale() < 0) {
            quoteQty = quoteQty.setScale(0);
        }
        BigDecimal commission;
        String cAsset;
        if (commissionAsset != null) {
            cAsset = commissionAsset;
            commission = quoteQty.multiply(commissionRate).divide(commissionAssetPrice, 8, RoundingMode.UP);
        } else if (o.side.equals("BUY")) {
            cAsset = spec.base;
            commission = qty.multiply(commissionRate).setScale(8, RoundingMode.UP);
        } else {
            cAsset = spec.quote;
            commission = quoteQty.multiply(commissionRate).setScale(8, RoundingMode.UP);
        }
        BigDecimal[] base = balance(spec.base);
        BigDecimal[] quote = balance(spec.quote);
        if (o.side.equals("BUY")) {
            base[0] = base[0].add(qty);
            if (o.lock != null) {
                BigDecimal fromLock = qty.multiply(o.price);
                quote[1] = quote[1].subtract(fromLock);
                o.lock.amount = o.lock.amount.subtract(fromLock);
                quote[0] = quote[0].add(fromLock.subtract(quoteQty)); // price improvement goes back to free
            } else {
                quote[0] = quote[0].subtract(quoteQty);
            }
        } else {
            quote[0] = quote[0].add(quoteQty);
            if (o.lock != null) {
                base[1] = base[1].subtract(qty);
                o.lock.amount = o.lock.amount.subtract(qty);
            } else {
                base[0] = base[0].subtract(qty);
            }
        }
        BigDecimal[] fee = balance(cAsset);
        fee[0] = fee[0].subtract(commission);
        long tradeId = nextTradeId++;
        trades.add(new Trade(o.symbol, tradeId, o.orderId, o.orderListId, price, qty, quoteQty, commission, cAsset, now,
                o.side.equals("BUY"), maker));
        o.executedQty = o.executedQty.add(qty);
        o.cumQuote = o.cumQuote.add(quoteQty);
        o.updateTime = now;
        o.status = o.executedQty.compareTo(o.origQty) >= 0 ? "FILLED" : "PARTIALLY_FILLED";
        ObjectNode report = executionReport(o, "TRADE", new Object[] {price, qty, quoteQty, commission, cAsset, tradeId, maker});
        pendingFills.computeIfAbsent(o.orderId, k -> new ArrayList<>()).add(report);
        accountPosition(List.of(spec.base, spec.quote, cAsset));
        activate(o); // a leg that trades at all ends the other legs of its list
        if (!o.open()) {
            release(o);
        }
    }

    private final Map<Long, List<ObjectNode>> pendingFills = new HashMap<>();

    // ------------------------------------------------------------------ checks

    private SymbolSpec spec(String symbol) {
        if (symbol == null) {
            throw new ExchangeError(400, -1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
        }
        SymbolSpec s = symbols.get(symbol);
        if (s == null) {
            throw new ExchangeError(400, -1121, "Invalid symbol.");
        }
        return s;
    }

    private static String require(Map<String, String> p, String key) {
        String v = p.get(key);
        if (v == null || v.isEmpty()) {
            throw new ExchangeError(400, -1102, "Mandatory parameter '" + key + "' was not sent, was empty/null, or malformed.");
        }
        return v;
    }

    private static void checkLot(SymbolSpec s, BigDecimal qty) {
        if (qty.signum() <= 0) {
            throw new ExchangeError(400, -1013, "Invalid quantity.");
        }
        if (qty.compareTo(s.minQty) < 0 || (s.stepSize.signum() > 0
                && qty.subtract(s.minQty).remainder(s.stepSize).signum() != 0)) {
            throw new ExchangeError(400, -1013, "Filter failure: LOT_SIZE");
        }
    }

    private static void checkPrice(SymbolSpec s, BigDecimal price) {
        if (price.signum() <= 0) {
            throw new ExchangeError(400, -1013, "Invalid price.");
        }
        if (s.tickSize.signum() > 0 && price.remainder(s.tickSize).signum() != 0) {
            throw new ExchangeError(400, -1013, "Filter failure: PRICE_FILTER");
        }
    }

    private static void checkNotional(SymbolSpec s, BigDecimal notional) {
        if (notional.compareTo(s.minNotional) < 0) {
            throw new ExchangeError(400, -1013, "Filter failure: " + s.notionalFilter);
        }
    }

    private void checkOrderRate(long now, int orders) {
        long inWindow = orderTimes.stream().filter(t -> t > now - 10_000).count();
        if (inWindow + orders > ordersPer10s) {
            throw new ExchangeError(429, -1015, "Too many new orders; current limit is " + ordersPer10s + " orders per 10 SECOND.");
        }
    }

    private void checkFunds(SymbolSpec s, String side, BigDecimal qty, BigDecimal price) {
        boolean ok = side.equals("BUY") ? free(s.quote).compareTo(qty.multiply(price)) >= 0 : free(s.base).compareTo(qty) >= 0;
        if (!ok) {
            throw new ExchangeError(400, -2010, "Account has insufficient balance for requested action.");
        }
    }

    private static String clientId(Map<String, String> p, String param, String generated) {
        String id = p.getOrDefault(param, generated);
        if (!id.matches("^[a-zA-Z0-9-_]{1,36}$")) {
            throw new ExchangeError(400, -1100, "Illegal characters found in parameter '" + param + "'; legal range is '^[a-zA-Z0-9-_]{1,36}$'.");
        }
        return id;
    }

    private void checkNotDuplicate(String symbol, String clientId) {
        if (orders.values().stream().anyMatch(o -> o.open() && o.clientOrderId.equals(clientId) && o.symbol.equals(symbol))) {
            throw new ExchangeError(400, -2010, "Duplicate order sent.");
        }
    }

    private Order find(Map<String, String> p) {
        String symbol = p.get("symbol");
        if (p.containsKey("orderId")) {
            Order o = orders.get(Long.parseLong(p.get("orderId")));
            if (o != null && o.symbol.equals(symbol) && (!p.containsKey("origClientOrderId")
                    || o.clientOrderId.equals(p.get("origClientOrderId")))) {
                return o;
            }
            return null;
        }
        String cid = p.get("origClientOrderId");
        if (cid == null) {
            throw new ExchangeError(400, -1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!");
        }
        Order found = null;
        for (Order o : orders.values()) {
            if (o.symbol.equals(symbol) && o.clientOrderId.equals(cid)) {
                found = o; // the latest with this id
            }
        }
        return found;
    }

    private BigDecimal[] balance(String asset) {
        return balances.computeIfAbsent(asset, a -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
    }

    private Map<String, String> orderCountHeaders(long now) {
        long tenS = orderTimes.stream().filter(t -> t > now - 10_000).count();
        long day = orderTimes.stream().filter(t -> Math.floorDiv(t, 86_400_000L) == Math.floorDiv(now, 86_400_000L)).count();
        return Map.of("X-MBX-ORDER-COUNT-10S", String.valueOf(tenS), "X-MBX-ORDER-COUNT-1D", String.valueOf(day));
    }

    // ------------------------------------------------------------------ JSON

    private ObjectNode orderJson(Order o) {
        ObjectNode n = JSON.createObjectNode();
        n.put("symbol", o.symbol);
        n.put("orderId", o.orderId);
        n.put("orderListId", o.orderListId);
        n.put("clientOrderId", o.clientOrderId);
        n.put("price", o.price.toPlainString());
        n.put("origQty", o.origQty.toPlainString());
        n.put("executedQty", o.executedQty.toPlainString());
        n.put("cummulativeQuoteQty", o.cumQuote.toPlainString());
        n.put("status", o.status);
        n.put("timeInForce", o.timeInForce);
        n.put("type", o.type);
        n.put("side", o.side);
        n.put("stopPrice", o.stopPrice.toPlainString());
        n.put("selfTradePreventionMode", "EXPIRE_MAKER");
        return n;
    }

    /** An order as {@code GET /api/v3/order} and {@code openOrders} show it. */
    private ObjectNode queryJson(Order o) {
        ObjectNode n = orderJson(o);
        n.put("icebergQty", "0.00000000");
        n.put("time", o.time);
        n.put("updateTime", o.updateTime);
        n.put("isWorking", o.working());
        n.put("workingTime", o.workingTime);
        n.put("origQuoteOrderQty", o.origQuoteOrderQty.toPlainString());
        return n;
    }

    private ObjectNode fullResponse(Order o) {
        ObjectNode n = orderJson(o);
        n.put("transactTime", o.time);
        n.put("origQuoteOrderQty", o.origQuoteOrderQty.toPlainString());
        n.put("workingTime", o.workingTime);
        ArrayNode fills = n.putArray("fills");
        for (ObjectNode r : pendingFills.getOrDefault(o.orderId, List.of())) {
            ObjectNode f = fills.addObject();
            f.put("price", r.get("L").asText());
            f.put("qty", r.get("l").asText());
            f.put("commission", r.get("n").asText());
            f.put("commissionAsset", r.get("N").asText());
            f.put("tradeId", r.get("t").asLong());
        }
        pendingFills.remove(o.orderId);
        return n;
    }

    private ObjectNode listResponse(long listId, String statusType, String orderStatus, long now) {
        ObjectNode r = JSON.createObjectNode();
        r.put("orderListId", listId);
        r.put("contingencyType", "OCO");
        r.put("listStatusType", statusType);
        r.put("listOrderStatus", orderStatus);
        r.put("listClientOrderId", listClientIds.get(listId));
        r.put("transactionTime", now);
        String symbol = orders.get(lists.get(listId).get(0)).symbol;
        r.put("symbol", symbol);
        ArrayNode os = r.putArray("orders");
        ArrayNode reports = r.putArray("orderReports");
        for (long id : lists.get(listId)) {
            Order o = orders.get(id);
            ObjectNode x = os.addObject();
            x.put("symbol", o.symbol);
            x.put("orderId", o.orderId);
            x.put("clientOrderId", o.clientOrderId);
            ObjectNode rep = orderJson(o);
            rep.put("transactTime", now);
            reports.add(rep);
        }
        return r;
    }

    private ObjectNode event(String type) {
        ObjectNode e = JSON.createObjectNode();
        e.put("e", type);
        e.put("E", server.serverTimeMs());
        return e;
    }

    private ObjectNode executionReport(Order o, String execType, Object[] fill) {
        ObjectNode e = event("executionReport");
        e.put("s", o.symbol);
        e.put("c", o.clientOrderId);
        e.put("S", o.side);
        e.put("o", o.type);
        e.put("f", o.timeInForce);
        e.put("q", o.origQty.toPlainString());
        e.put("p", o.price.toPlainString());
        e.put("P", o.stopPrice.toPlainString());
        e.put("F", "0.00000000");
        e.put("g", o.orderListId);
        e.put("C", execType.equals("CANCELED") ? o.clientOrderId : "");
        e.put("x", execType);
        e.put("X", o.status);
        e.put("r", "NONE");
        e.put("i", o.orderId);
        e.put("l", fill == null ? "0.00000000" : ((BigDecimal) fill[1]).toPlainString());
        e.put("z", o.executedQty.toPlainString());
        e.put("L", fill == null ? "0.00000000" : ((BigDecimal) fill[0]).toPlainString());
        e.put("n", fill == null ? "0" : ((BigDecimal) fill[3]).toPlainString());
        if (fill == null) {
            e.putNull("N");
        } else {
            e.put("N", (String) fill[4]);
        }
        e.put("T", o.updateTime);
        e.put("t", fill == null ? -1 : (Long) fill[5]);
        e.put("v", 0);
        e.put("I", o.orderId * 2);
        e.put("w", o.working());
        e.put("m", fill != null && (Boolean) fill[6]);
        e.put("M", false);
        e.put("O", o.time);
        e.put("Z", o.cumQuote.toPlainString());
        e.put("Y", fill == null ? "0.00000000" : ((BigDecimal) fill[2]).toPlainString());
        e.put("Q", o.origQuoteOrderQty.toPlainString());
        if (o.workingTime >= 0) {
            e.put("W", o.workingTime); // only once the order is on the book
        }
        e.put("V", "EXPIRE_MAKER");
        emit(e);
        return e;
    }

    private void accountPosition(List<String> assets) {
        ObjectNode e = event("outboundAccountPosition");
        e.put("u", server.serverTimeMs());
        ArrayNode b = e.putArray("B");
        for (String a : new java.util.TreeSet<>(assets)) {
            BigDecimal[] v = balance(a);
            ObjectNode x = b.addObject();
            x.put("a", a);
            x.put("f", v[0].toPlainString());
            x.put("l", v[1].toPlainString());
        }
        emit(e);
    }

    private void listStatus(long listId, String statusType, String orderStatus) {
        ObjectNode e = event("listStatus");
        e.put("s", orders.get(lists.get(listId).get(0)).symbol);
        e.put("g", listId);
        e.put("c", "OCO");
        e.put("l", statusType);
        e.put("L", orderStatus);
        e.put("r", "NONE");
        e.put("C", listClientIds.get(listId));
        e.put("T", server.serverTimeMs());
        ArrayNode os = e.putArray("O");
        for (long id : lists.get(listId)) {
            ObjectNode x = os.addObject();
            x.put("s", orders.get(id).symbol);
            x.put("i", id);
            x.put("c", orders.get(id).clientOrderId);
        }
        emit(e);
    }
}
