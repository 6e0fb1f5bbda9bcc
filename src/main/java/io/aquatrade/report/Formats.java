package io.aquatrade.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Numbers for people, the same in the console summary, the {@code status} command and report.html:
 * money with two decimals and thousands separators, percentages as percentages ({@code 29.8%}),
 * rates with one decimal, durations in units ({@code 2 min 28 s}), times as UTC minutes.
 */
public final class Formats {

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private Formats() {
    }

    /** {@code 9,983.67}; null or not a number gives {@code –}. */
    public static String money(Object v) {
        BigDecimal d = decimal(v);
        return d == null ? "–" : String.format(Locale.ROOT, "%,.2f", d.setScale(2, RoundingMode.HALF_EVEN));
    }

    /** {@code +12.30} / {@code -22.06}. */
    public static String signedMoney(Object v) {
        BigDecimal d = decimal(v);
        return d == null ? "–" : (d.signum() > 0 ? "+" : "") + money(d);
    }

    /**
     * A price or a quantity to 8 significant digits, plain and without trailing zeros: {@code 0.41301383} for an
     * average entry of cost / qty ({@code 0.4130138318930238}), an exchange price as it is ({@code 30123.45});
     * null or not a number gives {@code –}.
     */
    public static String price(Object v) {
        BigDecimal d = decimal(v);
        return d == null ? "–" : d.round(new java.math.MathContext(8, RoundingMode.HALF_EVEN)).stripTrailingZeros()
                .toPlainString();
    }

    /** A fraction as a percentage with one decimal: 0.2978 gives {@code 29.8%}. */
    public static String fraction(double f) {
        return percent(f * 100);
    }

    /** A value already in percent, one decimal: {@code 29.8%}; below 0.1 in size two significant digits. */
    public static String percent(double pct) {
        if (Double.isNaN(pct)) {
            return "–";
        }
        double a = Math.abs(pct);
        String s = a != 0 && a < 0.1 ? String.format(Locale.ROOT, "%.2g", pct) : String.format(Locale.ROOT, "%.1f", pct);
        return s + "%";
    }

    /** A signed percentage: {@code +1.2%} / {@code -0.16%}. */
    public static String signedPercent(double pct) {
        return (pct > 0 ? "+" : "") + percent(pct);
    }

    /** A rate or average with one decimal and thousands separators: {@code 28.9}. */
    public static String oneDecimal(double v) {
        return String.format(Locale.ROOT, "%,.1f", v);
    }

    /** A count with thousands separators: {@code 149,760}. */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Wall time: {@code 0.4 s}, {@code 14.2 s}, {@code 2 min 28 s}, {@code 1 h 05 min}. */
    public static String duration(double seconds) {
        if (Double.isNaN(seconds) || seconds < 0) {
            return "–";
        }
        if (Math.round(seconds * 10) < 600) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long s = Math.round(seconds);
        if (s < 3600) {
            return (s / 60) + " min" + (s % 60 == 0 ? "" : " " + (s % 60) + " s");
        }
        return (s / 3600) + " h " + String.format(Locale.ROOT, "%02d", (s % 3600) / 60) + " min";
    }

    /** A span of market time in days: {@code 1 day}, {@code 12.5 days}, {@code 6 h}. */
    public static String days(double days) {
        long minutes = Math.round(days * 1440);
        if (minutes < 1440) {
            return minutes < 60 ? minutes + " min" : String.format(Locale.ROOT, "%.1f h", minutes / 60.0).replace(".0 h", " h");
        }
        days = minutes / 1440.0;
        String d = String.format(Locale.ROOT, "%.1f", days).replace(".0", "");
        return d + (d.equals("1") ? " day" : " days");
    }

    /** {@code 2023-04-19 23:59} (UTC). */
    public static String utcMinute(long ms) {
        return MINUTE.format(Instant.ofEpochMilli(ms));
    }

    /** {@code 2023-04-19 23:59:12} (UTC). */
    public static String utcSecond(long ms) {
        return SECOND.format(Instant.ofEpochMilli(ms));
    }

    /** An ISO instant (as report.json holds it) as a UTC minute; anything else unchanged. */
    public static String utcMinute(String iso) {
        if (iso == null) {
            return "–";
        }
        try {
            return utcMinute(Instant.parse(iso).toEpochMilli());
        } catch (java.time.format.DateTimeParseException e) {
            return iso;
        }
    }

    private static BigDecimal decimal(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof BigDecimal d) {
            return d;
        }
        try {
            return new BigDecimal(v.toString());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
