package io.aquatrade.research;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code edge.json} and {@code edge.html}: the analyze command's answer to "does the echo pay?". */
public final class EdgeReport {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private EdgeReport() {
    }

    public static void write(Path dir, Map<String, Object> edge) {
        try {
            Files.createDirectories(dir);
            JSON.writeValue(dir.resolve("edge.json").toFile(), edge);
            Files.writeString(dir.resolve("edge.html"), html(edge), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the edge report to " + dir + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    static String html(Map<String, Object> e) {
        StringBuilder b = new StringBuilder(40_000);
        b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Aquatrade edge report</title>")
         .append(Svg.STYLE).append("</head><body><h1>Does the echo pay?</h1>");
        Object window = e.get("window");
        if (window != null) {
            b.append("<p>").append(Svg.esc(String.valueOf(window))).append("</p>");
        }
        Map<String, Object> rb = (Map<String, Object>) e.get("random_baseline");
        Map<String, Object> bh = (Map<String, Object>) e.get("buy_and_hold");
        b.append("<h2>Echo against random entries and buy-and-hold (net PnL after fees, USDT)</h2>");
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        labels.add("echo entries");
        values.add(num(rb.get("echo_net_pnl")));
        if (rb.containsKey("per_seed")) {
            for (Map<String, Object> s : (List<Map<String, Object>>) rb.get("per_seed")) {
                labels.add("random, seed " + s.get("seed"));
                values.add(num(s.get("net_pnl")));
            }
        }
        labels.add("buy and hold");
        values.add(num(bh.get("net_pnl")));
        b.append(Svg.bars(labels, values.stream().mapToDouble(d -> d).toArray(), 760));
        b.append("<p>").append(Svg.esc(String.valueOf(rb.get("method")))).append(". The echo beat ")
         .append(rb.get("echo_beats_random_seeds")).append(" of ").append(rb.get("seeds")).append(" random seeds.</p>");
        b.append(kv(rb, List.of("echo_net_pnl", "echo_round_trips", "echo_win_rate", "random_net_pnl_mean",
                "random_net_pnl_p5", "random_net_pnl_p50", "random_net_pnl_p95", "echo_percentile_among_random")));
        b.append("<p>Buy and hold: ").append(Svg.esc(String.valueOf(bh.get("method")))).append(".</p>");
        b.append(kv(bh, List.of("deployed", "net_pnl", "return_pct_of_deployed")));

        Map<String, Object> sig = (Map<String, Object>) e.get("signals");
        if (sig != null) {
            b.append("<h2>Echo signals: hit rate and forward return after fees (horizon ").append(sig.get("horizon_minutes"))
             .append(" min, round-trip fee ").append(sig.get("round_trip_fee_pct")).append("%)</h2><p>")
             .append(Svg.esc(String.valueOf(sig.get("method")))).append("</p>");
            for (String t : List.of("all", "by_move_class", "by_lookback", "by_similarity", "by_direction", "by_symbol")) {
                Object v = sig.get(t);
                b.append("<h3>").append(t.replace('_', ' ')).append("</h3><table><tr><th>group</th><th>signals</th>")
                 .append("<th>hit rate</th><th>avg forward return after fees %</th></tr>");
                Map<String, Object> rows = t.equals("all") ? Map.of("all", v) : (Map<String, Object>) v;
                rows.forEach((k, row) -> {
                    Map<String, Object> r = (Map<String, Object>) row;
                    b.append("<tr><td>").append(Svg.esc(k)).append("</td><td>").append(r.get("signals")).append("</td><td>")
                     .append(r.get("hit_rate")).append("</td><td>").append(r.get("avg_forward_return_after_fees_pct"))
                     .append("</td></tr>");
                });
                b.append("</table>");
            }
        }
        Map<String, Object> la = (Map<String, Object>) e.get("look_ahead");
        if (la != null) {
            b.append("<h2>Look-ahead check</h2><p>").append(Svg.esc(String.valueOf(la.get("method")))).append("</p><p><b>")
             .append(Boolean.TRUE.equals(la.get("passed")) ? "Passed" : "FAILED").append("</b>: ").append(la.get("checked"))
             .append(" decision(s) re-run with the data cut after them.</p>");
            for (Object m : (List<Object>) la.get("mismatches")) {
                b.append("<p class=\"note\">").append(Svg.esc(String.valueOf(m))).append("</p>");
            }
        }
        Map<String, Object> pr = (Map<String, Object>) e.get("projection");
        if (pr != null && pr.containsKey("from_usdt")) {
            b.append("<h2>Resampled projection</h2><p class=\"note\"><b>").append(Svg.esc(String.valueOf(pr.get("label"))))
             .append("</b>. ").append(pr.get("paths")).append(" paths from ").append(pr.get("days_sampled_from"))
             .append(" trading days; ").append(Svg.esc(String.valueOf(pr.get("capital_rule")))).append(".</p>");
            b.append("<table><tr><th>start USDT</th><th>after</th><th>p5</th><th>p25</th><th>p50</th><th>p75</th><th>p95</th></tr>");
            ((Map<String, Object>) pr.get("from_usdt")).forEach((start, v) -> {
                Map<String, Object> x = (Map<String, Object>) v;
                for (String when : List.of("after_30_days", "after_90_days")) {
                    Map<String, Object> p = (Map<String, Object>) x.get(when);
                    b.append("<tr><td>").append(start).append("</td><td>").append(when.replace('_', ' ')).append("</td>");
                    for (String q : List.of("p5", "p25", "p50", "p75", "p95")) {
                        b.append("<td>").append(p.get(q)).append("</td>");
                    }
                    b.append("</tr>");
                }
            });
            b.append("</table>");
        }
        return b.append("</body></html>").toString();
    }

    private static String kv(Map<String, Object> m, List<String> keys) {
        StringBuilder b = new StringBuilder("<table>");
        for (String k : keys) {
            if (m.containsKey(k)) {
                b.append("<tr><td>").append(k.replace('_', ' ')).append("</td><td>").append(m.get(k)).append("</td></tr>");
            }
        }
        return b.append("</table>").toString();
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : 0;
    }
}
