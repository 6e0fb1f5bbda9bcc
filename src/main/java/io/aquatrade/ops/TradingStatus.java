package io.aquatrade.ops;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * An immutable picture of the bot, published by the pipeline after every decision round and on a
 * timer. It carries no secret: the status API serves it as it is.
 */
public record TradingStatus(String mode, String phase, long clockMs, long wallMs, String killSwitch,
                            boolean entriesHalted, String haltReason, BigDecimal startQuote, BigDecimal equity,
                            BigDecimal cash, BigDecimal deployable, BigDecimal exposure, BigDecimal maxTotalExposure,
                            int openPositions, int maxOpenPositions, BigDecimal realizedPnl, BigDecimal unrealizedPnl,
                            BigDecimal todayPnl, BigDecimal maxDailyLoss, BigDecimal fees, long fills, long ordersSent,
                            int tradesToday, int tradesLastMinute, int maxTradesPerMinute, int maxTradesPerDay,
                            long events, double progress, List<PositionRow> positions, List<TradeRow> latestTrades,
                            Map<String, Long> refusals, String rulesVersion,
                            BigDecimal maxPositionQuote, BigDecimal maxSymbolExposure,
                            Map<String, BigDecimal> exposureBySymbol, List<StreamHealth.StreamRow> streams,
                            ControlPort.RulesStatus rules, boolean exchangeBanned, String version, long startedAtMs,
                            String killSwitchCause, List<PauseRow> pauses, List<EquityPoint> equityToday,
                            BigDecimal dayStartEquity, Reconciliation reconciliation, VenueStatus venue,
                            List<BalanceRow> balances, List<OpenOrderRow> openOrders, long protectionMoves,
                            JournalHealth journal) {

    /**
     * The order journal's health: {@code writeFailures} since the start (each retry counted), {@code unwrittenFills}
     * applied but not yet journaled (retried; new entries pause meanwhile), and why they pause ({@code failing}, null
     * while every fill is journaled).
     */
    public record JournalHealth(long writeFailures, int unwrittenFills, String failing) {
        public static final JournalHealth OK = new JournalHealth(0, 0, null);
    }

    /**
     * Reconciliation with the exchange at start: {@code state} pending, ok or failed; when failed the
     * bot does not trade and {@code failure} says why; {@code findings} are the disagreements found
     * (kind, symbol, how the exchange's truth was applied).
     */
    public record Reconciliation(String state, String failure, List<String> findings) {
        public static final Reconciliation PENDING = new Reconciliation("pending", null, List.of());
    }

    /**
     * An open position; {@code protection} says how it is protected ({@code local}, {@code exchange OCO stop X tp Y},
     * ...), {@code protectionKind} is OCO, STOP_LOSS_LIMIT or local.
     */
    public record PositionRow(String symbol, BigDecimal qty, BigDecimal avgEntryPrice, BigDecimal lastPrice,
                              BigDecimal costQuote, BigDecimal unrealizedPnl, BigDecimal stopPrice,
                              BigDecimal takeProfitPrice, String entryReason, String protection,
                              String protectionKind) {
    }

    /** A fill; {@code realizedPnl} is what a SELL booked, net of fees (zero on a BUY). */
    public record TradeRow(long timeMs, String symbol, String side, BigDecimal price, BigDecimal qty,
                           BigDecimal quoteQty, String reason, String clientOrderId, BigDecimal realizedPnl) {
    }

    /**
     * A symbol paused for entries now: {@code kind} "circuit breaker", "stale feed", "price outliers" or "paused",
     * until {@code untilMs} (market clock; 0 for price outliers: until its feed agrees with the sanity band again),
     * with the guardrail's own words and who decided.
     */
    public record PauseRow(String symbol, String kind, long sinceMs, long untilMs, String cause, String source) {
    }

    /** One minute of the equity curve: equity and the day's PnL (equity against the UTC day's start). */
    public record EquityPoint(long timeMs, BigDecimal equity, BigDecimal todayPnl) {
    }

    /** One asset of the venue's account (the simulator's in replay and paper, Binance's in testnet and live). */
    public record BalanceRow(String asset, BigDecimal free, BigDecimal locked) {
    }

    /** An order still open on the venue. */
    public record OpenOrderRow(String symbol, String clientOrderId, String side, String status, BigDecimal origQty,
                               BigDecimal executedQty, long timeMs) {
    }

    public static TradingStatus starting(String mode) {
        BigDecimal z = BigDecimal.ZERO;
        long now = System.currentTimeMillis();
        return new TradingStatus(mode, "starting", 0, now, "ACTIVE", false, null, z, z, z, z, z,
                z, 0, 0, z, z, z, z, z, 0, 0, 0, 0, 0, 0, 0, 0, List.of(), List.of(), Map.of(), "",
                z, z, Map.of(), List.of(), null, false, OpsMetrics.buildVersion(), now, null, List.of(), List.of(), z,
                Reconciliation.PENDING, null, List.of(), List.of(), 0, JournalHealth.OK);
    }
}
