package io.aquatrade.exchange;

/**
 * The order types Aquatrade places. Binance names them the same way in {@code orderTypes} and the
 * {@code type} parameter. LIMIT_MAKER is a post-only LIMIT: the same price and quantity filters apply.
 */
public enum OrderType {
    MARKET, LIMIT, LIMIT_MAKER;

    /** True for the types that carry a price (and so pass PRICE_FILTER). */
    public boolean hasPrice() {
        return this != MARKET;
    }
}
