package io.aquatrade.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PromQL the deployment files hold, in a form Prometheus itself can evaluate:
 * <ul>
 *   <li>{@link #dashboardQueries}: every panel target (rows included, collapsed or not), every Prometheus
 *       annotation and every query variable of a Grafana dashboard, with Grafana's variables replaced
 *       the way Grafana would for "All" over a short range ({@link #GRAFANA_MACROS});</li>
 *   <li>{@link #alertRules}: every rule of a Prometheus rule file;</li>
 *   <li>{@link #dataOperands}: the parts of an alert expression that must return data on a healthy bot.
 *       An alert expression is normally empty (nothing is wrong), so "returns data" is checked on its
 *       operands: the expression is split at its top-level {@code or}, {@code and}/{@code unless} and
 *       comparison operators (in PromQL's precedence), number literals are dropped and
 *       {@code absent(x)} is replaced by {@code x}. Each remaining operand is a series selection or
 *       arithmetic on one, and on a healthy bot it must not be empty.</li>
 * </ul>
 */
final class Promql {

    /** Grafana's built-in interval macros, with values Grafana would pick for a few minutes' range. */
    static final Map<String, String> GRAFANA_MACROS = Map.of(
            "__rate_interval", "1m",
            "__interval", "15s",
            "__range", "10m");

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_]+)(?::[A-Za-z]+)?}|\\$([A-Za-z0-9_]+)|\\[\\[([A-Za-z0-9_]+)]]");
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)\\s*$", Pattern.DOTALL);
    private static final Pattern NUMBER = Pattern.compile("^[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?$");

    private Promql() {
    }

    /**
     * One expression found in a file, with where it came from (for failure messages). {@code condition}:
     * an annotation's expression, normally empty like an alert's, so its {@link #dataOperands} are checked.
     */
    record Query(String where, String expr, boolean condition) {
    }

    /** An alerting or recording rule. */
    record Rule(String where, String name, String expr, boolean alert) {
    }

    static List<Query> dashboardQueries(Path file, JsonNode dashboard) {
        Map<String, String> vars = new LinkedHashMap<>();
        List<Query> out = new ArrayList<>();
        for (JsonNode v : dashboard.path("templating").path("list")) {
            String name = v.path("name").asText();
            String all = v.path("includeAll").asBoolean() && v.hasNonNull("allValue") ? v.path("allValue").asText() : ".*";
            vars.put(name, all);
            if ("query".equals(v.path("type").asText())) {
                JsonNode q = v.path("query");
                String text = q.isObject() ? q.path("query").asText() : q.asText();
                Matcher lv = LABEL_VALUES.matcher(text);
                // label_values(selector, label) is Grafana's, not PromQL: its data is the selector's series.
                out.add(new Query(file.getFileName() + " variable $" + name, lv.matches() ? lv.group(1) : text, false));
            }
        }
        collectPanels(file.getFileName().toString(), dashboard.path("panels"), out);
        for (JsonNode a : dashboard.path("annotations").path("list")) {
            String expr = a.hasNonNull("expr") ? a.path("expr").asText() : a.path("target").path("expr").asText(null);
            if (expr != null && !expr.isBlank()) {
                out.add(new Query(file.getFileName() + " annotation \"" + a.path("name").asText() + "\"", expr, true));
            }
        }
        List<Query> resolved = new ArrayList<>();
        for (Query q : out) {
            resolved.add(new Query(q.where(), substitute(q.expr(), vars, q.where()), q.condition()));
        }
        return resolved;
    }

    private static void collectPanels(String file, JsonNode panels, List<Query> out) {
        for (JsonNode p : panels) {
            if (p.has("panels")) {
                collectPanels(file, p.path("panels"), out);
            }
            for (JsonNode t : p.path("targets")) {
                if (t.hasNonNull("expr")) {
                    out.add(new Query(file + " panel \"" + p.path("title").asText() + "\" target "
                            + t.path("refId").asText(), t.path("expr").asText(), false));
                }
            }
        }
    }

    /** Replaces Grafana variables and macros; an unknown variable is an error naming where it is. */
    static String substitute(String expr, Map<String, String> vars, String where) {
        Matcher m = VARIABLE.matcher(expr);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            String value = GRAFANA_MACROS.containsKey(name) ? GRAFANA_MACROS.get(name) : vars.get(name);
            if (value == null) {
                throw new AssertionError(where + ": unknown Grafana variable $" + name + " in " + expr);
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    static List<Rule> alertRules(Path file, JsonNode rules) {
        List<Rule> out = new ArrayList<>();
        for (JsonNode g : rules.path("groups")) {
            for (JsonNode r : g.path("rules")) {
                boolean alert = r.hasNonNull("alert");
                String name = alert ? r.path("alert").asText() : r.path("record").asText();
                out.add(new Rule(file.getFileName() + " group " + g.path("name").asText() + " rule " + name, name,
                        r.path("expr").asText(), alert));
            }
        }
        return out;
    }

    /** The operands of an expression that must return data (see the class comment). */
    static List<String> dataOperands(String expr) {
        List<String> out = new ArrayList<>();
        collectOperands(expr.trim(), out);
        return out;
    }

    private static void collectOperands(String expr, List<String> out) {
        String e = unwrap(expr.trim());
        for (String[] level : new String[][] {{"or"}, {"and", "unless"}, {"==", "!=", ">=", "<=", ">", "<"}}) {
            List<String> parts = splitTopLevel(e, level);
            if (parts.size() > 1) {
                for (String part : parts) {
                    collectOperands(stripModifiers(part), out);
                }
                return;
            }
        }
        Matcher absent = Pattern.compile("^absent(?:_over_time)?\\s*\\((.*)\\)$", Pattern.DOTALL).matcher(e);
        if (absent.matches()) {
            String inner = absent.group(1).trim();
            // absent_over_time(x[5m]) asks about x.
            collectOperands(inner.replaceFirst("\\[[^\\[\\]]*]\\s*$", ""), out);
            return;
        }
        if (NUMBER.matcher(e).matches()) {
            return;
        }
        out.add(e);
    }

    /** Drops the vector-matching modifiers that follow a binary operator: bool, on(..), group_left(..), .... */
    private static String stripModifiers(String operand) {
        String s = operand.trim();
        Pattern mod = Pattern.compile("^(bool\\b|(on|ignoring|group_left|group_right)\\s*\\([^)]*\\)|group_left\\b|group_right\\b)\\s*");
        while (true) {
            Matcher m = mod.matcher(s);
            if (!m.find()) {
                return s;
            }
            s = s.substring(m.end()).trim();
        }
    }

    /** Removes parentheses that enclose the whole expression. */
    private static String unwrap(String e) {
        String s = e;
        while (s.startsWith("(") && s.endsWith(")") && closingOf(s, 0) == s.length() - 1) {
            s = s.substring(1, s.length() - 1).trim();
        }
        return s;
    }

    private static int closingOf(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = endOfString(s, i);
            } else if (c == '(' || c == '{' || c == '[') {
                depth++;
            } else if (c == ')' || c == '}' || c == ']') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static int endOfString(String s, int start) {
        char q = s.charAt(start);
        for (int i = start + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && q != '`') {
                i++;
            } else if (c == q) {
                return i;
            }
        }
        throw new IllegalArgumentException("unterminated string in " + s);
    }

    /** Splits at the given operators where they stand outside any (), {}, [] or string. */
    static List<String> splitTopLevel(String s, String[] ops) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = endOfString(s, i);
                continue;
            }
            if (c == '(' || c == '{' || c == '[') {
                depth++;
                continue;
            }
            if (c == ')' || c == '}' || c == ']') {
                depth--;
                continue;
            }
            if (depth != 0) {
                continue;
            }
            for (String op : ops) {
                if (!s.startsWith(op, i)) {
                    continue;
                }
                boolean word = Character.isLetter(op.charAt(0));
                if (word) {
                    boolean before = i == 0 || !isIdent(s.charAt(i - 1));
                    int after = i + op.length();
                    boolean afterOk = after >= s.length() || !isIdent(s.charAt(after));
                    if (!before || !afterOk) {
                        continue;
                    }
                } else if (op.length() == 1) {
                    // '>' or '<' that is part of '>=' / '<=' was matched by the longer operator first;
                    // '=' of '=~' never stands at depth 0.
                    if (i + 1 < s.length() && s.charAt(i + 1) == '=') {
                        continue;
                    }
                }
                parts.add(s.substring(from, i).trim());
                from = i + op.length();
                i = from - 1;
                break;
            }
        }
        parts.add(s.substring(from).trim());
        return parts;
    }

    private static boolean isIdent(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == ':';
    }
}
