package io.aquatrade.exchange;

import io.aquatrade.model.Side;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * The exchange's rules for one symbol, and the one place in Aquatrade where prices and quantities are
 * rounded to what Binance accepts. Everything is BigDecimal; results come back without trailing zeros
 * (send them with {@link BigDecimal#toPlainString()}).
 *
 * <p>Grids follow Binance's formula {@code (value - min) % step == 0}: a quantity lies on
 * {@code minQty + k * stepSize}, a price on {@code minPrice + k * tickSize}. In every real exchangeInfo
 * checked (1,695 symbols in 2021, ETHBTC in 2025) min is itself a multiple of step, so this is the same
 * grid as the current docs' {@code value % step == 0}.
 *
 * <p>{@link #validate} answers exactly as Binance would: the same code and message. Binance reports one
 * filter failure per request and does not document which one wins when several fail; this class reports
 * the first failing filter in the order the symbol's exchangeInfo lists them.
 */
public final class SymbolFilters {

    /** Decimals kept when dividing a quote amount by a price, before the quantity is floored to its grid. */
    private static final int DIVISION_SCALE = 24;
    /** Two decimal grids with power-of-ten steps agree after one pass; the bound only guards odd steps. */
    private static final int MAX_GRID_PASSES = 64;

    private final SymbolInfo info;
    private final SymbolFilter.PriceFilter priceFilter;
    private final SymbolFilter.LotSize lotSize;
    private final SymbolFilter.MarketLotSize marketLotSize;
    private final SymbolFilter.MaxNumOrders maxNumOrders;
    /** The price grid's point nearest zero (minPrice mod tickSize), and the decimals the grid needs; null without a tick rule. */
    private final BigDecimal priceGridOffset;
    private final int priceGridScale;

    private SymbolFilters(SymbolInfo info) {
        this.info = info;
        this.priceFilter = info.filter(SymbolFilter.PriceFilter.class).orElse(null);
        this.lotSize = info.filter(SymbolFilter.LotSize.class).orElse(null);
        this.marketLotSize = info.filter(SymbolFilter.MarketLotSize.class).orElse(null);
        this.maxNumOrders = info.filter(SymbolFilter.MaxNumOrders.class).orElse(null);
        boolean ticks = priceFilter != null && priceFilter.tickSize().signum() != 0;
        this.priceGridOffset = ticks ? priceFilter.minPrice().remainder(priceFilter.tickSize()) : null;
        this.priceGridScale = ticks ? Math.max(priceFilter.tickSize().scale(), priceGridOffset.scale()) : 0;
    }

    public static SymbolFilters of(SymbolInfo info) {
        return new SymbolFilters(Objects.requireNonNull(info, "info"));
    }

    public SymbolInfo info() {
        return info;
    }

    public String symbol() {
        return info.symbol();
    }

    // ---------------------------------------------------------------- the rules, as numbers

    /** PRICE_FILTER's tickSize, or 0 when there is no tick rule (then prices round to the quote precision). */
    public BigDecimal tickSize() {
        return priceFilter == null ? BigDecimal.ZERO : priceFilter.tickSize();
    }

    /** LOT_SIZE's stepSize, or 0 when there is no step rule (then quantities round to the base precision). */
    public BigDecimal stepSize() {
        return lotSize == null ? BigDecimal.ZERO : lotSize.stepSize();
    }

    /** The smallest quantity LOT_SIZE (and, for MARKET, an enabled MARKET_LOT_SIZE minQty) allows. */
    public BigDecimal minQty(OrderType type) {
        BigDecimal min = lotSize == null ? BigDecimal.ZERO : lotSize.minQty();
        if (type == OrderType.MARKET && marketLotSize != null && marketLotSize.minQty().compareTo(min) > 0) {
            min = marketLotSize.minQty();
        }
        return min;
    }

    /** The largest quantity allowed for the order type, or null when no enabled maxQty bounds it. */
    public BigDecimal maxQty(OrderType type) {
        BigDecimal max = lotSize == null || lotSize.maxQty().signum() == 0 ? null : lotSize.maxQty();
        if (type == OrderType.MARKET && marketLotSize != null && marketLotSize.maxQty().signum() > 0
                && (max == null || marketLotSize.maxQty().compareTo(max) < 0)) {
            max = marketLotSize.maxQty();
        }
        return max;
    }

    /**
     * The smallest notional (price × qty) the notional filters demand of this order type: MIN_NOTIONAL or
     * NOTIONAL's minNotional, honouring applyToMarket / applyMinToMarket for MARKET orders; 0 when none applies.
     */
    public BigDecimal minNotional(OrderType type) {
        BigDecimal min = BigDecimal.ZERO;
        for (SymbolFilter f : info.filters()) {
            BigDecimal m = null;
            if (f instanceof SymbolFilter.MinNotional mn && (type.hasPrice() || mn.applyToMarket())) {
                m = mn.minNotional();
            } else if (f instanceof SymbolFilter.Notional n && (type.hasPrice() || n.applyMinToMarket())) {
                m = n.minNotional();
            }
            if (m != null && m.compareTo(min) > 0) {
                min = m;
            }
        }
        return min;
    }

    /** The largest notional NOTIONAL allows for this order type, or null when none applies. */
    public BigDecimal maxNotional(OrderType type) {
        BigDecimal max = null;
        for (SymbolFilter f : info.filters()) {
            if (f instanceof SymbolFilter.Notional n && n.maxNotional().signum() > 0
                    && (type.hasPrice() || n.applyMaxToMarket())
                    && (max == null || n.maxNotional().compareTo(max) < 0)) {
                max = n.maxNotional();
            }
        }
        return max;
    }

    /** MAX_NUM_ORDERS, or -1 when the symbol has no such filter. */
    public int maxNumOrders() {
        return maxNumOrders == null ? -1 : maxNumOrders.maxNumOrders();
    }

    // ---------------------------------------------------------------- rounding

    /**
     * Rounds a quantity DOWN to the largest value the order type accepts on the step grid: LOT_SIZE for
     * every type, plus MARKET_LOT_SIZE's enabled parts for MARKET. Returns 0 when the quantity is below the
     * minimum (there is nothing valid to send). maxQty is not applied: an oversize quantity stays oversize
     * and {@link #validate} rejects it, rather than the size changing silently.
     */
    public BigDecimal roundQtyDown(BigDecimal qty, OrderType type) {
        requireNonNegative(qty, "quantity");
        Objects.requireNonNull(type, "type");
        BigDecimal q = qty.setScale(Math.max(info.baseAssetPrecision(), 0), RoundingMode.DOWN);
        for (int pass = 0; pass < MAX_GRID_PASSES; pass++) {
            BigDecimal onLot = lotSize == null ? q : floorOnGrid(q, lotSize.minQty(), lotSize.stepSize());
            if (onLot == null) {
                return BigDecimal.ZERO;
            }
            if (type != OrderType.MARKET || marketLotSize == null) {
                return plain(onLot);
            }
            BigDecimal onMarket = floorOnGrid(onLot, marketLotSize.minQty(), marketLotSize.stepSize());
            if (onMarket == null) {
                return BigDecimal.ZERO;
            }
            if (onMarket.compareTo(onLot) == 0) {
                return plain(onLot);
            }
            q = onMarket;
        }
        throw new IllegalStateException(symbol() + ": LOT_SIZE step " + stepSize() + " and MARKET_LOT_SIZE step "
                + marketLotSize.stepSize() + " have no common grid point below " + qty);
    }

    /** {@link #roundQtyDown(BigDecimal, OrderType)} for LIMIT orders (LOT_SIZE only). */
    public BigDecimal roundQtyDown(BigDecimal qty) {
        return roundQtyDown(qty, OrderType.LIMIT);
    }

    /**
     * Rounds a price onto the tick grid with the given mode (FLOOR, CEILING, HALF_EVEN...). Without a tick
     * rule the price is rounded to the quote precision instead. minPrice/maxPrice are not applied.
     */
    public BigDecimal roundPrice(BigDecimal price, RoundingMode mode) {
        requireNonNegative(price, "price");
        Objects.requireNonNull(mode, "mode");
        if (priceGridOffset == null) {
            return plain(price.setScale(Math.max(info.quoteAssetPrecision(), 0), mode));
        }
        // The grid is minPrice + k * tickSize; count ticks from the grid point nearest zero, so that
        // HALF_EVEN's "even" means an even number of ticks, whatever minPrice is.
        BigDecimal tick = priceFilter.tickSize();
        BigDecimal p = price;
        if (p.scale() > priceGridScale && (mode == RoundingMode.FLOOR || mode == RoundingMode.CEILING)) {
            // the same tick: offset and tick are whole at the grid's scale, so digits below it cannot move a
            // floor or a ceiling across a grid point; this keeps the division on longs (a computed stop
            // carries 20 decimals)
            p = p.setScale(priceGridScale, mode);
        }
        BigDecimal ticks = p.subtract(priceGridOffset).divide(tick, 0, mode);
        return plain(priceGridOffset.add(ticks.multiply(tick)));
    }

    /**
     * Rounds a limit price to the tick the order side can live with: DOWN for a BUY (never pay more than
     * asked), UP for a SELL (never sell for less than asked).
     */
    public BigDecimal roundLimitPrice(Side side, BigDecimal price) {
        Objects.requireNonNull(side, "side");
        return roundPrice(price, side == Side.BUY ? RoundingMode.FLOOR : RoundingMode.CEILING);
    }

    /**
     * The largest valid quantity that {@code quoteAmount} buys at {@code price}: quote / price, rounded DOWN
     * to the order type's grid. Its notional never exceeds the quote amount. Returns 0 when even the
     * minimum quantity costs more. The notional filters are not applied here; {@link #validate} does that.
     */
    public BigDecimal qtyForQuote(BigDecimal quoteAmount, BigDecimal price, OrderType type) {
        requireNonNegative(quoteAmount, "quote amount");
        requirePositive(price, "price");
        // Truncating the quotient never crosses a grid point: grid points have far fewer than 24 decimals.
        BigDecimal raw = quoteAmount.divide(price, DIVISION_SCALE, RoundingMode.DOWN);
        return roundQtyDown(raw, type);
    }

    /**
     * Rounds a quote amount DOWN to what a {@code quoteOrderQty} MARKET order carries: the symbol's
     * quote precision. Rounding down keeps the spend inside whatever cap produced the amount.
     */
    public BigDecimal roundQuoteOrderQtyDown(BigDecimal quoteAmount) {
        requireNonNegative(quoteAmount, "quote amount");
        return plain(quoteAmount.setScale(Math.max(info.quotePrecision(), 0), RoundingMode.DOWN));
    }

    /**
     * The smallest quantity that passes the quantity minimums and the minimum notional at {@code price}
     * (for MARKET, the reference price Binance would use): handy to tell a sellable position from dust,
     * or to size the smallest possible entry. Returns null when that quantity would exceed maxQty.
     */
    public BigDecimal minTradableQty(BigDecimal price, OrderType type) {
        requirePositive(price, "price");
        BigDecimal need = minQty(type);
        BigDecimal minNotional = minNotional(type);
        if (minNotional.signum() > 0) {
            BigDecimal byNotional = minNotional.divide(price, DIVISION_SCALE, RoundingMode.CEILING);
            if (byNotional.compareTo(need) > 0) {
                need = byNotional;
            }
        }
        BigDecimal q = need;
        for (int pass = 0; pass < MAX_GRID_PASSES; pass++) {
            BigDecimal onLot = lotSize == null
                    ? q.setScale(Math.max(info.baseAssetPrecision(), 0), RoundingMode.CEILING)
                    : ceilOnGrid(q, lotSize.minQty(), lotSize.stepSize());
            BigDecimal onBoth = type == OrderType.MARKET && marketLotSize != null
                    ? ceilOnGrid(onLot, marketLotSize.minQty(), marketLotSize.stepSize()) : onLot;
            if (onBoth.compareTo(onLot) == 0) {
                BigDecimal max = maxQty(type);
                return max != null && onLot.compareTo(max) > 0 ? null : plain(onLot);
            }
            q = onBoth;
        }
        throw new IllegalStateException(symbol() + ": no common quantity grid point above " + need);
    }

    // ---------------------------------------------------------------- validation

    /**
     * Checks an order as Binance would before it reaches the matching engine.
     *
     * @param price for LIMIT/LIMIT_MAKER the order price; for MARKET the reference price Binance would use
     *              for the notional filters (its average price over avgPriceMins, or the last price; the
     *              caller supplies it). May be null for MARKET when no notional filter applies to MARKET.
     * @param qty   the base quantity
     * @return OK, or: -1013 {@code Invalid quantity.} / {@code Invalid price.} for non-positive values;
     *         -1111 {@code Parameter 'quantity'|'price' has too much precision.}; -2010 {@code Market is
     *         closed.} for a symbol not TRADING; -2010 for an order type the symbol does not offer; -1013
     *         {@code Filter failure: PRICE_FILTER|LOT_SIZE|MARKET_LOT_SIZE|MIN_NOTIONAL|NOTIONAL}.
     */
    public OrderCheck validate(Side side, OrderType type, BigDecimal price, BigDecimal qty) {
        return validate(side, type, price, qty, null);
    }

    /**
     * {@link #validate(Side, OrderType, BigDecimal, BigDecimal)}, and with {@code avgPrice} (the exchange's
     * weighted average over the filter's avgPriceMins, e.g. from {@code GET /api/v3/avgPrice}) also the
     * PERCENT_PRICE / PERCENT_PRICE_BY_SIDE band for priced orders: -1013 {@code Filter failure:
     * PERCENT_PRICE} or {@code Filter failure: PERCENT_PRICE_BY_SIDE}. A null avgPrice skips the band.
     */
    public OrderCheck validate(Side side, OrderType type, BigDecimal price, BigDecimal qty, BigDecimal avgPrice) {
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(type, "type");
        if (qty == null || qty.signum() <= 0) {
            return OrderCheck.reject(BinanceError.invalidQuantity(), symbol() + ": quantity " + qty + " is not positive");
        }
        if (type.hasPrice() && (price == null || price.signum() <= 0)) {
            return OrderCheck.reject(BinanceError.invalidPrice(), symbol() + ": " + type + " price " + price + " is not positive");
        }
        if (decimals(qty) > info.baseAssetPrecision()) {
            return OrderCheck.reject(BinanceError.badPrecision("quantity"), symbol() + ": quantity "
                    + qty.toPlainString() + " has more than baseAssetPrecision " + info.baseAssetPrecision() + " decimals");
        }
        if (type.hasPrice() && decimals(price) > info.quoteAssetPrecision()) {
            return OrderCheck.reject(BinanceError.badPrecision("price"), symbol() + ": price "
                    + price.toPlainString() + " has more than quoteAssetPrecision " + info.quoteAssetPrecision() + " decimals");
        }
        if (!info.isTrading()) {
            return OrderCheck.reject(BinanceError.newOrderRejected("Market is closed."),
                    symbol() + ": status is " + info.status() + ", not TRADING");
        }
        if (!info.allows(type)) {
            String msg = type == OrderType.MARKET ? "Market orders are not supported for this symbol."
                    : "Unsupported order combination";
            return OrderCheck.reject(BinanceError.newOrderRejected(msg),
                    symbol() + ": orderTypes " + info.orderTypes() + " do not include " + type);
        }
        for (SymbolFilter f : info.filters()) {
            OrderCheck c = check(f, side, type, price, qty, avgPrice);
            if (!c.isOk()) {
                return c;
            }
        }
        return OrderCheck.ok();
    }

    /**
     * MAX_NUM_ORDERS: may one more order be opened on the symbol while {@code openOrders} (algo orders
     * included) are open? Rejects with -1013 {@code Filter failure: MAX_NUM_ORDERS} at the limit.
     */
    public OrderCheck validateOpenOrders(int openOrders) {
        if (openOrders < 0) {
            throw new IllegalArgumentException(symbol() + ": open order count " + openOrders + " is negative");
        }
        if (maxNumOrders != null && maxNumOrders.maxNumOrders() > 0 && openOrders >= maxNumOrders.maxNumOrders()) {
            return OrderCheck.reject(BinanceError.filterFailure("MAX_NUM_ORDERS"), symbol() + ": " + openOrders
                    + " orders open, MAX_NUM_ORDERS is " + maxNumOrders.maxNumOrders());
        }
        return OrderCheck.ok();
    }

    private OrderCheck check(SymbolFilter f, Side side, OrderType type, BigDecimal price, BigDecimal qty,
                             BigDecimal avgPrice) {
        if (f instanceof SymbolFilter.PriceFilter p) {
            if (!type.hasPrice()) {
                return OrderCheck.ok();
            }
            String why = rangeAndGrid(price, p.minPrice(), p.maxPrice(), p.tickSize(), "price", "minPrice", "maxPrice", "tickSize");
            return why == null ? OrderCheck.ok() : OrderCheck.reject(BinanceError.filterFailure(p.filterType()), symbol() + ": " + why);
        }
        if (f instanceof SymbolFilter.LotSize l) {
            String why = rangeAndGrid(qty, l.minQty(), l.maxQty(), l.stepSize(), "quantity", "minQty", "maxQty", "stepSize");
            return why == null ? OrderCheck.ok() : OrderCheck.reject(BinanceError.filterFailure(l.filterType()), symbol() + ": " + why);
        }
        if (f instanceof SymbolFilter.MarketLotSize m) {
            if (type != OrderType.MARKET) {
                return OrderCheck.ok();
            }
            String why = rangeAndGrid(qty, m.minQty(), m.maxQty(), m.stepSize(), "quantity", "minQty", "maxQty", "stepSize");
            return why == null ? OrderCheck.ok() : OrderCheck.reject(BinanceError.filterFailure(m.filterType()), symbol() + ": " + why);
        }
        if (f instanceof SymbolFilter.MinNotional mn) {
            boolean applies = type.hasPrice() || mn.applyToMarket();
            if (!applies || mn.minNotional().signum() == 0) {
                return OrderCheck.ok();
            }
            BigDecimal notional = notional(type, price, qty, mn.filterType());
            if (notional.compareTo(mn.minNotional()) < 0) {
                return OrderCheck.reject(BinanceError.filterFailure(mn.filterType()), symbol() + ": notional "
                        + notional.toPlainString() + " < minNotional " + mn.minNotional().toPlainString() + priceNote(type, price));
            }
            return OrderCheck.ok();
        }
        if (f instanceof SymbolFilter.Notional n) {
            boolean minApplies = n.minNotional().signum() > 0 && (type.hasPrice() || n.applyMinToMarket());
            boolean maxApplies = n.maxNotional().signum() > 0 && (type.hasPrice() || n.applyMaxToMarket());
            if (!minApplies && !maxApplies) {
                return OrderCheck.ok();
            }
            BigDecimal notional = notional(type, price, qty, n.filterType());
            if (minApplies && notional.compareTo(n.minNotional()) < 0) {
                return OrderCheck.reject(BinanceError.filterFailure(n.filterType()), symbol() + ": notional "
                        + notional.toPlainString() + " < minNotional " + n.minNotional().toPlainString() + priceNote(type, price));
            }
            if (maxApplies && notional.compareTo(n.maxNotional()) > 0) {
                return OrderCheck.reject(BinanceError.filterFailure(n.filterType()), symbol() + ": notional "
                        + notional.toPlainString() + " > maxNotional " + n.maxNotional().toPlainString() + priceNote(type, price));
            }
            return OrderCheck.ok();
        }
        if (f instanceof SymbolFilter.PercentPrice pp) {
            return percentBand(pp.filterType(), type, price, avgPrice, pp.multiplierUp(), pp.multiplierDown());
        }
        if (f instanceof SymbolFilter.PercentPriceBySide pb) {
            return side == Side.BUY
                    ? percentBand(pb.filterType(), type, price, avgPrice, pb.bidMultiplierUp(), pb.bidMultiplierDown())
                    : percentBand(pb.filterType(), type, price, avgPrice, pb.askMultiplierUp(), pb.askMultiplierDown());
        }
        // MAX_NUM_ORDERS needs the open-order count (validateOpenOrders); the rest are KNOWN_UNENFORCED.
        return OrderCheck.ok();
    }

    /** The price band around the average price; MARKET orders carry no price and are not held to it. */
    private OrderCheck percentBand(String filterType, OrderType type, BigDecimal price, BigDecimal avgPrice,
                                   BigDecimal up, BigDecimal down) {
        if (!type.hasPrice() || avgPrice == null) {
            return OrderCheck.ok();
        }
        if (avgPrice.signum() <= 0) {
            throw new IllegalArgumentException(symbol() + ": average price must be positive, got " + avgPrice);
        }
        BigDecimal high = avgPrice.multiply(up);
        BigDecimal low = avgPrice.multiply(down);
        if (up.signum() > 0 && price.compareTo(high) > 0) {
            return OrderCheck.reject(BinanceError.filterFailure(filterType), symbol() + ": price " + price.toPlainString()
                    + " > average " + avgPrice.toPlainString() + " x " + up.toPlainString());
        }
        if (down.signum() > 0 && price.compareTo(low) < 0) {
            return OrderCheck.reject(BinanceError.filterFailure(filterType), symbol() + ": price " + price.toPlainString()
                    + " < average " + avgPrice.toPlainString() + " x " + down.toPlainString());
        }
        return OrderCheck.ok();
    }

    private BigDecimal notional(OrderType type, BigDecimal price, BigDecimal qty, String filterType) {
        if (price == null || price.signum() <= 0) {
            // Only reachable for MARKET: the caller owes the reference price the exchange would use.
            throw new IllegalArgumentException(symbol() + ": " + filterType + " applies to " + type
                    + " orders, so the check needs a positive reference price (average or last price), got " + price);
        }
        return price.multiply(qty);
    }

    private static String priceNote(OrderType type, BigDecimal price) {
        return type == OrderType.MARKET ? " (at reference price " + price.toPlainString() + ")" : "";
    }

    /** Null when the value passes the enabled parts; otherwise which part failed, in words. */
    private static String rangeAndGrid(BigDecimal v, BigDecimal min, BigDecimal max, BigDecimal step,
                                       String what, String minName, String maxName, String stepName) {
        if (min.signum() > 0 && v.compareTo(min) < 0) {
            return what + " " + v.toPlainString() + " < " + minName + " " + min.toPlainString();
        }
        if (max.signum() > 0 && v.compareTo(max) > 0) {
            return what + " " + v.toPlainString() + " > " + maxName + " " + max.toPlainString();
        }
        if (step.signum() > 0 && !multipleOf(v.subtract(min), step)) {
            return what + " " + v.toPlainString() + " is not " + minName + " " + min.toPlainString()
                    + " plus a multiple of " + stepName + " " + step.toPlainString();
        }
        return null;
    }

    // ---------------------------------------------------------------- grid arithmetic

    /** Is d a whole multiple of step (step > 0)? A truncating division and its product, which stay on longs. */
    private static boolean multipleOf(BigDecimal d, BigDecimal step) {
        return d.divide(step, 0, RoundingMode.DOWN).multiply(step).compareTo(d) == 0;
    }

    /** Largest origin + k·step ≤ v (k ≥ 0); v itself when step is 0; null when v < origin. */
    private static BigDecimal floorOnGrid(BigDecimal v, BigDecimal origin, BigDecimal step) {
        if (v.compareTo(origin) < 0) {
            return null;
        }
        if (step.signum() == 0) {
            return v;
        }
        // v - origin >= 0, so truncating is flooring
        BigDecimal k = v.subtract(origin).divide(step, 0, RoundingMode.DOWN);
        return origin.add(k.multiply(step));
    }

    /** Smallest origin + k·step ≥ v (k ≥ 0); max(v, origin) when step is 0. */
    private static BigDecimal ceilOnGrid(BigDecimal v, BigDecimal origin, BigDecimal step) {
        if (v.compareTo(origin) <= 0) {
            return origin;
        }
        if (step.signum() == 0) {
            return v;
        }
        BigDecimal k = v.subtract(origin).divide(step, 0, RoundingMode.CEILING);
        return origin.add(k.multiply(step));
    }

    private static int decimals(BigDecimal v) {
        return Math.max(v.stripTrailingZeros().scale(), 0);
    }

    private static BigDecimal plain(BigDecimal v) {
        if (v.signum() == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal s = v.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }

    private void requireNonNegative(BigDecimal v, String what) {
        if (v == null) {
            throw new IllegalArgumentException(symbol() + ": " + what + " is null");
        }
        if (v.signum() < 0) {
            throw new IllegalArgumentException(symbol() + ": " + what + " " + v.toPlainString() + " is negative");
        }
    }

    private void requirePositive(BigDecimal v, String what) {
        if (v == null || v.signum() <= 0) {
            throw new IllegalArgumentException(symbol() + ": " + what + " must be positive, got " + v);
        }
    }

    @Override
    public String toString() {
        return "SymbolFilters[" + symbol() + " tick=" + tickSize().toPlainString() + " step=" + stepSize().toPlainString()
                + " minNotional=" + minNotional(OrderType.LIMIT).toPlainString() + "]";
    }
}
