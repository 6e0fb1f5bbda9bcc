package io.aquatrade.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
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

    private AquatradeConfig(Map<String, Object> values, Map<String, String> origins) {
        this.values = values;
        this.origins = origins;
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
        Map<String, String> raw = new LinkedHashMap<>();
        Map<String, String> origin = new LinkedHashMap<>();
        for (ConfigKey k : ConfigKeys.all().values()) {
            raw.put(k.name(), k.defaultValue());
            origin.put(k.name(), "default");
        }
        if (yamlFile != null) {
            for (Map.Entry<String, String> e : readYaml(yamlFile).entrySet()) {
                requireKnown(e.getKey(), yamlFile.toString());
                raw.put(e.getKey(), e.getValue());
                origin.put(e.getKey(), yamlFile.toString());
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
        }
        Map<String, Object> parsed = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            ConfigKey k = ConfigKeys.all().get(e.getKey());
            parsed.put(k.name(), k.parse(e.getValue(), origin.get(k.name())));
        }
        String mode = (String) parsed.get(ConfigKeys.MODE);
        if (!List.of("replay", "paper", "testnet", "live").contains(mode)) {
            throw new ConfigException("mode must be one of replay, paper, testnet, live, got '" + mode + "' ("
                    + origin.get(ConfigKeys.MODE) + ")");
        }
        return new AquatradeConfig(Collections.unmodifiableMap(parsed), Collections.unmodifiableMap(origin));
    }

    private static void requireKnown(String key, String where) {
        if (!ConfigKeys.all().containsKey(key)) {
            throw new ConfigException("unknown config key '" + key + "' in " + where
                    + " (see README.md, 'Configuration', for the keys)");
        }
    }

    static Map<String, String> readYaml(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist (give an existing YAML file to --config,"
                    + " or leave it out for config/aquatrade.yaml or the built-in defaults)", e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new ConfigException("config file " + file + " cannot be read: permission denied", e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            var at = e.getLocation();
            throw new ConfigException("config file " + file + " is not valid YAML" + (at == null ? "" : " (line "
                    + at.getLineNr() + ", column " + at.getColumnNr() + ")") + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + (Files.isDirectory(file)
                    ? "it is a directory, give the YAML file inside it" : e.getMessage()), e);
        }
        Map<String, String> flat = new LinkedHashMap<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return flat;
        }
        if (!root.isObject()) {
            throw new ConfigException("config " + file + " must be a YAML mapping of keys to values");
        }
        flatten("", root, flat, file);
        return flat;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out, Path file) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject()) {
                flatten(key, v, out, file);
            } else if (v.isArray()) {
                throw new ConfigException("config key '" + key + "' in " + file + " must be a single value, not a list");
            } else {
                out.put(key, v.isNull() ? "" : v.asText());
            }
        }
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
