package io.aquatrade.exchange.sim;

import io.aquatrade.exchange.AssetBalance;
import io.aquatrade.exchange.BinanceError;
import io.aquatrade.exchange.ExchangeAdapter;
import io.aquatrade.exchange.ExchangeException;
import io.aquatrade.exchange.ExchangeInfo;
import io.aquatrade.exchange.ExecutionListener;
import io.aquatrade.exchange.OrderCheck;
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
        BigDecimal fee;
        String feeAsset;
        if (o.side() == Side.BUY) {
            if (quoteQty.compareTo(balance(quote)) > 0) {
                reject(o, BinanceError.newOrderRejected("Account has insufficient balance for requested action."));
                return;
            }
            fee = qty.multiply(takerRate).setScale(f.info().baseCommissionPrecision(), RoundingMode.HALF_UP);
            feeAsset = base;
            balances.merge(quote, quoteQty.negate(), BigDecimal::add);
            balances.merge(base, qty.subtract(fee), BigDecimal::add);
        } else {
            if (qty.compareTo(balance(base)) > 0) {
                reject(o, BinanceError.newOrderRejected("Account has insufficient balance for requested action."));
                return;
            }
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

    @Override
    public CompletionStage<OrderReport> cancel(String symbol, String clientOrderId) {
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
        Map<String, AssetBalance> out = new TreeMap<>();
        balances.forEach((asset, free) -> out.put(asset, new AssetBalance(asset, free, BigDecimal.ZERO)));
        return CompletableFuture.completedFuture(out);
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

    public BigDecimal balance(String asset) {
        return balances.getOrDefault(asset, BigDecimal.ZERO);
    }


    public int pendingOrders() {
        return pendingCount;
    }
}
