package io.aquatrade.config;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * One documented configuration key.
 *
 * @param min inclusive lower bound for numbers, or null
 * @param max inclusive upper bound for numbers, or null
 */
public record ConfigKey(String name, Type type, String defaultValue, String min, String max, String description) {

    public enum Type { DECIMAL, INTEGER, BOOLEAN, STRING, DURATION_SECONDS }

    /**
     * Parses and checks a raw value; the message names the key, the offending value, the accepted range and
     * {@code origin} (where the value was set, or null when unknown). The one check of a key's bounds: the config's,
     * and the rules' {@code params} and {@code limits} globals'.
     */
    public Object parse(String raw, String origin) {
        String v = raw == null ? "" : raw.trim();
        try {
            switch (type) {
                case DECIMAL: {
                    BigDecimal d = new BigDecimal(v);
                    checkBounds(d, origin);
                    return d;
                }
                case INTEGER:
                case DURATION_SECONDS: {
                    long l = Long.parseLong(v);
                    checkBounds(BigDecimal.valueOf(l), origin);
                    return l;
                }
                case BOOLEAN: {
                    String b = v.toLowerCase(Locale.ROOT);
                    if (!b.equals("true") && !b.equals("false")) {
                        throw new ConfigException(name + " must be true or false, got '" + raw + "'" + at(origin));
                    }
                    return Boolean.parseBoolean(b);
                }
                default:
                    return v;
            }
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be " + (type == Type.DECIMAL ? "a number" : "a whole number")
                    + ", got '" + raw + "'" + accepted() + at(origin));
        }
    }

    private void checkBounds(BigDecimal d, String origin) {
        if (min != null && d.compareTo(new BigDecimal(min)) < 0) {
            throw new ConfigException(name + " must be >= " + min + ", got " + d.toPlainString() + accepted() + at(origin));
        }
        if (max != null && d.compareTo(new BigDecimal(max)) > 0) {
            throw new ConfigException(name + " must be <= " + max + ", got " + d.toPlainString() + accepted() + at(origin));
        }
    }

    /** The whole accepted range, so one correction is enough: " (accepted: 0 to 1)". */
    private String accepted() {
        if (min != null && max != null) {
            return " (accepted: " + min + " to " + max + ")";
        }
        if (min != null) {
            return " (accepted: " + min + " or more)";
        }
        return max != null ? " (accepted: " + max + " or less)" : "";
    }

    private static String at(String origin) {
        return origin == null ? "" : " (" + origin + ")";
    }
}
