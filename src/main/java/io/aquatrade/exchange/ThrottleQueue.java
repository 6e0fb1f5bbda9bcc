package io.aquatrade.exchange;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * The waiting line in front of an {@link OrderThrottle}: what the throttle refuses now waits here for its slot.
 *
 * <ul>
 *   <li><b>Exits and cancels first.</b> Requests leave by rank (0: exits and cancels, 1: other requests,
 *       2: entries), first come first within a rank; nothing overtakes a request for the limit it waits on, so an
 *       entry never takes a slot a waiting exit needs.</li>
 *   <li><b>An order count holds up only orders.</b> A request held only by an ORDERS window (an exit in a burst of
 *       them) holds back the orders behind it, but not the requests that place none (cancels, look-ups, polling):
 *       those count against weight and raw requests only, and a cancel may be what frees the balance the exit
 *       sells. Held by weight, raw requests or a 429/418 pause, it holds up everything behind it.</li>
 *   <li><b>Never late.</b> A request whose deadline (for an entry: its validity) has passed, or whose slot would
 *       come only after it, is dropped and handed back as such: it is never sent late.</li>
 *   <li><b>No thread of its own.</b> {@link #drain} is called with the clock's time and says when to call it again
 *       ({@link Drained#wakeAtMs}); the caller sets one timer (Vert.x), so no event loop is ever blocked.</li>
 * </ul>
 * Thread-safe; the clock is the caller's (the throttle's rule: nothing here reads the system clock).
 *
 * @param <T> what waits (the caller's request)
 */
public final class ThrottleQueue<T> {

    /** Rank of exit orders and cancels: they leave first. */
    public static final int RANK_EXIT = 0;
    /** Rank of requests that are not new orders (queries, account). */
    public static final int RANK_REQUEST = 1;
    /** Rank of entry orders: they leave last. */
    public static final int RANK_ENTRY = 2;

    /** Why a request was dropped unsent. */
    public enum DropReason {
        /** An entry that would have been sent after its validity. */
        VALIDITY_EXPIRED,
        /** Any other request that would have waited past its longest wait. */
        WAIT_EXCEEDED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public record Dropped<T>(T item, OrderThrottle.Kind kind, DropReason reason, String detail, long retryAtMs) {
    }

    /**
     * What one {@link #drain} did.
     *
     * @param admitted in the order to send them: admitted and counted by the throttle
     * @param dropped  given up unsent
     * @param wakeAtMs when to drain again (the first slot of what waits, or the next deadline); {@link Long#MAX_VALUE}: empty
     */
    public record Drained<T>(List<T> admitted, List<Dropped<T>> dropped, long wakeAtMs) {
    }

    private record Waiting<T>(T item, OrderThrottle.Kind kind, int rank, int weight, int orders, long deadlineMs, long seq) {
    }

    private final OrderThrottle throttle;
    private final PriorityQueue<Waiting<T>> waiting = new PriorityQueue<>(
            Comparator.<Waiting<T>>comparingInt(Waiting::rank).thenComparingLong(Waiting::seq));
    private long seq;

    public ThrottleQueue(OrderThrottle throttle) {
        this.throttle = Objects.requireNonNull(throttle, "throttle");
    }

    /** The rank of a request: exits and cancels 0, other requests 1, entries 2. */
    public static int rank(OrderThrottle.Kind kind, boolean cancel) {
        if (kind == OrderThrottle.Kind.EXIT_ORDER || cancel) {
            return RANK_EXIT;
        }
        return kind == OrderThrottle.Kind.ENTRY_ORDER ? RANK_ENTRY : RANK_REQUEST;
    }

    /** Puts a request in line; {@link #drain} then sends or drops it. */
    public synchronized void offer(T item, OrderThrottle.Kind kind, int rank, int weight, long deadlineMs) {
        offer(item, kind, rank, weight, kind.isOrder() ? 1 : 0, deadlineMs);
    }

    /** The same for a request that places {@code orders} orders at once (an OCO: two). */
    public synchronized void offer(T item, OrderThrottle.Kind kind, int rank, int weight, int orders, long deadlineMs) {
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(kind, "kind");
        waiting.add(new Waiting<>(item, kind, rank, weight, orders, deadlineMs, seq++));
    }

    /** Requests waiting now. */
    public synchronized int size() {
        return waiting.size();
    }

    /**
     * Admits what the throttle lets go at {@code nowMs}, in line order, and drops what can no longer go in time. Past a
     * request held only by an order count, requests that place no order go on; anything else refused ends the round.
     */
    public synchronized Drained<T> drain(long nowMs) {
        List<T> admitted = new ArrayList<>();
        List<Dropped<T>> dropped = new ArrayList<>();
        for (Iterator<Waiting<T>> it = waiting.iterator(); it.hasNext(); ) {
            Waiting<T> w = it.next();
            if (w.deadlineMs() < nowMs) {
                it.remove();
                dropped.add(drop(w, "waited past its " + (w.kind() == OrderThrottle.Kind.ENTRY_ORDER ? "validity"
                        : "longest wait") + " for a throttle slot", w.deadlineMs()));
            }
        }
        long wakeAt = Long.MAX_VALUE;
        List<Waiting<T>> held = new ArrayList<>();
        boolean orderSlotsTaken = false; // a request ahead waits for an order slot: no order may overtake it
        while (!waiting.isEmpty()) {
            Waiting<T> w = waiting.poll();
            if (orderSlotsTaken && w.orders() > 0) {
                held.add(w);
                continue;
            }
            OrderThrottle.Decision d = throttle.tryAcquire(nowMs, w.weight(), w.kind(), w.orders());
            if (d.allowed()) {
                admitted.add(w.item());
                continue;
            }
            if (d.nextSlotMs() > w.deadlineMs()) {
                // its slot comes too late: drop it now rather than hold up the line until its deadline
                dropped.add(drop(w, "throttled: " + d.reason(), d.nextSlotMs()));
                continue;
            }
            held.add(w);
            wakeAt = Math.min(wakeAt, d.nextSlotMs());
            if (w.orders() > 0) {
                // without its orders it would go now: only an order count holds it, which what places none does not touch
                OrderThrottle.Decision free = throttle.check(nowMs, w.weight(), w.kind(), 0);
                if (free.allowed()) {
                    orderSlotsTaken = true;
                    continue;
                }
                wakeAt = Math.min(wakeAt, free.nextSlotMs()); // then what places none may go past it
            }
            break;
        }
        waiting.addAll(held);
        for (Waiting<T> w : waiting) {
            wakeAt = Math.min(wakeAt, w.deadlineMs() + 1);
        }
        return new Drained<>(admitted, dropped, wakeAt);
    }

    private Dropped<T> drop(Waiting<T> w, String detail, long retryAtMs) {
        return new Dropped<>(w.item(), w.kind(), w.kind() == OrderThrottle.Kind.ENTRY_ORDER ? DropReason.VALIDITY_EXPIRED
                : DropReason.WAIT_EXCEEDED, detail, retryAtMs);
    }
}
