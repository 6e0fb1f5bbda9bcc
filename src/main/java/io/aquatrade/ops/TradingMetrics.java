package io.aquatrade.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import io.aquatrade.exchange.OrderThrottle;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Registers the trading gauges under {@code aquatrade_}, each reading the latest published
 * {@link TradingStatus}. Units are in the names; labels stay low-cardinality.
 */
public final class TradingMetrics {

    private final MeterRegistry registry;
    private final Supplier<TradingStatus> status;
    private final Set<String> symbols = ConcurrentHashMap.newKeySet();

    private TradingMetrics(MeterRegistry registry, Supplier<TradingStatus> status) {
        this.registry = registry;
        this.status = status;
    }

    public static TradingMetrics bind(MeterRegistry registry, Supplier<TradingStatus> status) {
        gauge(registry, "aquatrade.equity.quote", "Equity in USDT (cash plus holdings at mark)", status, s -> s.equity().doubleValue());
        gauge(registry, "aquatrade.cash.quote", "Free quote cash, USDT", status, s -> s.cash().doubleValue());
        gauge(registry, "aquatrade.deployable.quote", "Deployable capital by the capital rule, USDT", status,
                s -> s.deployable().doubleValue());
        gauge(registry, "aquatrade.exposure.quote", "Cost of open positions, USDT", status, s -> s.exposure().doubleValue());
        gauge(registry, "aquatrade.exposure.cap.quote", "Hard cap on total exposure, USDT", status,
                s -> s.maxTotalExposure().doubleValue());
        gauge(registry, "aquatrade.open.positions", "Open positions", status, s -> s.openPositions());
        gauge(registry, "aquatrade.open.positions.cap", "Hard cap on open positions", status, s -> s.maxOpenPositions());
        gauge(registry, "aquatrade.realized.pnl.quote", "Realised PnL, USDT", status, s -> s.realizedPnl().doubleValue());
        gauge(registry, "aquatrade.unrealized.pnl.quote", "Unrealised PnL, USDT", status,
                s -> s.unrealizedPnl().doubleValue());
        gauge(registry, "aquatrade.today.pnl.quote", "PnL of the UTC day, USDT", status, s -> s.todayPnl().doubleValue());
        gauge(registry, "aquatrade.daily.loss.limit.quote", "Hard daily-loss cap (risk.max_daily_loss_quote): Java halts"
                + " entries at this loss of the UTC day; the default rules halt earlier, at"
                + " strategy.daily_loss_halt_fraction of it, USDT", status,
                s -> s.maxDailyLoss().doubleValue());
        gauge(registry, "aquatrade.fees.quote", "Fees paid, valued in USDT", status, s -> s.fees().doubleValue());
        gauge(registry, "aquatrade.trades.last.minute", "Orders sent in the last rolling minute", status,
                s -> s.tradesLastMinute());
        gauge(registry, "aquatrade.trades.per.minute.cap", "Hard cap on orders per minute", status,
                s -> s.maxTradesPerMinute());
        gauge(registry, "aquatrade.trades.today", "Orders sent in the UTC day", status, s -> s.tradesToday());
        gauge(registry, "aquatrade.kill.switch.state", "Kill switch: 0 ACTIVE, 1 REDUCING, 2 HALTED", status,
                s -> switch (s.killSwitch()) {
                    case "REDUCING" -> 1;
                    case "HALTED" -> 2;
                    default -> 0;
                });
        gauge(registry, "aquatrade.entries.halted", "1 when new entries are halted for the UTC day", status,
                s -> s.entriesHalted() ? 1 : 0);
        gauge(registry, "aquatrade.replay.progress.ratio", "Share of the replay's events processed", status,
                TradingStatus::progress);
        gauge(registry, "aquatrade.clock.seconds", "The pipeline clock (event time in replay), epoch seconds", status,
                s -> s.clockMs() / 1000.0);
        gauge(registry, "aquatrade.trades.per.day.cap", "Hard cap on orders per UTC day", status,
                s -> s.maxTradesPerDay());
        gauge(registry, "aquatrade.symbol.exposure.cap.quote", "Hard cap on exposure in one symbol, USDT", status,
                s -> s.maxSymbolExposure().doubleValue());
        gauge(registry, "aquatrade.position.cap.quote", "Hard cap on the cost of one position, USDT", status,
                s -> s.maxPositionQuote().doubleValue());
        bindProtection(registry, status);
        bindJournal(registry, status);
        return new TradingMetrics(registry, status);
    }

    /** The kinds of protection that rest on the exchange, as {@code aquatrade_protective_orders{kind}} counts them. */
    private static final List<String> PROTECTION_KINDS = List.of("OCO", "STOP_LOSS_LIMIT");

    /**
     * Registers {@code aquatrade_protective_orders{kind}} (open positions whose protection rests on the exchange as
     * an OCO or a STOP_LOSS_LIMIT) and {@code aquatrade_protective_order_moves_total} (cancel-replace moves).
     */
    private static void bindProtection(MeterRegistry registry, Supplier<TradingStatus> status) {
        for (String kind : PROTECTION_KINDS) {
            Gauge.builder("aquatrade.protective.orders", status, s -> s.get().positions().stream()
                            .filter(p -> kind.equals(p.protectionKind())).count())
                    .strongReference(true).description("Open positions protected on the exchange, by kind of protection")
                    .tag("kind", kind).register(registry);
        }
        io.micrometer.core.instrument.FunctionCounter.builder("aquatrade.protective.order.moves", status,
                        s -> s.get().protectionMoves())
                .description("Resting protections moved by cancel-replace (trailing stop, held quantity)").register(registry);
    }

    /**
     * Registers {@code aquatrade_journal_write_failures_total} (journal writes that failed, each retry counted) and
     * {@code aquatrade_journal_unwritten_fills} (fills applied but not yet journaled: new entries pause while above 0).
     */
    private static void bindJournal(MeterRegistry registry, Supplier<TradingStatus> status) {
        io.micrometer.core.instrument.FunctionCounter.builder("aquatrade.journal.write.failures", status,
                        s -> s.get().journal().writeFailures())
                .description("Order journal writes that failed (a fill's write is retried and each attempt counts)")
                .register(registry);
        gauge(registry, "aquatrade.journal.unwritten.fills", "Fills applied but not yet journaled (entries pause)", status,
                s -> s.journal().unwrittenFills());
    }

    /**
     * Registers {@code aquatrade_symbol_exposure_quote{symbol}} for symbols not seen before (the traded
     * symbols: known at start, or as the first events of a replay arrive). Cheap when nothing is new.
     */
    public void ensureSymbols(Collection<String> traded) {
        for (String sym : traded) {
            if (symbols.add(sym)) {
                Gauge.builder("aquatrade.symbol.exposure.quote", status, s -> {
                    BigDecimal e = s.get().exposureBySymbol().get(sym);
                    return e == null ? 0 : e.doubleValue();
                }).strongReference(true).description("Cost of the open position in the symbol, USDT").tag("symbol", sym).register(registry);
                Gauge.builder("aquatrade.symbol.paused", status, s -> {
                    for (TradingStatus.PauseRow p : s.get().pauses()) {
                        if (p.symbol().equals(sym)) {
                            return 1;
                        }
                    }
                    return 0;
                }).strongReference(true).description("1 while the symbol is paused for entries (stale feed, circuit breaker, by hand)")
                        .tag("symbol", sym).register(registry);
            }
        }
    }

    /** Registers {@code aquatrade_throttle_usage_ratio{limit}}: used / the exchange's limit, per rate limit. */
    public void bindThrottle(OrderThrottle throttle) {
        for (OrderThrottle.Usage u : throttle.usage()) {
            String name = u.name();
            Gauge.builder("aquatrade.throttle.usage.ratio", throttle, t -> {
                for (OrderThrottle.Usage x : t.usage()) {
                    if (x.name().equals(name)) {
                        return x.fractionOfLimit();
                    }
                }
                return Double.NaN;
            }).strongReference(true).description("Share of the exchange's rate limit used in its window").tag("limit", name).register(registry);
        }
    }

    private static void gauge(MeterRegistry r, String name, String help, Supplier<TradingStatus> status,
                              ToDoubleFunction<TradingStatus> f) {
        // strong: Micrometer holds a gauge's state weakly, and nothing else may hold this supplier
        Gauge.builder(name, status, s -> f.applyAsDouble(s.get())).strongReference(true).description(help).register(r);
    }
}
