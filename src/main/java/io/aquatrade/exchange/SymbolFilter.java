package io.aquatrade.exchange;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One entry of a symbol's {@code filters[]} in exchangeInfo. The enforced filters are typed; every other
 * filter is kept verbatim as {@link Unenforced} so nothing the exchange sent is silently dropped. In all
 * enforced filters a part set to 0 disables that part (Binance filters.md).
 */
public sealed interface SymbolFilter {

    /** Binance's {@code filterType} string. */
    String filterType();

    /**
     * Filter types Aquatrade knows and deliberately does not enforce locally, because checking them needs
     * data the order alone does not carry (open algo/iceberg orders, the account's position) or concerns
     * order kinds Aquatrade never sends (iceberg, trailing, amend, order lists). Binance still enforces
     * them; a rejection comes back from the adapter.
     */
    Set<String> KNOWN_UNENFORCED = Set.of("ICEBERG_PARTS", "TRAILING_DELTA", "MAX_NUM_ALGO_ORDERS",
            "MAX_NUM_ICEBERG_ORDERS", "MAX_POSITION", "MAX_NUM_ORDER_AMENDS", "MAX_NUM_ORDER_LISTS");

    /** PRICE_FILTER: minPrice ≤ price ≤ maxPrice and (price − minPrice) % tickSize == 0. */
    record PriceFilter(BigDecimal minPrice, BigDecimal maxPrice, BigDecimal tickSize) implements SymbolFilter {
        public PriceFilter {
            Objects.requireNonNull(minPrice, "minPrice");
            Objects.requireNonNull(maxPrice, "maxPrice");
            Objects.requireNonNull(tickSize, "tickSize");
        }

        @Override
        public String filterType() {
            return "PRICE_FILTER";
        }
    }

    /**
     * PERCENT_PRICE (2021 generation): a priced order's price must lie within [avg × multiplierDown,
     * avg × multiplierUp] of the exchange's weighted average price over avgPriceMins. Checked only when the
     * caller supplies that average (see SymbolFilters#validate with avgPrice).
     */
    record PercentPrice(BigDecimal multiplierUp, BigDecimal multiplierDown, int avgPriceMins) implements SymbolFilter {
        public PercentPrice {
            Objects.requireNonNull(multiplierUp, "multiplierUp");
            Objects.requireNonNull(multiplierDown, "multiplierDown");
        }

        @Override
        public String filterType() {
            return "PERCENT_PRICE";
        }
    }

    /** PERCENT_PRICE_BY_SIDE (current generation): the same band, with separate multipliers for BUY (bid) and SELL (ask). */
    record PercentPriceBySide(BigDecimal bidMultiplierUp, BigDecimal bidMultiplierDown, BigDecimal askMultiplierUp,
                              BigDecimal askMultiplierDown, int avgPriceMins) implements SymbolFilter {
        public PercentPriceBySide {
            Objects.requireNonNull(bidMultiplierUp, "bidMultiplierUp");
            Objects.requireNonNull(bidMultiplierDown, "bidMultiplierDown");
            Objects.requireNonNull(askMultiplierUp, "askMultiplierUp");
            Objects.requireNonNull(askMultiplierDown, "askMultiplierDown");
        }

        @Override
        public String filterType() {
            return "PERCENT_PRICE_BY_SIDE";
        }
    }

    /** LOT_SIZE: minQty ≤ qty ≤ maxQty and (qty − minQty) % stepSize == 0; applies to every order type. */
    record LotSize(BigDecimal minQty, BigDecimal maxQty, BigDecimal stepSize) implements SymbolFilter {
        public LotSize {
            Objects.requireNonNull(minQty, "minQty");
            Objects.requireNonNull(maxQty, "maxQty");
            Objects.requireNonNull(stepSize, "stepSize");
        }

        @Override
        public String filterType() {
            return "LOT_SIZE";
        }
    }

    /**
     * MARKET_LOT_SIZE: the same rule for MARKET orders only, on top of LOT_SIZE. Real files carry
     * {@code minQty 0} and {@code stepSize 0} (disabled) with only maxQty set, so LOT_SIZE's grid is what
     * a MARKET quantity must match in practice.
     */
    record MarketLotSize(BigDecimal minQty, BigDecimal maxQty, BigDecimal stepSize) implements SymbolFilter {
        public MarketLotSize {
            Objects.requireNonNull(minQty, "minQty");
            Objects.requireNonNull(maxQty, "maxQty");
            Objects.requireNonNull(stepSize, "stepSize");
        }

        @Override
        public String filterType() {
            return "MARKET_LOT_SIZE";
        }
    }

    /** MIN_NOTIONAL (filter generation up to 2023): price × qty ≥ minNotional; MARKET orders only if applyToMarket. */
    record MinNotional(BigDecimal minNotional, boolean applyToMarket, int avgPriceMins) implements SymbolFilter {
        public MinNotional {
            Objects.requireNonNull(minNotional, "minNotional");
        }

        @Override
        public String filterType() {
            return "MIN_NOTIONAL";
        }
    }

    /**
     * NOTIONAL (current generation): minNotional ≤ price × qty ≤ maxNotional; for MARKET orders the min part
     * applies only if applyMinToMarket and the max part only if applyMaxToMarket.
     */
    record Notional(BigDecimal minNotional, boolean applyMinToMarket, BigDecimal maxNotional,
                    boolean applyMaxToMarket, int avgPriceMins) implements SymbolFilter {
        public Notional {
            Objects.requireNonNull(minNotional, "minNotional");
            Objects.requireNonNull(maxNotional, "maxNotional");
        }

        @Override
        public String filterType() {
            return "NOTIONAL";
        }
    }

    /** MAX_NUM_ORDERS: open orders (algo included) per symbol and account. */
    record MaxNumOrders(int maxNumOrders) implements SymbolFilter {
        @Override
        public String filterType() {
            return "MAX_NUM_ORDERS";
        }
    }

    /**
     * A filter kept but not enforced locally, with its fields as text (JSON scalars as their text, anything
     * else as JSON).
     *
     * @param recognized true when the type is in {@link #KNOWN_UNENFORCED}; false for a type this code has
     *                   never seen, which the operator should hear about (see ExchangeInfo#unrecognizedFilterTypes)
     */
    record Unenforced(String filterType, Map<String, String> params, boolean recognized) implements SymbolFilter {
        public Unenforced {
            Objects.requireNonNull(filterType, "filterType");
            params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        }
    }
}
