package io.aquatrade.research;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The optimizer's outputs: {@code leaderboard.csv} and {@code leaderboard.json} (every set ranked by
 * out-of-sample score), {@code best.yaml} (the best set as a complete config that {@code replay --config}
 * takes) and {@code report.html} (out-of-sample equity of the best sets, parameter sensitivity, in-sample
 * against out-of-sample scores).
 */
public final class OptimizeReport {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What the run was, for the report's header. */
    public record Header(String objective, Constraints constraints, int trials, long seed, List<WalkForward.Fold> folds,
                         LocalDate from, LocalDate to, List<String> symbols, double seconds, int marketPasses) {
    }

    private OptimizeReport() {
    }

    public static void write(Path dir, Header h, Optimizer.Outcome out, ParameterSpace space,
                             Map<String, String> baseEffective) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("leaderboard.csv"), csv(out, space), StandardCharsets.UTF_8);
            JSON.writeValue(dir.resolve("leaderboard.json").toFile(), json(h, out));
            Files.writeString(dir.resolve("best.yaml"), bestYaml(h, out.best(), baseEffective), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("report.html"), html(h, out, space), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the optimizer's report to " + dir + ": " + e.getMessage(), e);
        }
    }

    static String csv(Optimizer.Outcome out, ParameterSpace space) {
        StringBuilder b = new StringBuilder("rank,trial,oos_score,is_score,feasible,violation,oos_net_pnl,oos_return_pct,"
                + "oos_trades_per_day,oos_max_drawdown_pct");
        for (ParameterSpace.Dimension d : space.dimensions()) {
            b.append(',').append(d.key());
        }
        b.append('\n');
        for (Optimizer.TrialResult r : out.leaderboard()) {
            Oos o = oos(r);
            b.append(r.rank()).append(',').append(r.trial()).append(',').append(f(r.outOfSampleScore())).append(',')
             .append(f(r.inSampleScore())).append(',').append(r.feasible()).append(',')
             .append(r.violation() == null ? "" : '"' + r.violation().replace("\"", "'") + '"').append(',')
             .append(f(o.netPnl)).append(',').append(f(o.returnPct)).append(',').append(f(o.tradesPerDay)).append(',')
             .append(f(o.maxDd));
            for (ParameterSpace.Dimension d : space.dimensions()) {
                b.append(',').append(r.params().get(d.key()));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** Out-of-sample totals over all test windows. */
    private record Oos(double netPnl, double returnPct, double tradesPerDay, double maxDd) {
    }

    private static Oos oos(Optimizer.TrialResult r) {
        double pnl = 0, ret = 0, fills = 0, days = 0, dd = 0;
        for (Optimizer.FoldScore s : r.folds()) {
            pnl += s.test().netPnl();
            ret += s.test().returnPct();
            fills += s.test().fills();
            days += s.test().days();
            dd = Math.max(dd, s.test().maxDrawdownPct());
        }
        return new Oos(pnl, ret, days == 0 ? 0 : fills / days, dd);
    }

    private static Map<String, Object> json(Header h, Optimizer.Outcome out) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("objective", h.objective());
        m.put("ranked_by", "mean out-of-sample score over the folds' test windows; sets breaking a constraint out of sample last");
        m.put("constraints", Map.of("min_trades_per_day", h.constraints().minTradesPerDay(),
                "max_drawdown_pct", h.constraints().maxDrawdownPct()));
        m.put("trials", h.trials());
        m.put("seed", h.seed());
        m.put("from", h.from().toString());
        m.put("to", h.to().toString());
        m.put("symbols", h.symbols());
        m.put("seconds", Math.round(h.seconds() * 10) / 10.0);
        m.put("market_passes", h.marketPasses());
        List<Map<String, Object>> folds = new ArrayList<>();
        for (WalkForward.Fold f : h.folds()) {
            folds.add(foldMap(f));
        }
        m.put("folds", folds);
        List<Map<String, Object>> wf = new ArrayList<>();
        for (Optimizer.FoldChoice c : out.walkForward()) {
            Map<String, Object> x = foldMap(c.fold());
            x.put("chosen_trial", c.trial());
            x.put("train_score", c.trainScore());
            x.put("test_score", c.testScore());
            wf.add(x);
        }
        m.put("walk_forward", wf);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Optimizer.TrialResult r : out.leaderboard()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("rank", r.rank());
            x.put("trial", r.trial());
            x.put("oos_score", r.outOfSampleScore());
            x.put("is_score", r.inSampleScore());
            x.put("feasible", r.feasible());
            if (r.violation() != null) {
                x.put("violation", r.violation());
            }
            x.put("params", r.params());
            List<Map<String, Object>> fs = new ArrayList<>();
            for (Optimizer.FoldScore s : r.folds()) {
                Map<String, Object> y = new LinkedHashMap<>();
                y.put("fold", s.fold().index());
                y.put("train", s.train());
                y.put("test", s.test());
                fs.add(y);
            }
            x.put("folds", fs);
            rows.add(x);
        }
        m.put("leaderboard", rows);
        return m;
    }

    private static Map<String, Object> foldMap(WalkForward.Fold f) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("fold", f.index());
        x.put("train_from", f.trainFrom().toString());
        x.put("train_to", f.trainTo().toString());
        x.put("test_from", f.testFrom().toString());
        x.put("test_to", f.testTo().toString());
        return x;
    }

    /** The best set as a complete config file: every key, the set's values in place. */
    static String bestYaml(Header h, Optimizer.TrialResult best, Map<String, String> baseEffective) {
        Map<String, String> all = new LinkedHashMap<>(baseEffective);
        all.putAll(best.params());
        StringBuilder b = new StringBuilder();
        b.append("# Best parameter set of `aquatrade optimize` (trial ").append(best.trial()).append(", rank 1 by out-of-sample ")
         .append(h.objective()).append(" = ").append(f(best.outOfSampleScore())).append(", in-sample ")
         .append(f(best.inSampleScore())).append(").\n");
        b.append("# Data ").append(h.from()).append(" .. ").append(h.to()).append(", ").append(h.folds().size())
         .append(" walk-forward fold(s), ").append(h.trials()).append(" trials, seed ").append(h.seed()).append(".\n");
        b.append("# Use it with: java -jar target/aquatrade.jar replay --config best.yaml --data ...\n");
        b.append("# Searched keys: ").append(String.join(", ", best.params().keySet())).append('\n');
        Map<String, Map<String, String>> sections = new TreeMap<>();
        List<String> top = new ArrayList<>();
        for (Map.Entry<String, String> e : all.entrySet()) {
            int dot = e.getKey().indexOf('.');
            if (dot < 0) {
                top.add(e.getKey() + ": " + yamlValue(e.getValue()));
            } else {
                sections.computeIfAbsent(e.getKey().substring(0, dot), k -> new LinkedHashMap<>())
                        .put(e.getKey().substring(dot + 1), e.getValue());
            }
        }
        top.forEach(l -> b.append(l).append('\n'));
        sections.forEach((sec, keys) -> {
            b.append(sec).append(":\n");
            keys.forEach((k, v) -> b.append("  ").append(k).append(": ").append(yamlValue(v)).append('\n'));
        });
        return b.toString();
    }

    private static String yamlValue(String v) {
        if (v.matches("-?\\d+(\\.\\d+)?") || v.equals("true") || v.equals("false")) {
            return v;
        }
        return '"' + v.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    static String html(Header h, Optimizer.Outcome out, ParameterSpace space) {
        StringBuilder b = new StringBuilder(100_000);
        b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Aquatrade optimizer report</title>")
         .append(Svg.STYLE).append("</head><body><h1>Aquatrade optimizer report</h1>");
        b.append("<p>").append(h.trials()).append(" parameter sets (Sobol, seed ").append(h.seed()).append(") over ")
         .append(h.from()).append(" .. ").append(h.to()).append(", symbols ").append(Svg.esc(String.join(", ", h.symbols())))
         .append("; objective <b>").append(h.objective()).append("</b>; constraints: at least ")
         .append(h.constraints().minTradesPerDay()).append(" trades/day, drawdown at most ")
         .append(h.constraints().maxDrawdownPct()).append("%. ").append(h.marketPasses()).append(" market pass(es), ")
         .append(String.format(Locale.ROOT, "%.1f", h.seconds())).append(" s.</p>");
        b.append("<p class=\"note\">Sets are ranked by their <b>out-of-sample</b> score only: the mean over the folds' test "
                + "windows, days no training window contained. In-sample scores are shown to expose overfitting.</p>");
        b.append("<h2>Walk-forward folds</h2><table><tr><th>fold</th><th>train</th><th>test</th><th>chosen by training score</th>"
                + "<th>train score</th><th>test score</th></tr>");
        for (Optimizer.FoldChoice c : out.walkForward()) {
            b.append("<tr><td>").append(c.fold().index()).append("</td><td>").append(c.fold().trainFrom()).append(" .. ")
             .append(c.fold().trainTo()).append("</td><td>").append(c.fold().testFrom()).append(" .. ").append(c.fold().testTo())
             .append("</td><td>trial ").append(c.trial()).append("</td><td>").append(f(c.trainScore())).append("</td><td>")
             .append(f(c.testScore())).append("</td></tr>");
        }
        b.append("</table>");

        b.append("<h2>Out-of-sample equity of the best sets (test windows chained, each starting from 1.0)</h2>");
        List<Svg.Series> series = new ArrayList<>();
        List<Optimizer.TrialResult> lb = out.leaderboard();
        for (int i = 0; i < Math.min(5, lb.size()); i++) {
            series.add(chainedOos(lb.get(i), h.folds(), Svg.COLOURS[i % Svg.COLOURS.length]));
        }
        b.append(Svg.lines(series, 960, 280, "test days (chained)", "growth of 1 USDT"));

        b.append("<h2>In-sample vs out-of-sample score (each dot a set; red = top 5; dashed = equal)</h2>");
        double[] is = new double[lb.size()];
        double[] os = new double[lb.size()];
        boolean[] top = new boolean[lb.size()];
        for (int i = 0; i < lb.size(); i++) {
            is[i] = lb.get(i).inSampleScore();
            os[i] = lb.get(i).outOfSampleScore();
            top[i] = i < 5;
        }
        b.append(Svg.scatter(is, os, top, 480, 360, "in-sample " + h.objective(), "out-of-sample", true));
        b.append("<p>Correlation of in-sample and out-of-sample scores: ").append(f(correlation(is, os)))
         .append(" (near 0 or negative: what fits the training days does not carry over).</p>");

        b.append("<h2>Parameter sensitivity (out-of-sample score against each parameter)</h2>");
        for (ParameterSpace.Dimension d : space.dimensions()) {
            double[] x = new double[lb.size()];
            for (int i = 0; i < lb.size(); i++) {
                x[i] = Double.parseDouble(lb.get(i).params().get(d.key()));
            }
            b.append("<div style=\"display:inline-block\"><h3>").append(Svg.esc(d.key())).append("</h3>")
             .append(Svg.scatter(x, os, top, 300, 220, d.key(), "oos", false)).append("</div>");
        }

        b.append("<h2>Leaderboard (top 25)</h2><table><tr><th>rank</th><th>trial</th><th>oos score</th><th>is score</th>"
                + "<th>oos net PnL</th><th>oos trades/day</th><th>oos max DD %</th><th>feasible</th>");
        for (ParameterSpace.Dimension d : space.dimensions()) {
            b.append("<th>").append(Svg.esc(d.key())).append("</th>");
        }
        b.append("</tr>");
        for (int i = 0; i < Math.min(25, lb.size()); i++) {
            Optimizer.TrialResult r = lb.get(i);
            Oos o = oos(r);
            b.append("<tr><td>").append(r.rank()).append("</td><td>").append(r.trial()).append("</td><td>")
             .append(f(r.outOfSampleScore())).append("</td><td>").append(f(r.inSampleScore())).append("</td><td>")
             .append(f(o.netPnl)).append("</td><td>").append(f(o.tradesPerDay)).append("</td><td>").append(f(o.maxDd))
             .append("</td><td>").append(r.feasible() ? "yes" : Svg.esc(r.violation())).append("</td>");
            for (ParameterSpace.Dimension d : space.dimensions()) {
                b.append("<td>").append(r.params().get(d.key())).append("</td>");
            }
            b.append("</tr>");
        }
        return b.append("</table></body></html>").toString();
    }

    /** A set's equity over the test windows only, each window rebased to continue the previous. */
    private static Svg.Series chainedOos(Optimizer.TrialResult r, List<WalkForward.Fold> folds, String colour) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        double level = 1.0;
        double day = 0;
        EquityCurve c = r.curve();
        for (WalkForward.Fold f : folds) {
            double[] rets = c.dailyReturns(f.testFrom(), f.testTo());
            for (double x : rets) {
                level *= 1 + x;
                day += 1;
                xs.add(day);
                ys.add(level);
            }
        }
        return new Svg.Series("#" + r.rank() + " (trial " + r.trial() + ")", xs.stream().mapToDouble(d -> d).toArray(),
                ys.stream().mapToDouble(d -> d).toArray(), colour);
    }

    static double correlation(double[] a, double[] b) {
        int n = a.length;
        if (n < 2) {
            return 0;
        }
        double ma = 0, mb = 0;
        for (int i = 0; i < n; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= n;
        mb /= n;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < n; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return saa == 0 || sbb == 0 ? 0 : sab / Math.sqrt(saa * sbb);
    }

    static String f(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
