package io.aquatrade.research;

import io.aquatrade.app.TradingSession;
import io.aquatrade.model.OrderIntent;
import io.aquatrade.model.Side;
import io.aquatrade.rules.Decisions;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The random-entry baseline of one seed, as a session's decision hook: every entry the echo session
 * makes is copied to the same symbol with the same size, stop, take-profit and template, at a random
 * minute within the hour that follows it (drawn from the seed), and the session's own rules and hard
 * caps handle it from there, so the exits are the echo's exits. The rules' own entries are dropped.
 * Between entries the session only evaluates symbols it holds or is about to enter.
 */
public final class RandomEntries implements TradingSession.DecisionHook {

    static final long MINUTE = 60_000L;
    /** Entries land at a random minute of the hour after the echo's: same symbols, same hours. */
    static final int SPREAD_MINUTES = 60;

    private record Pending(long dueMs, OrderIntent intent) {
    }

    private final long seed;
    private final SplittableRandom random;
    private final Map<String, ArrayDeque<Pending>> pending = new HashMap<>();
    private TradingSession session;
    private long scheduled;
    private long placed;
    private long skipped;

    public RandomEntries(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    public long seed() {
        return seed;
    }

    void bind(TradingSession session) {
        this.session = session;
    }

    /** The echo session entered with {@code intent} at {@code nowMs}: schedule this seed's copy. */
    void schedule(OrderIntent intent, long nowMs) {
        long due = nowMs + random.nextInt(SPREAD_MINUTES) * MINUTE;
        pending.computeIfAbsent(intent.symbol(), k -> new ArrayDeque<>()).add(new Pending(due, intent));
        scheduled++;
    }

    @Override
    public List<TradingSession.SymbolInput> select(long nowMs, List<TradingSession.SymbolInput> inputs) {
        List<TradingSession.SymbolInput> out = new ArrayList<>();
        for (TradingSession.SymbolInput in : inputs) {
            String s = in.symbol();
            ArrayDeque<Pending> q = pending.get(s);
            if ((q != null && !q.isEmpty() && q.peek().dueMs() <= nowMs) || holds(s, nowMs)) {
                out.add(in);
            }
        }
        return out;
    }

    private boolean holds(String symbol, long nowMs) {
        var held = session.portfolio().holding(symbol);
        return (held != null && held.isOpen()) || session.execution().hasOrderInFlight(symbol);
    }

    @Override
    public Decisions onDecisions(long nowMs, List<TradingSession.SymbolInput> inputs, Decisions d) {
        List<OrderIntent> orders = new ArrayList<>();
        for (OrderIntent o : d.orders()) {
            if (o.side() != Side.BUY) {
                orders.add(o);
            }
        }
        for (TradingSession.SymbolInput in : inputs) {
            ArrayDeque<Pending> q = pending.get(in.symbol());
            boolean entered = false;
            while (q != null && !q.isEmpty() && q.peek().dueMs() <= nowMs) {
                Pending p = q.poll();
                if (entered || holds(in.symbol(), nowMs)) {
                    skipped++; // one position per symbol, as the echo's rules keep it
                    continue;
                }
                OrderIntent i = p.intent();
                orders.add(OrderIntent.enter(i.symbol(), i.quoteQty(), "random-entry", i.stopLossPct(), i.takeProfitPct(),
                        i.templateDay()));
                entered = true;
                placed++;
            }
        }
        return new Decisions(d.ruleSetVersion(), d.evaluation(), d.clockMs(), orders, d.stopUpdates(), d.riskEvents(),
                d.entryBlocks(), d.firings(), d.totalFirings(), d.firingLimitReached(), d.errors());
    }

    public long scheduled() {
        return scheduled;
    }

    public long placed() {
        return placed;
    }

    public long skipped() {
        return skipped;
    }
}
