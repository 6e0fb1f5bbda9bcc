package io.aquatrade.portfolio;

import io.aquatrade.model.Account;
import io.aquatrade.model.Fill;
import io.aquatrade.model.Position;
import io.aquatrade.model.Side;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The account in the quote asset. Single writer (the pipeline thread). Every change comes from a
 * {@link Fill}; marks only change valuations.
 */
public final class Portfolio {

    /** Tells whether a remaining quantity can still be sold under the symbol's exchange filters. */
    @FunctionalInterface
    public interface DustRule {
        boolean isDust(String symbol, BigDecimal qty, BigDecimal price);
    }

    private static final MathContext MC = MathContext.DECIMAL64;

    private final String quoteAsset;
    private final BigDecimal startQuote;
    private final BigDecimal baseFraction;
    private final BigDecimal reinvestFraction;
    private final Function<String, String> baseAssetOf;
    private final DustRule dustRule;

    private BigDecimal cash;
    private BigDecimal realizedPnl = BigDecimal.ZERO;
    private BigDecimal feesQuote = BigDecimal.ZERO;
    private final Map<String, Holding> holdings = new TreeMap<>();
    private final Map<String, BigDecimal> tripPnl = new TreeMap<>();
    private final List<RoundTrip> roundTrips = new ArrayList<>();
    private final Map<String, Integer> consecutiveLosses = new TreeMap<>();
    private final Map<String, Long> lastExitTimeMs = new TreeMap<>();
    private long dayStartMs = Long.MIN_VALUE;
    /**
     * {@link #tradingEquity()} when the UTC day began: the day's PnL is measured from it, so money moved in or out
     * from outside the bot neither hides a trading loss nor counts as one.
     */
    private BigDecimal dayStartTradingEquity;
    /** Net change of equity from outside the bot since this portfolio was built (deposits, withdrawals, sales by hand). */
    private BigDecimal outsideEquity = BigDecimal.ZERO;
    private DayStartListener dayStartListener = (dayStartMs, startTradingEquity) -> { };
    private long fills;
    /** Quote value of fees paid in a third asset (BNB): a cost, though neither cash nor a holding pays it. */
    private BigDecimal otherAssetFeesQuote = BigDecimal.ZERO;
    private final Map<String, BigDecimal> unvaluedFees = new TreeMap<>();
    private Function<String, BigDecimal> assetPriceInQuote = a -> null;
    private BigDecimal externalQuote = BigDecimal.ZERO;
    private final List<ExternalChange> externalChanges = new ArrayList<>();
    private Consumer<ExternalChange> externalChangeListener = c -> { };
    /**
     * {@link #equity()} since the last change of cash, a holding or a mark; null once one changed. A decision round
     * values the account several times (the rules' account fact, the daily-loss cap, the report's sample) between
     * two marks. Every method that changes what equity adds up clears it.
     */
    private BigDecimal equityMemo;

    public Portfolio(String quoteAsset, BigDecimal startQuote, BigDecimal baseFraction, BigDecimal reinvestFraction,
                     Function<String, String> baseAssetOf, DustRule dustRule) {
        this.quoteAsset = quoteAsset;
        this.startQuote = startQuote;
        this.baseFraction = baseFraction;
        this.reinvestFraction = reinvestFraction;
        this.baseAssetOf = baseAssetOf;
        this.dustRule = dustRule;
        this.cash = startQuote;
        this.dayStartTradingEquity = startQuote;
    }

    /**
     * A portfolio with this one's settings (capital, fractions, assets, dust rule, fee prices) and no fill yet: recovery
     * rebuilds in it the books as they stood at a past moment.
     */
    public Portfolio emptyCopy() {
        Portfolio p = new Portfolio(quoteAsset, startQuote, baseFraction, reinvestFraction, baseAssetOf, dustRule);
        p.assetPriceInQuote = assetPriceInQuote;
        return p;
    }

    /** Hears each new UTC day's start (to journal it: a restart the same day continues the day). */
    @FunctionalInterface
    public interface DayStartListener {
        void onDayStart(long dayStartMs, BigDecimal startTradingEquity);
    }

    public void setDayStartListener(DayStartListener listener) {
        this.dayStartListener = listener == null ? (d, e) -> { } : listener;
    }

    /**
     * A change of the account the bot did not cause (a deposit, a withdrawal, a trade placed by hand, a sale of
     * more than the bot held): reported and absorbed into the books, never an error.
     *
     * @param asset the asset that changed
     * @param delta the change in that asset (positive: came in)
     * @param cause what the exchange or the fill said about it
     */
    public record ExternalChange(long timeMs, String asset, BigDecimal delta, String cause) {
    }

    /**
     * Where the quote price of another asset comes from (e.g. the last BNBUSDT price the bot saw), so fees paid in
     * it are valued. Returns null when no price is known.
     */
    public void setAssetPrices(Function<String, BigDecimal> assetPriceInQuote) {
        this.assetPriceInQuote = assetPriceInQuote == null ? a -> null : assetPriceInQuote;
    }

    /** Hears every {@link ExternalChange} as it is absorbed (for a log line, a notice, the status page). */
    public void setExternalChangeListener(Consumer<ExternalChange> listener) {
        this.externalChangeListener = listener == null ? c -> { } : listener;
    }

    /**
     * Applies a fill. BUY: cash pays the quote, the fee is taken from the base received. SELL: the
     * fee is taken from the quote received; realised PnL is proceeds minus the average cost of the
     * quantity sold. A fee in a third asset (BNB) is valued at that asset's quote price and counted as a
     * cost of the trade (in the entry's cost on a BUY, against the proceeds on a SELL). A SELL of more than
     * is held (units that came from outside the bot) is absorbed and reported, not refused. Returns the
     * round trip this fill closed, or null.
     */
    public RoundTrip apply(Fill f) {
        equityMemo = null;
        fills++;
        Holding h = holdings.computeIfAbsent(f.symbol(), s -> new Holding(s, baseAssetOf.apply(s)));
        boolean feeInBase = f.feeAsset().equals(h.baseAsset());
        boolean feeInQuote = f.feeAsset().equals(quoteAsset);
        BigDecimal feeValue = feeInQuote ? f.fee() : feeInBase ? f.fee().multiply(f.price()) : otherAssetFee(f);
        BigDecimal otherFee = feeInQuote || feeInBase ? BigDecimal.ZERO : feeValue;
        otherAssetFeesQuote = otherAssetFeesQuote.add(otherFee);
        feesQuote = feesQuote.add(feeValue);
        if (f.side() == Side.BUY) {
            BigDecimal received = feeInBase ? f.qty().subtract(f.fee()) : f.qty();
            cash = cash.subtract(f.quoteQty());
            if (!h.open) {
                // a new position; dust left from the last one joins it at its remaining cost
                h.open = true;
                h.entryTimeMs = f.timeMs();
                h.peakPrice = f.price();
                h.entryReason = f.reason();
                h.tripCost = h.costQuote;
                h.tripProceeds = BigDecimal.ZERO;
                h.tripFees = BigDecimal.ZERO;
                h.stopPrice = null;
                h.takeProfitPrice = null;
                h.stopReason = null;
                tripPnl.put(f.symbol(), BigDecimal.ZERO);
            }
            h.qty = h.qty.add(received);
            h.costQuote = h.costQuote.add(f.quoteQty()).add(otherFee);
            h.tripCost = h.tripCost.add(f.quoteQty()).add(otherFee);
            h.tripFees = h.tripFees.add(feeValue);
            h.mark(f.price());
            return null;
        }
        BigDecimal proceeds = feeInQuote ? f.quoteQty().subtract(f.fee()) : f.quoteQty();
        BigDecimal leaving = feeInBase ? f.qty().add(f.fee()) : f.qty();
        BigDecimal externalProceeds = BigDecimal.ZERO;
        if (leaving.compareTo(h.qty) > 0) {
            // more left the account than the bot held: the rest came from outside (a deposit, a manual buy)
            BigDecimal excess = leaving.subtract(h.qty);
            BigDecimal bySold = f.qty().signum() == 0 ? BigDecimal.ZERO : excess.min(f.qty());
            externalProceeds = f.qty().signum() == 0 ? BigDecimal.ZERO : proceeds.multiply(bySold).divide(f.qty(), MC);
            absorb(new ExternalChange(f.timeMs(), h.baseAsset(), excess, "fill " + f.clientOrderId() + " sold " + f.qty()
                    + (feeInBase ? " plus fee " + f.fee() : "") + " " + h.baseAsset() + " but the bot held " + h.qty));
            externalQuote = externalQuote.add(externalProceeds);
            outsideEquity = outsideEquity.add(externalProceeds);
        }
        BigDecimal costOfSold = h.qty.signum() == 0 ? BigDecimal.ZERO
                : h.costQuote.multiply(f.qty().min(h.qty)).divide(h.qty, MC);
        BigDecimal pnl = proceeds.subtract(externalProceeds).subtract(costOfSold).subtract(otherFee);
        if (feeInBase) { // paid in the base asset: sold qty plus fee leave the holding
            h.qty = h.qty.subtract(f.fee()).max(BigDecimal.ZERO);
        }
        cash = cash.add(proceeds);
        realizedPnl = realizedPnl.add(pnl);
        h.qty = h.qty.subtract(f.qty()).max(BigDecimal.ZERO);
        h.costQuote = h.costQuote.subtract(costOfSold);
        if (h.qty.signum() == 0) {
            h.costQuote = BigDecimal.ZERO;
        }
        h.tripProceeds = h.tripProceeds.add(proceeds.subtract(externalProceeds));
        h.tripFees = h.tripFees.add(feeValue);
        tripPnl.merge(f.symbol(), pnl, BigDecimal::add);
        h.mark(f.price());
        if (h.open && dustRule.isDust(f.symbol(), h.qty, f.price())) {
            h.open = false;
            BigDecimal trip = tripPnl.getOrDefault(f.symbol(), BigDecimal.ZERO);
            RoundTrip rt = new RoundTrip(f.symbol(), h.entryTimeMs, f.timeMs(), h.tripCost, h.tripProceeds, trip,
                    h.tripFees, h.entryReason, f.reason());
            roundTrips.add(rt);
            consecutiveLosses.merge(f.symbol(), 1, Integer::sum);
            if (rt.win()) {
                consecutiveLosses.put(f.symbol(), 0);
            }
            lastExitTimeMs.put(f.symbol(), f.timeMs());
            h.stopPrice = null;
            h.takeProfitPrice = null;
            return rt;
        }
        return null;
    }

    /** The quote value of a fee paid in a third asset; unpriced fees are kept per asset and reported, not dropped. */
    private BigDecimal otherAssetFee(Fill f) {
        if (f.fee().signum() == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal price = assetPriceInQuote.apply(f.feeAsset());
        if (price == null || price.signum() <= 0) {
            unvaluedFees.merge(f.feeAsset(), f.fee(), BigDecimal::add);
            return BigDecimal.ZERO;
        }
        return f.fee().multiply(price);
    }

    /**
     * Absorbs a change of an asset the bot did not cause (a {@code balanceUpdate} from the exchange, a trade placed by
     * hand): the quote asset moves cash (outside PnL and the capital rule); a held base asset moves the holding at its
     * current mark (so PnL is unchanged); any other asset is only reported. Never throws.
     */
    public ExternalChange absorbExternal(String asset, BigDecimal delta, String cause, long timeMs) {
        ExternalChange c = new ExternalChange(timeMs, asset, delta, cause);
        BigDecimal equityBefore = equity();
        equityMemo = null;
        if (asset.equals(quoteAsset)) {
            cash = cash.add(delta);
            externalQuote = externalQuote.add(delta);
        } else {
            for (Holding h : holdings.values()) {
                if (h.baseAsset().equals(asset)) {
                    BigDecimal before = h.qty;
                    h.qty = h.qty.add(delta).max(BigDecimal.ZERO);
                    BigDecimal moved = h.qty.subtract(before);
                    if (moved.signum() < 0 && before.signum() > 0) {
                        h.costQuote = h.costQuote.multiply(h.qty).divide(before, MC);
                    } else if (moved.signum() > 0) {
                        h.costQuote = h.costQuote.add(moved.multiply(h.markPrice));
                    }
                    break;
                }
            }
        }
        movedFromOutside(equityBefore);
        absorb(c);
        return c;
    }

    /** Counts the change of equity since {@code before} as moved from outside the bot (not the day's trading PnL). */
    private void movedFromOutside(BigDecimal before) {
        equityMemo = null;
        outsideEquity = outsideEquity.add(equity().subtract(before));
    }

    private void absorb(ExternalChange c) {
        externalChanges.add(c);
        externalChangeListener.accept(c);
    }

    /** Every change absorbed from outside the bot, oldest first. */
    public List<ExternalChange> externalChanges() {
        return Collections.unmodifiableList(externalChanges);
    }

    /** Net quote that came in from outside the bot (deposits, sales of units the bot did not buy). */
    public BigDecimal externalQuote() {
        return externalQuote;
    }

    /** Fees paid in an asset whose quote price was not known when they were paid, by asset. */
    public Map<String, BigDecimal> unvaluedFees() {
        return Collections.unmodifiableMap(unvaluedFees);
    }

    /** Quote value of the fees paid in a third asset (BNB). */
    public BigDecimal otherAssetFees() {
        return otherAssetFeesQuote;
    }

    /** Revalues a holding at a new market price. */
    public void mark(String symbol, BigDecimal price) {
        Holding h = holdings.get(symbol);
        if (h != null) {
            equityMemo = null;
            h.mark(price);
        }
    }

    /** Starts a new UTC day's PnL at the current trading equity when {@code nowMs} enters a new day. */
    public void onClock(long nowMs) {
        long day = nowMs - Math.floorMod(nowMs, 86_400_000L);
        if (day > dayStartMs) {
            dayStartMs = day;
            dayStartTradingEquity = tradingEquity();
            dayStartListener.onDayStart(day, dayStartTradingEquity);
        }
    }

    /**
     * A restart continues a UTC day an earlier run began (from the journal): its PnL stays measured from the day's
     * start, not from the equity the restart found. A clock in a later day starts that day afresh.
     */
    public void continueDay(long dayStartMs, BigDecimal startTradingEquity) {
        if (Math.floorMod(dayStartMs, 86_400_000L) != 0) {
            throw new IllegalArgumentException("day start " + dayStartMs + " is not a UTC midnight");
        }
        this.dayStartMs = dayStartMs;
        this.dayStartTradingEquity = java.util.Objects.requireNonNull(startTradingEquity, "startTradingEquity");
    }

    public void setProtectiveLevels(String symbol, BigDecimal stop, BigDecimal takeProfit, String templateDay) {
        Holding h = holdings.get(symbol);
        if (h != null && h.open) {
            h.stopPrice = stop;
            h.takeProfitPrice = takeProfit;
            h.stopReason = stop == null ? null : "stop_loss";
            if (templateDay != null) {
                h.templateDay = templateDay;
            }
        }
    }

    /**
     * Reconciliation found less of a position's base asset on the exchange than its fills add up to
     * (sold or withdrawn by hand): the exchange's quantity wins. The missing part leaves the books at
     * its average cost, with no proceeds the bot could count; a position left as dust is no longer open.
     * Returns the quantity removed.
     */
    public BigDecimal reduceToExchangeQuantity(String symbol, BigDecimal exchangeQty) {
        Holding h = holdings.get(symbol);
        if (h == null || exchangeQty.compareTo(h.qty) >= 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal kept = exchangeQty.max(BigDecimal.ZERO);
        BigDecimal before = equity();
        BigDecimal removed = h.qty.subtract(kept);
        h.costQuote = h.qty.signum() == 0 ? BigDecimal.ZERO : h.costQuote.multiply(kept).divide(h.qty, MC);
        h.qty = kept;
        if (h.open && dustRule.isDust(symbol, h.qty, h.markPrice.signum() > 0 ? h.markPrice : h.avgEntryPrice())) {
            h.open = false;
            h.stopPrice = null;
            h.takeProfitPrice = null;
        }
        movedFromOutside(before);
        return removed;
    }

    /** The exchange holds less of the quote asset than the bot's cash: the bot can spend only what is there. */
    public BigDecimal capCashToExchange(BigDecimal exchangeQuote) {
        if (exchangeQuote.compareTo(cash) >= 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal before = equity();
        BigDecimal removed = cash.subtract(exchangeQuote);
        cash = exchangeQuote;
        movedFromOutside(before);
        return removed;
    }

    /** Raises (never lowers) the stop of an open position. Returns true if it moved. */
    public boolean raiseStop(String symbol, BigDecimal stop, String reason) {
        Holding h = holdings.get(symbol);
        if (h == null || !h.open || stop == null) {
            return false;
        }
        if (h.stopPrice == null || stop.compareTo(h.stopPrice) > 0) {
            h.stopPrice = stop;
            h.stopReason = reason;
            return true;
        }
        return false;
    }

    // --- valuations

    public BigDecimal cash() { return cash; }
    public BigDecimal startQuote() { return startQuote; }

    /** The share of realised PnL the capital rule adds to what may be deployed (capital.profit_reinvest_fraction). */
    public BigDecimal reinvestFraction() { return reinvestFraction; }
    public BigDecimal realizedPnl() { return realizedPnl; }
    public BigDecimal fees() { return feesQuote; }
    public long fills() { return fills; }
    public String quoteAsset() { return quoteAsset; }

    /** Cash plus holdings at their marks, less fees paid in a third asset (spent, though cash did not pay them). */
    public BigDecimal equity() {
        BigDecimal e = equityMemo;
        if (e != null) {
            return e;
        }
        e = cash.subtract(otherAssetFeesQuote);
        for (Holding h : holdings.values()) {
            if (h.qty.signum() != 0) {
                e = e.add(h.marketValue());
            }
        }
        equityMemo = e;
        return e;
    }

    public BigDecimal unrealizedPnl() {
        BigDecimal u = BigDecimal.ZERO;
        for (Holding h : holdings.values()) {
            if (h.qty.signum() != 0) {
                u = u.add(h.unrealizedPnl());
            }
        }
        return u;
    }

    /** Capital rule: base fraction of the starting capital plus the reinvested share of realised PnL (losses reduce it). */
    public BigDecimal deployable() {
        BigDecimal d = startQuote.multiply(baseFraction).add(realizedPnl.multiply(reinvestFraction));
        return d.max(BigDecimal.ZERO);
    }

    /** Cost of the open positions. */
    public BigDecimal exposure() {
        BigDecimal x = BigDecimal.ZERO;
        for (Holding h : holdings.values()) {
            if (h.open) {
                x = x.add(h.costQuote);
            }
        }
        return x;
    }

    public BigDecimal exposure(String symbol) {
        Holding h = holdings.get(symbol);
        return h == null || !h.open ? BigDecimal.ZERO : h.costQuote;
    }

    /**
     * Cost of what is held of the symbol, the dust a closed position left included: a new position takes that dust
     * over at its cost (see {@link #apply}), so an entry is sized against this, not against {@link #exposure(String)}.
     */
    public BigDecimal heldCost(String symbol) {
        Holding h = holdings.get(symbol);
        return h == null ? BigDecimal.ZERO : h.costQuote;
    }

    public BigDecimal marketExposure() {
        BigDecimal x = BigDecimal.ZERO;
        for (Holding h : holdings.values()) {
            if (h.open) {
                x = x.add(h.marketValue());
            }
        }
        return x;
    }

    public int openPositions() {
        int n = 0;
        for (Holding h : holdings.values()) {
            if (h.open) {
                n++;
            }
        }
        return n;
    }

    /** The UTC day's PnL: trading equity now against the day's start; money moved from outside is not PnL. */
    public BigDecimal todayPnl() {
        return todayPnl(equity());
    }

    /** As {@link #todayPnl()}, given {@link #equity()} (the account fact needs both). */
    private BigDecimal todayPnl(BigDecimal equity) {
        return equity.subtract(outsideEquity).subtract(dayStartTradingEquity);
    }

    /** Equity less the net of what came in or left from outside the bot: what its own trading made of the start. */
    public BigDecimal tradingEquity() {
        return equity().subtract(outsideEquity);
    }

    /** The day's starting equity, moved by every change from outside since (equity minus it is the day's PnL). */
    public BigDecimal dayStartEquity() {
        return dayStartTradingEquity.add(outsideEquity);
    }

    /** {@link #tradingEquity()} when the UTC day began. */
    public BigDecimal dayStartTradingEquity() {
        return dayStartTradingEquity;
    }

    public Holding holding(String symbol) {
        return holdings.get(symbol);
    }

    public Map<String, Holding> holdings() {
        return Collections.unmodifiableMap(holdings);
    }

    public List<RoundTrip> roundTrips() {
        return Collections.unmodifiableList(roundTrips);
    }

    public int consecutiveLosses(String symbol) {
        return consecutiveLosses.getOrDefault(symbol, 0);
    }

    public long lastEntryTimeMs(String symbol) {
        Holding h = holdings.get(symbol);
        return h == null ? 0L : h.entryTimeMs;
    }

    public long lastExitTimeMs(String symbol) {
        return lastExitTimeMs.getOrDefault(symbol, 0L);
    }

    // --- rule facts

    public Account accountFact(int tradesToday, int tradesLastMinute) {
        BigDecimal exposure = exposure();
        BigDecimal deployable = deployable();
        BigDecimal available = deployable.subtract(exposure).min(cash).max(BigDecimal.ZERO);
        BigDecimal equity = equity();
        return new Account(startQuote, equity, cash, deployable, exposure, available, openPositions(),
                realizedPnl, feesQuote, todayPnl(equity), tradesToday, tradesLastMinute);
    }

    /**
     * The open position of a symbol as a rule fact, or null.
     *
     * @param exitPending an exit order is in flight (the order manager knows; the portfolio holds no orders)
     */
    public Position positionFact(String symbol, long nowMs, boolean exitPending) {
        Holding h = holdings.get(symbol);
        if (h == null || !h.open) {
            return null;
        }
        BigDecimal avg = h.avgEntryPrice();
        return new Position(symbol, h.qty, avg, h.costQuote, h.entryTimeMs, h.markPrice,
                h.unrealizedPct(avg), h.peakPrice, h.drawdownFromPeakPct(), Math.max(0, (nowMs - h.entryTimeMs) / 60_000L),
                h.stopPrice, h.takeProfitPrice, h.entryReason, h.templateDay, exitPending);
    }
}
