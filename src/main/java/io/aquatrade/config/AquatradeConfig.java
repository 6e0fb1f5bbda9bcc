package io.aquatrade.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The effective configuration: built-in defaults, then a YAML file, then {@code --set} overrides.
 * Every value is parsed and bounds-checked at load time, so a bad value or an unknown key stops the
 * bot before it trades, with a message naming the key and where it came from.
 */
public final class AquatradeConfig {

    private final Map<String, Object> values;
    private final Map<String, String> origins;
    /** Like {@link #origins}, with the line for a key from the file ({@code file:line}): what messages name. */
    private final Map<String, String> wheres;
    private final Path file;

    private AquatradeConfig(Map<String, Object> values, Map<String, String> origins, Map<String, String> wheres, Path file) {
        this.values = values;
        this.origins = origins;
        this.wheres = wheres;
        this.file = file;
    }

    /**
     * The YAML file this configuration was loaded from (the {@code --config} path), or null for defaults only.
     * Kept by {@link #with}: the file a hot reload re-reads is the one given, never guessed from the keys' origins.
     */
    public Path file() {
        return file;
    }

    /**
     * This configuration with one key set by the program (e.g. the starting capital a live account allows),
     * parsed and bounded like any other value; {@code origin} says where it came from.
     */
    public AquatradeConfig with(String key, String value, String origin) {
        requireKnown(key, origin);
        ConfigKey k = ConfigKeys.all().get(key);
        Map<String, Object> v = new LinkedHashMap<>(values);
        Map<String, String> o = new LinkedHashMap<>(origins);
        Map<String, String> w = new LinkedHashMap<>(wheres);
        v.put(key, k.parse(value, origin));
        o.put(key, origin);
        w.put(key, origin);
        return new AquatradeConfig(Collections.unmodifiableMap(v), Collections.unmodifiableMap(o),
                Collections.unmodifiableMap(w), file);
    }

    /** Defaults only. */
    public static AquatradeConfig defaults() {
        return load(null, List.of());
    }

    /**
     * @param yamlFile  a YAML file with nested or dotted keys, or null for defaults only
     * @param overrides {@code KEY=VALUE} strings, applied last
     */
    public static AquatradeConfig load(Path yamlFile, List<String> overrides) {
        AquatradeConfig c = loadEachKey(yamlFile, overrides);
        c.requireConsistent();
        return c;
    }

    /**
     * {@link #load}, each key parsed and bounded but the keys not checked against each other: for the rule
     * scenarios, which give the rules a contradictory config on purpose to show their own defences hold.
     * A bot never runs on this.
     */
    public static AquatradeConfig loadEachKey(Path yamlFile, List<String> overrides) {
        Map<String, String> raw = new LinkedHashMap<>();
        Map<String, String> origin = new LinkedHashMap<>();
        for (ConfigKey k : ConfigKeys.all().values()) {
            raw.put(k.name(), k.defaultValue());
            origin.put(k.name(), "default");
        }
        Map<String, String> where = new LinkedHashMap<>(); // "file:line" of the file's keys, for messages
        if (yamlFile != null) {
            Map<String, Integer> lines = new HashMap<>();
            for (Map.Entry<String, String> e : readYaml(yamlFile, lines).entrySet()) {
                String at = yamlFile + ":" + lines.get(e.getKey());
                requireKnown(e.getKey(), at);
                raw.put(e.getKey(), e.getValue());
                origin.put(e.getKey(), yamlFile.toString());
                where.put(e.getKey(), at);
            }
        }
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("--set needs KEY=VALUE, got '" + o + "'");
            }
            String key = o.substring(0, eq).trim();
            requireKnown(key, "--set");
            raw.put(key, o.substring(eq + 1));
            origin.put(key, "--set");
            where.remove(key);
        }
        origin.forEach(where::putIfAbsent);
        Map<String, Object> parsed = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            ConfigKey k = ConfigKeys.all().get(e.getKey());
            parsed.put(k.name(), k.parse(e.getValue(), where.get(k.name())));
        }
        String mode = (String) parsed.get(ConfigKeys.MODE);
        if (!List.of("replay", "paper", "testnet", "live").contains(mode)) {
            throw new ConfigException("mode must be one of replay, paper, testnet, live, got '" + mode + "' ("
                    + where.get(ConfigKeys.MODE) + ")");
        }
        String protection = (String) parsed.get(ConfigKeys.EXECUTION_PROTECTIVE_ORDERS);
        if (!List.of("", PROTECTION_LOCAL, PROTECTION_EXCHANGE).contains(protection)) {
            throw new ConfigException(ConfigKeys.EXECUTION_PROTECTIVE_ORDERS + " must be local or exchange (or empty for the"
                    + " mode's default), got '" + protection + "' (" + where.get(ConfigKeys.EXECUTION_PROTECTIVE_ORDERS) + ")");
        }
        String format = ((String) parsed.get(ConfigKeys.NOTIFY_FORMAT)).trim().toLowerCase(java.util.Locale.ROOT);
        if (!List.of("json", "telegram").contains(format)) {
            throw new ConfigException(ConfigKeys.NOTIFY_FORMAT + " must be json or telegram, got '"
                    + parsed.get(ConfigKeys.NOTIFY_FORMAT) + "' (" + where.get(ConfigKeys.NOTIFY_FORMAT) + ")");
        }
        return new AquatradeConfig(Collections.unmodifiableMap(parsed), Collections.unmodifiableMap(origin),
                Collections.unmodifiableMap(where), yamlFile);
    }

    /**
     * Pairs of keys each in range but contradictory together: said here, at load, naming both and where each was
     * set, not found out later as a bot that never trades or trades other sizes than configured. A cap above
     * another cap is not among them (the tighter one decides, as documented), nor a take-profit nearer than the
     * stop (a reward/risk choice, not a contradiction).
     */
    private void requireConsistent() {
        atMost(ConfigKeys.NOTIFY_INITIAL_BACKOFF_MS, ConfigKeys.NOTIFY_MAX_BACKOFF_MS,
                "the wait between attempts doubles from the first up to the longest", true);
        atMost(ConfigKeys.STRATEGY_ENTRY_QUOTE, ConfigKeys.RISK_MAX_POSITION_QUOTE,
                "every entry would be cut to the per-position cap", false);
        atMost(ConfigKeys.STRATEGY_ENTRY_QUOTE, ConfigKeys.RISK_MAX_SYMBOL_EXPOSURE_QUOTE,
                "the per-symbol cap would refuse every entry", false);
        atMost(ConfigKeys.STRATEGY_ENTRY_QUOTE, ConfigKeys.RISK_MAX_TOTAL_EXPOSURE_QUOTE,
                "the total exposure cap would refuse every entry", false);
        BigDecimal deployable = decimal(ConfigKeys.CAPITAL_START_QUOTE).multiply(decimal(ConfigKeys.CAPITAL_BASE_FRACTION));
        if (decimal(ConfigKeys.STRATEGY_ENTRY_QUOTE).compareTo(deployable) > 0) { // and no profit ever adds to it
            throw new ConfigException(valueAt(ConfigKeys.STRATEGY_ENTRY_QUOTE) + " must be at most the deployable capital, "
                    + valueAt(ConfigKeys.CAPITAL_START_QUOTE) + " x " + valueAt(ConfigKeys.CAPITAL_BASE_FRACTION) + " = "
                    + plain(deployable) + ": the capital rule would refuse every entry");
        }
    }

    /** {@code small} must not exceed {@code large}; the message leads with the key that reads as the subject. */
    private void atMost(String small, String large, String why, boolean largeFirst) {
        BigDecimal s = number(small);
        BigDecimal l = number(large);
        if (s.compareTo(l) > 0) {
            throw new ConfigException(largeFirst
                    ? valueAt(large) + " must be at least " + valueAt(small) + ": " + why
                    : valueAt(small) + " must be at most " + valueAt(large) + ": " + why);
        }
    }

    private BigDecimal number(String key) {
        Object v = get(key);
        return v instanceof Long l ? BigDecimal.valueOf(l) : (BigDecimal) v;
    }

    /** {@code key (value, where)} for a message. */
    private String valueAt(String key) {
        return key + " (" + plain(number(key)) + ", " + where(key) + ")";
    }

    private static String plain(BigDecimal d) {
        return d.stripTrailingZeros().toPlainString();
    }

    /** {@code execution.protective_orders=local}: the bot watches the levels and sends a MARKET exit. */
    public static final String PROTECTION_LOCAL = "local";
    /** {@code execution.protective_orders=exchange}: the levels rest on the exchange as orders. */
    public static final String PROTECTION_EXCHANGE = "exchange";

    /**
     * Where protection lives in a run of {@code mode} (replay, paper, testnet, live; demo, bench and optimize run as
     * replay): the key's value when set, else exchange for the modes that trade on Binance and local for the
     * simulated ones, whose results stay as they were.
     */
    public String protectiveOrders(String mode) {
        String v = string(ConfigKeys.EXECUTION_PROTECTIVE_ORDERS);
        if (!v.isEmpty()) {
            return v;
        }
        return "live".equals(mode) || "testnet".equals(mode) ? PROTECTION_EXCHANGE : PROTECTION_LOCAL;
    }

    private static void requireKnown(String key, String where) {
        if (!ConfigKeys.all().containsKey(key)) {
            String guess = closestKey(key);
            throw new ConfigException("unknown config key '" + key + "' in " + where + " ("
                    + (guess == null ? "" : "did you mean '" + guess + "'? ") + "README.md, 'Configuration', lists the keys)");
        }
    }

    /**
     * The known key a typo most likely meant: a few letters off (edit distance up to 3), or the same section with a
     * name that begins like it ({@code strategy.stop_loss} for {@code strategy.stop_loss_pct}); null when none is.
     */
    static String closestKey(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        int dot = key.lastIndexOf('.');
        for (String k : ConfigKeys.all().keySet()) {
            int d = Typos.distance(key, k);
            int kDot = k.lastIndexOf('.');
            boolean sameSectionPrefix = dot > 0 && kDot == dot && k.regionMatches(0, key, 0, dot)
                    && (k.startsWith(key) || key.startsWith(k)) && key.length() - dot > 3;
            if ((d <= 3 || sameSectionPrefix) && d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best;
    }

    /**
     * Reads a YAML file into flat dotted keys. A key given twice, in one mapping or once nested and once
     * dotted ({@code risk: {max_position_quote: 1}} and {@code risk.max_position_quote: 2}), is an error
     * naming both lines: YAML parsers keep the last one silently, and a cap must never be decided by order.
     */
    static Map<String, String> readYaml(Path file) {
        return readYaml(file, new HashMap<>());
    }

    /** {@link #readYaml(Path)}, putting each key's line into {@code lineOf}. */
    static Map<String, String> readYaml(Path file, Map<String, Integer> lineOf) {
        Map<String, String> flat = new LinkedHashMap<>();
        try (JsonParser p = YAML.createParser(Files.readAllBytes(file))) {
            JsonToken t = p.nextToken();
            if (t == null || t == JsonToken.VALUE_NULL) {
                return flat;
            }
            if (t != JsonToken.START_OBJECT) {
                throw new ConfigException("config " + file + " must be a YAML mapping of keys to values");
            }
            readMapping(p, "", flat, lineOf, file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist (give an existing YAML file to --config,"
                    + " or leave it out for config/aquatrade.yaml or the built-in defaults)", e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new ConfigException("config file " + file + " cannot be read: permission denied", e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ConfigException.notYaml("config file " + file, e);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + (Files.isDirectory(file)
                    ? "it is a directory, give the YAML file inside it" : e.getMessage()), e);
        }
        return flat;
    }

    private static final JsonFactory YAML = new YAMLFactory();

    /** Reads one mapping (the parser is on its START_OBJECT) into {@code out}, each key with its line. */
    private static void readMapping(JsonParser p, String prefix, Map<String, String> out, Map<String, Integer> lineOf,
                                    Path file) throws IOException {
        Map<String, Integer> here = new HashMap<>(); // this mapping's own keys, for a repeated section name
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            int line = p.currentTokenLocation().getLineNr();
            Integer before = here.putIfAbsent(name, line);
            String key = prefix.isEmpty() ? name : prefix + "." + name;
            if (before != null) {
                throw duplicate(key, file, before, line);
            }
            JsonToken v = p.nextToken();
            if (v == JsonToken.START_OBJECT) {
                readMapping(p, key, out, lineOf, file);
            } else if (v == JsonToken.START_ARRAY) {
                throw new ConfigException("config key '" + key + "' in " + file + " must be a single value, not a list");
            } else {
                Integer first = lineOf.putIfAbsent(key, line);
                if (first != null) {
                    throw duplicate(key, file, first, line);
                }
                out.put(key, v == JsonToken.VALUE_NULL ? "" : p.getText());
            }
        }
    }

    private static ConfigException duplicate(String key, Path file, int first, int second) {
        return new ConfigException("config key '" + key + "' is given twice in " + file + ": line " + first
                + " and line " + second + " (remove one; the bot never guesses which one you meant)");
    }

    public BigDecimal decimal(String key) {
        return (BigDecimal) get(key);
    }

    public double dbl(String key) {
        return decimal(key).doubleValue();
    }

    public int integer(String key) {
        return Math.toIntExact((Long) get(key));
    }

    public long longValue(String key) {
        return (Long) get(key);
    }

    public boolean bool(String key) {
        return (Boolean) get(key);
    }

    public String string(String key) {
        return (String) get(key);
    }

    private Object get(String key) {
        Object v = values.get(key);
        if (v == null && !values.containsKey(key)) {
            throw new ConfigException("unknown config key '" + key + "'");
        }
        return v;
    }

    /** Where each key's effective value came from: "default", the YAML path, or "--set". */
    public String origin(String key) {
        return origins.get(key);
    }

    /** {@link #origin} for a message: a key from the YAML file as {@code file:line}, so the operator finds it. */
    public String where(String key) {
        String w = wheres.get(key);
        return w != null ? w : origins.get(key);
    }

    /** The effective configuration as plain text values, in key order (for report.json and the status page). */
    public Map<String, String> effective() {
        Map<String, String> m = new LinkedHashMap<>();
        values.forEach((k, v) -> m.put(k, v instanceof BigDecimal ? ((BigDecimal) v).stripTrailingZeros().toPlainString()
                : String.valueOf(v)));
        return m;
    }

    /** Keys with a given prefix, e.g. "strategy." — the thresholds handed to the rules. */
    public Map<String, String> section(String prefix) {
        Map<String, String> m = new LinkedHashMap<>();
        effective().forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                m.put(k.substring(prefix.length()), v);
            }
        });
        return m;
    }
}
