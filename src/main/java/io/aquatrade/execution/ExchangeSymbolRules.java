package io.aquatrade.execution;

import io.aquatrade.exchange.ExchangeInfo;
import io.aquatrade.exchange.OrderCheck;
import io.aquatrade.exchange.OrderType;
import io.aquatrade.exchange.SymbolFilters;
import io.aquatrade.model.Side;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Execution's view of the exchange's symbol rules, delegating every rounding to {@link SymbolFilters}. */
public final class ExchangeSymbolRules implements SymbolRules {

    /** The latest exchangeInfo: volatile so a reader off the pipeline (status page, metrics) sees a whole document. */
    private volatile ExchangeInfo info;
    /** Filters of symbols a later document no longer lists (delisted): kept so a coin still held stays valued and sized. */
    private final Map<String, SymbolFilters> unlisted = new ConcurrentHashMap<>();

    public ExchangeSymbolRules(ExchangeInfo info) {
        this.info = Objects.requireNonNull(info, "info");
    }

    /**
     * Takes in a newer exchangeInfo (the hourly refresh): from the next order on, every rounding and check uses
     * its filters. Call it on the pipeline's thread, between decision rounds, like every other execution input.
     * A symbol the new document no longer lists keeps its last filters for what is held, but {@link #knows} is
     * false for it, so no new entry goes to it.
     */
    public void update(ExchangeInfo next) {
        Objects.requireNonNull(next, "next");
        ExchangeInfo before = info;
        for (SymbolFilters f : before.all()) {
            String s = f.info().symbol();
            if (!next.contains(s)) {
                unlisted.put(s, f);
            }
        }
        for (SymbolFilters f : next.all()) {
            unlisted.remove(f.info().symbol());
        }
        info = next;
    }

    /** The exchangeInfo document in force. */
    public ExchangeInfo exchangeInfo() {
        return info;
    }

    private SymbolFilters f(String symbol) {
        ExchangeInfo now = info;
        return now.filters(symbol).or(() -> Optional.ofNullable(unlisted.get(symbol)))
                .orElseThrow(() -> new IllegalArgumentException("unknown symbol " + symbol + " in exchangeInfo " + now.source()));
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
    public boolean ocoAllowed(String symbol) {
        return f(symbol).info().ocoAllowed();
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
