package io.aquatrade.research;

import java.util.List;
import java.util.Locale;

/** Inline SVG charts for the research reports: lines and scatter plots, no scripts, no external files. */
final class Svg {

    static final String STYLE = "<style>body{font-family:system-ui,sans-serif;margin:24px;color:#1b2733;background:#fafbfc}"
            + "h1{font-size:22px}h2{font-size:17px;margin-top:28px}h3{font-size:14px}table{border-collapse:collapse;font-size:12px}"
            + "td,th{border:1px solid #d0d7de;padding:3px 7px;text-align:right}th{background:#eef2f6}"
            + "td:first-child,th:first-child{text-align:left}svg{background:#fff;border:1px solid #d0d7de;margin:4px}"
            + ".note{background:#fff8c5;border:1px solid #d4a72c;padding:8px 12px;border-radius:6px}</style>";
    static final String[] COLOURS = {"#1f6feb", "#cf222e", "#1a7f37", "#8250df", "#bf8700", "#0a7ea4"};

    private Svg() {
    }

    /** One series of a line chart. */
    record Series(String name, double[] x, double[] y, String colour) {
    }

    static String lines(List<Series> series, int w, int h, String xLabel, String yLabel) {
        double[] r = range(series.stream().flatMap(s -> java.util.Arrays.stream(s.x()).boxed()).mapToDouble(d -> d).toArray(),
                series.stream().flatMap(s -> java.util.Arrays.stream(s.y()).boxed()).mapToDouble(d -> d).toArray());
        StringBuilder b = frame(w, h, r, xLabel, yLabel);
        int li = 0;
        for (Series s : series) {
            b.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"").append(s.colour()).append("\" points=\"");
            int step = Math.max(1, s.x().length / 1200);
            for (int i = 0; i < s.x().length; i += step) {
                b.append(fmt(px(s.x()[i], r[0], r[1], w))).append(',').append(fmt(py(s.y()[i], r[2], r[3], h))).append(' ');
            }
            b.append("\"/>");
            b.append("<text x=\"").append(60 + li * 150).append("\" y=\"14\" font-size=\"11\" fill=\"").append(s.colour())
             .append("\">").append(esc(s.name())).append("</text>");
            li++;
        }
        return b.append("</svg>").toString();
    }

    static String scatter(double[] x, double[] y, boolean[] highlight, int w, int h, String xLabel, String yLabel,
                          boolean diagonal) {
        double[] r = range(x, y);
        StringBuilder b = frame(w, h, r, xLabel, yLabel);
        if (diagonal) {
            double lo = Math.max(r[0], r[2]);
            double hi = Math.min(r[1], r[3]);
            if (hi > lo) {
                b.append("<line stroke=\"#999\" stroke-dasharray=\"4 3\" x1=\"").append(fmt(px(lo, r[0], r[1], w)))
                 .append("\" y1=\"").append(fmt(py(lo, r[2], r[3], h))).append("\" x2=\"").append(fmt(px(hi, r[0], r[1], w)))
                 .append("\" y2=\"").append(fmt(py(hi, r[2], r[3], h))).append("\"/>");
            }
        }
        for (int i = 0; i < x.length; i++) {
            boolean hl = highlight != null && highlight[i];
            b.append("<circle r=\"").append(hl ? 4 : 2.5).append("\" fill=\"").append(hl ? "#cf222e" : "#1f6feb")
             .append("\" fill-opacity=\"0.7\" cx=\"").append(fmt(px(x[i], r[0], r[1], w))).append("\" cy=\"")
             .append(fmt(py(y[i], r[2], r[3], h))).append("\"/>");
        }
        return b.append("</svg>").toString();
    }

    /** Horizontal bars, one per label. */
    static String bars(List<String> labels, double[] values, int w) {
        int h = 22 * labels.size() + 10;
        double max = 1e-12;
        for (double v : values) {
            max = Math.max(max, Math.abs(v));
        }
        StringBuilder b = new StringBuilder("<svg width=\"" + w + "\" height=\"" + h + "\">");
        int mid = 180 + (w - 240) / 2;
        for (int i = 0; i < labels.size(); i++) {
            double len = values[i] / max * (w - 240) / 2;
            int y = 8 + i * 22;
            b.append("<text x=\"4\" y=\"").append(y + 12).append("\" font-size=\"11\">").append(esc(labels.get(i))).append("</text>");
            b.append("<rect y=\"").append(y).append("\" height=\"14\" x=\"").append(fmt(len >= 0 ? mid : mid + len))
             .append("\" width=\"").append(fmt(Math.abs(len))).append("\" fill=\"").append(values[i] >= 0 ? "#1a7f37" : "#cf222e")
             .append("\"/>");
            b.append("<text x=\"").append(w - 56).append("\" y=\"").append(y + 12).append("\" font-size=\"11\">")
             .append(String.format(Locale.ROOT, "%.3f", values[i])).append("</text>");
        }
        b.append("<line x1=\"").append(mid).append("\" x2=\"").append(mid).append("\" y1=\"0\" y2=\"").append(h)
         .append("\" stroke=\"#999\"/>");
        return b.append("</svg>").toString();
    }

    private static StringBuilder frame(int w, int h, double[] r, String xLabel, String yLabel) {
        StringBuilder b = new StringBuilder("<svg width=\"" + w + "\" height=\"" + h + "\">");
        b.append("<line x1=\"50\" y1=\"").append(h - 24).append("\" x2=\"").append(w - 6).append("\" y2=\"").append(h - 24)
         .append("\" stroke=\"#888\"/><line x1=\"50\" y1=\"6\" x2=\"50\" y2=\"").append(h - 24).append("\" stroke=\"#888\"/>");
        b.append("<text x=\"52\" y=\"").append(h - 8).append("\" font-size=\"10\">").append(num(r[0])).append("</text>");
        b.append("<text x=\"").append(w - 60).append("\" y=\"").append(h - 8).append("\" font-size=\"10\">").append(num(r[1])).append("</text>");
        b.append("<text x=\"2\" y=\"").append(h - 26).append("\" font-size=\"10\">").append(num(r[2])).append("</text>");
        b.append("<text x=\"2\" y=\"16\" font-size=\"10\">").append(num(r[3])).append("</text>");
        b.append("<text x=\"").append(w / 2 - 40).append("\" y=\"").append(h - 8).append("\" font-size=\"11\">").append(esc(xLabel)).append("</text>");
        b.append("<text x=\"54\" y=\"28\" font-size=\"11\" fill=\"#555\">").append(esc(yLabel)).append("</text>");
        return b;
    }

    private static double[] range(double[] x, double[] y) {
        double x0 = Double.MAX_VALUE, x1 = -Double.MAX_VALUE, y0 = Double.MAX_VALUE, y1 = -Double.MAX_VALUE;
        for (double v : x) {
            if (Double.isFinite(v)) { x0 = Math.min(x0, v); x1 = Math.max(x1, v); }
        }
        for (double v : y) {
            if (Double.isFinite(v)) { y0 = Math.min(y0, v); y1 = Math.max(y1, v); }
        }
        if (x0 > x1) { x0 = 0; x1 = 1; }
        if (y0 > y1) { y0 = 0; y1 = 1; }
        if (x1 - x0 < 1e-12) { x0 -= 0.5; x1 += 0.5; }
        if (y1 - y0 < 1e-12) { y0 -= 0.5; y1 += 0.5; }
        return new double[] {x0, x1, y0, y1};
    }

    private static double px(double v, double lo, double hi, int w) {
        return 50 + (v - lo) / (hi - lo) * (w - 60);
    }

    private static double py(double v, double lo, double hi, int h) {
        return h - 24 - (v - lo) / (hi - lo) * (h - 34);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", Double.isFinite(v) ? v : 0);
    }

    static String num(double v) {
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 1000 ? "%.0f" : a >= 10 ? "%.1f" : "%.3f", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
