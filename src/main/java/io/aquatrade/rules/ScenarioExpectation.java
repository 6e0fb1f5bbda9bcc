package io.aquatrade.rules;

import io.aquatrade.model.OrderIntent;
import io.aquatrade.model.RiskEvent;
import io.aquatrade.model.Side;
import io.aquatrade.model.StopUpdate;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The {@code expect:} part of a scenario step and its comparison with what the rules decided.
 *
 * <p>Each list given ({@code orders}, {@code stop_updates}, {@code risk_events}, {@code entry_blocks}) must match
 * the decisions exactly: as many items, in any order, each expected item matching one decided item on the fields
 * it names (fields left out are not checked; an explicit {@code null} expects none). A list left out is not
 * checked. {@code nothing: true} expects no order, stop update or risk event. {@code fired} / {@code not_fired}
 * name rules that must / must not have fired. An evaluation that reports an error (a rule that threw, a runaway)
 * fails the step unless {@code errors} lists text each error must contain.
 */
final class ScenarioExpectation {

    static final Set<String> KEYS = Set.of("nothing", "orders", "stop_updates", "risk_events", "entry_blocks", "fired",
            "not_fired", "errors");

    /** How to read and compare one field of a decided item. */
    private record Field<T>(String name, Function<T, Object> actual, Kind kind) {
    }

    private enum Kind { TEXT, DECIMAL, NUMBER, TIME, SIDE, RISK_KIND, BLOCK_SYMBOL, CONTAINS }

    private static final List<Field<OrderIntent>> ORDER = List.of(
            new Field<>("side", OrderIntent::side, Kind.SIDE),
            new Field<>("symbol", OrderIntent::symbol, Kind.TEXT),
            new Field<>("reason", OrderIntent::reason, Kind.TEXT),
            new Field<>("quote_qty", OrderIntent::quoteQty, Kind.DECIMAL),
            new Field<>("sell_fraction", OrderIntent::sellFraction, Kind.DECIMAL),
            new Field<>("stop_loss_pct", OrderIntent::stopLossPct, Kind.NUMBER),
            new Field<>("take_profit_pct", OrderIntent::takeProfitPct, Kind.NUMBER),
            new Field<>("template_day", OrderIntent::templateDay, Kind.TEXT));
    private static final List<Field<StopUpdate>> STOP = List.of(
            new Field<>("symbol", StopUpdate::symbol, Kind.TEXT),
            new Field<>("stop_price", StopUpdate::stopPrice, Kind.DECIMAL),
            new Field<>("reason", StopUpdate::reason, Kind.TEXT));
    private static final List<Field<RiskEvent>> RISK = List.of(
            new Field<>("kind", RiskEvent::kind, Kind.RISK_KIND),
            new Field<>("symbol", RiskEvent::symbol, Kind.TEXT),
            new Field<>("reason", RiskEvent::reason, Kind.TEXT),
            new Field<>("until_ms", RiskEvent::untilMs, Kind.TIME));
    private static final List<Field<EntryBlock>> BLOCK = List.of(
            new Field<>("symbol", EntryBlock::symbol, Kind.BLOCK_SYMBOL),
            new Field<>("rule", EntryBlock::rule, Kind.TEXT),
            new Field<>("detail", EntryBlock::detail, Kind.CONTAINS));

    /** One expected item: field name to expected value (null = expects none), in the order written. */
    private record Item(ScenarioNode node, Map<String, Object> values) {
    }

    private final ScenarioNode node;
    private final boolean nothing;
    private final List<Item> orders;
    private final List<Item> stopUpdates;
    private final List<Item> riskEvents;
    private final List<Item> entryBlocks;
    private final List<String> fired;
    private final List<String> notFired;
    private final List<String> errors;

    private ScenarioExpectation(ScenarioNode node, boolean nothing, List<Item> orders, List<Item> stopUpdates,
                                List<Item> riskEvents, List<Item> entryBlocks, List<String> fired, List<String> notFired,
                                List<String> errors) {
        this.node = node;
        this.nothing = nothing;
        this.orders = orders;
        this.stopUpdates = stopUpdates;
        this.riskEvents = riskEvents;
        this.entryBlocks = entryBlocks;
        this.fired = fired;
        this.notFired = notFired;
        this.errors = errors;
    }

    /** Parses and type-checks {@code expect:}; times are read against the step's clock. */
    static ScenarioExpectation parse(ScenarioNode n, long clockMs) {
        if (n == null) {
            throw new IllegalArgumentException("expect is required");
        }
        Map<String, ScenarioNode> f = n.fields(KEYS);
        if (f.isEmpty()) {
            throw n.error("says nothing: give 'nothing: true' or at least one of orders, stop_updates, risk_events, "
                    + "entry_blocks, fired, not_fired");
        }
        boolean nothing = f.containsKey("nothing") && f.get("nothing").bool();
        if (nothing && (f.containsKey("orders") || f.containsKey("stop_updates") || f.containsKey("risk_events"))) {
            throw f.get("nothing").error("'nothing: true' cannot be combined with orders, stop_updates or risk_events");
        }
        return new ScenarioExpectation(n, nothing,
                items(f.get("orders"), ORDER, clockMs), items(f.get("stop_updates"), STOP, clockMs),
                items(f.get("risk_events"), RISK, clockMs), items(f.get("entry_blocks"), BLOCK, clockMs),
                names(f.get("fired")), names(f.get("not_fired")), names(f.get("errors")));
    }

    private static List<String> names(ScenarioNode n) {
        return n == null || n.isNull() ? null : n.texts();
    }

    private static <T> List<Item> items(ScenarioNode n, List<Field<T>> fields, long clockMs) {
        if (n == null) {
            return null;
        }
        if (n.isNull()) {
            return List.of();
        }
        Map<String, Field<T>> byName = new LinkedHashMap<>();
        fields.forEach(fd -> byName.put(fd.name(), fd));
        List<Item> out = new ArrayList<>();
        for (ScenarioNode item : n.items()) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (Map.Entry<String, ScenarioNode> e : item.fields(byName.keySet()).entrySet()) {
                values.put(e.getKey(), expected(e.getValue(), byName.get(e.getKey()).kind(), clockMs));
            }
            out.add(new Item(item, values));
        }
        return out;
    }

    private static Object expected(ScenarioNode v, Kind kind, long clockMs) {
        if (v.isNull()) {
            return null;
        }
        return switch (kind) {
            case TEXT, CONTAINS -> v.requiredText();
            case DECIMAL -> v.decimal();
            case NUMBER -> v.dbl();
            case TIME -> ScenarioFacts.time(v, clockMs);
            case SIDE -> v.enumValue(Side.class);
            case RISK_KIND -> v.enumValue(RiskEvent.Kind.class);
            case BLOCK_SYMBOL -> "*".equals(v.requiredText().trim()) ? null : v.requiredText();
        };
    }

    // ------------------------------------------------------------------ checking

    /** What does not match, one finding per line group; empty when the decisions are as expected. */
    List<String> check(Decisions d) {
        List<String> out = new ArrayList<>();
        if (nothing) {
            compare("orders", List.of(), d.orders(), ORDER, out);
            compare("stop_updates", List.of(), d.stopUpdates(), STOP, out);
            compare("risk_events", List.of(), d.riskEvents(), RISK, out);
        }
        if (orders != null) {
            compare("orders", orders, d.orders(), ORDER, out);
        }
        if (stopUpdates != null) {
            compare("stop_updates", stopUpdates, d.stopUpdates(), STOP, out);
        }
        if (riskEvents != null) {
            compare("risk_events", riskEvents, d.riskEvents(), RISK, out);
        }
        if (entryBlocks != null) {
            compare("entry_blocks", entryBlocks, d.entryBlocks(), BLOCK, out);
        }
        if (fired != null) {
            for (String r : fired) {
                if (!d.firings().containsKey(r)) {
                    out.add("fired: expected rule \"" + r + "\" to fire, it did not");
                }
            }
        }
        if (notFired != null) {
            for (String r : notFired) {
                if (d.firings().containsKey(r)) {
                    out.add("not_fired: rule \"" + r + "\" fired " + d.firings().get(r) + " time(s)");
                }
            }
        }
        if (errors == null) {
            for (String e : d.errors()) {
                out.add("error reported by the evaluation: " + e);
            }
        } else {
            for (String want : errors) {
                if (d.errors().stream().noneMatch(e -> e.contains(want))) {
                    out.add("errors: expected an error containing \"" + want + "\", got " + d.errors());
                }
            }
        }
        return out;
    }

    private static <T> void compare(String what, List<Item> expected, List<T> actual, List<Field<T>> fields,
                                    List<String> out) {
        int[] pairing = new int[expected.size()];
        boolean[] used = new boolean[actual.size()];
        if (assign(0, expected, actual, fields, pairing, used)) {
            if (expected.size() == actual.size()) {
                return;
            }
        } else {
            // No complete pairing: keep the best greedy one for the report.
            java.util.Arrays.fill(used, false);
            for (int i = 0; i < expected.size(); i++) {
                pairing[i] = -1;
                for (int j = 0; j < actual.size(); j++) {
                    if (!used[j] && matches(expected.get(i), actual.get(j), fields)) {
                        pairing[i] = j;
                        used[j] = true;
                        break;
                    }
                }
            }
        }
        out.add(what + ": not as expected (expected " + expected.size() + ", decided " + actual.size() + ")");
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            if (pairing[i] < 0) {
                missing.add(i);
            }
        }
        List<Integer> extra = new ArrayList<>();
        for (int j = 0; j < actual.size(); j++) {
            if (!used[j]) {
                extra.add(j);
            }
        }
        for (int i : missing) {
            Item e = expected.get(i);
            // The closest unexpected item, to show which fields differ.
            int best = -1;
            int bestScore = -1;
            for (int j : extra) {
                int score = score(e, actual.get(j), fields);
                if (score > bestScore) {
                    bestScore = score;
                    best = j;
                }
            }
            StringBuilder sb = new StringBuilder("  missing (line ").append(e.node().line).append("): ")
                    .append(describeExpected(e));
            if (best >= 0 && bestScore > 0) {
                sb.append("\n    closest decided: ").append(describe(actual.get(best), fields)).append("\n    differs in: ")
                        .append(differences(e, actual.get(best), fields));
                extra.remove(Integer.valueOf(best));
            }
            out.add(sb.toString());
        }
        for (int j : extra) {
            out.add("  unexpected: " + describe(actual.get(j), fields));
        }
    }

    private static <T> boolean assign(int i, List<Item> expected, List<T> actual, List<Field<T>> fields, int[] pairing,
                                      boolean[] used) {
        if (i == expected.size()) {
            return true;
        }
        for (int j = 0; j < actual.size(); j++) {
            if (!used[j] && matches(expected.get(i), actual.get(j), fields)) {
                used[j] = true;
                pairing[i] = j;
                if (assign(i + 1, expected, actual, fields, pairing, used)) {
                    return true;
                }
                used[j] = false;
            }
        }
        pairing[i] = -1;
        return false;
    }

    private static <T> boolean matches(Item e, T a, List<Field<T>> fields) {
        for (Field<T> f : fields) {
            if (e.values().containsKey(f.name()) && !same(f.kind(), e.values().get(f.name()), f.actual().apply(a))) {
                return false;
            }
        }
        return true;
    }

    private static <T> int score(Item e, T a, List<Field<T>> fields) {
        int s = 0;
        for (Field<T> f : fields) {
            if (e.values().containsKey(f.name()) && same(f.kind(), e.values().get(f.name()), f.actual().apply(a))) {
                s++;
            }
        }
        return s;
    }

    private static <T> String differences(Item e, T a, List<Field<T>> fields) {
        List<String> d = new ArrayList<>();
        for (Field<T> f : fields) {
            if (e.values().containsKey(f.name())) {
                Object want = e.values().get(f.name());
                Object got = f.actual().apply(a);
                if (!same(f.kind(), want, got)) {
                    d.add(f.kind() == Kind.TIME && want != null && got != null
                            ? f.name() + " expected " + showTime(want) + ", got " + showTime(got)
                            : f.name() + " expected " + show(want) + ", got " + show(got));
                }
            }
        }
        return String.join("; ", d);
    }

    private static boolean same(Kind kind, Object want, Object got) {
        switch (kind) {
            case DECIMAL:
                if (want == null || got == null) {
                    return want == got;
                }
                return ((BigDecimal) want).compareTo((BigDecimal) got) == 0;
            case NUMBER:
                if (want == null || got == null) {
                    return want == got;
                }
                double w = (Double) want;
                double g = ((Number) got).doubleValue();
                return Math.abs(w - g) <= 1e-9 * Math.max(1.0, Math.abs(w));
            case TIME:
                return want != null && got != null && ((Number) want).longValue() == ((Number) got).longValue();
            case CONTAINS:
                return want == null ? got == null : got != null && got.toString().contains(want.toString());
            default:
                return Objects.equals(want, got);
        }
    }

    private static String describeExpected(Item e) {
        return e.values().entrySet().stream().map(x -> x.getKey() + "=" + show(x.getValue()))
                .collect(Collectors.joining(" "));
    }

    private static <T> String describe(T a, List<Field<T>> fields) {
        StringBuilder sb = new StringBuilder();
        for (Field<T> f : fields) {
            Object v = f.actual().apply(a);
            if (v == null && f.kind() != Kind.BLOCK_SYMBOL) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(f.name()).append('=').append(f.kind() == Kind.BLOCK_SYMBOL && v == null ? "*"
                    : f.kind() == Kind.TIME ? showTime(v) : show(v));
        }
        return sb.toString();
    }

    private static String showTime(Object v) {
        long ms = ((Number) v).longValue();
        return ms + " (" + java.time.Instant.ofEpochMilli(ms) + ")";
    }

    private static String show(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof BigDecimal b) {
            return b.stripTrailingZeros().toPlainString();
        }
        return v.toString();
    }

    /** Everything an evaluation decided, for a failure report. */
    static String describe(Decisions d) {
        StringBuilder sb = new StringBuilder();
        sb.append("decided: orders [").append(d.orders().stream().map(o -> describe(o, ORDER))
                .collect(Collectors.joining("; "))).append("]");
        sb.append("\n         stop_updates [").append(d.stopUpdates().stream().map(o -> describe(o, STOP))
                .collect(Collectors.joining("; "))).append("]");
        sb.append("\n         risk_events [").append(d.riskEvents().stream().map(o -> describe(o, RISK))
                .collect(Collectors.joining("; "))).append("]");
        sb.append("\n         entry_blocks [").append(d.entryBlocks().stream().map(o -> describe(o, BLOCK))
                .collect(Collectors.joining("; "))).append("]");
        sb.append("\n         fired ").append(d.firings());
        if (!d.errors().isEmpty()) {
            sb.append("\n         errors ").append(d.errors());
        }
        return sb.toString();
    }

    ScenarioNode node() {
        return node;
    }
}
