package io.aquatrade.exchange.sim;

import io.aquatrade.exchange.AssetBalance;
import io.aquatrade.exchange.BinanceError;
import io.aquatrade.exchange.ExchangeAdapter;
import io.aquatrade.exchange.ExchangeException;
import io.aquatrade.exchange.ExchangeInfo;
import io.aquatrade.exchange.ExecutionListener;
import io.aquatrade.exchange.OrderCheck;
import io.aquatrade.exchange.OrderList;
import io.aquatrade.exchange.OrderReport;
import io.aquatrade.exchange.OrderRequest;
import io.aquatrade.exchange.OrderStatus;
import io.aquatrade.exchange.OrderType;
import io.aquatrade.exchange.SymbolFilters;
import io.aquatrade.model.Candle;
import io.aquatrade.model.Decimals;
import io.aquatrade.model.Fill;
import io.aquatrade.model.MarketEvent;
import io.aquatrade.model.QuoteTick;
import io.aquatrade.model.Side;
import io.aquatrade.model.TradeTick;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Fills MARKET orders the way Binance would, on the pipeline's thread:
 * <ul>
 *   <li>an order fills completely at the next market event of its symbol after it was sent: the
 *       next trade's price, the ask (BUY) or bid (SELL) of the next book ticker, or the open of the
 *       next one-minute candle;</li>
 *   <li>an exit triggered by a protective level inside a candle fills inside that candle: a stop at
 *       its level, or at the open if the bar opened below it; a take-profit at its level, or at the
 *       open if the bar opened above it;</li>
 *   <li>BUY by quote amount: the quantity is the quote divided by the price, rounded down to the
 *       step; the taker fee is taken from the base asset received; SELL: the fee is taken from the
 *       quote received; fees are rounded to the commission precision;</li>
 *   <li>the real filters apply with Binance's codes and messages (-1013 "Filter failure: …",
 *       -1121 "Invalid symbol."), and an order the balances cannot pay is refused with -2010.</li>
 * </ul>
 * It answers the port's queries as Binance would: an accepted order can be looked up by its client
 * order id, a waiting one cancelled, and the account's balances and own trades read back. A refused
 * order never existed on the exchange (a lookup finds nothing, as -2013 would say).
 *
 * <p>Resting orders ({@link #placeLimit}, {@link #placeStopLossLimit}, {@link #placeOco}, the same calls as the
 * Binance adapter's) lock their balance while open and are matched on every later event of their symbol, as
 * Binance's engine would, conservatively:
 * <ul>
 *   <li>a trade or book ticker (the bid for a SELL, the ask for a BUY) at or through a LIMIT fills it at its
 *       limit price; a STOP_LOSS_LIMIT triggers when the price reaches its stop and then fills at that price
 *       if it is not below (SELL) / above (BUY) its limit, else rests as a LIMIT at its limit price;</li>
 *   <li>a closed candle: the stop is looked at first, like the local protective levels' stop-first rule: a bar
 *       that reaches both the stop and the take-profit of an OCO fills the stop. A stop fills at its stop price,
 *       or at the open when the bar opened through it; a limit fills at its price, or at the open when the bar
 *       opened through it (it was resting before the bar);</li>
 *   <li>when one leg of an OCO executes the other expires (executionReport EXPIRED, listStatus ALL_DONE);
 *       cancelling either leg, or the list, cancels both;</li>
 *   <li>Binance's refusals: a LIMIT_MAKER that would take at once, a stop that would trigger at once, OCO
 *       prices in the wrong order (-2010), the filters (-1013), balances (-2010). Fills pay the taker rate.</li>
 * </ul>
 */
public final class SimulatedExchange implements ExchangeAdapter {

    private final ExchangeInfo info;
    private final BigDecimal takerRate;
    private final String name;
    private final Map<String, BigDecimal> balances = new TreeMap<>();
    private final Map<String, ArrayDeque<OrderRequest>> pending = new HashMap<>();
    private final Map<String, MarketEvent> lastEvent = new HashMap<>();
    private final Map<String, OrderReport> orders = new HashMap<>();
    private final Map<String, List<Fill>> tradesBySymbol = new HashMap<>();
    private final Map<String, List<Resting>> resting = new HashMap<>();
    private final Map<String, BigDecimal> locked = new TreeMap<>();
    private long orderListId;
    private ExecutionListener listener;
    private long tradeId;
    private long orderId;
    private int pendingCount;
    private final boolean atBook;

    /** The replay venue: an order fills at the next market event of its symbol, whatever its kind. */
    public SimulatedExchange(String name, ExchangeInfo info, BigDecimal takerRate, String quoteAsset,
                             BigDecimal startQuote) {
        this(name, info, takerRate, quoteAsset, startQuote, false);
    }

    private SimulatedExchange(String name, ExchangeInfo info, BigDecimal takerRate, String quoteAsset,
                              BigDecimal startQuote, boolean atBook) {
        this.name = name;
        this.info = info;
        this.takerRate = takerRate;
        this.atBook = atBook;
        balances.put(quoteAsset, startQuote);
    }

    /** Replay: fills at the next trade, book ticker or candle open of the symbol (see the class comment). */
    public static SimulatedExchange nextEvent(String name, ExchangeInfo info, BigDecimal takerRate, String quoteAsset,
                                              BigDecimal startQuote) {
        return new SimulatedExchange(name, info, takerRate, quoteAsset, startQuote, false);
    }

    /**
     * Paper trading on live data: an order fills only at the live book, the ask of the next book ticker
     * for a BUY and its bid for a SELL; trades and candles (also a protective level crossed inside a
     * candle) never set a paper fill's price, because a real market order could not have had it.
     */
    public static SimulatedExchange atBook(String name, ExchangeInfo info, BigDecimal takerRate, String quoteAsset,
                                           BigDecimal startQuote) {
        return new SimulatedExchange(name, info, takerRate, quoteAsset, startQuote, true);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void setListener(ExecutionListener listener) {
        this.listener = listener;
    }

    @Override
    public void submit(OrderRequest order) {
        SymbolFilters f = info.filters(order.symbol()).orElse(null);
        if (f == null) {
            reject(order, BinanceError.invalidSymbol());
            return;
        }
        MarketEvent last = lastEvent.get(order.symbol());
        accept(order);
        if (!atBook && order.triggerPrice() != null && last instanceof Candle && ((Candle) last).closed()) {
            Candle c = (Candle) last;
            BigDecimal open = Decimals.toBigDecimal(c.openE8());
            // filled at the bar's open: that happened at its open time; at the level: some time within the bar
            fillOrResolve(order, f, () -> order.triggerIsStop() ? order.triggerPrice().min(open) : order.triggerPrice().max(open),
                    price -> price.compareTo(open) == 0 ? c.openTimeMs() : c.timeMs());
            return;
        }
        pending.computeIfAbsent(order.symbol(), s -> new ArrayDeque<>()).addLast(order);
        pendingCount++;
    }

    private void accept(OrderRequest o) {
        long id = ++orderId;
        orders.put(o.clientOrderId(), new OrderReport(o.symbol(), id, o.clientOrderId(), o.side(),
                OrderType.MARKET.name(), OrderStatus.NEW, o.quantity() == null ? BigDecimal.ZERO : o.quantity(),
                BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, -1, o.createdMs(), o.createdMs()));
        listener.onAcknowledged(o, id);
    }

    private void settle(OrderRequest o, OrderStatus status, BigDecimal qty, BigDecimal quoteQty, long timeMs) {
        OrderReport r = orders.get(o.clientOrderId());
        orders.put(o.clientOrderId(), new OrderReport(r.symbol(), r.orderId(), r.clientOrderId(), r.side(), r.type(),
                status, r.origQty().signum() == 0 ? qty : r.origQty(), qty, quoteQty, r.price(), r.stopPrice(),
                r.orderListId(), r.timeMs(), timeMs));
    }

    /** Fills the orders waiting for this symbol's next event, then remembers the event. */
    @Override
    public void onMarketEvent(MarketEvent e) {
        if (pendingCount > 0 && (!atBook || e instanceof QuoteTick)) {
            ArrayDeque<OrderRequest> q = pending.get(e.symbol());
            if (q != null && !q.isEmpty()) {
                SymbolFilters f = info.filters(e.symbol()).orElseThrow();
                while (!q.isEmpty()) {
                    OrderRequest o = q.pollFirst();
                    pendingCount--;
                    // a candle's open price is its price at its open time, not at its close
                    long at = e instanceof Candle c ? c.openTimeMs() : e.timeMs();
                    fillOrResolve(o, f, () -> priceFor(e, o.side()), price -> at);
                }
            }
        }
        List<Resting> rest = resting.get(e.symbol());
        if (rest != null && !rest.isEmpty() && (!atBook || e instanceof QuoteTick)) {
            match(rest, e);
        }
        lastEvent.put(e.symbol(), e);
    }

    private static BigDecimal priceFor(MarketEvent e, Side side) {
        if (e instanceof TradeTick) {
            return Decimals.toBigDecimal(((TradeTick) e).priceE8());
        }
        if (e instanceof QuoteTick) {
            QuoteTick q = (QuoteTick) e;
            return Decimals.toBigDecimal(side == Side.BUY ? q.askE8() : q.bidE8());
        }
        return Decimals.toBigDecimal(((Candle) e).openE8());
    }

    /**
     * Fills {@code o}; if that fails (bad price data, a listener's bug) the order is resolved before the
     * failure goes on to the caller: rejected when nothing was filled, done when it was. An order taken off
     * the queue is never left in flight.
     */
    /** Fills at {@code price} (at the time {@code timeAt} gives for it); an order whose fill throws is rejected, never left open. */
    private void fillOrResolve(OrderRequest o, SymbolFilters f, java.util.function.Supplier<BigDecimal> price,
                               java.util.function.ToLongFunction<BigDecimal> timeAt) {
        try {
            BigDecimal p = price.get();
            fill(o, f, p, timeAt.applyAsLong(p));
        } catch (RuntimeException | StackOverflowError ex) {
            OrderReport r = orders.get(o.clientOrderId());
            if (r != null && r.status() == OrderStatus.NEW) {
                reject(o, new BinanceError(BinanceError.UNKNOWN, "fill failed in the simulator: " + ex));
            }
            throw ex;
        }
    }

    private void fill(OrderRequest o, SymbolFilters f, BigDecimal price, long timeMs) {
        price = price.stripTrailingZeros();
        String base = f.info().baseAsset();
        String quote = f.info().quoteAsset();
        BigDecimal qty = o.side() == Side.BUY ? f.qtyForQuote(o.quoteOrderQty(), price, OrderType.MARKET) : o.quantity();
        OrderCheck check = f.validate(o.side(), OrderType.MARKET, price, qty);
        if (!check.isOk()) {
            reject(o, check.rejection());
            return;
        }
        BigDecimal quoteQty = qty.multiply(price);
        boolean covered = o.side() == Side.BUY
                ? quoteQty.compareTo(balance(quote)) <= 0
                : qty.compareTo(balance(base)) <= 0;
        if (!covered) {
            reject(o, BinanceError.newOrderRejected("Account has insufficient balance for requested action."));
            return;
        }
        book(o, f, price, qty, timeMs);
    }

    /**
     * Books a whole fill of {@code qty} at {@code price}: balances, the taker fee (in the asset received, as
     * Binance charges it without BNB), the trade, the order's end and the listener. Market and resting orders
     * settle here alike.
     */
    private void book(OrderRequest o, SymbolFilters f, BigDecimal price, BigDecimal qty, long timeMs) {
        String base = f.info().baseAsset();
        String quote = f.info().quoteAsset();
        BigDecimal quoteQty = qty.multiply(price);
        BigDecimal fee;
        String feeAsset;
        if (o.side() == Side.BUY) {
            fee = qty.multiply(takerRate).setScale(f.info().baseCommissionPrecision(), RoundingMode.HALF_UP);
            feeAsset = base;
            balances.merge(quote, quoteQty.negate(), BigDecimal::add);
            balances.merge(base, qty.subtract(fee), BigDecimal::add);
        } else {
            fee = quoteQty.multiply(takerRate).setScale(f.info().quoteCommissionPrecision(), RoundingMode.HALF_UP);
            feeAsset = quote;
            balances.merge(base, qty.negate(), BigDecimal::add);
            balances.merge(quote, quoteQty.subtract(fee), BigDecimal::add);
        }
        Fill fill = new Fill(timeMs, o.symbol(), o.side(), price, qty, quoteQty, fee.stripTrailingZeros(), feeAsset,
                o.clientOrderId(), o.reason(), ++tradeId);
        tradesBySymbol.computeIfAbsent(o.symbol(), k -> new ArrayList<>()).add(fill);
        settle(o, OrderStatus.FILLED, qty, quoteQty, timeMs);
        try {
            listener.onFill(fill);
        } finally {
            listener.onOrderDone(o, "FILLED"); // filled on the exchange whatever the listener did with it
        }
    }

    private void reject(OrderRequest o, BinanceError e) {
        orders.remove(o.clientOrderId()); // a refused order never existed on the exchange
        listener.onRejected(o, e.code(), e.msg());
    }

    // ------------------------------------------------------------------ resting orders

    /** One resting order or OCO leg; {@code stop} is null for a LIMIT / LIMIT_MAKER. */
    private static final class Resting {
        final OrderRequest order;
        final OrderType type;
        final String typeName;
        final BigDecimal price;
        final BigDecimal stop;
        final long listId;
        final String listClientOrderId;
        Resting sibling;
        boolean triggered;

        Resting(OrderRequest order, OrderType type, String typeName, BigDecimal price, BigDecimal stop, long listId,
                String listClientOrderId) {
            this.order = order;
            this.type = type;
            this.typeName = typeName;
            this.price = price;
            this.stop = stop;
            this.listId = listId;
            this.listClientOrderId = listClientOrderId;
        }

        Side side() {
            return order.side();
        }
    }

    /** A resting LIMIT order (GTC); fills and its end come through the listener. Completes with its report. */
    @Override
    public CompletionStage<OrderReport> placeLimit(String clientOrderId, String symbol, Side side, BigDecimal quantity,
                                                   BigDecimal price, String timeInForce, String reason) {
        OrderRequest leg = leg(clientOrderId, symbol, side, quantity, price, null, false, reason);
        BinanceError e = refusal(symbol, side, quantity, List.of(price), OrderType.LIMIT, price, null, null);
        return placeSingle(leg, e, new Resting(leg, OrderType.LIMIT, "LIMIT", price, null, -1, null));
    }

    /** A STOP_LOSS_LIMIT order: a limit at {@code limitPrice} once the market reaches {@code stopPrice}. */
    @Override
    public CompletionStage<OrderReport> placeStopLossLimit(String clientOrderId, String symbol, Side side,
                                                           BigDecimal quantity, BigDecimal stopPrice,
                                                           BigDecimal limitPrice, String reason) {
        OrderRequest leg = leg(clientOrderId, symbol, side, quantity, limitPrice, stopPrice, true, reason);
        BinanceError e = refusal(symbol, side, quantity, List.of(stopPrice, limitPrice), OrderType.LIMIT, limitPrice,
                null, stopPrice);
        return placeSingle(leg, e, new Resting(leg, OrderType.LIMIT, "STOP_LOSS_LIMIT", limitPrice, stopPrice, -1, null));
    }

    /**
     * A SELL OCO protecting a position, as {@code POST /api/v3/orderList/oco}: a LIMIT_MAKER take-profit above the
     * market and a STOP_LOSS_LIMIT below it. Completes with the list (both legs, take-profit first), or fails with
     * the exchange's refusal; a refused list never existed.
     */
    @Override
    public CompletionStage<OrderList> placeOco(String listClientOrderId, String takeProfitClientOrderId,
                                               String stopClientOrderId, String symbol, BigDecimal quantity,
                                               BigDecimal takeProfitPrice, BigDecimal stopPrice,
                                               BigDecimal stopLimitPrice, String reason) {
        OrderRequest tp = leg(takeProfitClientOrderId, symbol, Side.SELL, quantity, takeProfitPrice, null, false,
                reason + ":take_profit");
        OrderRequest sl = leg(stopClientOrderId, symbol, Side.SELL, quantity, stopLimitPrice, stopPrice, true,
                reason + ":stop_loss");
        BinanceError e = refusal(symbol, Side.SELL, quantity, List.of(takeProfitPrice, stopPrice, stopLimitPrice),
                OrderType.LIMIT_MAKER, takeProfitPrice, takeProfitPrice, stopPrice);
        if (e == null && takeProfitPrice.compareTo(stopPrice) <= 0) {
            e = BinanceError.newOrderRejected("The relationship of the prices for the orders is not correct.");
        }
        if (e != null) {
            return CompletableFuture.failedFuture(new ExchangeException(e, 400));
        }
        long list = ++orderListId;
        Resting above = new Resting(tp, OrderType.LIMIT_MAKER, "LIMIT_MAKER", takeProfitPrice, null, list,
                listClientOrderId);
        Resting below = new Resting(sl, OrderType.LIMIT, "STOP_LOSS_LIMIT", stopLimitPrice, stopPrice, list,
                listClientOrderId);
        above.sibling = below;
        below.sibling = above;
        lock(symbol, Side.SELL, quantity, null);
        rest(above);
        rest(below);
        return CompletableFuture.completedFuture(new OrderList(list, listClientOrderId, "EXEC_STARTED", "EXECUTING",
                List.of(orders.get(tp.clientOrderId()), orders.get(sl.clientOrderId()))));
    }

    /** Cancels an OCO list by its client id: both legs end CANCELED; completes with the list as the cancel left it. */
    @Override
    public CompletionStage<OrderList> cancelOrderList(String symbol, String listClientOrderId) {
        for (Resting r : resting.getOrDefault(symbol, List.of())) {
            if (listClientOrderId.equals(r.listClientOrderId)) {
                cancelResting(r);
                return CompletableFuture.completedFuture(new OrderList(r.listId, listClientOrderId, "ALL_DONE",
                        "ALL_DONE", List.of(orders.get(r.order.clientOrderId()), orders.get(r.sibling.order.clientOrderId()))));
            }
        }
        return CompletableFuture.failedFuture(new ExchangeException(
                new BinanceError(BinanceError.CANCEL_REJECTED, "Order list does not exist."), 400));
    }

    /** Resting orders (and OCO legs) still open, all symbols. */
    public int restingOrders() {
        int n = 0;
        for (List<Resting> l : resting.values()) {
            n += l.size();
        }
        return n;
    }

    private static OrderRequest leg(String clientOrderId, String symbol, Side side, BigDecimal qty, BigDecimal price,
                                    BigDecimal stopPrice, boolean isStop, String reason) {
        return new OrderRequest(clientOrderId, symbol, side, qty, null, price, stopPrice, isStop, reason, 0);
    }

    private CompletionStage<OrderReport> placeSingle(OrderRequest leg, BinanceError refusal, Resting r) {
        if (refusal != null) {
            return CompletableFuture.failedFuture(new ExchangeException(refusal, 400));
        }
        lock(leg.symbol(), leg.side(), leg.quantity(), leg.referencePrice());
        rest(r);
        return CompletableFuture.completedFuture(orders.get(leg.clientOrderId()));
    }

    /**
     * Binance's refusal of a resting order, or null: unknown symbol, filters on every price, a LIMIT_MAKER that
     * would take at once, a stop that would trigger at once, a balance that cannot cover it.
     */
    private BinanceError refusal(String symbol, Side side, BigDecimal qty, List<BigDecimal> prices, OrderType type,
                                 BigDecimal notionalPrice, BigDecimal makerPrice, BigDecimal stop) {
        SymbolFilters f = info.filters(symbol).orElse(null);
        if (f == null) {
            return BinanceError.invalidSymbol();
        }
        for (BigDecimal p : prices) {
            OrderCheck c = f.validate(side, type, p, qty);
            if (!c.isOk()) {
                return c.rejection();
            }
        }
        BigDecimal last = lastPrice(symbol, side);
        if (last != null && makerPrice != null
                && (side == Side.SELL ? makerPrice.compareTo(last) <= 0 : makerPrice.compareTo(last) >= 0)) {
            return BinanceError.newOrderRejected("Order would immediately match and take.");
        }
        if (last != null && stop != null && (side == Side.SELL ? stop.compareTo(last) >= 0 : stop.compareTo(last) <= 0)) {
            return BinanceError.newOrderRejected("Stop price would trigger immediately.");
        }
        String asset = side == Side.SELL ? f.info().baseAsset() : f.info().quoteAsset();
        BigDecimal need = side == Side.SELL ? qty : qty.multiply(notionalPrice);
        if (need.compareTo(balance(asset)) > 0) {
            return BinanceError.newOrderRejected("Account has insufficient balance for requested action.");
        }
        return null;
    }

    private BigDecimal lastPrice(String symbol, Side side) {
        MarketEvent e = lastEvent.get(symbol);
        if (e == null) {
            return null;
        }
        return e instanceof Candle c ? Decimals.toBigDecimal(c.closeE8()) : priceFor(e, side);
    }

    /** Moves what an open order may spend from free to locked (Binance's balances show it as locked). */
    private void lock(String symbol, Side side, BigDecimal qty, BigDecimal price) {
        SymbolInfoAssets a = assets(symbol);
        String asset = side == Side.SELL ? a.base : a.quote;
        BigDecimal amount = side == Side.SELL ? qty : qty.multiply(price);
        balances.merge(asset, amount.negate(), BigDecimal::add);
        locked.merge(asset, amount, BigDecimal::add);
    }

    private void unlock(Resting r) {
        SymbolInfoAssets a = assets(r.order.symbol());
        String asset = r.side() == Side.SELL ? a.base : a.quote;
        BigDecimal amount = r.side() == Side.SELL ? r.order.quantity() : r.order.quantity().multiply(r.price);
        balances.merge(asset, amount, BigDecimal::add);
        locked.merge(asset, amount.negate(), BigDecimal::add);
    }

    private record SymbolInfoAssets(String base, String quote) { }

    private SymbolInfoAssets assets(String symbol) {
        SymbolFilters f = info.filters(symbol).orElseThrow();
        return new SymbolInfoAssets(f.info().baseAsset(), f.info().quoteAsset());
    }

    private void rest(Resting r) {
        OrderRequest o = r.order;
        long id = ++orderId;
        long at = lastEvent.containsKey(o.symbol()) ? lastEvent.get(o.symbol()).timeMs() : 0;
        orders.put(o.clientOrderId(), new OrderReport(o.symbol(), id, o.clientOrderId(), o.side(), r.typeName,
                OrderStatus.NEW, o.quantity(), BigDecimal.ZERO, BigDecimal.ZERO, r.price,
                r.stop == null ? BigDecimal.ZERO : r.stop, r.listId, at, at));
        resting.computeIfAbsent(o.symbol(), s -> new ArrayList<>()).add(r);
        listener.onAcknowledged(o, id);
    }

    /** Matches the symbol's resting orders on one event; stops first, so a bar that reaches both fills the stop. */
    private void match(List<Resting> rest, MarketEvent e) {
        List<Resting> snapshot = new ArrayList<>(rest);
        snapshot.sort(java.util.Comparator.comparing(r -> r.stop == null || r.triggered)); // untriggered stops first
        for (Resting r : snapshot) {
            if (!rest.contains(r)) {
                continue; // an OCO sibling filled on this event
            }
            if (e instanceof Candle c) {
                if (c.closed()) {
                    matchCandle(r, c);
                }
            } else {
                matchPrice(r, priceFor(e, r.side()), e.timeMs());
            }
        }
    }

    private void matchPrice(Resting r, BigDecimal p, long timeMs) {
        boolean sell = r.side() == Side.SELL;
        if (r.stop != null && !r.triggered) {
            if (sell ? p.compareTo(r.stop) > 0 : p.compareTo(r.stop) < 0) {
                return;
            }
            r.triggered = true;
            expireSibling(r); // a triggered OCO stop leg ends the take-profit leg
            if (sell ? p.compareTo(r.price) >= 0 : p.compareTo(r.price) <= 0) {
                execute(r, p, timeMs); // marketable at once: takes at the price that triggered it
            }
            return;
        }
        if (sell ? p.compareTo(r.price) >= 0 : p.compareTo(r.price) <= 0) {
            execute(r, r.price, timeMs);
        }
    }

    private void matchCandle(Resting r, Candle c) {
        boolean sell = r.side() == Side.SELL;
        BigDecimal open = Decimals.toBigDecimal(c.openE8());
        BigDecimal high = Decimals.toBigDecimal(c.highE8());
        BigDecimal low = Decimals.toBigDecimal(c.lowE8());
        if (r.stop != null && !r.triggered) {
            if (sell ? low.compareTo(r.stop) > 0 : high.compareTo(r.stop) < 0) {
                return;
            }
            r.triggered = true;
            expireSibling(r);
            boolean gap = sell ? open.compareTo(r.stop) <= 0 : open.compareTo(r.stop) >= 0;
            BigDecimal at = gap ? open : r.stop;
            if (sell ? at.compareTo(r.price) >= 0 : at.compareTo(r.price) <= 0) {
                execute(r, at, gap ? c.openTimeMs() : c.timeMs());
            }
            // else: rests as a LIMIT; what the bar did after the trigger is unknown, so it waits for the next event
            return;
        }
        boolean gap = sell ? open.compareTo(r.price) >= 0 : open.compareTo(r.price) <= 0;
        if (gap) {
            execute(r, open, c.openTimeMs());
        } else if (sell ? high.compareTo(r.price) >= 0 : low.compareTo(r.price) <= 0) {
            execute(r, r.price, c.timeMs());
        }
    }

    private void expireSibling(Resting r) {
        if (r.sibling != null && resting.getOrDefault(r.order.symbol(), List.of()).contains(r.sibling)) {
            Resting s = r.sibling;
            resting.get(s.order.symbol()).remove(s);
            settle(s.order, OrderStatus.EXPIRED, BigDecimal.ZERO, BigDecimal.ZERO, s.order.createdMs());
            listener.onOrderDone(s.order, "EXPIRED");
        }
    }

    /** Fills a resting order completely at {@code price}; its locked balance pays for it. */
    private void execute(Resting r, BigDecimal price, long timeMs) {
        OrderRequest o = r.order;
        resting.get(o.symbol()).remove(r);
        if (r.sibling != null && resting.get(o.symbol()).remove(r.sibling)) {
            settle(r.sibling.order, OrderStatus.EXPIRED, BigDecimal.ZERO, BigDecimal.ZERO, timeMs);
            listener.onOrderDone(r.sibling.order, "EXPIRED");
        }
        unlock(r); // an OCO locked its quantity once, for both legs
        SymbolFilters f = info.filters(o.symbol()).orElseThrow();
        book(o, f, price.stripTrailingZeros(), o.quantity(), timeMs);
    }

    private void cancelResting(Resting r) {
        List<Resting> l = resting.get(r.order.symbol());
        l.remove(r);
        unlock(r);
        settle(r.order, OrderStatus.CANCELED, BigDecimal.ZERO, BigDecimal.ZERO, r.order.createdMs());
        listener.onOrderDone(r.order, "CANCELED");
        if (r.sibling != null && l.remove(r.sibling)) {
            settle(r.sibling.order, OrderStatus.CANCELED, BigDecimal.ZERO, BigDecimal.ZERO, r.order.createdMs());
            listener.onOrderDone(r.sibling.order, "CANCELED");
        }
    }

    @Override
    public CompletionStage<OrderReport> cancel(String symbol, String clientOrderId) {
        for (Resting r : resting.getOrDefault(symbol, List.of())) {
            if (r.order.clientOrderId().equals(clientOrderId)) {
                cancelResting(r); // a leg of an OCO cancels the whole list, as on Binance
                return CompletableFuture.completedFuture(orders.get(clientOrderId));
            }
        }
        ArrayDeque<OrderRequest> q = pending.get(symbol);
        OrderRequest waiting = null;
        if (q != null) {
            for (OrderRequest o : q) {
                if (o.clientOrderId().equals(clientOrderId)) {
                    waiting = o;
                }
            }
        }
        if (waiting == null) {
            return CompletableFuture.failedFuture(new ExchangeException(
                    new BinanceError(BinanceError.CANCEL_REJECTED, "Unknown order sent."), 400));
        }
        q.remove(waiting);
        pendingCount--;
        settle(waiting, OrderStatus.CANCELED, BigDecimal.ZERO, BigDecimal.ZERO, waiting.createdMs());
        listener.onOrderDone(waiting, "CANCELED");
        return CompletableFuture.completedFuture(orders.get(clientOrderId));
    }

    @Override
    public CompletionStage<Optional<OrderReport>> queryOrder(String symbol, String clientOrderId) {
        OrderReport r = orders.get(clientOrderId);
        return CompletableFuture.completedFuture(r != null && r.symbol().equals(symbol) ? Optional.of(r)
                : Optional.empty());
    }

    @Override
    public CompletionStage<List<OrderReport>> openOrders(String symbol) {
        List<OrderReport> open = new ArrayList<>();
        for (OrderReport r : orders.values()) {
            if (r.isOpen() && (symbol == null || r.symbol().equals(symbol))) {
                open.add(r);
            }
        }
        open.sort(java.util.Comparator.comparingLong(OrderReport::orderId));
        return CompletableFuture.completedFuture(open);
    }

    @Override
    public CompletionStage<Map<String, AssetBalance>> balances() {
        return CompletableFuture.completedFuture(lastKnownBalances());
    }

    /** The simulated account itself: always current. */
    @Override
    public Map<String, AssetBalance> lastKnownBalances() {
        Map<String, AssetBalance> out = new TreeMap<>();
        balances.forEach((asset, free) -> out.put(asset, new AssetBalance(asset, free,
                locked.getOrDefault(asset, BigDecimal.ZERO))));
        return out;
    }

    @Override
    public CompletionStage<List<Fill>> tradesSince(String symbol, long afterTradeId) {
        List<Fill> out = new ArrayList<>();
        for (Fill f : tradesBySymbol.getOrDefault(symbol, List.of())) {
            if (f.tradeId() > afterTradeId) {
                out.add(f);
            }
        }
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public CompletionStage<List<Fill>> orderTrades(String symbol, String clientOrderId, long exchangeOrderId) {
        List<Fill> out = new ArrayList<>();
        for (Fill f : tradesBySymbol.getOrDefault(symbol, List.of())) {
            if (f.clientOrderId().equals(clientOrderId)) {
                out.add(f);
            }
        }
        return CompletableFuture.completedFuture(out);
    }

    public BigDecimal balance(String asset) {
        return balances.getOrDefault(asset, BigDecimal.ZERO);
    }


    public int pendingOrders() {
        return pendingCount;
    }
}
