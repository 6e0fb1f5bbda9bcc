package io.aquatrade.report;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A self-contained HTML page (inline SVG, no scripts or external files) so a report opens offline
 * in any browser: headline figures, equity curve, exposure against its cap, per-symbol table, halts.
 */
final class HtmlReport {

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private static final int W = 960;
    private static final int H = 260;
    private static final int PAD_L = 70;
    private static final int PAD_B = 28;
    private static final int MAX_POINTS = 1500;

    private HtmlReport() {
    }

    @SuppressWarnings("unchecked")
    static String render(Map<String, Object> s, RunRecorder r) {
        StringBuilder b = new StringBuilder(64_000);
        b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Aquatrade replay report</title>")
         .append("<style>body{font-family:system-ui,sans-serif;margin:24px;color:#1b2733;background:#fafbfc}")
         .append("h1{font-size:22px}h2{font-size:17px;margin-top:28px}table{border-collapse:collapse;font-size:13px}")
         .append("td,th{border:1px solid #d0d7de;padding:4px 8px;text-align:right}th{background:#eef2f6}")
         .append("td:first-child,th:first-child{text-align:left}.kpi{display:inline-block;margin:0 18px 12px 0;padding:8px 12px;")
         .append("background:#fff;border:1px solid #d0d7de;border-radius:6px}.kpi b{display:block;font-size:18px}")
         .append("svg{background:#fff;border:1px solid #d0d7de}.neg{color:#b42318}.pos{color:#067647}</style></head><body>");
        b.append("<h1>Aquatrade replay report</h1>");
        Map<String, Object> window = (Map<String, Object>) s.get("window");
        if (window != null) {
            b.append("<p>Trading window ").append(esc(String.valueOf(window.get("from")))).append(" to ")
             .append(esc(String.valueOf(window.get("to")))).append(" (UTC), ").append(window.get("days")).append(" days; symbols: ")
             .append(esc(String.join(", ", (List<String>) s.getOrDefault("symbols", List.of())))).append("</p>");
        }
        kpi(b, "Start", s.get("start_quote"), "USDT");
        kpi(b, "End equity", s.get("end_equity"), "USDT");
        kpi(b, "Realised PnL", s.get("realized_pnl"), "USDT");
        kpi(b, "Fees", s.get("fees"), "USDT");
        kpi(b, "Trades (fills)", s.get("trades"), "");
        kpi(b, "Trades / day", s.get("trades_per_day"), "");
        kpi(b, "Round trips", s.get("round_trips"), "");
        kpi(b, "Win rate", s.get("win_rate"), "");
        kpi(b, "Max drawdown", s.get("max_drawdown_pct"), "%");
        kpi(b, "Max exposure", s.get("max_total_exposure_quote"), "USDT");

        List<RunRecorder.Sample> samples = r.samples();
        b.append("<h2>Equity (USDT)</h2>");
        chart(b, samples, x -> x.equity().doubleValue(), null, "#1f6feb");
        Object cap = ((Map<String, Object>) s.getOrDefault("caps", Map.of())).get("max_total_exposure_quote");
        b.append("<h2>Exposure: cost of open positions (USDT), dashed line = total exposure cap</h2>");
        chart(b, samples, x -> x.exposure().doubleValue(), cap == null ? null : new BigDecimal(cap.toString()).doubleValue(),
                "#bf8700");

        b.append("<h2>Per symbol</h2><table><tr><th>symbol</th><th>fills</th><th>buys</th><th>sells</th><th>round trips</th>")
         .append("<th>wins</th><th>realised PnL</th><th>fees</th><th>max exposure</th></tr>");
        Map<String, Map<String, Object>> per = (Map<String, Map<String, Object>>) s.get("per_symbol");
        if (per != null) {
            per.forEach((sym, m) -> {
                b.append("<tr><td>").append(esc(sym)).append("</td>");
                for (String k : List.of("trades", "buys", "sells", "round_trips", "wins", "realized_pnl", "fees",
                        "max_exposure_quote")) {
                    Object v = m.get(k);
                    String cls = k.equals("realized_pnl") && v != null && v.toString().startsWith("-") ? " class=\"neg\"" : "";
                    b.append("<td").append(cls).append('>').append(esc(fmt(v))).append("</td>");
                }
                b.append("</tr>");
            });
        }
        b.append("</table>");

        b.append("<h2>Halts and guardrails</h2>");
        List<Map<String, Object>> halts = (List<Map<String, Object>>) s.get("halts");
        if (halts == null || halts.isEmpty()) {
            b.append("<p>No halt during the run.</p>");
        } else {
            b.append("<table><tr><th>time (UTC)</th><th>kind</th><th>symbol</th><th>cause</th><th>source</th></tr>");
            int shown = 0;
            for (Map<String, Object> h : halts) {
                if (shown++ == 200) {
                    b.append("<tr><td colspan=5>… ").append(halts.size() - 200).append(" more in report.json</td></tr>");
                    break;
                }
                b.append("<tr><td>").append(esc(String.valueOf(h.get("time")))).append("</td><td>").append(esc(String.valueOf(h.get("kind"))))
                 .append("</td><td>").append(esc(String.valueOf(h.getOrDefault("symbol", "")))).append("</td><td>")
                 .append(esc(String.valueOf(h.get("cause")))).append("</td><td>").append(esc(String.valueOf(h.get("source"))))
                 .append("</td></tr>");
            }
            b.append("</table>");
        }
        b.append("<p style=\"margin-top:24px;font-size:12px;color:#57606a\">Fills at the next market event after the ")
         .append("decision; on one-minute candles a protective stop and take-profit crossed in the same bar count as the ")
         .append("stop (conservative). Full figures and the effective configuration are in report.json.</p>");
        b.append("</body></html>\n");
        return b.toString();
    }

    private static void kpi(StringBuilder b, String label, Object v, String unit) {
        b.append("<span class=\"kpi\">").append(esc(label)).append("<b>").append(esc(fmt(v))).append(unit.isEmpty() ? "" : " " + unit)
         .append("</b></span>");
    }

    private static String fmt(Object v) {
        if (v instanceof BigDecimal) {
            BigDecimal d = (BigDecimal) v;
            return d.abs().compareTo(BigDecimal.valueOf(1000)) >= 0 ? String.format(Locale.ROOT, "%,.2f", d)
                    : d.setScale(Math.min(4, Math.max(2, d.scale())), java.math.RoundingMode.HALF_EVEN).toPlainString();
        }
        if (v instanceof Double) {
            return String.format(Locale.ROOT, "%.3f", (Double) v);
        }
        return v == null ? "" : v.toString();
    }

    private static void chart(StringBuilder b, List<RunRecorder.Sample> samples, Function<RunRecorder.Sample, Double> y,
                              Double capLine, String color) {
        if (samples.isEmpty()) {
            b.append("<p>No samples.</p>");
            return;
        }
        int step = Math.max(1, samples.size() / MAX_POINTS);
        long t0 = samples.get(0).timeMs();
        long t1 = Math.max(t0 + 1, samples.get(samples.size() - 1).timeMs());
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (RunRecorder.Sample s : samples) {
            double v = y.apply(s);
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        if (capLine != null) {
            hi = Math.max(hi, capLine);
            lo = Math.min(lo, 0);
        }
        if (hi - lo < 1e-9) {
            hi = lo + 1;
        }
        double pad = (hi - lo) * 0.05;
        lo = capLine != null ? lo : lo - pad; // exposure starts at zero
        hi += pad;
        b.append("<svg width=\"").append(W).append("\" height=\"").append(H).append("\" viewBox=\"0 0 ").append(W).append(' ')
         .append(H).append("\" role=\"img\">");
        for (int i = 0; i <= 4; i++) {
            double v = lo + (hi - lo) * i / 4;
            double py = py(v, lo, hi);
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eaeef2\"/>", PAD_L, W - 10, py, py));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\" fill=\"#57606a\">%s</text>",
                    PAD_L - 6, py + 4, String.format(Locale.ROOT, "%,.0f", v)));
        }
        for (int i = 0; i <= 4; i++) {
            long t = t0 + (t1 - t0) * i / 4;
            double px = px(t, t0, t1);
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" fill=\"#57606a\">%s</text>",
                    px, H - 8, TS.format(Instant.ofEpochMilli(t))));
        }
        if (capLine != null) {
            double py = py(capLine, lo, hi);
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#b42318\" stroke-dasharray=\"6 4\"/>",
                    PAD_L, W - 10, py, py));
        }
        b.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"1.4\" points=\"");
        for (int i = 0; i < samples.size(); i += step) {
            RunRecorder.Sample s = samples.get(i);
            b.append(String.format(Locale.ROOT, "%.1f,%.1f ", px(s.timeMs(), t0, t1), py(y.apply(s), lo, hi)));
        }
        RunRecorder.Sample last = samples.get(samples.size() - 1);
        b.append(String.format(Locale.ROOT, "%.1f,%.1f", px(last.timeMs(), t0, t1), py(y.apply(last), lo, hi)));
        b.append("\"/></svg>");
    }

    private static double px(long t, long t0, long t1) {
        return PAD_L + (W - 10 - PAD_L) * (double) (t - t0) / (t1 - t0);
    }

    private static double py(double v, double lo, double hi) {
        return 10 + (H - PAD_B - 10) * (1 - (v - lo) / (hi - lo));
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
