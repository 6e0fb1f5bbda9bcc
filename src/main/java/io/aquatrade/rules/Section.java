package io.aquatrade.rules;

import io.aquatrade.config.ConfigException;

import java.math.BigDecimal;
import java.util.Map;

/** Typed reads from one config section (prefix stripped), with errors naming the full key. */
final class Section {

    private final String prefix;
    private final Map<String, String> values;

    Section(String prefix, Map<String, String> values) {
        this.prefix = prefix;
        this.values = values;
    }

    String raw(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new ConfigException("missing config key '" + prefix + key + "' (needed by the rules' "
                    + ("strategy.".equals(prefix) ? "params" : "limits") + " global)");
        }
        return v.trim();
    }

    BigDecimal decimal(String key, BigDecimal min, BigDecimal max) {
        String v = raw(key);
        BigDecimal d;
        try {
            d = new BigDecimal(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(prefix + key + " must be a number, got '" + v + "'");
        }
        if (min != null && d.compareTo(min) < 0) {
            throw new ConfigException(prefix + key + " must be >= " + min.stripTrailingZeros().toPlainString() + ", got " + d.toPlainString());
        }
        if (max != null && d.compareTo(max) > 0) {
            throw new ConfigException(prefix + key + " must be <= " + max.stripTrailingZeros().toPlainString() + ", got " + d.toPlainString());
        }
        return d;
    }

    /** @param max inclusive upper bound, or null for none */
    double dbl(String key, double min, Double max) {
        return decimal(key, BigDecimal.valueOf(min), max == null ? null : BigDecimal.valueOf(max)).doubleValue();
    }

    int integer(String key, int min, int max) {
        String v = raw(key);
        long l;
        try {
            l = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(prefix + key + " must be a whole number, got '" + v + "'");
        }
        if (l < min || l > max) {
            throw new ConfigException(prefix + key + " must be between " + min + " and " + max + ", got " + l);
        }
        return (int) l;
    }
}
