package io.aquatrade.model;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Prices and quantities on the hot path are scaled longs with 8 decimals ("E8"), the precision
 * Binance itself quotes in. This class parses Binance's decimal strings straight into E8 without
 * allocating, and converts to and from {@link BigDecimal} for money arithmetic.
 */
public final class Decimals {
    public static final int SCALE = 8;
    public static final long ONE = 100_000_000L;

    private Decimals() {
    }

    /** Parses a plain decimal such as {@code "28165.47000000"} or {@code "1e-5"}-free text into E8. */
    public static long parseE8(CharSequence s) {
        return parseE8(s, 0, s.length());
    }

    /**
     * Parses {@code s[start,end)} into E8, truncating digits beyond the 8th decimal (Binance never
     * sends more). Throws {@link NumberFormatException} naming the text on anything that is not a
     * plain non-exponent decimal, or on overflow.
     */
    public static long parseE8(CharSequence s, int start, int end) {
        if (start >= end) {
            throw new NumberFormatException("empty number");
        }
        int i = start;
        boolean negative = false;
        char c0 = s.charAt(i);
        if (c0 == '-' || c0 == '+') {
            negative = c0 == '-';
            i++;
            if (i == end) {
                throw bad(s, start, end);
            }
        }
        long intPart = 0;
        boolean digits = false;
        while (i < end) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                if (intPart > 92_233_720_368L) { // would overflow once scaled by 1e8
                    throw new NumberFormatException("number too large: " + s.subSequence(start, end));
                }
                intPart = intPart * 10 + (c - '0');
                digits = true;
                i++;
            } else if (c == '.') {
                break;
            } else {
                throw bad(s, start, end);
            }
        }
        long frac = 0;
        int fracDigits = 0;
        if (i < end && s.charAt(i) == '.') {
            i++;
            while (i < end) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    throw bad(s, start, end);
                }
                if (fracDigits < SCALE) {
                    frac = frac * 10 + (c - '0');
                    fracDigits++;
                }
                digits = true;
                i++;
            }
        }
        if (!digits) {
            throw bad(s, start, end);
        }
        while (fracDigits < SCALE) {
            frac *= 10;
            fracDigits++;
        }
        long v = intPart * ONE + frac;
        if (v < 0) {
            throw new NumberFormatException("number too large: " + s.subSequence(start, end));
        }
        return negative ? -v : v;
    }

    /**
     * Parses a traded quantity or volume into units of 1e-8 of the base asset, as a double. Volumes are
     * statistics (activity ratios, volume profiles; no order or balance is ever sized from them) and
     * must not overflow: a PEPE- or SHIB-class coin trades trillions of units a day (1e21 in E8, past a
     * long's 9.2e18), and a BTTC-class book or single trade can exceed 9.2e10 units. Values that fit a
     * long E8 come out exactly as {@code (double) parseE8(s)}, so the arithmetic on ordinary coins is
     * unchanged; larger ones keep 15-16 significant digits.
     */
    public static double parseVolumeE8(CharSequence s, int start, int end) {
        try {
            return parseE8(s, start, end);
        } catch (NumberFormatException tooLarge) {
            if (tooLarge.getMessage() == null || !tooLarge.getMessage().startsWith("number too large")) {
                throw tooLarge;
            }
            return new BigDecimal(s.subSequence(start, end).toString()).movePointRight(SCALE).doubleValue();
        }
    }

    public static double parseVolumeE8(CharSequence s) {
        return parseVolumeE8(s, 0, s.length());
    }

    /** A volume in E8 units as base-asset units, e.g. for display. */
    public static BigDecimal volumeToBigDecimal(double volumeE8) {
        return BigDecimal.valueOf(volumeE8).movePointLeft(SCALE);
    }

    private static NumberFormatException bad(CharSequence s, int start, int end) {
        return new NumberFormatException("not a decimal number: '" + s.subSequence(start, end) + "'");
    }

    public static BigDecimal toBigDecimal(long e8) {
        return BigDecimal.valueOf(e8, SCALE);
    }

    /** Converts to E8, rounding half-even past 8 decimals. Throws ArithmeticException on overflow. */
    public static long fromBigDecimal(BigDecimal v) {
        return v.setScale(SCALE, RoundingMode.HALF_EVEN).unscaledValue().longValueExact();
    }

    public static double toDouble(long e8) {
        return e8 / (double) ONE;
    }

    /** Plain text without trailing zeros, e.g. 2816547000000 → "28165.47". */
    public static String format(long e8) {
        return toBigDecimal(e8).stripTrailingZeros().toPlainString();
    }
}
