package io.aquatrade.app;

import io.aquatrade.exchange.OrderRequest;
import io.aquatrade.execution.ExecutionService;
import io.aquatrade.model.Fill;
import io.aquatrade.model.KillSwitchLevel;
import io.aquatrade.model.OrderIntent;
import io.aquatrade.ops.Notice;
import io.aquatrade.ops.OpsMetrics;
import io.aquatrade.rules.Decisions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Turns what execution and the pipeline do into metrics, order logs and operator notices. Runs on
 * the pipeline's thread: every meter is cached in {@link OpsMetrics}; a notice is only queued.
 *
 * <p>Order events are logged on the {@code io.aquatrade.orders} logger with the client order id in
 * the MDC ({@code clientOrderId}): the per-order correlation id of the structured JSON logs. They are
 * logged at INFO when trading for real (live, testnet, paper) and at DEBUG in a replay, where a
 * backtest's thousands of simulated orders would bury everything else.
 */
final class RunObserver implements ExecutionService.Observer, TradingPipeline.DecisionObserver {

    static final String ORDER_LOGGER = "io.aquatrade.orders";
    static final String MDC_ORDER_ID = "clientOrderId";
    private static final Logger orders = LoggerFactory.getLogger(ORDER_LOGGER);

    private final OpsMetrics metrics;
    private final Consumer<Notice> notices;
    /** Submission time (System.nanoTime) of each order until its first fill or its end. */
    private final Map<String, Long> sentNanos = new HashMap<>();

    private final boolean ordersAtInfo;

    RunObserver(OpsMetrics metrics, Consumer<Notice> notices, boolean ordersAtInfo) {
        this.metrics = metrics;
        this.notices = notices;
        this.ordersAtInfo = ordersAtInfo;
    }

    private boolean logOrders() {
        return ordersAtInfo ? orders.isInfoEnabled() : orders.isDebugEnabled();
    }

    private void orderLog(String format, Object... args) {
        if (ordersAtInfo) {
            orders.info(format, args);
        } else {
            orders.debug(format, args);
        }
    }

    @Override
    public void onOrderSent(OrderRequest order) {
        sentNanos.put(order.clientOrderId(), System.nanoTime());
        metrics.orders(order.side().name(), "sent").increment();
        if (logOrders()) {
            withOrderId(order.clientOrderId(), () -> orderLog("order sent {} {} {} reason={}", order.side(),
                    order.symbol(), order.quantity() != null ? "qty=" + order.quantity().toPlainString()
                            : "quote=" + order.quoteOrderQty().toPlainString(), order.reason()));
        }
    }

    @Override
    public void onFill(Fill fill) {
        Long sent = sentNanos.remove(fill.clientOrderId());
        if (sent != null) { // the order's first fill
            metrics.orderLatency().record(System.nanoTime() - sent, TimeUnit.NANOSECONDS);
            metrics.orders(fill.side().name(), "filled").increment();
        }
        metrics.fill(fill.symbol(), fill.side().name(), fill.reason()).increment();
        if (logOrders()) {
            withOrderId(fill.clientOrderId(), () -> orderLog("fill {} {} qty={} price={} quote={} fee={} {} reason={}",
                    fill.side(), fill.symbol(), fill.qty().toPlainString(), fill.price().toPlainString(),
                    fill.quoteQty().toPlainString(), fill.fee().toPlainString(), fill.feeAsset(), fill.reason()));
        }
    }

    @Override
    public void onOrderDone(OrderRequest order, String status) {
        sentNanos.remove(order.clientOrderId());
    }

    @Override
    public void onRejected(OrderRequest order, int code, String message) {
        sentNanos.remove(order.clientOrderId());
        metrics.orders(order.side().name(), "rejected").increment();
        metrics.rejection(code).increment();
    }

    @Override
    public void onRefused(String reason, OrderIntent intent) {
        metrics.refusal(reason).increment();
    }

    @Override
    public void onKillSwitch(KillSwitchLevel from, KillSwitchLevel to, String cause, String source) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("from", from.name());
        f.put("to", to.name());
        f.put("cause", cause == null ? "" : cause);
        f.put("source", source);
        String what = switch (to) {
            case ACTIVE -> "resumed: trading normally";
            case REDUCING -> "REDUCING: exits only, no new entries";
            case HALTED -> "HALTED: no orders at all";
        };
        notices.accept(new Notice("kill_switch", to == KillSwitchLevel.ACTIVE ? "warning" : "critical",
                "Kill switch " + what + " (" + source + ": " + cause + ")", f));
    }

    @Override
    public void onEntriesHalted(String cause, String source) {
        notices.accept(new Notice("daily_loss_halt", "critical",
                "New entries halted until the next UTC day: " + cause, Map.of("cause", cause, "source", source)));
    }

    @Override
    public void onJournalFailing(String cause) {
        notices.accept(cause == null
                ? new Notice("journal_failing", "warning", "The journal writes fills again: new entries resume", Map.of())
                : new Notice("journal_failing", "critical", "New entries paused: the journal cannot write a fill (retried"
                        + " until it can; exits go on): " + cause, Map.of("cause", cause)));
    }

    @Override
    public void onDecision(Decisions d, long wallNanos) {
        // rule firings are counted by the RulesService (aquatrade_rule_firings_total); only the time here
        metrics.decisionTime().record(wallNanos, TimeUnit.NANOSECONDS);
    }

    private static void withOrderId(String id, Runnable log) {
        MDC.put(MDC_ORDER_ID, id);
        try {
            log.run();
        } finally {
            MDC.remove(MDC_ORDER_ID);
        }
    }
}
