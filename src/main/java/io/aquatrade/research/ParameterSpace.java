package io.aquatrade.research;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.config.ConfigException;
import io.aquatrade.config.ConfigKey;
import io.aquatrade.config.ConfigKeys;
import org.apache.commons.math3.random.SobolSequenceGenerator;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The optimizer's search space: {@code strategy.*}, {@code echo.*} and {@code risk.*} keys, each a
 * range with a step or a list of choices, read from YAML:
 *
 * <pre>
 * parameters:
 *   strategy.min_similarity: {min: 0.70, max: 0.95, step: 0.01}
 *   strategy.max_hold_minutes: {min: 15, max: 240, step: 15}
 *   echo.lead_minutes: {choices: [30, 60, 90]}
 * </pre>
 *
 * Points are drawn from a Sobol sequence (quasi-random: it covers many dimensions far more evenly than
 * a grid of the same size, and every prefix is itself well spread) with a random shift drawn from the
 * seed (Cranley-Patterson rotation), so a seed reproduces a run and another seed gives another, equally
 * even, sample. Every value is checked against the key's bounds when the space is read.
 */
public final class ParameterSpace {

    /** One dimension: the key and its allowed values, in order. */
    public record Dimension(String key, List<String> values) {
        public Dimension {
            Objects.requireNonNull(key, "key");
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new ConfigException("parameter " + key + " has no values");
            }
        }

        /** The value at {@code u} in [0, 1): the dimension's values split into equal cells. */
        String at(double u) {
            int i = (int) Math.floor(u * values.size());
            return values.get(Math.max(0, Math.min(values.size() - 1, i)));
        }
    }

    private static final int MAX_VALUES = 100_000;

    private final List<Dimension> dimensions;

    public ParameterSpace(List<Dimension> dimensions) {
        if (dimensions.isEmpty()) {
            throw new ConfigException("the parameter space has no parameters");
        }
        this.dimensions = List.copyOf(dimensions);
    }

    public List<Dimension> dimensions() {
        return dimensions;
    }

    /** Reads a space file; errors name the file, the key and its line. */
    public static ParameterSpace load(Path file) {
        JsonNode root;
        Map<String, Integer> lineOf;
        try {
            byte[] bytes = Files.readAllBytes(file);
            lineOf = parameterLines(bytes, file);
            root = new ObjectMapper(new YAMLFactory()).readTree(bytes);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConfigException("cannot read parameter space " + file + ": no such file", e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ConfigException.notYaml("parameter space " + file, e);
        } catch (IOException e) {
            throw new ConfigException("cannot read parameter space " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject() || !root.path("parameters").isObject()) {
            throw new ConfigException("parameter space " + file + " must be a mapping with a 'parameters' mapping");
        }
        List<Dimension> dims = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = root.get("parameters").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            Integer line = lineOf.get(e.getKey());
            dims.add(dimension(e.getKey(), e.getValue(), file + (line == null ? "" : " line " + line)));
        }
        return new ParameterSpace(dims);
    }

    /**
     * The line of each key of the {@code parameters} mapping. A key given twice is refused naming both lines:
     * YAML keeps the last one silently, and the search would run a range the trader did not mean.
     */
    private static Map<String, Integer> parameterLines(byte[] bytes, Path file) throws IOException {
        Map<String, Integer> lines = new LinkedHashMap<>();
        try (com.fasterxml.jackson.core.JsonParser p = new YAMLFactory().createParser(bytes)) {
            int depth = 0;
            boolean inParameters = false;
            for (com.fasterxml.jackson.core.JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t.isStructStart()) {
                    depth++;
                } else if (t.isStructEnd()) {
                    depth--;
                    if (depth < 2) {
                        inParameters = false;
                    }
                } else if (t == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                    if (depth == 1) {
                        inParameters = "parameters".equals(p.currentName());
                    } else if (depth == 2 && inParameters) {
                        int line = p.currentTokenLocation().getLineNr();
                        Integer first = lines.putIfAbsent(p.currentName(), line);
                        if (first != null) {
                            throw new ConfigException("parameter " + p.currentName() + " is given twice in " + file
                                    + ": line " + first + " and line " + line + " (remove one)");
                        }
                    }
                }
            }
        }
        return lines;
    }

    static Dimension dimension(String key, JsonNode spec, String where) {
        ConfigKey k = ConfigKeys.all().get(key);
        String at = " (" + where + ", parameter " + key + ")";
        if (k == null) {
            throw new ConfigException("unknown config key '" + key + "'" + at);
        }
        if (!key.startsWith("strategy.") && !key.startsWith("echo.") && !key.startsWith("risk.")) {
            throw new ConfigException("only strategy.*, echo.* and risk.* keys can be searched, got '" + key + "'" + at);
        }
        if (k.type() == ConfigKey.Type.STRING || k.type() == ConfigKey.Type.BOOLEAN) {
            throw new ConfigException(key + " is not a number and cannot be searched" + at);
        }
        boolean integer = k.type() != ConfigKey.Type.DECIMAL;
        List<String> values = new ArrayList<>();
        if (spec.has("choices")) {
            if (!spec.get("choices").isArray() || spec.get("choices").isEmpty()) {
                throw new ConfigException("choices must be a non-empty list" + at);
            }
            for (JsonNode c : spec.get("choices")) {
                values.add(number(c.asText(), "choice", integer, at).toPlainString());
            }
        } else {
            for (String f : List.of("min", "max", "step")) {
                if (!spec.has(f)) {
                    throw new ConfigException("a range needs min, max and step (or give choices); missing " + f + at);
                }
            }
            BigDecimal min = number(spec.get("min").asText(), "min", integer, at);
            BigDecimal max = number(spec.get("max").asText(), "max", integer, at);
            BigDecimal step = number(spec.get("step").asText(), "step", integer, at);
            if (step.signum() <= 0) {
                throw new ConfigException("step must be positive, got " + step.toPlainString() + at);
            }
            if (max.compareTo(min) < 0) {
                throw new ConfigException("max " + max.toPlainString() + " is below min " + min.toPlainString() + at);
            }
            long n = max.subtract(min).divide(step, 0, RoundingMode.FLOOR).longValueExact() + 1;
            if (n > MAX_VALUES) {
                throw new ConfigException("range has " + n + " values, more than " + MAX_VALUES + "; use a larger step" + at);
            }
            for (long i = 0; i < n; i++) {
                values.add(min.add(step.multiply(BigDecimal.valueOf(i))).stripTrailingZeros().toPlainString());
            }
        }
        for (String v : values) { // the key's own bounds: a space can never propose a value the bot refuses
            AquatradeConfig.loadEachKey(null, List.of(key + "=" + v));
        }
        return new Dimension(key, values);
    }

    private static BigDecimal number(String text, String what, boolean integer, String at) {
        BigDecimal d;
        try {
            d = new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(what + " must be a number, got '" + text + "'" + at);
        }
        if (integer && d.stripTrailingZeros().scale() > 0) {
            throw new ConfigException(what + " must be a whole number for this key, got '" + text + "'" + at);
        }
        return integer ? d.setScale(0, RoundingMode.UNNECESSARY) : d;
    }

    /**
     * {@code n} parameter sets, each a map key → value in the space's key order: Sobol points shifted by a
     * seed-drawn vector. The same seed gives the same sets.
     */
    public List<Map<String, String>> sample(int n, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("need at least one trial, got " + n);
        }
        int d = dimensions.size();
        double[] shift = new double[d];
        SplittableRandom random = new SplittableRandom(seed);
        for (int j = 0; j < d; j++) {
            shift[j] = random.nextDouble();
        }
        List<Map<String, String>> out = new ArrayList<>(n);
        if (d == 1) { // commons-math's Sobol generator starts at dimension 1 too; a shifted lattice is its 1-d case
            for (int i = 0; i < n; i++) {
                double u = frac(vanDerCorput(i) + shift[0]);
                out.add(Map.of(dimensions.get(0).key(), dimensions.get(0).at(u)));
            }
            return out;
        }
        SobolSequenceGenerator sobol = new SobolSequenceGenerator(d);
        for (int i = 0; i < n; i++) {
            double[] p = sobol.nextVector();
            Map<String, String> set = new LinkedHashMap<>();
            for (int j = 0; j < d; j++) {
                set.put(dimensions.get(j).key(), dimensions.get(j).at(frac(p[j] + shift[j])));
            }
            out.add(set);
        }
        return out;
    }

    private static double vanDerCorput(int i) {
        double v = 0;
        double base = 0.5;
        for (int x = i; x > 0; x >>= 1) {
            if ((x & 1) != 0) {
                v += base;
            }
            base /= 2;
        }
        return v;
    }

    private static double frac(double x) {
        return x - Math.floor(x);
    }

    /** Keys whose values change the market part (rolling state, echo): sets differing in these need their own pass. */
    public static boolean isMarketKey(String key) {
        return key.startsWith("echo.") || key.equals(ConfigKeys.RISK_STALE_FEED_SECONDS);
    }
}
