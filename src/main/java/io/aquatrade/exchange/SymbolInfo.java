package io.aquatrade.exchange;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One symbol of exchangeInfo as Binance describes it. The filters keep the order in which the exchange
 * listed them; {@link SymbolFilters} checks them in that order.
 *
 * @param baseAssetPrecision  most decimals a quantity may carry (more gives -1111)
 * @param quotePrecision      Binance's older name for the quote precision; kept as sent
 * @param quoteAssetPrecision most decimals a price may carry (more gives -1111)
 * @param spotTradingAllowed  {@code isSpotTradingAllowed}; true when the field is absent
 * @param ocoAllowed          {@code ocoAllowed}: the symbol takes OCO lists ({@code POST /api/v3/orderList/oco});
 *                            false when the field is absent (never place what the exchange has not said it takes)
 * @param otoAllowed          {@code otoAllowed}: the symbol takes OTO / OTOCO lists; false when absent (the 2021
 *                            documents predate it)
 */
public record SymbolInfo(String symbol, String status, String baseAsset, int baseAssetPrecision,
                         String quoteAsset, int quotePrecision, int quoteAssetPrecision,
                         int baseCommissionPrecision, int quoteCommissionPrecision, List<String> orderTypes,
                         boolean quoteOrderQtyMarketAllowed, boolean spotTradingAllowed,
                         List<SymbolFilter> filters, boolean ocoAllowed, boolean otoAllowed) {

    public static final String TRADING = "TRADING";

    public SymbolInfo {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(baseAsset, "baseAsset");
        Objects.requireNonNull(quoteAsset, "quoteAsset");
        orderTypes = List.copyOf(orderTypes);
        filters = List.copyOf(filters);
    }

    public boolean isTrading() {
        return TRADING.equals(status);
    }

    /** True when the symbol's {@code orderTypes} lists the type. */
    public boolean allows(OrderType type) {
        return orderTypes.contains(type.name());
    }

    /** The first filter of the given kind, e.g. {@code filter(SymbolFilter.LotSize.class)}. */
    public <T extends SymbolFilter> Optional<T> filter(Class<T> kind) {
        for (SymbolFilter f : filters) {
            if (kind.isInstance(f)) {
                return Optional.of(kind.cast(f));
            }
        }
        return Optional.empty();
    }

    /** A filter kept by its Binance type name, enforced or not (e.g. {@code "PERCENT_PRICE_BY_SIDE"}). */
    public Optional<SymbolFilter> filter(String filterType) {
        return filters.stream().filter(f -> f.filterType().equals(filterType)).findFirst();
    }
}
