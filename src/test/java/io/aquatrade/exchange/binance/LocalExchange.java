package io.aquatrade.exchange.binance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aquatrade.exchange.binance.LocalBinanceServer.Answer;
import io.aquatrade.exchange.binance.LocalBinanceServer.ExchangeError;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import static io.aquatrade.exchange.binance.LocalBinanceServer.JSON;
import static io.aquatrade.exchange.binance.LocalBinanceServer.dec;

/**
 * The matching side of {@link LocalBinanceServer}: one account's balances, a book price per symbol set by
 * the test, MARKET orders that fill at the ask (BUY) or bid (SELL), optionally in several trades, resting
 * LIMIT / LIMIT_MAKER / STOP_LOSS_LIMIT orders and OCO lists that match when the test moves the book,
 * LOT_SIZE / PRICE_FILTER / (MIN_)NOTIONAL checks from the served exchangeInfo (-1013), balance checks
 * (-2010), duplicate open client order ids (-2010), and every change pushed to the user data stream as
 * Binance's {@code executionReport}, {@code outboundAccountPosition}, {@code balanceUpdate} and
 * {@code listStatus} events. Answers use the documented FULL response shape.
 */
public final class LocalExchange {

    private record SymbolSpec(String base, String quote, BigDecimal minQty, BigDecimal stepSize, BigDecimal tickSize,
                              BigDecimal minNotional, String notionalFilter) {
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
        BigDecimal lockedAmount = BigDecimal.ZERO;
        String lockedAsset;

        boolean open() {
            return status.equals("NEW") || status.equals("PARTIALLY_FILLED");
        }
    }

    /** One own trade. */
    record Trade(String symbol, long id, long orderId, BigDecimal price, BigDecimal qty, BigDecimal quoteQty,
                 BigDecimal commission, String commissionAsset, long time, boolean isBuyer, boolean isMaker) {
    }

    private final LocalBinanceServer server;
    private final Map<String, SymbolSpec> symbols = new HashMap<>();
    private final Map<String, BigDecimal[]> book = new HashMap<>();
    private final Map<String, BigDecimal[]> balances = new TreeMap<>();
    private final Map<Long, Order> orders = new LinkedHashMap<>();
    private final List<Trade> trades = new ArrayList<>();
    private final Map<Long, List<Long>> lists = new HashMap<>();
    private final Map<Long, String> listClientIds = new HashMap<>();
    private final List<Long> orderTimes = new ArrayList<>();
    private Consumer<ObjectNode> userEvents = e -> { };
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
                        minQty, step, tick, minNotional, notionalFilter));
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
        userEvents.accept(e);
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

    /** Sets the book and matches resting orders against it. */
    public synchronized void setBook(String symbol, String bid, String ask) {
        book.put(symbol, new BigDecimal[] {new BigDecimal(bid), new BigDecimal(ask)});
        matchResting(symbol);
        pendingFills.clear(); // fills of resting orders reach the client through the user stream only
    }

    public synchronized List<Trade> trades() {
        return List.copyOf(trades);
    }

    /** Orders placed, in order (all statuses). */
    public synchronized List<Order> orders() {
        return List.copyOf(orders.values());
    }

    public synchronized long ordersWithClientId(String clientOrderId) {
        return orders.values().stream().filter(o -> o.clientOrderId.equals(clientOrderId)).count();
    }

    // ------------------------------------------------------------------ REST handlers

    synchronized Answer newOrder(Map<String, String> p) {
        long now = server.serverTimeMs();
        checkOrderRate(now);
        SymbolSpec spec = spec(p.get("symbol"));
        String side = require(p, "side");
        String type = require(p, "type");
        if (!side.equals("BUY") && !side.equals("SELL")) {
            throw new ExchangeError(400, -1102, "Mandatory parameter 'side' was not sent, was empty/null, or malformed.");
        }
        String clientId = p.getOrDefault("newClientOrderId", "x-" + Long.toString(nextOrderId, 36));
        if (!clientId.matches("^[a-zA-Z0-9-_]{1,36}$")) {
            throw new ExchangeError(400, -1100, "Illegal characters found in parameter 'newClientOrderId'; legal range is '^[a-zA-Z0-9-_]{1,36}$'.");
        }
        if (orders.values().stream().anyMatch(o -> o.open() && o.clientOrderId.equals(clientId) && o.symbol.equals(p.get("symbol")))) {
            throw new ExchangeError(400, -2010, "Duplicate order sent.");
        }
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
                place(o);
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
                checkFunds(spec, side, qty, price);
                o.origQty = qty;
                o.price = price;
                o.timeInForce = p.getOrDefault("timeInForce", "GTC");
                o.stopPrice = dec(p, "stopPrice") == null ? BigDecimal.ZERO : dec(p, "stopPrice");
                if (type.equals("LIMIT_MAKER") && b != null && crosses(o, b)) {
                    throw new ExchangeError(400, -2010, "Order would immediately match and take.");
                }
                place(o);
                matchOne(o, spec);
            }
            default -> throw new ExchangeError(400, -1116, "Invalid orderType.");
        }
        Map<String, String> headers = orderCountHeaders(now);
        return new Answer(200, fullResponse(o).toString(), headers);
    }

    synchronized Answer newOco(Map<String, String> p) {
        long now = server.serverTimeMs();
        checkOrderRate(now);
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
        if (abovePrice == null || belowStop == null || belowPrice == null || p.get("belowTimeInForce") == null) {
            throw new ExchangeError(400, -1102, "Mandatory parameter 'abovePrice/belowStopPrice/belowPrice/belowTimeInForce' was not sent.");
        }
        checkPrice(spec, abovePrice);
        checkPrice(spec, belowStop);
        checkPrice(spec, belowPrice);
        checkLot(spec, qty);
        checkNotional(spec, qty.multiply(belowPrice));
        BigDecimal[] b = book.get(p.get("symbol"));
        if (b != null && !(abovePrice.compareTo(b[1]) > 0 && belowStop.compareTo(b[0]) < 0)) {
            throw new ExchangeError(400, -2010, "The relationship of the prices for the orders is not correct.");
        }
        if (free(spec.base).compareTo(qty) < 0) {
            throw new ExchangeError(400, -2010, "Account has insufficient balance for requested action.");
        }
        long listId = nextListId++;
        String listClientId = p.getOrDefault("listClientOrderId", "list-" + listId);
        Order above = new Order();
        above.symbol = p.get("symbol");
        above.orderListId = listId;
        above.clientOrderId = p.getOrDefault("aboveClientOrderId", "above-" + listId);
        above.side = side;
        above.type = aboveType;
        above.origQty = qty;
        above.price = abovePrice;
        above.time = now;
        above.updateTime = now;
        Order below = new Order();
        below.symbol = above.symbol;
        below.orderListId = listId;
        below.clientOrderId = p.getOrDefault("belowClientOrderId", "below-" + listId);
        below.side = side;
        below.type = belowType;
        below.origQty = qty;
        below.price = belowPrice;
        below.stopPrice = belowStop;
        below.timeInForce = p.get("belowTimeInForce");
        below.time = now;
        below.updateTime = now;
        // both legs share one lock of the base asset (Binance locks the quantity once for the list)
        place(below);
        placeWithoutLock(above);
        lists.put(listId, List.of(below.orderId, above.orderId));
        listClientIds.put(listId, listClientId);
        listStatus(listId, "EXEC_STARTED", "EXECUTING");
        ObjectNode r = listResponse(listId, "EXEC_STARTED", "EXECUTING", now);
        Map<String, String> headers = orderCountHeaders(now);
        return new Answer(200, r.toString(), headers);
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
        }
        if (listId == null || !lists.containsKey(listId)) {
            throw new ExchangeError(400, -2011, "Order list does not exist.");
        }
        boolean anyOpen = false;
        for (long id : lists.get(listId)) {
            Order o = orders.get(id);
            if (o.open()) {
                anyOpen = true;
                finish(o, "CANCELED", "CANCELED");
            }
        }
        if (!anyOpen) {
            throw new ExchangeError(400, -2011, "Unknown order sent.");
        }
        listStatus(listId, "ALL_DONE", "ALL_DONE");
        return Answer.ok(listResponse(listId, "ALL_DONE", "ALL_DONE", server.serverTimeMs()).toString());
    }

    synchronized Answer queryOrder(Map<String, String> p) {
        Order o = find(p);
        if (o == null) {
            throw new ExchangeError(400, -2013, "Order does not exist.");
        }
        ObjectNode n = orderJson(o);
        n.put("time", o.time);
        n.put("updateTime", o.updateTime);
        n.put("isWorking", o.open());
        n.put("origQuoteOrderQty", o.origQuoteOrderQty.toPlainString());
        return Answer.ok(n.toString());
    }

    synchronized Answer cancelOrder(Map<String, String> p) {
        Order o = find(p);
        if (o == null || !o.open()) {
            throw new ExchangeError(400, -2011, "Unknown order sent.");
        }
        if (o.orderListId >= 0) {
            long listId = o.orderListId;
            for (long id : lists.get(listId)) {
                Order leg = orders.get(id);
                if (leg.open()) {
                    finish(leg, "CANCELED", "CANCELED");
                }
            }
            listStatus(listId, "ALL_DONE", "ALL_DONE");
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
                ObjectNode n = orderJson(o);
                n.put("time", o.time);
                n.put("updateTime", o.updateTime);
                n.put("isWorking", true);
                a.add(n);
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
            n.put("orderListId", -1);
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

    // ------------------------------------------------------------------ matching

    private void place(Order o) {
        SymbolSpec spec = symbols.get(o.symbol);
        o.orderId = nextOrderId++;
        if (!o.type.equals("MARKET")) {
            if (o.side.equals("BUY")) {
                o.lockedAsset = spec.quote;
                o.lockedAmount = o.origQty.multiply(o.price);
            } else {
                o.lockedAsset = spec.base;
                o.lockedAmount = o.origQty;
            }
            BigDecimal[] bal = balance(o.lockedAsset);
            bal[0] = bal[0].subtract(o.lockedAmount);
            bal[1] = bal[1].add(o.lockedAmount);
        }
        orders.put(o.orderId, o);
        orderTimes.add(o.time);
        executionReport(o, "NEW", null);
        if (o.lockedAsset != null) {
            accountPosition(List.of(o.lockedAsset));
        }
    }

    private void placeWithoutLock(Order o) {
        o.orderId = nextOrderId++;
        orders.put(o.orderId, o);
        orderTimes.add(o.time);
        executionReport(o, "NEW", null);
    }

    private void fillMarket(Order o, SymbolSpec spec, BigDecimal px) {
        int n = Math.max(1, nextMarketFills);
        nextMarketFills = 1;
        BigDecimal remaining = o.origQty;
        BigDecimal step = spec.stepSize.signum() == 0 ? new BigDecimal("0.00000001") : spec.stepSize;
        BigDecimal part = o.origQty.divide(BigDecimal.valueOf(n), 20, RoundingMode.DOWN).divide(step, 0, RoundingMode.DOWN).multiply(step);
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
            remaining = remaining.subtract(q);
        }
        if (o.open()) {
            // quote ran out before the quantity: Binance expires the rest of a quoteOrderQty MARKET order
            finish(o, "EXPIRED", "EXPIRED");
        }
    }

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
            if (o.lockedAsset != null) {
                BigDecimal fromLock = qty.multiply(o.price);
                quote[1] = quote[1].subtract(fromLock);
                o.lockedAmount = o.lockedAmount.subtract(fromLock);
                quote[0] = quote[0].add(fromLock.subtract(quoteQty)); // price improvement goes back to free
            } else {
                quote[0] = quote[0].subtract(quoteQty);
            }
        } else {
            quote[0] = quote[0].add(quoteQty);
            if (o.lockedAsset != null) {
                base[1] = base[1].subtract(qty);
                o.lockedAmount = o.lockedAmount.subtract(qty);
            } else {
                base[0] = base[0].subtract(qty);
            }
        }
        BigDecimal[] fee = balance(cAsset);
        fee[0] = fee[0].subtract(commission);
        long tradeId = nextTradeId++;
        trades.add(new Trade(o.symbol, tradeId, o.orderId, price, qty, quoteQty, commission, cAsset, now,
                o.side.equals("BUY"), maker));
        o.executedQty = o.executedQty.add(qty);
        o.cumQuote = o.cumQuote.add(quoteQty);
        o.updateTime = now;
        o.status = o.executedQty.compareTo(o.origQty) >= 0 ? "FILLED" : "PARTIALLY_FILLED";
        ObjectNode report = executionReport(o, "TRADE", new Object[] {price, qty, quoteQty, commission, cAsset, tradeId, maker});
        pendingFills.computeIfAbsent(o.orderId, k -> new ArrayList<>()).add(report);
        accountPosition(List.of(spec.base, spec.quote, cAsset));
        if (o.status.equals("FILLED") && o.orderListId >= 0) {
            for (long id : lists.get(o.orderListId)) {
                Order other = orders.get(id);
                if (other != o && other.open()) {
                    finish(other, "EXPIRED", "EXPIRED");
                }
            }
            listStatus(o.orderListId, "ALL_DONE", "ALL_DONE");
        }
    }

    private final Map<Long, List<ObjectNode>> pendingFills = new HashMap<>();

    private void finish(Order o, String execType, String status) {
        o.status = status;
        o.updateTime = server.serverTimeMs();
        if (o.lockedAsset != null && o.lockedAmount.signum() > 0) {
            BigDecimal[] bal = balance(o.lockedAsset);
            bal[1] = bal[1].subtract(o.lockedAmount);
            bal[0] = bal[0].add(o.lockedAmount);
            o.lockedAmount = BigDecimal.ZERO;
            accountPosition(List.of(o.lockedAsset));
        } else if (o.orderListId >= 0 && o.lockedAsset == null) {
            // the unlocked OCO leg: its sibling holds the list's lock
            for (long id : lists.getOrDefault(o.orderListId, List.of())) {
                Order sib = orders.get(id);
                if (sib != o && sib.lockedAmount.signum() > 0 && !sib.open()) {
                    BigDecimal[] bal = balance(sib.lockedAsset);
                    bal[1] = bal[1].subtract(sib.lockedAmount);
                    bal[0] = bal[0].add(sib.lockedAmount);
                    sib.lockedAmount = BigDecimal.ZERO;
                }
            }
        }
        executionReport(o, execType, null);
    }

    private void matchResting(String symbol) {
        for (Order o : new ArrayList<>(orders.values())) {
            if (o.symbol.equals(symbol) && o.open() && !o.type.equals("MARKET")) {
                matchOne(o, symbols.get(symbol));
            }
        }
    }

    /** Fills a resting order (fully, at its limit or better) when the book reaches it. */
    private void matchOne(Order o, SymbolSpec spec) {
        BigDecimal[] b = book.get(o.symbol);
        if (b == null || !o.open()) {
            return;
        }
        if (o.type.equals("STOP_LOSS_LIMIT") && !o.triggered) {
            BigDecimal last = o.side.equals("SELL") ? b[0] : b[1];
            boolean hit = o.side.equals("SELL") ? last.compareTo(o.stopPrice) <= 0 : last.compareTo(o.stopPrice) >= 0;
            if (!hit) {
                return;
            }
            o.triggered = true;
            if (o.orderListId >= 0) {
                // the stop leg of an OCO triggered: the limit-maker leg expires, the lock moves to this leg
                for (long id : lists.get(o.orderListId)) {
                    Order other = orders.get(id);
                    if (other != o && other.open()) {
                        other.status = "EXPIRED";
                        other.updateTime = server.serverTimeMs();
                        executionReport(other, "EXPIRED", null);
                    }
                }
            }
        }
        if (crosses(o, b)) {
            BigDecimal px = o.side.equals("BUY") ? b[1].min(o.price) : b[0].max(o.price);
            boolean maker = !o.type.equals("STOP_LOSS_LIMIT") && o.time < server.serverTimeMs();
            trade(o, spec, o.side.equals("BUY") ? px : px, o.origQty.subtract(o.executedQty), maker);
        }
    }

    private static boolean crosses(Order o, BigDecimal[] b) {
        return o.side.equals("BUY") ? b[1].compareTo(o.price) <= 0 : b[0].compareTo(o.price) >= 0;
    }

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

    private void checkOrderRate(long now) {
        long inWindow = orderTimes.stream().filter(t -> t > now - 10_000).count();
        if (inWindow >= ordersPer10s) {
            throw new ExchangeError(429, -1015, "Too many new orders; current limit is " + ordersPer10s + " orders per 10 SECOND.");
        }
    }

    private void checkFunds(SymbolSpec s, String side, BigDecimal qty, BigDecimal price) {
        boolean ok = side.equals("BUY") ? free(s.quote).compareTo(qty.multiply(price)) >= 0 : free(s.base).compareTo(qty) >= 0;
        if (!ok) {
            throw new ExchangeError(400, -2010, "Account has insufficient balance for requested action.");
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

    private ObjectNode fullResponse(Order o) {
        ObjectNode n = orderJson(o);
        n.put("transactTime", o.time);
        n.put("origQuoteOrderQty", o.origQuoteOrderQty.toPlainString());
        n.put("workingTime", o.time);
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
        e.put("w", o.open());
        e.put("m", fill != null && (Boolean) fill[6]);
        e.put("M", false);
        e.put("O", o.time);
        e.put("Z", o.cumQuote.toPlainString());
        e.put("Y", fill == null ? "0.00000000" : ((BigDecimal) fill[2]).toPlainString());
        e.put("Q", o.origQuoteOrderQty.toPlainString());
        e.put("W", o.time);
        e.put("V", "EXPIRE_MAKER");
        userEvents.accept(e);
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
        userEvents.accept(e);
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
        userEvents.accept(e);
    }
}
