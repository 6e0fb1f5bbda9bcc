package io.aquatrade.execution;

import io.aquatrade.exchange.ExchangeInfo;
import io.aquatrade.exchange.OrderCheck;
import io.aquatrade.exchange.OrderType;
import io.aquatrade.exchange.SymbolFilters;
import io.aquatrade.model.Side;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Execution's view of the exchange's symbol rules, delegating every rounding to {@link SymbolFilters}. */
public final class ExchangeSymbolRules implements SymbolRules {

    private final ExchangeInfo info;

    public ExchangeSymbolRules(ExchangeInfo info) {
        this.info = info;
    }

    private SymbolFilters f(String symbol) {
        return info.filters(symbol).orElseThrow(() -> new IllegalArgumentException("unknown symbol " + symbol
                + " in exchangeInfo " + info.source()));
    }

    @Override
    public boolean knows(String symbol) {
        return info.contains(symbol);
    }

    @Override
    public String baseAsset(String symbol) {
        return f(symbol).info().baseAsset();
    }

    @Override
    public String quoteAsset(String symbol) {
        return f(symbol).info().quoteAsset();
    }

    @Override
    public BigDecimal roundQuantityDown(String symbol, BigDecimal qty) {
        return f(symbol).roundQtyDown(qty, OrderType.MARKET);
    }

    @Override
    public BigDecimal roundQuoteDown(String symbol, BigDecimal quote) {
        return f(symbol).roundQuoteOrderQtyDown(quote);
    }

    @Override
    public BigDecimal roundPrice(String symbol, BigDecimal price, boolean up) {
        return f(symbol).roundPrice(price, up ? RoundingMode.CEILING : RoundingMode.FLOOR);
    }

    @Override
    public Rejection checkMarketOrder(String symbol, Side side, BigDecimal qty, BigDecimal quote, BigDecimal refPrice) {
        SymbolFilters f = f(symbol);
        BigDecimal q = qty != null ? qty : f.qtyForQuote(quote, refPrice, OrderType.MARKET);
        OrderCheck c = f.validate(side, OrderType.MARKET, refPrice, q);
        return c.isOk() ? null : new Rejection(c.rejection().code(), c.rejection().msg());
    }

    @Override
    public boolean isDust(String symbol, BigDecimal qty, BigDecimal price) {
        if (qty.signum() <= 0) {
            return true;
        }
        BigDecimal min = f(symbol).minTradableQty(price, OrderType.MARKET);
        return min == null || qty.compareTo(min) < 0;
    }
}
