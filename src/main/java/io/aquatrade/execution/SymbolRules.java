package io.aquatrade.execution;

import io.aquatrade.model.Side;

import java.math.BigDecimal;

/**
 * The exchange's per-symbol trading rules as execution needs them. Owned here (the consumer), and
 * implemented over the exchange's filters, where all exchange rounding lives.
 */
public interface SymbolRules {

    /** A refusal as Binance would give it. */
    record Rejection(int code, String message) {
    }

    boolean knows(String symbol);

    String baseAsset(String symbol);

    /** The asset the symbol is priced in (USDT for BTCUSDT, BTC for ETHBTC). */
    String quoteAsset(String symbol);

    /** Quantity rounded down to the symbol's step size (MARKET_LOT_SIZE/LOT_SIZE). */
    BigDecimal roundQuantityDown(String symbol, BigDecimal qty);

    /** Quote amount rounded down to what a quoteOrderQty MARKET order accepts. */
    BigDecimal roundQuoteDown(String symbol, BigDecimal quote);

    /** Price rounded to the tick size, down for a stop below price, up for a level above it. */
    BigDecimal roundPrice(String symbol, BigDecimal price, boolean up);

    /**
     * Checks a MARKET order against the filters at a reference price; null when it passes. For a
     * BUY by quote amount, {@code qty} is null and {@code quote} is set.
     */
    Rejection checkMarketOrder(String symbol, Side side, BigDecimal qty, BigDecimal quote, BigDecimal refPrice);

    /** True when the symbol takes OCO order lists (exchangeInfo {@code ocoAllowed}). */
    boolean ocoAllowed(String symbol);

    /** True when {@code qty} can no longer be sold (below the minimum quantity or notional). */
    boolean isDust(String symbol, BigDecimal qty, BigDecimal price);
}
