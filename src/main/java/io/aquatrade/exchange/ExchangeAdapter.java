package io.aquatrade.exchange;

import io.aquatrade.model.Fill;
import io.aquatrade.model.MarketEvent;
import io.aquatrade.model.Side;

import java.math.BigDecimal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The exchange port: where orders go and what a venue can be asked about them. Implemented by the
 * simulated exchange (replay), the paper venue (live data, simulated fills at the live book) and
 * Binance (live, testnet). The pipeline and execution see only this interface.
 *
 * <p>Threading: every {@link ExecutionListener} callback, and the completion of every returned
 * stage, happens on the pipeline's thread (the context that calls {@link #submit}); an adapter that
 * does I/O hops back to that context before it reports.
 *
 * <p>Resting orders ({@link #placeLimit}, {@link #placeStopLossLimit}, {@link #placeOco}) follow one contract on
 * every venue: the returned stage completes, on the pipeline's thread, with the exchange's report of the order (an
 * OCO: the {@link OrderList} with both legs) once the exchange has it; their fills and their end (FILLED, EXPIRED
 * when an OCO sibling executed, CANCELED) come later through the {@link ExecutionListener} under each order's
 * client order id, like a MARKET order's. The stage fails with an {@link ExchangeException} when the exchange
 * refused the request (the orders do not exist); any other failure means the outcome is not known (or the request
 * never left) and the orders must be looked up by their client order ids. A venue that knows when the exchange can no
 * longer accept the request reports each order through {@link ExecutionListener#onUnknownOutcome} with that time
 * before the stage fails. Cancelling one leg of an OCO cancels the
 * whole list, as on Binance. The listener may hear of an order (acknowledged, even filled) before the stage
 * completes.
 *
 * <p>Adapters never move funds off the exchange: there is no withdraw or transfer anywhere in this
 * interface or its implementations.
 */
public interface ExchangeAdapter {

    String name();

    void setListener(ExecutionListener listener);

    /**
     * The throttle that owns this venue's order budget when the venue queues and throttles orders itself
     * (Binance); empty when it does not (simulated and paper venues), and execution throttles by
     * exchangeInfo's rate limits instead. One owner: the same orders are never counted twice.
     */
    default java.util.Optional<OrderThrottle> orderThrottle() {
        return java.util.Optional.empty();
    }

    /**
     * Every market event, before the rolling state sees it. Venues that match locally (replay, paper)
     * fill waiting orders on it; a real exchange matches on its own and ignores it.
     */
    default void onMarketEvent(MarketEvent event) {
    }

    /**
     * Sends one order. Never throws for an exchange-side refusal: that comes back through
     * {@link ExecutionListener#onRejected}. A lost outcome (timeout, 5xx, dropped connection) comes
     * back as {@link ExecutionListener#onUnknownOutcome}; the adapter never sends the order again
     * by itself.
     */
    void submit(OrderRequest order);

    /** Cancels an open order by its client order id; completes with the order's state after the cancel. */
    CompletionStage<OrderReport> cancel(String symbol, String clientOrderId);

    /** The order with this client order id, or empty when the exchange has no such order. */
    CompletionStage<Optional<OrderReport>> queryOrder(String symbol, String clientOrderId);

    /** Orders still open on the exchange: of one symbol, or of all symbols when {@code symbol} is null. */
    CompletionStage<List<OrderReport>> openOrders(String symbol);

    /** The account's balances by asset (assets with zero free and locked may be left out). */
    CompletionStage<Map<String, AssetBalance>> balances();

    /**
     * The balances as this venue last reported them, without asking it again: for displays refreshed often (the
     * status, twice a second), where a request each time would spend the exchange's request weight. Pipeline thread.
     */
    Map<String, AssetBalance> lastKnownBalances();

    /** The account's own trades of a symbol with a trade id above {@code afterTradeId}, oldest first. */
    CompletionStage<List<Fill>> tradesSince(String symbol, long afterTradeId);

    /**
     * Every trade of one order ({@code exchangeOrderId}, the exchange's id), oldest first, as fills of
     * {@code clientOrderId}: on Binance {@code myTrades?orderId=} (weight 5 a page), never the symbol's history.
     */
    CompletionStage<List<Fill>> orderTrades(String symbol, String clientOrderId, long exchangeOrderId);

    /**
     * The price a symbol traded at when the minute starting at {@code minuteStartMs} began: the open of its one-minute
     * kline (on Binance {@code GET /api/v3/klines}, weight 2), or empty when the venue cannot tell (no trade in that
     * minute, a venue without history). Recovery values the books at a UTC midnight the bot was down over with it.
     */
    default CompletionStage<Optional<java.math.BigDecimal>> priceAt(String symbol, long minuteStartMs) {
        return java.util.concurrent.CompletableFuture.completedFuture(Optional.empty());
    }

    /**
     * Follows an order an earlier run of the bot placed and the exchange still holds (a protective leg resting across
     * a restart): its fills and its end come through the listener from now on, like those of an order placed by this
     * run. Call on the pipeline's thread. A venue inside this process starts empty and has nothing to follow.
     */
    default void follow(OrderReport order, String reason) {
    }

    /** A resting LIMIT order, good till cancelled unless {@code timeInForce} says otherwise. */
    CompletionStage<OrderReport> placeLimit(String clientOrderId, String symbol, Side side, BigDecimal quantity,
                                            BigDecimal price, String timeInForce, String reason);

    /** A resting STOP_LOSS_LIMIT order: a limit at {@code limitPrice} once the market reaches {@code stopPrice}. */
    CompletionStage<OrderReport> placeStopLossLimit(String clientOrderId, String symbol, Side side, BigDecimal quantity,
                                                    BigDecimal stopPrice, BigDecimal limitPrice, String reason);

    /**
     * A SELL OCO protecting a position ({@code POST /api/v3/orderList/oco}): a LIMIT_MAKER take-profit above the
     * market and a STOP_LOSS_LIMIT below it; when one executes the exchange expires the other.
     */
    CompletionStage<OrderList> placeOco(String listClientOrderId, String takeProfitClientOrderId,
                                        String stopClientOrderId, String symbol, BigDecimal quantity,
                                        BigDecimal takeProfitPrice, BigDecimal stopPrice, BigDecimal stopLimitPrice,
                                        String reason);

    /** Cancels an OCO list by its client id; completes with the list as the cancel left it (both legs ended). */
    CompletionStage<OrderList> cancelOrderList(String symbol, String listClientOrderId);
}
