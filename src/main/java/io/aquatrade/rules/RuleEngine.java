package io.aquatrade.rules;

import io.aquatrade.model.Account;
import io.aquatrade.model.Clock;
import io.aquatrade.model.EchoMatch;
import io.aquatrade.model.EchoTrack;
import io.aquatrade.model.MarketSnapshot;
import io.aquatrade.model.OrderIntent;
import io.aquatrade.model.Position;
import io.aquatrade.model.RiskEvent;
import io.aquatrade.model.RiskState;
import io.aquatrade.model.Side;
import io.aquatrade.model.StopUpdate;
import io.aquatrade.model.SymbolRisk;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.event.rule.BeforeMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.event.rule.ObjectDeletedEvent;
import org.kie.api.event.rule.ObjectInsertedEvent;
import org.kie.api.event.rule.ObjectUpdatedEvent;
import org.kie.api.event.rule.RuleRuntimeEventListener;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.KieSessionConfiguration;
import org.kie.api.runtime.rule.AgendaFilter;
import org.kie.api.runtime.conf.ClockTypeOption;
import org.kie.api.runtime.rule.ConsequenceException;
import org.kie.api.runtime.rule.FactHandle;
import org.kie.api.time.SessionPseudoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One stateful Drools session over the pipeline's facts: the pipeline sets the account-wide facts and
 * each symbol's facts, calls {@link #fire()}, and gets the {@link Decisions} the rules made. Rules only
 * insert intents; this class collects them and removes them from the session, it never acts on them.
 *
 * <p><b>Not thread-safe, by design:</b> one pipeline thread owns an engine and calls every method,
 * including {@link #swap}, between two evaluations. A Drools session is single-threaded anyway, and
 * a lock would only hide a wiring mistake.
 *
 * <p><b>When rules fire.</b> Drools fires a rule once per match; a match fires again only when one of
 * its facts is replaced. Setting a fact equal to the current one is a no-op, and so is setting one that
 * differs only in properties no pattern of the running rules constrains or binds (a snapshot whose price
 * moved, when no rule reads the price; see {@link RuleVisibleProperties}): no rule could tell. An update names the
 * properties that changed, so only the patterns that read one of them look again (Drools' property reactivity): a
 * match fires again when a property its own patterns constrain or bind changed. So: before each
 * {@code fire()}, set the Clock (every evaluation has a new one) and replace the facts that changed;
 * rules that join the Clock re-decide every evaluation, the others when their facts change. That is
 * what keeps a rule from asking for the same exit twice without news. After a {@link #swap} every
 * current fact is new to the session, so the next {@code fire()} re-decides everything under the new
 * rules.
 *
 * <p><b>Safety.</b> Rules fire in passes of at most {@code firingLimit} firings. When the first pass
 * hits the limit, the rules that took a tenth or more of it (a rule that keeps re-activating itself)
 * are stopped for the rest of the evaluation, their pending activations discarded, and a second pass
 * lets the other rules finish, so a looping entry rule cannot silence exits and guardrails; should the
 * second pass hit the limit too, what is left is discarded. Such an evaluation is reported with an
 * error naming the rules that fired most, and its BUY intents are withheld (exits, stop moves and
 * guardrail events still go out: they only reduce risk). A consequence that throws is reported by rule
 * name and the other rules keep firing. A failure inside Drools' own evaluation (e.g. a condition that
 * cannot be evaluated for some fact) is reported, that evaluation's BUYs are withheld, and the session
 * is rebuilt from the engine's copy of the facts at the next {@code fire()} (after the caller's changes,
 * so removing the offending fact cures it). None of this throws: errors come back in {@link Decisions}.
 *
 * <p>Sessions use a pseudo clock advanced to the Clock fact, so rule timers follow event time in replay.
 *
 * <p>Use, per decision point, on the pipeline thread:
 * <pre>{@code
 * engine.setClock(Clock.at(nowMs));
 * engine.setAccount(account);
 * engine.setRiskState(riskState);
 * for (each symbol whose state changed)
 *     engine.updateSymbol(snapshot, matches, positionOrNull, trackOrNull, symbolRisk, activity);
 * Decisions d = engine.fire();   // d.orders(), d.stopUpdates(), d.riskEvents(), d.errors()
 * ...
 * engine.swap(compiler.compile(rulesDir));   // between two evaluations, when the files changed
 * }</pre>
 */
public final class RuleEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RuleEngine.class);

    /** Rule firings allowed per evaluation; far above what the default rules need for hundreds of symbols. */
    public static final int DEFAULT_FIRING_LIMIT = 5_000;

    private final int firingLimit;
    private final EvaluationWatch watch;
    private final Tracker tracker;

    private CompiledRuleSet rules;
    private StrategyParams params;
    private RiskLimits limits;
    private SessionState state;
    private boolean closed;
    private long evaluations;
    /** The session failed; it is rebuilt from the facts at the next {@link #fire()}. */
    private boolean sessionBroken;
    private final List<String> pendingErrors = new ArrayList<>();

    // The facts as last given, independent of the session, so a swap can carry them over.
    private Clock clock;
    private Account account;
    private RiskState riskState;
    private final Map<String, SymbolFacts> symbols = new LinkedHashMap<>();

    public RuleEngine(CompiledRuleSet rules, StrategyParams params, RiskLimits limits) {
        this(rules, params, limits, DEFAULT_FIRING_LIMIT);
    }

    /** @param firingLimit most rule firings in one evaluation before it counts as a runaway */
    public RuleEngine(CompiledRuleSet rules, StrategyParams params, RiskLimits limits, int firingLimit) {
        this(rules, params, limits, firingLimit, new EvaluationWatch());
    }

    /** @param watch where each evaluation shows what it is doing, for a watchdog or a validation deadline */
    public RuleEngine(CompiledRuleSet rules, StrategyParams params, RiskLimits limits, int firingLimit,
                      EvaluationWatch watch) {
        this.watch = Objects.requireNonNull(watch, "watch");
        this.tracker = new Tracker(watch);
        if (firingLimit < 1) {
            throw new IllegalArgumentException("firingLimit must be >= 1, got " + firingLimit);
        }
        this.rules = Objects.requireNonNull(rules, "rules");
        this.params = Objects.requireNonNull(params, "params");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.firingLimit = firingLimit;
        this.state = buildState(rules, params, limits);
    }

    /** A session over {@code kieBase} with the pseudo clock and the declared globals set. */
    static KieSession newSession(KieBase kieBase, Set<String> globals, StrategyParams params, RiskLimits limits) {
        KieSessionConfiguration conf = KieServices.Factory.get().newKieSessionConfiguration();
        conf.setOption(ClockTypeOption.PSEUDO);
        KieSession session = kieBase.newKieSession(conf, null);
        if (globals.contains("params")) {
            session.setGlobal("params", params);
        }
        if (globals.contains("limits")) {
            session.setGlobal("limits", limits);
        }
        return session;
    }

    // ------------------------------------------------------------------ facts

    /** The decision point's clock; set it before every {@link #fire()}. It advances the session's pseudo clock. */
    public void setClock(Clock clock) {
        ensureOpen();
        Objects.requireNonNull(clock, "clock");
        Clock previous = this.clock;
        this.clock = clock;
        inSession("setting the Clock", () -> {
            advancePseudoClock(state.session, clock.nowMs());
            state.clock = put(state.clock, previous, clock);
        });
    }

    public void setAccount(Account account) {
        ensureOpen();
        Objects.requireNonNull(account, "account");
        Account previous = this.account;
        this.account = account;
        inSession("setting the Account", () -> state.account = put(state.account, previous, account));
    }

    public void setRiskState(RiskState riskState) {
        ensureOpen();
        Objects.requireNonNull(riskState, "riskState");
        RiskState previous = this.riskState;
        this.riskState = riskState;
        inSession("setting the RiskState", () -> state.riskState = put(state.riskState, previous, riskState));
    }

    /**
     * Replaces one symbol's facts, keeping its {@link SymbolActivity} as it was (none for a new symbol).
     *
     * @see #updateSymbol(MarketSnapshot, List, Position, EchoTrack, SymbolRisk, SymbolActivity)
     */
    public void updateSymbol(MarketSnapshot snapshot, List<EchoMatch> matches, Position position, EchoTrack track,
                             SymbolRisk risk) {
        Objects.requireNonNull(snapshot, "snapshot");
        SymbolFacts current = symbols.get(snapshot.symbol());
        SymbolActivity activity = current != null ? current.activity() : SymbolActivity.none(snapshot.symbol());
        updateSymbol(snapshot, matches, position, track, risk, activity);
    }

    /**
     * Replaces one symbol's facts. The symbol's EchoMatches are replaced wholesale; a null position or
     * track retracts the previous one (the position closed, the track ended).
     *
     * @param snapshot the symbol's market state (required; its symbol names the symbol)
     * @param matches  the symbol's current echo matches, possibly empty
     * @param position the open position, or null
     * @param track    how the open position follows its template, or null
     * @param risk     the symbol's risk state (required)
     * @param activity when the symbol last traded (required)
     * @throws IllegalArgumentException when a fact names another symbol
     */
    public void updateSymbol(MarketSnapshot snapshot, List<EchoMatch> matches, Position position, EchoTrack track,
                             SymbolRisk risk, SymbolActivity activity) {
        ensureOpen();
        Objects.requireNonNull(snapshot, "snapshot");
        String sym = snapshot.symbol();
        Objects.requireNonNull(sym, "snapshot.symbol");
        Objects.requireNonNull(matches, () -> "matches of " + sym + " (pass an empty list)");
        Objects.requireNonNull(risk, () -> "SymbolRisk of " + sym);
        Objects.requireNonNull(activity, () -> "SymbolActivity of " + sym);
        for (EchoMatch m : matches) {
            Objects.requireNonNull(m, () -> "null EchoMatch in the matches of " + sym);
            sameSymbol(sym, "EchoMatch", m.symbol());
        }
        if (position != null) {
            sameSymbol(sym, "Position", position.symbol());
        }
        if (track != null) {
            sameSymbol(sym, "EchoTrack", track.symbol());
        }
        sameSymbol(sym, "SymbolRisk", risk.symbol());
        sameSymbol(sym, "SymbolActivity", activity.symbol());

        SymbolFacts old = symbols.get(sym);
        SymbolFacts f = new SymbolFacts(snapshot, risk, activity, position, track, List.copyOf(matches));
        symbols.put(sym, f);
        inSession("updating " + sym, () -> {
            SymbolHandles h = state.symbols.computeIfAbsent(sym, k -> new SymbolHandles());
            h.snapshot = put(h.snapshot, old == null ? null : old.snapshot(), snapshot);
            h.risk = put(h.risk, old == null ? null : old.risk(), risk);
            h.activity = put(h.activity, old == null ? null : old.activity(), activity);
            h.position = put(h.position, old == null ? null : old.position(), position);
            h.track = put(h.track, old == null ? null : old.track(), track);
            if (old == null || !f.matches().equals(old.matches())) {
                for (FactHandle m : h.matches) {
                    state.session.delete(m);
                }
                h.matches.clear();
                for (EchoMatch m : f.matches()) {
                    h.matches.add(state.session.insert(m));
                }
            }
        });
    }

    /**
     * Replaces only the risk and activity facts of a symbol the engine already holds (its market facts, position and
     * matches stay as its last {@link #updateSymbol} left them); nothing for a symbol without facts. For a symbol
     * that has no bar this round: execution may have paused it or finished its exit since, and rules joining the
     * Clock with a stale {@link SymbolRisk} would decide on it again (the circuit breaker tripping every round).
     */
    public void updateRisk(String symbol, SymbolRisk risk, SymbolActivity activity) {
        SymbolFacts old = symbols.get(symbol);
        if (old != null) {
            updateBook(symbol, old.position(), risk, activity);
        }
    }

    /**
     * {@link #updateRisk}, and the position as the book holds it now when a fill or an order changed it since the
     * symbol's last bar (opened, closed, partly sold, an exit sent, a stop moved): else rules would see a position
     * that is gone, or none where one just filled, until the symbol's next bar. Its marks (price, PnL, held time)
     * stay those of the last bar, as its market facts do, so a position only marked anew is left in place. A track
     * stays with the entry it follows.
     *
     * @param position the open position now, or null
     */
    public void updateBook(String symbol, Position position, SymbolRisk risk, SymbolActivity activity) {
        SymbolFacts old = symbols.get(symbol);
        if (old == null) {
            return;
        }
        Position held = old.position();
        boolean sameBook = sameBooking(held, position);
        if (sameBook && old.risk().equals(risk) && old.activity().equals(activity)) {
            return;
        }
        EchoTrack track = position != null && held != null && position.entryTimeMs() == held.entryTimeMs()
                ? old.track() : null;
        // the unchanged facts are equal to the session's: updateSymbol leaves them in place
        updateSymbol(old.snapshot(), old.matches(), sameBook ? held : position, track, risk, activity);
    }

    /** The same position as far as fills and orders tell: open or not, entry, quantity, exit in flight, stop levels. */
    private static boolean sameBooking(Position a, Position b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.entryTimeMs() == b.entryTimeMs() && a.qty().compareTo(b.qty()) == 0 && a.exitPending() == b.exitPending()
                && sameLevel(a.stopPrice(), b.stopPrice()) && sameLevel(a.takeProfitPrice(), b.takeProfitPrice());
    }

    private static boolean sameLevel(java.math.BigDecimal a, java.math.BigDecimal b) {
        return a == null || b == null ? a == b : a.compareTo(b) == 0;
    }

    /** Retracts every fact of a symbol (no longer traded). */
    public void removeSymbol(String symbol) {
        ensureOpen();
        if (symbols.remove(symbol) == null) {
            return;
        }
        inSession("removing " + symbol, () -> {
            SymbolHandles h = state.symbols.remove(symbol);
            if (h != null) {
                for (FactHandle fh : h.all()) {
                    state.session.delete(fh);
                }
            }
        });
    }

    /**
     * Applies a change to the session. The engine's own copy of the facts is already updated, so when the
     * session has failed (here or in an evaluation) it is simply rebuilt from that copy before the next
     * evaluation, and changes until then skip it.
     */
    private void inSession(String what, Runnable change) {
        if (sessionBroken) {
            return;
        }
        try {
            change.run();
        } catch (RuntimeException e) {
            sessionBroken = true;
            pendingErrors.add("rule evaluation failed while " + what + ", session rebuilt from the current facts: "
                    + errorText(e));
        }
    }

    /** The symbols the engine holds facts for, in the order they were first given (a read-only live view). */
    public Set<String> symbols() {
        return java.util.Collections.unmodifiableSet(symbols.keySet());
    }

    // ------------------------------------------------------------------ evaluation

    /**
     * Evaluates the rules over the current facts and returns what they decided. Intents are removed from
     * the session afterwards, so the next evaluation starts from the pipeline's facts only.
     *
     * @throws IllegalStateException before the Clock, Account and RiskState have been set
     */
    public Decisions fire() {
        ensureOpen();
        watch.begin(state.session, rules, evaluations + 1);
        try {
            return evaluate();
        } finally {
            watch.end();
        }
    }

    /** What a running evaluation is doing, readable from any thread (see {@link EvaluationWatch}). */
    public EvaluationWatch watch() {
        return watch;
    }

    private Decisions evaluate() {
        if (clock == null || account == null || riskState == null) {
            throw new IllegalStateException("fire() needs the Clock, Account and RiskState facts first (missing:"
                    + (clock == null ? " Clock" : "") + (account == null ? " Account" : "")
                    + (riskState == null ? " RiskState" : "") + ")");
        }
        evaluations++;
        tracker.reset();
        List<String> errors = new ArrayList<>(pendingErrors);
        pendingErrors.clear();
        if (sessionBroken) {
            try {
                rebuildSession();
                sessionBroken = false;
            } catch (RuntimeException e) {
                errors.add("cannot rebuild the rule session: " + errorText(e));
                return new Decisions(rules.version(), evaluations, clock.nowMs(), List.of(), List.of(), List.of(),
                        List.of(), Map.of(), 0, false, errors);
            }
        }
        KieSession session = state.session;

        Pass first = runPass(session, null, errors);
        boolean broken = first.broken;
        boolean runaway = false;
        String runawayError = null;
        if (first.atLimit && !broken) {
            // Stop the rules that fired most for the rest of this evaluation (their pending activations are
            // discarded by the filter) and let the others finish: a looping entry rule must not also
            // silence the exits and guardrails.
            Set<String> quarantined = runawayRules();
            int[] rejected = {0};
            Pass second = runPass(session, match -> {
                if (quarantined.contains(match.getRule().getName())) {
                    rejected[0]++;
                    return false;
                }
                return true;
            }, errors);
            broken = second.broken;
            int pending = 0;
            if (second.atLimit && !broken) {
                pending = discardAgenda(session);
            }
            if (rejected[0] > 0 || second.atLimit) {
                runaway = true;
                runawayError = "firing limit of " + firingLimit + " rule firings reached in one evaluation: "
                        + quarantined.stream().map(r -> "\"" + r + "\"").collect(Collectors.joining(", "))
                        + (quarantined.size() == 1 ? " keeps" : " keep") + " re-activating; most fired: " + topFirings(3)
                        + (second.atLimit
                        ? "; the other rules hit the limit again, " + pending + " pending activation(s) discarded"
                        : "; stopped for this evaluation, the other rules finished")
                        + "; BUY intents of this evaluation withheld";
            }
        }

        List<Object> collected = new ArrayList<>(tracker.intents.values());
        List<EntryBlock> blocks = List.of();
        if (!broken) {
            try {
                blocks = currentBlocks(session);
                for (FactHandle h : new ArrayList<>(tracker.intents.keySet())) {
                    session.delete(h);
                }
                // Removing the intents re-opens matches they had blocked (e.g. a second template of a symbol
                // that already got its entry). Those are not news: evaluate them away without firing.
                discardAgenda(session);
            } catch (RuntimeException e) {
                errors.add("rule evaluation failed while clearing intents, session rebuilt from the current facts: "
                        + errorText(e));
                broken = true;
            }
        }
        if (runawayError != null) {
            errors.add(0, runawayError);
        }
        if (broken) {
            // Rebuilt lazily, at the next fire(), so that facts the caller changes or removes meanwhile (say,
            // the one a condition chokes on) never reach the broken session.
            sessionBroken = true;
        }

        boolean withholdEntries = runaway || broken;
        LinkedHashSet<OrderIntent> orders = new LinkedHashSet<>();
        LinkedHashSet<StopUpdate> stops = new LinkedHashSet<>();
        LinkedHashSet<RiskEvent> risks = new LinkedHashSet<>();
        for (Object o : collected) {
            if (o instanceof OrderIntent oi) {
                if (!(withholdEntries && oi.side() == Side.BUY)) {
                    orders.add(oi);
                }
            } else if (o instanceof StopUpdate su) {
                stops.add(su);
            } else if (o instanceof RiskEvent re) {
                risks.add(re);
            }
        }
        return new Decisions(rules.version(), evaluations, clock.nowMs(), new ArrayList<>(orders),
                new ArrayList<>(stops), new ArrayList<>(risks), blocks, tracker.firings, tracker.attempts, runaway,
                errors);
    }

    private record Pass(boolean atLimit, boolean broken) {
    }

    /**
     * Fires up to {@code firingLimit} rules (through {@code filter} when given). A consequence that throws
     * is reported and firing goes on; any other failure inside Drools ends the pass as broken.
     */
    private Pass runPass(KieSession session, AgendaFilter filter, List<String> errors) {
        int start = tracker.attempts;
        while (true) {
            int remaining = firingLimit - (tracker.attempts - start);
            if (remaining <= 0) {
                return new Pass(true, false);
            }
            try {
                if (filter == null) {
                    session.fireAllRules(remaining);
                } else {
                    session.fireAllRules(filter, remaining);
                }
                return new Pass(tracker.attempts - start >= firingLimit, false);
            } catch (ConsequenceException e) {
                // That activation is spent; the others keep their chance to fire.
                errors.add(describe(e));
            } catch (RuntimeException e) {
                errors.add("rule evaluation failed, session rebuilt from the current facts: " + errorText(e));
                return new Pass(false, true);
            }
        }
    }

    /** The rules that took at least a tenth of the firings of this evaluation (at least the top one). */
    private Set<String> runawayRules() {
        Set<String> out = new java.util.TreeSet<>();
        int threshold = Math.max(1, firingLimit / 10);
        tracker.firings.forEach((rule, n) -> {
            if (n >= threshold) {
                out.add(rule);
            }
        });
        if (out.isEmpty()) {
            tracker.firings.entrySet().stream().max(Map.Entry.comparingByValue()).ifPresent(e -> out.add(e.getKey()));
        }
        return out;
    }

    /** Fires nothing: evaluates the pending matches and drops them; returns how many there were. */
    private static int discardAgenda(KieSession session) {
        int[] dropped = {0};
        session.fireAllRules(match -> {
            dropped[0]++;
            return false;
        });
        return dropped[0];
    }

    private static List<EntryBlock> currentBlocks(KieSession session) {
        List<EntryBlock> blocks = new ArrayList<>();
        // a ClassObjectFilter reads the EntryBlock store alone (a predicate visits every fact of the session)
        for (Object o : session.getObjects(new org.kie.api.runtime.ClassObjectFilter(EntryBlock.class))) {
            blocks.add((EntryBlock) o);
        }
        blocks.sort(BLOCK_ORDER);
        return blocks;
    }

    private static final Comparator<EntryBlock> BLOCK_ORDER = Comparator
            .comparing(EntryBlock::symbol, Comparator.nullsFirst(Comparator.<String>naturalOrder()))
            .thenComparing(EntryBlock::rule)
            .thenComparing(EntryBlock::detail, Comparator.nullsFirst(Comparator.<String>naturalOrder()));

    private String topFirings(int n) {
        return tracker.firings.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(n)
                .map(e -> "\"" + e.getKey() + "\" x" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /** An exception as one line, with Drools' build paths replaced by the files as the operator sees them. */
    private String errorText(RuntimeException e) {
        return rules.operatorPaths(RuleSetCompiler.clean(e.getMessage() == null ? e.toString() : e.getMessage()));
    }

    private static String describe(ConsequenceException e) {
        String rule = e.getMatch() != null && e.getMatch().getRule() != null ? e.getMatch().getRule().getName() : "?";
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        String facts = "";
        if (e.getMatch() != null) {
            facts = e.getMatch().getObjects().stream()
                    .map(RuleEngine::symbolOf).filter(Objects::nonNull).distinct().collect(Collectors.joining(","));
        }
        return "rule \"" + rule + "\" failed" + (facts.isEmpty() ? "" : " on " + facts) + ": "
                + cause.getClass().getSimpleName() + ": " + RuleSetCompiler.clean(cause.getMessage());
    }

    private static String symbolOf(Object fact) {
        if (fact instanceof MarketSnapshot f) return f.symbol();
        if (fact instanceof EchoMatch f) return f.symbol();
        if (fact instanceof Position f) return f.symbol();
        if (fact instanceof EchoTrack f) return f.symbol();
        if (fact instanceof SymbolRisk f) return f.symbol();
        if (fact instanceof SymbolActivity f) return f.symbol();
        return null;
    }

    // ------------------------------------------------------------------ swap

    /**
     * Replaces the rule set between two evaluations: builds a session from {@code next}, re-inserts every
     * current fact, then disposes the old session. Nothing is lost; if building the new session fails,
     * the old one stays in place and the exception propagates.
     */
    public SwapResult swap(CompiledRuleSet next) {
        ensureOpen();
        Objects.requireNonNull(next, "next");
        return replaceSession(next, params, limits);
    }

    /**
     * Replaces the rule set and the {@code params}/{@code limits} globals in one step (a hot reload where
     * both the rule files and the config changed): one new session, every current fact carried over.
     */
    public SwapResult swap(CompiledRuleSet next, StrategyParams newParams, RiskLimits newLimits) {
        ensureOpen();
        return replaceSession(Objects.requireNonNull(next, "next"), Objects.requireNonNull(newParams, "params"),
                Objects.requireNonNull(newLimits, "limits"));
    }

    /**
     * Replaces the {@code params}/{@code limits} globals (config reloaded). Globals are not facts: a rule
     * does not re-evaluate when one changes, so the session is rebuilt as for a swap and the next
     * evaluation re-decides everything with the new values.
     */
    public SwapResult reconfigure(StrategyParams newParams, RiskLimits newLimits) {
        ensureOpen();
        return replaceSession(rules, Objects.requireNonNull(newParams, "params"), Objects.requireNonNull(newLimits, "limits"));
    }

    private SwapResult replaceSession(CompiledRuleSet next, StrategyParams p, RiskLimits l) {
        long t0 = System.nanoTime();
        String old = rules.version();
        SessionState fresh = buildState(next, p, l);
        SessionState previous = state;
        state = fresh;
        rules = next;
        params = p;
        limits = l;
        sessionBroken = false;
        try {
            previous.session.dispose();
        } catch (RuntimeException e) {
            LOG.warn("Disposing the replaced rule session: {}", e.toString());
        }
        long nanos = System.nanoTime() - t0;
        int facts = (int) fresh.session.getFactCount();
        LOG.debug("Rule session replaced {} -> {}: {} facts carried over in {} us", old, next.version(), facts, nanos / 1000);
        return new SwapResult(old, next.version(), facts, nanos);
    }

    private void rebuildSession() {
        SessionState fresh = buildState(rules, params, limits);
        try {
            state.session.dispose();
        } catch (RuntimeException e) {
            LOG.warn("Disposing a failed rule session: {}", e.toString());
        }
        state = fresh;
    }

    /** A new session holding every current fact, in a fixed order: clock, account, risk, then symbols as first seen. */
    private SessionState buildState(CompiledRuleSet set, StrategyParams p, RiskLimits l) {
        KieSession session = newSession(set.kieBase(), set.globals(), p, l);
        try {
            session.addEventListener((RuleRuntimeEventListener) tracker);
            session.addEventListener(tracker.agendaListener);
            SessionState s = new SessionState(session);
            if (clock != null) {
                advancePseudoClock(session, clock.nowMs());
                s.clock = session.insert(clock);
            }
            if (account != null) {
                s.account = session.insert(account);
            }
            if (riskState != null) {
                s.riskState = session.insert(riskState);
            }
            for (Map.Entry<String, SymbolFacts> e : symbols.entrySet()) {
                SymbolFacts f = e.getValue();
                SymbolHandles h = new SymbolHandles();
                h.snapshot = session.insert(f.snapshot());
                h.risk = session.insert(f.risk());
                h.activity = session.insert(f.activity());
                h.position = f.position() == null ? null : session.insert(f.position());
                h.track = f.track() == null ? null : session.insert(f.track());
                for (EchoMatch m : f.matches()) {
                    h.matches.add(session.insert(m));
                }
                s.symbols.put(e.getKey(), h);
            }
            return s;
        } catch (RuntimeException e) {
            session.dispose();
            throw e;
        }
    }

    private static void advancePseudoClock(KieSession session, long nowMs) {
        SessionPseudoClock pc = session.getSessionClock();
        long delta = nowMs - pc.getCurrentTime();
        if (delta > 0) {
            pc.advanceTime(delta, TimeUnit.MILLISECONDS);
        }
    }

    /** Inserts, updates (only when changed) or retracts one fact; returns its handle, null once retracted. */
    private FactHandle put(FactHandle handle, Object current, Object next) {
        KieSession session = state.session;
        if (next == null) {
            if (handle != null) {
                session.delete(handle);
            }
            return null;
        }
        if (handle == null) {
            return session.insert(next);
        }
        if (next.equals(current)) {
            return handle;
        }
        RuleVisibleProperties visible = rules.visibleProperties(); // what the running rules can read; null: everything
        String[] changed = visible == null ? null : visible.changedForRules(current, next);
        if (changed == null) {
            session.update(handle, next); // every pattern of the class looks again
        } else if (changed.length > 0) {
            // property reactive: only the patterns that read a changed property look again
            session.update(handle, next, changed);
        } // else equal in all the rules can read: the session's copy stays
        return handle;
    }

    private static void sameSymbol(String symbol, String what, String other) {
        if (!symbol.equals(other)) {
            throw new IllegalArgumentException("updateSymbol(" + symbol + "): the " + what + " is for " + other);
        }
    }

    // ------------------------------------------------------------------ state

    /** The running rule set. */
    public CompiledRuleSet ruleSet() {
        return rules;
    }

    public String version() {
        return rules.version();
    }

    public StrategyParams params() {
        return params;
    }

    public RiskLimits limits() {
        return limits;
    }

    public int firingLimit() {
        return firingLimit;
    }

    /** Facts in the session now (pipeline facts plus entry blocks and anything rules keep). */
    public long factCount() {
        ensureOpen();
        return state.session.getFactCount();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("rule engine is closed");
        }
    }

    /** Disposes the session. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            state.session.dispose();
        }
    }

    private record SymbolFacts(MarketSnapshot snapshot, SymbolRisk risk, SymbolActivity activity, Position position,
                               EchoTrack track, List<EchoMatch> matches) {
    }

    private static final class SymbolHandles {
        FactHandle snapshot;
        FactHandle risk;
        FactHandle activity;
        FactHandle position;
        FactHandle track;
        final List<FactHandle> matches = new ArrayList<>();

        List<FactHandle> all() {
            List<FactHandle> all = new ArrayList<>(matches);
            for (FactHandle h : new FactHandle[] {track, position, activity, risk, snapshot}) {
                if (h != null) {
                    all.add(h);
                }
            }
            return all;
        }
    }

    private static final class SessionState {
        final KieSession session;
        FactHandle clock;
        FactHandle account;
        FactHandle riskState;
        final Map<String, SymbolHandles> symbols = new LinkedHashMap<>();

        SessionState(KieSession session) {
            this.session = session;
        }
    }

    /**
     * Records, per evaluation, the intents rules insert (in insertion order, following later updates
     * and deletions) and how often each rule fired.
     */
    private static final class Tracker implements RuleRuntimeEventListener {
        final LinkedHashMap<FactHandle, Object> intents = new LinkedHashMap<>();
        final Map<String, Integer> firings = new TreeMap<>();
        int attempts;
        final DefaultAgendaEventListener agendaListener;

        Tracker(EvaluationWatch watch) {
            agendaListener = new DefaultAgendaEventListener() {
                @Override
                public void beforeMatchFired(BeforeMatchFiredEvent event) {
                    attempts++;
                    String rule = event.getMatch().getRule().getName();
                    watch.firing(rule);
                    firings.merge(rule, 1, Integer::sum);
                }
            };
        }

        void reset() {
            intents.clear();
            firings.clear();
            attempts = 0;
        }

        private static boolean isIntent(Object o) {
            return o instanceof OrderIntent || o instanceof StopUpdate || o instanceof RiskEvent;
        }

        @Override
        public void objectInserted(ObjectInsertedEvent event) {
            if (isIntent(event.getObject())) {
                intents.put(event.getFactHandle(), event.getObject());
            }
        }

        // most updates and deletes are of the pipeline's facts in a round without intents: skip the lookup then
        @Override
        public void objectUpdated(ObjectUpdatedEvent event) {
            if (!intents.isEmpty() && intents.containsKey(event.getFactHandle())) {
                intents.put(event.getFactHandle(), event.getObject());
            }
        }

        @Override
        public void objectDeleted(ObjectDeletedEvent event) {
            if (!intents.isEmpty()) {
                intents.remove(event.getFactHandle());
            }
        }
    }
}
