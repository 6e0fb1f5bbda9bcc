package io.aquatrade.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquatrade.model.Fill;
import io.aquatrade.model.Side;
import io.aquatrade.portfolio.RoundTrip;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * report.html: one self-contained page that opens offline (inline CSS, inline SVG drawn by an inline
 * script from the page's own JSON; no CDN, no network). Headline figures; equity with the start line,
 * drawdown shading, trade and halt markers; exposure against its cap; results by exit reason and by
 * symbol, gross and net of fees; halts grouped per symbol with their end; the rules version and the
 * configuration overrides; the list of round trips. Numbers are formatted for people ({@link Formats}).
 */
final class HtmlReport {

    private static final int MAX_POINTS = 2000;
    private static final int MAX_MARKERS = 3000;
    private static final int MAX_TRADES_LISTED = 500;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHARTS_JS = resource("/report/charts.js");

    private HtmlReport() {
    }

    @SuppressWarnings("unchecked")
    static String render(Map<String, Object> s, RunRecorder r) {
        StringBuilder b = new StringBuilder(128_000);
        b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
         .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Aquatrade replay report</title>")
         .append("<style>").append(CSS).append("</style></head><body><main>");
        b.append("<h1>Aquatrade replay report</h1>");
        Map<String, Object> window = (Map<String, Object>) s.get("window");
        Map<String, Object> rules = (Map<String, Object>) s.getOrDefault("rules", Map.of());
        if (window != null) {
            b.append("<p class=\"sub\">Traded ").append(esc(Formats.utcMinute((String) window.get("from")))).append(" .. ")
             .append(esc(Formats.utcMinute((String) window.get("to")))).append(" UTC (")
             .append(esc(Formats.days(((Number) window.get("days")).doubleValue()))).append(") · ")
             .append(((List<String>) s.getOrDefault("symbols", List.of())).size()).append(" symbols: ")
             .append(esc(String.join(", ", (List<String>) s.getOrDefault("symbols", List.of()))))
             .append(" · rules <b>").append(esc(String.valueOf(rules.getOrDefault("version", "?")))).append("</b></p>");
        }
        List<RoundTrip> trips = r.roundTrips();
        BigDecimal net = BigDecimal.ZERO;
        BigDecimal tripFees = BigDecimal.ZERO;
        for (RoundTrip t : trips) {
            net = net.add(t.pnl());
            tripFees = tripFees.add(t.fees());
        }
        BigDecimal start = dec(s.get("start_quote"));
        BigDecimal end = dec(s.get("end_equity"));
        double ret = start.signum() == 0 ? 0 : end.subtract(start).doubleValue() * 100 / start.doubleValue();
        long roundTrips = ((Number) s.get("round_trips")).longValue();

        b.append("<section class=\"kpis\">");
        kpi(b, "Start", Formats.money(start) + " USDT", null);
        kpi(b, "End equity", Formats.money(end) + " USDT", Formats.signedPercent(ret), ret);
        kpi(b, "Realised PnL, net of fees", Formats.signedMoney(s.get("realized_pnl")) + " USDT",
                "gross " + Formats.signedMoney(net.add(tripFees)) + " before " + Formats.money(tripFees) + " fees",
                dec(s.get("realized_pnl")).doubleValue());
        kpi(b, "Unrealised", Formats.signedMoney(s.get("unrealized_pnl")) + " USDT", "open positions at the end",
                dec(s.get("unrealized_pnl")).doubleValue());
        kpi(b, "Fees paid", Formats.money(s.get("fees")) + " USDT", "all fills, in USDT at the fill price");
        kpi(b, "Fills", Formats.count(((Number) s.get("trades")).longValue()),
                Formats.oneDecimal(((Number) s.get("trades_per_day")).doubleValue()) + " a day");
        kpi(b, "Round trips", Formats.count(roundTrips), "win rate " + (roundTrips == 0 ? "–"
                : Formats.fraction(((Number) s.get("win_rate")).doubleValue())));
        kpi(b, "Max drawdown", Formats.percent(dec(s.get("max_drawdown_pct")).doubleValue()), "of the per-minute equity");
        kpi(b, "Max exposure", Formats.money(s.get("max_total_exposure_quote")) + " USDT", "at "
                + Formats.utcMinute((String) s.get("max_total_exposure_time")) + " UTC");
        kpi(b, "Halts", Formats.count(((List<?>) s.get("halts")).size()), "guardrail pauses and kill-switch changes");
        b.append("</section>");

        Object cap = ((Map<String, Object>) s.getOrDefault("caps", Map.of())).get("max_total_exposure_quote");
        b.append("<h2>Equity <small>USDT · dashed: start equity · shaded: drawdown from the running peak · ▲ buy, ▼ sell")
         .append(" (green a win, red a loss) · orange lines: halts; hover a marker for details</small></h2>")
         .append("<div class=\"chart\" id=\"equity-chart\"></div>");
        b.append("<h2>Exposure <small>cost of open positions, USDT, against the total exposure cap</small></h2>")
         .append("<div class=\"chart\" id=\"exposure-chart\"></div>");

        exitReasons(b, trips);
        perSymbol(b, s, trips);
        halts(b, (List<Map<String, Object>>) s.get("halts"));
        tradeList(b, trips);
        rulesAndConfig(b, s, rules);

        b.append("<p class=\"note\">Realised PnL is net of fees: a BUY's fee is paid in the coin bought (so fewer coins ")
         .append("are held for its cost) and a SELL's in USDT. Orders fill at the next market event after the decision; ")
         .append("on one-minute candles a protective stop and take-profit crossed in the same bar count as the stop ")
         .append("(conservative). Every fill is in trades.csv; every figure, with the effective configuration, in report.json.</p>");
        b.append("</main><script type=\"application/json\" id=\"report-data\">")
         .append(chartData(s, r, cap == null ? 0 : new BigDecimal(cap.toString()).doubleValue()))
         .append("</script><script>").append(CHARTS_JS).append("</script></body></html>\n");
        return b.toString();
    }

    private static void exitReasons(StringBuilder b, List<RoundTrip> trips) {
        b.append("<h2>Results by exit reason <small>round trips, net of fees</small></h2>");
        if (trips.isEmpty()) {
            b.append("<p>No round trip completed.</p>");
            return;
        }
        Map<String, List<RoundTrip>> by = new TreeMap<>();
        trips.forEach(t -> by.computeIfAbsent(t.exitReason() == null ? "?" : t.exitReason(), k -> new ArrayList<>()).add(t));
        b.append("<div class=\"scroll\"><table><tr><th class=\"l\">exit reason</th><th>round trips</th><th>wins</th>")
         .append("<th>win rate</th><th>net PnL</th><th>average</th><th>fees</th><th>average hold</th></tr>");
        by.entrySet().stream().sorted((x, y) -> Integer.compare(y.getValue().size(), x.getValue().size())).forEach(e -> {
            Totals t = Totals.of(e.getValue());
            b.append("<tr><td class=\"l\">").append(esc(e.getKey())).append("</td>").append(td(Formats.count(t.n)))
             .append(td(Formats.count(t.wins))).append(td(Formats.fraction(t.wins / (double) t.n)))
             .append(tdSigned(t.net)).append(tdSigned(t.net.divide(BigDecimal.valueOf(t.n), java.math.MathContext.DECIMAL64)))
             .append(td(Formats.money(t.fees))).append(td(Formats.duration(t.holdSeconds / t.n))).append("</tr>");
        });
        b.append("</table></div>");
    }

    @SuppressWarnings("unchecked")
    private static void perSymbol(StringBuilder b, Map<String, Object> s, List<RoundTrip> trips) {
        b.append("<h2>Per symbol <small>gross PnL before fees, net after them</small></h2>");
        Map<String, Map<String, Object>> per = (Map<String, Map<String, Object>>) s.get("per_symbol");
        if (per == null || per.isEmpty()) {
            b.append("<p>No symbol traded.</p>");
            return;
        }
        Map<String, List<RoundTrip>> bySymbol = new TreeMap<>();
        trips.forEach(t -> bySymbol.computeIfAbsent(t.symbol(), k -> new ArrayList<>()).add(t));
        b.append("<div class=\"scroll\"><table><tr><th class=\"l\">symbol</th><th>fills</th><th>round trips</th><th>wins</th>")
         .append("<th>win rate</th><th>gross PnL</th><th>fees</th><th>net PnL</th><th>bought</th><th>max exposure</th></tr>");
        per.forEach((sym, m) -> {
            Totals t = Totals.of(bySymbol.getOrDefault(sym, List.of()));
            b.append("<tr><td class=\"l\">").append(esc(sym)).append("</td>")
             .append(td(Formats.count(((Number) m.get("trades")).longValue()))).append(td(Formats.count(t.n)))
             .append(td(Formats.count(t.wins))).append(td(t.n == 0 ? "–" : Formats.fraction(t.wins / (double) t.n)))
             .append(tdSigned(t.net.add(t.fees))).append(td(Formats.money(t.fees))).append(tdSigned(t.net))
             .append(td(Formats.money(m.get("bought_quote")))).append(td(Formats.money(m.get("max_exposure_quote"))))
             .append("</tr>");
        });
        Totals all = Totals.of(trips);
        b.append("<tr class=\"total\"><td class=\"l\">all</td>").append(td(Formats.count(((Number) s.get("trades")).longValue())))
         .append(td(Formats.count(all.n))).append(td(Formats.count(all.wins)))
         .append(td(all.n == 0 ? "–" : Formats.fraction(all.wins / (double) all.n))).append(tdSigned(all.net.add(all.fees)))
         .append(td(Formats.money(all.fees))).append(tdSigned(all.net)).append(td("")).append(td("")).append("</tr>");
        b.append("</table></div>");
    }

    /** Halts grouped per symbol and kind, each with when it began and until when it held. */
    private static void halts(StringBuilder b, List<Map<String, Object>> halts) {
        b.append("<h2>Halts and guardrails <small>grouped per symbol; times UTC</small></h2>");
        if (halts == null || halts.isEmpty()) {
            b.append("<p>No halt during the run.</p>");
            return;
        }
        Map<String, List<Map<String, Object>>> groups = new TreeMap<>();
        for (Map<String, Object> h : halts) {
            String sym = h.get("symbol") == null ? "(all symbols)" : h.get("symbol").toString();
            groups.computeIfAbsent(sym + "\u0000" + h.get("kind"), k -> new ArrayList<>()).add(h);
        }
        b.append("<div class=\"scroll\"><table><tr><th class=\"l\">symbol</th><th class=\"l\">kind</th><th>times</th>")
         .append("<th class=\"l\">from → until</th><th class=\"l\">cause (latest)</th></tr>");
        groups.forEach((key, list) -> {
            String[] k = key.split("\u0000", 2);
            StringBuilder spans = new StringBuilder();
            int shown = 0;
            for (Map<String, Object> h : list) {
                if (shown++ == 8) {
                    spans.append("… ").append(list.size() - 8).append(" more");
                    break;
                }
                spans.append(shown > 1 ? "; " : "").append(Formats.utcMinute((String) h.get("time")));
                if (h.get("until") != null) {
                    spans.append(" → ").append(Formats.utcMinute((String) h.get("until")));
                }
            }
            Map<String, Object> last = list.get(list.size() - 1);
            b.append("<tr><td class=\"l\">").append(esc(k[0])).append("</td><td class=\"l\">").append(esc(k[1]))
             .append("</td>").append(td(Formats.count(list.size()))).append("<td class=\"l wrap\">").append(esc(spans.toString()))
             .append("</td><td class=\"l wrap\">").append(esc(String.valueOf(last.get("cause")))).append(" <span class=\"muted\">(")
             .append(esc(String.valueOf(last.get("source")))).append(")</span></td></tr>");
        });
        b.append("</table></div>");
    }

    private static void tradeList(StringBuilder b, List<RoundTrip> trips) {
        b.append("<h2>Trades <small>round trips, newest last").append(trips.size() > MAX_TRADES_LISTED
                ? "; the first " + MAX_TRADES_LISTED + " of " + trips.size() + ", every fill is in trades.csv" : "")
         .append("</small></h2>");
        if (trips.isEmpty()) {
            b.append("<p>No round trip completed.</p>");
            return;
        }
        b.append("<div class=\"scroll tall\"><table><tr><th class=\"l\">symbol</th><th class=\"l\">entry (UTC)</th>")
         .append("<th class=\"l\">exit (UTC)</th><th>held</th><th>cost</th><th>proceeds</th><th>net PnL</th><th>return</th>")
         .append("<th class=\"l\">entry reason</th><th class=\"l\">exit reason</th></tr>");
        int n = 0;
        for (RoundTrip t : trips) {
            if (n++ == MAX_TRADES_LISTED) {
                break;
            }
            double pct = t.cost().signum() == 0 ? 0 : t.pnl().doubleValue() * 100 / t.cost().doubleValue();
            b.append("<tr><td class=\"l\">").append(esc(t.symbol())).append("</td><td class=\"l\">")
             .append(Formats.utcMinute(t.entryTimeMs())).append("</td><td class=\"l\">").append(Formats.utcMinute(t.exitTimeMs()))
             .append("</td>").append(td(Formats.duration((t.exitTimeMs() - t.entryTimeMs()) / 1000.0)))
             .append(td(Formats.money(t.cost()))).append(td(Formats.money(t.proceeds()))).append(tdSigned(t.pnl()))
             .append("<td class=\"").append(pct > 0 ? "pos" : pct < 0 ? "neg" : "").append("\">")
             .append(Formats.signedPercent(pct)).append("</td><td class=\"l\">").append(esc(String.valueOf(t.entryReason())))
             .append("</td><td class=\"l\">").append(esc(String.valueOf(t.exitReason()))).append("</td></tr>");
        }
        b.append("</table></div>");
    }

    @SuppressWarnings("unchecked")
    private static void rulesAndConfig(StringBuilder b, Map<String, Object> s, Map<String, Object> rules) {
        b.append("<h2>Rules and configuration</h2><div class=\"scroll\"><table>");
        b.append("<tr><th class=\"l\">rules version</th><td class=\"l\">").append(esc(String.valueOf(rules.get("version"))))
         .append(rules.get("version_at_start") != null ? " (started with " + esc(rules.get("version_at_start").toString()) + ")" : "")
         .append("</td></tr>");
        Map<String, String> files = (Map<String, String>) rules.getOrDefault("files", Map.of());
        files.forEach((f, sha) -> b.append("<tr><th class=\"l\">").append(esc(f)).append("</th><td class=\"l mono\">sha256 ")
                .append(esc(sha)).append("</td></tr>"));
        Map<String, Object> overrides = (Map<String, Object>) s.get("config_overrides");
        if (overrides == null || overrides.isEmpty()) {
            b.append("<tr><th class=\"l\">configuration</th><td class=\"l\">the built-in defaults, no override</td></tr>");
        } else {
            overrides.forEach((k, v) -> b.append("<tr><th class=\"l mono\">").append(esc(k)).append("</th><td class=\"l\">")
                    .append(esc(String.valueOf(v))).append("</td></tr>"));
        }
        b.append("</table></div>");
    }

    /** The curve, fills and halts the charts draw, as JSON safe inside a script element. */
    @SuppressWarnings("unchecked")
    private static String chartData(Map<String, Object> s, RunRecorder r, double cap) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("start", dec(s.get("start_quote")).doubleValue());
        d.put("cap", cap);
        List<RunRecorder.Sample> samples = r.samples();
        int step = Math.max(1, (samples.size() + MAX_POINTS - 1) / MAX_POINTS);
        List<Map<String, Object>> pts = new ArrayList<>();
        for (int i = 0; i < samples.size(); i += step) {
            pts.add(point(samples.get(i)));
        }
        if (!samples.isEmpty() && (samples.size() - 1) % step != 0) {
            pts.add(point(samples.get(samples.size() - 1)));
        }
        d.put("samples", pts);
        List<Map<String, Object>> fills = new ArrayList<>();
        for (RunRecorder.FillRow row : r.rows()) {
            if (fills.size() == MAX_MARKERS) {
                break;
            }
            Fill f = row.fill();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("t", f.timeMs());
            m.put("side", f.side().name());
            m.put("pnl", row.realizedPnl().doubleValue());
            m.put("label", f.side() + " " + f.symbol() + " " + Formats.money(f.quoteQty()) + " USDT at "
                    + f.price().stripTrailingZeros().toPlainString() + ", " + Formats.utcMinute(f.timeMs()) + " UTC ("
                    + f.reason() + ")" + (f.side() == Side.SELL ? ", realised " + Formats.signedMoney(row.realizedPnl()) : ""));
            fills.add(m);
        }
        d.put("fills", fills);
        List<Map<String, Object>> halts = new ArrayList<>();
        for (Map<String, Object> h : (List<Map<String, Object>>) s.getOrDefault("halts", List.of())) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("t", ((Number) h.get("time_ms")).longValue());
            m.put("label", h.get("kind") + (h.get("symbol") == null ? "" : " " + h.get("symbol")) + " at "
                    + Formats.utcMinute((String) h.get("time")) + (h.get("until") == null ? ""
                    : " until " + Formats.utcMinute((String) h.get("until"))) + " UTC: " + h.get("cause"));
            halts.add(m);
        }
        d.put("halts", halts);
        try {
            return JSON.writeValueAsString(d).replace("</", "<\\/");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> point(RunRecorder.Sample x) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("t", x.timeMs());
        m.put("e", x.equity().doubleValue());
        m.put("x", x.exposure().doubleValue());
        return m;
    }

    /** Sums over round trips. */
    private record Totals(long n, long wins, BigDecimal net, BigDecimal fees, double holdSeconds) {
        static Totals of(List<RoundTrip> trips) {
            long wins = 0;
            BigDecimal net = BigDecimal.ZERO;
            BigDecimal fees = BigDecimal.ZERO;
            double hold = 0;
            for (RoundTrip t : trips) {
                wins += t.win() ? 1 : 0;
                net = net.add(t.pnl());
                fees = fees.add(t.fees());
                hold += (t.exitTimeMs() - t.entryTimeMs()) / 1000.0;
            }
            return new Totals(trips.size(), wins, net, fees, hold);
        }
    }

    private static void kpi(StringBuilder b, String label, String value, String note) {
        kpi(b, label, value, note, 0);
    }

    private static void kpi(StringBuilder b, String label, String value, String note, double sign) {
        b.append("<div class=\"kpi\"><span>").append(esc(label)).append("</span><b class=\"")
         .append(sign > 0 ? "pos" : sign < 0 ? "neg" : "").append("\">").append(esc(value)).append("</b>");
        if (note != null) {
            b.append("<small>").append(esc(note)).append("</small>");
        }
        b.append("</div>");
    }

    private static String td(String text) {
        return "<td>" + esc(text) + "</td>";
    }

    private static String tdSigned(BigDecimal v) {
        return "<td class=\"" + (v.signum() > 0 ? "pos" : v.signum() < 0 ? "neg" : "") + "\">" + esc(Formats.signedMoney(v))
                + "</td>";
    }

    private static BigDecimal dec(Object v) {
        return v instanceof BigDecimal d ? d : new BigDecimal(String.valueOf(v));
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String resource(String path) {
        try (InputStream in = HtmlReport.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final String CSS = String.join("",
            ":root{--ink:#17202a;--muted:#5d6b78;--line:#d5dbe1;--pos:#087443;--neg:#b42318;--blue:#1f6feb}",
            "*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;",
            "color:var(--ink);background:#f4f6f8}main{max-width:1500px;margin:0 auto;padding:18px 20px 28px}",
            "h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:26px 0 8px}h2 small{font-weight:400;color:var(--muted);font-size:12.5px}",
            ".sub{color:var(--muted);margin:0 0 14px}.sub b{color:var(--ink)}",
            ".kpis{display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:10px}",
            ".kpi{background:#fff;border:1px solid var(--line);border-radius:8px;padding:9px 12px}",
            ".kpi span{display:block;color:var(--muted);font-size:12px}.kpi b{display:block;font-size:19px;font-variant-numeric:tabular-nums}",
            ".kpi small{color:var(--muted);font-size:12px}",
            ".chart{background:#fff;border:1px solid var(--line);border-radius:8px;width:100%;overflow:hidden}",
            ".chart svg{display:block}.grid{stroke:#eceff2}.tick{font-size:11px;fill:var(--muted)}.axis{font-size:10px;fill:var(--muted)}",
            ".equity{fill:none;stroke:var(--blue);stroke-width:1.5}.drawdown{fill:rgba(180,35,24,.16);stroke:none}",
            ".start{stroke:#5d6b78;stroke-dasharray:5 4}.label{font-size:11px;fill:#3b4754}",
            ".exposure{fill:none;stroke:#bf8700;stroke-width:1.4}.exposure-area{fill:rgba(191,135,0,.13)}",
            ".cap{stroke:var(--neg);stroke-dasharray:7 4;stroke-width:1.3}.cap-label{fill:var(--neg);font-weight:600}",
            ".halt line{stroke:#e8590c;stroke-width:1.2;stroke-dasharray:2 3}.halt:hover line{stroke-width:3}",
            ".fill.BUY path{fill:var(--pos)}.fill.SELL.win path{fill:#12b76a}.fill.SELL.loss path{fill:var(--neg)}.fill:hover path{stroke:#000}",
            ".scroll{overflow-x:auto;background:#fff;border:1px solid var(--line);border-radius:8px}.scroll.tall{max-height:520px;overflow-y:auto}",
            "table{border-collapse:collapse;width:100%;font-size:12.5px;font-variant-numeric:tabular-nums}",
            "th,td{padding:4px 8px;border-bottom:1px solid #eceff2;text-align:right;white-space:nowrap}",
            "th{color:var(--muted);font-weight:600;background:#f8fafb;position:sticky;top:0}.l{text-align:left}",
            ".wrap{white-space:normal;min-width:220px}.mono{font-family:ui-monospace,monospace;font-size:11.5px}",
            "tr.total td{font-weight:650;border-top:2px solid var(--line)}.pos{color:var(--pos)}.neg{color:var(--neg)}",
            ".muted{color:var(--muted)}.note{margin-top:24px;font-size:12px;color:var(--muted);max-width:1000px}");
}
