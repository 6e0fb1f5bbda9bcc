package io.aquatrade.rules;

import io.aquatrade.model.Account;
import io.aquatrade.model.Clock;
import io.aquatrade.model.Direction;
import io.aquatrade.model.EchoMatch;
import io.aquatrade.model.EchoTrack;
import io.aquatrade.model.KillSwitchLevel;
import io.aquatrade.model.MarketSnapshot;
import io.aquatrade.model.Position;
import io.aquatrade.model.RiskState;
import io.aquatrade.model.SymbolRisk;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the {@code given:} part of a scenario into the facts the pipeline would give the rules. Field names are
 * the facts' own field names in snake_case ({@code avgEntryPrice} is {@code avg_entry_price}); every field has a
 * default describing a calm, healthy market (documented in {@code rules/README.md}), so a scenario only writes
 * what it is about. Times ({@code *_time_ms}, {@code paused_until_ms}, {@code until_ms}) are epoch ms, ISO
 * instants or relative to the scenario's clock ({@code -5m}, {@code +2h}, {@code now}).
 */
final class ScenarioFacts {

    /** 2024-03-01T12:00:00Z: the clock of a scenario that does not set one. */
    static final long DEFAULT_CLOCK_MS = 1_709_294_400_000L;
    static final String DEFAULT_TEMPLATE_DAY = "2024-02-20";
    static final BigDecimal DEFAULT_PRICE = new BigDecimal("100");

    static final Set<String> FACTS = Set.of("clock", "account", "risk_state", "symbols");
    static final Set<String> TIME_FIELDS = Set.of("time_ms", "entry_time_ms", "paused_until_ms", "last_entry_time_ms",
            "last_exit_time_ms", "until_ms");

    private static final Set<String> ACCOUNT = Set.of("start_quote", "equity", "cash", "deployable", "exposure",
            "available_quote", "open_positions", "realized_pnl", "fees", "today_pnl", "trades_today", "trades_last_minute");
    private static final Set<String> RISK_STATE = Set.of("kill_switch", "entries_halted", "halt_reason", "utc_day");
    private static final Set<String> SYMBOL = Set.of("snapshot", "matches", "position", "track", "risk", "activity");
    private static final Set<String> SNAPSHOT = Set.of("time_ms", "last_price", "day_open", "day_change_pct",
            "day_range_pct", "ret_1m_pct", "ret_5m_pct", "ret_15m_pct", "volatility_1h_pct", "volume_ratio_15m",
            "last_event_age_ms", "stale", "minutes_of_history");
    private static final Set<String> MATCH = Set.of("time_ms", "template_day", "move_class_pct", "lookback", "similarity",
            "direction", "expected_move_pct", "minutes_to_peak", "activity_ratio");
    private static final Set<String> POSITION = Set.of("qty", "avg_entry_price", "cost_quote", "entry_time_ms",
            "last_price", "unrealized_pct", "peak_price", "drawdown_from_peak_pct", "held_minutes", "stop_price",
            "take_profit_price", "entry_reason", "entry_template_day", "exit_pending");
    private static final Set<String> TRACK = Set.of("template_day", "elapsed_minutes", "live_return_pct",
            "template_return_pct", "correlation");
    private static final Set<String> RISK = Set.of("consecutive_losses", "paused_until_ms", "pause_reason");
    private static final Set<String> ACTIVITY = Set.of("last_entry_time_ms", "last_exit_time_ms", "entry_pending");

    private static final Pattern RELATIVE = Pattern.compile("([+-])\\s*(\\d+)\\s*(ms|s|m|h|d)");
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    /** One symbol's facts; null members are absent facts. */
    record SymbolFacts(MarketSnapshot snapshot, List<EchoMatch> matches, Position position, EchoTrack track,
                       SymbolRisk risk, SymbolActivity activity) {
    }

    /** Everything one evaluation sees; a symbol mapped to null is removed. */
    record Facts(Clock clock, Account account, RiskState riskState, Map<String, SymbolFacts> symbols) {
    }

    private ScenarioFacts() {
    }

    // ------------------------------------------------------------------ time

    /** A time value: epoch ms, an ISO instant or date, {@code now}, or {@code [+-]N(ms|s|m|h|d)} from {@code clockMs}. */
    static long time(ScenarioNode n, long clockMs) {
        String t = n.requiredText().trim();
        if (t.equalsIgnoreCase("now")) {
            return clockMs;
        }
        Matcher m = RELATIVE.matcher(t);
        if (m.matches()) {
            long v = Long.parseLong(m.group(2));
            long unit = switch (m.group(3)) {
                case "ms" -> 1;
                case "s" -> 1000;
                case "m" -> 60_000;
                case "h" -> 3_600_000;
                default -> 86_400_000;
            };
            return clockMs + (m.group(1).equals("-") ? -v : v) * unit;
        }
        if (t.matches("\\d+")) {
            return Long.parseLong(t);
        }
        try {
            return OffsetDateTime.parse(t).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            } catch (DateTimeParseException e2) {
                throw n.error("must be a time: epoch ms, an ISO instant such as 2024-03-01T12:00:00Z, 'now', "
                        + "or relative to the clock such as -5m, +2h, -30s, got '" + t + "'");
            }
        }
    }

    /** The step's clock: absolute, or relative to the previous step's clock. */
    static long clock(ScenarioNode given, long previousClockMs) {
        if (given == null || !given.isMap()) {
            return previousClockMs;
        }
        ScenarioNode c = given.anyFields().get("clock");
        return c == null || c.isNull() ? previousClockMs : time(c, previousClockMs);
    }

    /**
     * A copy of {@code given} with every relative time made absolute against {@code clockMs} and the clock
     * removed, so facts carried into a later step keep the times they were written for.
     */
    static ScenarioNode absolute(ScenarioNode given, long clockMs) {
        if (given == null || !given.isMap()) {
            return given;
        }
        return absolute(given, clockMs, true);
    }

    private static ScenarioNode absolute(ScenarioNode n, long clockMs, boolean top) {
        if (n.isMap()) {
            Map<String, ScenarioNode> out = new LinkedHashMap<>();
            for (Map.Entry<String, ScenarioNode> e : n.anyFields().entrySet()) {
                if (top && e.getKey().equals("clock")) {
                    continue;
                }
                ScenarioNode v = e.getValue();
                if (TIME_FIELDS.contains(e.getKey()) && v.kind == ScenarioNode.Kind.SCALAR) {
                    out.put(e.getKey(), ScenarioNode.scalar(v, v.path, Long.toString(time(v, clockMs))));
                } else {
                    out.put(e.getKey(), absolute(v, clockMs, false));
                }
            }
            return ScenarioNode.map(n, n.path, out);
        }
        if (n.kind == ScenarioNode.Kind.LIST) {
            List<ScenarioNode> items = new ArrayList<>();
            for (ScenarioNode i : n.items()) {
                items.add(absolute(i, clockMs, false));
            }
            return ScenarioNode.list(n, items);
        }
        return n;
    }

    // ------------------------------------------------------------------ facts

    /** Builds the facts of one evaluation from the merged {@code given} (clock removed) at {@code clockMs}. */
    static Facts build(ScenarioNode given, long clockMs) {
        Map<String, ScenarioNode> f = given == null || given.isNull() ? Map.of() : given.fields(FACTS);
        Clock clock = Clock.at(clockMs);
        Map<String, SymbolFacts> symbols = new LinkedHashMap<>();
        int open = 0;
        BigDecimal exposure = BigDecimal.ZERO;
        ScenarioNode syms = f.get("symbols");
        if (syms != null && !syms.isNull()) {
            for (Map.Entry<String, ScenarioNode> e : syms.anyFields().entrySet()) {
                String symbol = e.getKey();
                if (e.getValue().isNull()) {
                    symbols.put(symbol, null);
                    continue;
                }
                SymbolFacts sf = symbol(symbol, e.getValue(), clockMs);
                symbols.put(symbol, sf);
                if (sf.position() != null) {
                    open++;
                    exposure = exposure.add(sf.position().costQuote());
                }
            }
        }
        Account account = account(f.get("account"), open, exposure);
        RiskState risk = riskState(f.get("risk_state"), clock);
        return new Facts(clock, account, risk, symbols);
    }

    private static Map<String, ScenarioNode> fieldsOrEmpty(ScenarioNode n, Set<String> known) {
        return n == null || n.isNull() ? Map.of() : n.fields(known);
    }

    private static BigDecimal dec(Map<String, ScenarioNode> m, String k, BigDecimal dflt) {
        ScenarioNode n = m.get(k);
        return n == null || n.isNull() ? dflt : n.decimal();
    }

    private static BigDecimal decOrNull(Map<String, ScenarioNode> m, String k) {
        ScenarioNode n = m.get(k);
        return n == null || n.isNull() ? null : n.decimal();
    }

    private static double dbl(Map<String, ScenarioNode> m, String k, double dflt) {
        ScenarioNode n = m.get(k);
        return n == null || n.isNull() ? dflt : n.dbl();
    }

    private static int integer(Map<String, ScenarioNode> m, String k, int dflt) {
        ScenarioNode n = m.get(k);
        return n == null || n.isNull() ? dflt : n.integer();
    }

    private static long whole(Map<String, ScenarioNode> m, String k, long dflt) {
        ScenarioNode n = m.get(k);
        return n == null || n.isNull() ? dflt : n.whole();
    }

    private static long timeField(Map<String, ScenarioNode> m, String k, long dflt, long clockMs) {
        ScenarioNode n = m.get(k);
        return n == null || n.isNull() ? dflt : time(n, clockMs);
    }

    private static boolean bool(Map<String, ScenarioNode> m, String k, boolean dflt) {
        ScenarioNode n = m.get(k);
        return n == null || n.isNull() ? dflt : n.bool();
    }

    private static String text(Map<String, ScenarioNode> m, String k, String dflt) {
        ScenarioNode n = m.get(k);
        return n == null ? dflt : n.text();
    }

    private static Account account(ScenarioNode node, int open, BigDecimal positionsCost) {
        Map<String, ScenarioNode> m = fieldsOrEmpty(node, ACCOUNT);
        BigDecimal start = dec(m, "start_quote", new BigDecimal("10000"));
        BigDecimal todayPnl = dec(m, "today_pnl", BigDecimal.ZERO);
        BigDecimal exposure = dec(m, "exposure", positionsCost);
        BigDecimal equity = dec(m, "equity", start.add(todayPnl));
        BigDecimal cash = dec(m, "cash", start.subtract(exposure));
        BigDecimal deployable = dec(m, "deployable", start.divide(BigDecimal.valueOf(2)));
        BigDecimal available = dec(m, "available_quote", deployable.subtract(exposure).min(cash).max(BigDecimal.ZERO));
        return new Account(start, equity, cash, deployable, exposure, available, integer(m, "open_positions", open),
                dec(m, "realized_pnl", BigDecimal.ZERO), dec(m, "fees", BigDecimal.ZERO), todayPnl,
                integer(m, "trades_today", 0), integer(m, "trades_last_minute", 0));
    }

    private static RiskState riskState(ScenarioNode node, Clock clock) {
        Map<String, ScenarioNode> m = fieldsOrEmpty(node, RISK_STATE);
        ScenarioNode ks = m.get("kill_switch");
        KillSwitchLevel level = ks == null || ks.isNull() ? KillSwitchLevel.ACTIVE : ks.enumValue(KillSwitchLevel.class);
        boolean halted = bool(m, "entries_halted", false);
        return new RiskState(level, halted, text(m, "halt_reason", halted ? "halted in the scenario" : null),
                text(m, "utc_day", clock.utcDay()));
    }

    private static SymbolFacts symbol(String symbol, ScenarioNode node, long clockMs) {
        Map<String, ScenarioNode> m = node.fields(SYMBOL);
        Map<String, ScenarioNode> snap = fieldsOrEmpty(m.get("snapshot"), SNAPSHOT);
        ScenarioNode posNode = m.get("position");
        Map<String, ScenarioNode> pos = posNode == null || posNode.isNull() ? null : posNode.fields(POSITION);

        BigDecimal price = decOrNull(snap, "last_price");
        if (price == null && pos != null) {
            price = decOrNull(pos, "last_price");
        }
        if (price == null) {
            price = DEFAULT_PRICE;
        }
        BigDecimal dayOpen = dec(snap, "day_open", price);
        MarketSnapshot snapshot = new MarketSnapshot(symbol, timeField(snap, "time_ms", clockMs, clockMs), price, dayOpen,
                dbl(snap, "day_change_pct", pct(price.subtract(dayOpen), dayOpen)), dbl(snap, "day_range_pct", 1.0),
                dbl(snap, "ret_1m_pct", 0), dbl(snap, "ret_5m_pct", 0), dbl(snap, "ret_15m_pct", 0),
                dbl(snap, "volatility_1h_pct", 0.3), dbl(snap, "volume_ratio_15m", 1.0),
                whole(snap, "last_event_age_ms", 1_000), bool(snap, "stale", false),
                integer(snap, "minutes_of_history", 1_440));

        List<EchoMatch> matches = new ArrayList<>();
        ScenarioNode ms = m.get("matches");
        if (ms != null && !ms.isNull()) {
            for (ScenarioNode item : ms.items()) {
                Map<String, ScenarioNode> e = item.fields(MATCH);
                ScenarioNode dir = e.get("direction");
                matches.add(new EchoMatch(symbol, timeField(e, "time_ms", clockMs, clockMs),
                        text(e, "template_day", DEFAULT_TEMPLATE_DAY), integer(e, "move_class_pct", 5),
                        text(e, "lookback", "30d"), dbl(e, "similarity", 0.95),
                        dir == null || dir.isNull() ? Direction.UP : dir.enumValue(Direction.class),
                        dbl(e, "expected_move_pct", 4.0), integer(e, "minutes_to_peak", 45),
                        dbl(e, "activity_ratio", 1.5)));
            }
        }

        Position position = null;
        if (pos != null) {
            BigDecimal qty = dec(pos, "qty", BigDecimal.ONE);
            BigDecimal entry = dec(pos, "avg_entry_price", DEFAULT_PRICE);
            BigDecimal last = dec(pos, "last_price", price);
            ScenarioNode heldNode = pos.get("held_minutes");
            ScenarioNode entryTimeNode = pos.get("entry_time_ms");
            long held;
            long entryTime;
            if (entryTimeNode != null && !entryTimeNode.isNull()) {
                entryTime = time(entryTimeNode, clockMs);
                held = heldNode == null || heldNode.isNull() ? Math.max(0, (clockMs - entryTime) / 60_000) : heldNode.whole();
            } else {
                held = heldNode == null || heldNode.isNull() ? 10 : heldNode.whole();
                entryTime = clockMs - held * 60_000;
            }
            BigDecimal peak = dec(pos, "peak_price", entry.max(last));
            position = new Position(symbol, qty, entry, dec(pos, "cost_quote", qty.multiply(entry)), entryTime, last,
                    dbl(pos, "unrealized_pct", pct(last.subtract(entry), entry)), peak,
                    dbl(pos, "drawdown_from_peak_pct", Math.max(0, pct(peak.subtract(last), peak))), held,
                    decOrNull(pos, "stop_price"), decOrNull(pos, "take_profit_price"),
                    text(pos, "entry_reason", "entry-echo-up"), text(pos, "entry_template_day", DEFAULT_TEMPLATE_DAY),
                    bool(pos, "exit_pending", false));
        }

        EchoTrack track = null;
        ScenarioNode trNode = m.get("track");
        if (trNode != null && !trNode.isNull()) {
            Map<String, ScenarioNode> t = trNode.fields(TRACK);
            if (position == null) {
                throw trNode.error("a track follows an open position: give the symbol a position too");
            }
            track = new EchoTrack(symbol, text(t, "template_day", position.entryTemplateDay()),
                    integer(t, "elapsed_minutes", (int) position.heldMinutes()),
                    dbl(t, "live_return_pct", position.unrealizedPct()), dbl(t, "template_return_pct", 0),
                    dbl(t, "correlation", 0.8));
        }

        Map<String, ScenarioNode> r = fieldsOrEmpty(m.get("risk"), RISK);
        SymbolRisk risk = new SymbolRisk(symbol, integer(r, "consecutive_losses", 0),
                timeField(r, "paused_until_ms", 0, clockMs), text(r, "pause_reason", null));
        Map<String, ScenarioNode> a = fieldsOrEmpty(m.get("activity"), ACTIVITY);
        SymbolActivity activity = new SymbolActivity(symbol, timeField(a, "last_entry_time_ms", 0, clockMs),
                timeField(a, "last_exit_time_ms", 0, clockMs), bool(a, "entry_pending", false));
        return new SymbolFacts(snapshot, matches, position, track, risk, activity);
    }

    private static double pct(BigDecimal diff, BigDecimal base) {
        if (base.signum() == 0) {
            return 0;
        }
        return diff.multiply(HUNDRED).divide(base, MathContext.DECIMAL64).doubleValue();
    }
}
