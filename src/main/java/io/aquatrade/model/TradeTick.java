package io.aquatrade.model;

/**
 * A trade or aggregate trade. Prices and quantities in E8 ({@link Decimals}).
 *
 * @param buyerMaker true when the buyer was the maker, i.e. the aggressor sold
 */
public record TradeTick(String symbol, long timeMs, long priceE8, double qtyE8, boolean buyerMaker)
        implements MarketEvent {
}
