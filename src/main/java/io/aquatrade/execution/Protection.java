package io.aquatrade.execution;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One position's protection resting on the exchange: an OCO (take-profit LIMIT_MAKER above, STOP_LOSS_LIMIT
 * below) or a STOP_LOSS_LIMIT alone. Its legs are orders the {@link OrderManager} owns like any other; the
 * protection's own state follows from theirs, so there is one truth:
 * <ul>
 *   <li>PLACING: a leg is not yet known to rest (journaled, sent, or its outcome unknown);</li>
 *   <li>RESTING: every leg not yet final is acknowledged by the exchange;</li>
 *   <li>CANCELING: execution asked for the cancel (a rule exit, a move) and waits for its confirmation;</li>
 *   <li>ENDED: every leg is final (filled, expired by its sibling, cancelled, refused).</li>
 * </ul>
 */
public final class Protection {

    /** Where the protection is in its life. */
    public enum State { PLACING, RESTING, CANCELING, ENDED }

    private final ProtectiveOrders.Plan plan;
    private final String listClientOrderId;
    private final ManagedOrder stopLeg;
    private final ManagedOrder takeProfitLeg;
    private final long placedAtMs;
    boolean canceling;

    Protection(ProtectiveOrders.Plan plan, String listClientOrderId, ManagedOrder stopLeg, ManagedOrder takeProfitLeg,
               long placedAtMs) {
        this.plan = plan;
        this.listClientOrderId = listClientOrderId;
        this.stopLeg = stopLeg;
        this.takeProfitLeg = takeProfitLeg;
        this.placedAtMs = placedAtMs;
    }

    ProtectiveOrders.Plan plan() {
        return plan;
    }

    public State state() {
        boolean anyOpen = false;
        boolean allAcked = true;
        for (ManagedOrder leg : legs()) {
            if (leg.state().isFinal()) {
                continue;
            }
            anyOpen = true;
            if (leg.state() != OrderState.ACKED && leg.state() != OrderState.PARTIALLY_FILLED) {
                allAcked = false;
            }
        }
        if (!anyOpen) {
            return State.ENDED;
        }
        if (canceling) {
            return State.CANCELING;
        }
        return allAcked ? State.RESTING : State.PLACING;
    }

    /** The legs, the take-profit first when there is one. */
    public List<ManagedOrder> legs() {
        List<ManagedOrder> l = new ArrayList<>(2);
        if (takeProfitLeg != null) {
            l.add(takeProfitLeg);
        }
        l.add(stopLeg);
        return Collections.unmodifiableList(l);
    }

    boolean owns(ManagedOrder o) {
        return o == stopLeg || o == takeProfitLeg;
    }

    /** OCO or STOP_LOSS_LIMIT. */
    public String kind() {
        return plan.kind().name();
    }

    public boolean isOco() {
        return plan.kind() == ProtectiveOrders.Kind.OCO;
    }

    public String symbol() {
        return plan.symbol();
    }

    public BigDecimal quantity() {
        return plan.quantity();
    }

    public BigDecimal stopPrice() {
        return plan.stopPrice();
    }

    public BigDecimal stopLimitPrice() {
        return plan.stopLimitPrice();
    }

    /** The OCO's take-profit price; null for a STOP_LOSS_LIMIT alone (the take-profit is then watched locally). */
    public BigDecimal takeProfitPrice() {
        return plan.takeProfitPrice();
    }

    /** The OCO list's client id; null for a STOP_LOSS_LIMIT alone. */
    public String listClientOrderId() {
        return listClientOrderId;
    }

    public ManagedOrder stopLeg() {
        return stopLeg;
    }

    /** Null for a STOP_LOSS_LIMIT alone. */
    public ManagedOrder takeProfitLeg() {
        return takeProfitLeg;
    }

    /** When it was placed (the pipeline's clock): a trailing move waits a minimum interval after it. */
    public long placedAtMs() {
        return placedAtMs;
    }

    /**
     * How it protects the position, in a line: {@code exchange OCO stop 29000 tp 33000}, or
     * {@code exchange STOP_LOSS_LIMIT stop 29000} with its state when it is not resting (placing, cancelling).
     */
    public String describe() {
        State st = state();
        return "exchange " + kind() + " stop " + stopPrice().toPlainString()
                + (takeProfitPrice() == null ? "" : " tp " + takeProfitPrice().toPlainString())
                + (st == State.RESTING ? "" : " (" + st.name().toLowerCase(java.util.Locale.ROOT) + ")");
    }

    @Override
    public String toString() {
        return kind() + " " + symbol() + " " + quantity().toPlainString() + " stop " + stopPrice().toPlainString() + "/"
                + stopLimitPrice().toPlainString() + (takeProfitPrice() == null ? "" : " tp " + takeProfitPrice().toPlainString())
                + " " + state();
    }
}
