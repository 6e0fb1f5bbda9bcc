package io.aquatrade.rules;

import io.aquatrade.config.ConfigException;
import io.aquatrade.config.ConfigKey;
import io.aquatrade.config.ConfigKeys;

import java.math.BigDecimal;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Typed reads from one config section (prefix stripped), with errors naming the full key. A documented key is
 * checked by its {@link ConfigKey}, so the rules' globals accept exactly what the config accepts, in the same words.
 */
final class Section {

    private final String prefix;
    private final Map<String, String> values;
    private final UnaryOperator<String> where;

    /** @param where where a full key's value was set ({@code FILE:LINE}, {@code --set}, default), or null if unknown */
    Section(String prefix, Map<String, String> values, UnaryOperator<String> where) {
        this.prefix = prefix;
        this.values = values;
        this.where = where;
    }

    String raw(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new ConfigException("missing config key '" + prefix + key + "' (needed by the rules' "
                    + ("strategy.".equals(prefix) ? "params" : "limits") + " global)");
        }
        return v.trim();
    }

    /** A documented key's value, parsed and bounded by its declaration. */
    private Object parsed(String key) {
        String v = raw(key);
        ConfigKey k = ConfigKeys.all().get(prefix + key);
        if (k == null) {
            throw new IllegalStateException(prefix + key + " is not a documented config key");
        }
        return k.parse(v, where.apply(prefix + key));
    }

    BigDecimal decimal(String key) {
        return (BigDecimal) parsed(key);
    }

    double dbl(String key) {
        return decimal(key).doubleValue();
    }

    int integer(String key) {
        return Math.toIntExact((Long) parsed(key));
    }

    /** Any key of the section as a number, documented or not (an operator's own rules may read their own keys). */
    BigDecimal number(String key) {
        if (ConfigKeys.all().containsKey(prefix + key)) {
            Object v = parsed(key);
            return v instanceof Long l ? BigDecimal.valueOf(l) : (BigDecimal) v;
        }
        String v = raw(key);
        try {
            return new BigDecimal(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(prefix + key + " must be a number, got '" + v + "'");
        }
    }
}
