package io.aquatrade.rules;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A YAML or JSON value that remembers where it was written (file, line, field path), so every complaint
 * about a scenario names the place: {@code rules/tests/x.yaml:14: scenarios[0].expect.orders[0].side: ...}.
 * Built with Jackson's streaming parser, which keeps token locations (a tree model would drop them).
 */
final class ScenarioNode {

    enum Kind { MAP, LIST, SCALAR, NULL }

    private static final JsonFactory YAML = new YAMLFactory();
    private static final JsonFactory JSON = new JsonFactory();

    final Kind kind;
    final String file;
    final int line;
    final String path;
    private final Map<String, ScenarioNode> fields;
    private final List<ScenarioNode> items;
    private final String text;

    private ScenarioNode(Kind kind, String file, int line, String path, Map<String, ScenarioNode> fields,
                         List<ScenarioNode> items, String text) {
        this.kind = kind;
        this.file = file;
        this.line = line;
        this.path = path;
        this.fields = fields;
        this.items = items;
        this.text = text;
    }

    /** Parses a whole document; {@code json} picks the JSON parser, else YAML (which also reads JSON). */
    static ScenarioNode parse(String displayFile, String content, boolean json) {
        try (JsonParser p = (json ? JSON : YAML).createParser(content)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return new ScenarioNode(Kind.NULL, displayFile, 1, "", null, null, null);
            }
            ScenarioNode root = read(p, displayFile, "");
            if (p.nextToken() != null) {
                throw new ScenarioException(displayFile + ":" + p.currentLocation().getLineNr()
                        + ": more than one document in the file");
            }
            return root;
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new ScenarioException(displayFile + (line > 0 ? ":" + line : "") + ": not valid "
                    + (json ? "JSON" : "YAML") + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ScenarioException(displayFile + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static ScenarioNode read(JsonParser p, String file, String path) throws IOException {
        JsonToken t = p.currentToken();
        int line = p.currentTokenLocation().getLineNr();
        switch (t) {
            case START_OBJECT: {
                Map<String, ScenarioNode> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    int at = p.currentTokenLocation().getLineNr();
                    if (m.containsKey(name)) {
                        throw new ScenarioException(file + ":" + at + ": " + join(path, name) + ": given twice");
                    }
                    p.nextToken();
                    m.put(name, read(p, file, join(path, name)));
                }
                return new ScenarioNode(Kind.MAP, file, line, path, m, null, null);
            }
            case START_ARRAY: {
                List<ScenarioNode> l = new ArrayList<>();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(read(p, file, path + "[" + i++ + "]"));
                }
                return new ScenarioNode(Kind.LIST, file, line, path, null, l, null);
            }
            case VALUE_NULL:
                return new ScenarioNode(Kind.NULL, file, line, path, null, null, null);
            default:
                return new ScenarioNode(Kind.SCALAR, file, line, path, null, null, p.getText());
        }
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** A node built in code (defaults, merges) at the place of {@code at}. */
    static ScenarioNode map(ScenarioNode at, String path, Map<String, ScenarioNode> fields) {
        return new ScenarioNode(Kind.MAP, at.file, at.line, path, fields, null, null);
    }

    static ScenarioNode list(ScenarioNode at, List<ScenarioNode> items) {
        return new ScenarioNode(Kind.LIST, at.file, at.line, at.path, null, List.copyOf(items), null);
    }

    static ScenarioNode scalar(ScenarioNode at, String path, String text) {
        return new ScenarioNode(Kind.SCALAR, at.file, at.line, path, null, null, text);
    }

    // ------------------------------------------------------------------ errors

    /** {@code file:line: path: message}. */
    ScenarioException error(String message) {
        return new ScenarioException(where() + ": " + (path.isEmpty() ? "" : path + ": ") + message);
    }

    String where() {
        return file + (line > 0 ? ":" + line : "");
    }

    // ------------------------------------------------------------------ shape

    boolean isNull() {
        return kind == Kind.NULL;
    }

    boolean isMap() {
        return kind == Kind.MAP;
    }

    /** The fields of a map; complains naming the field when any is not in {@code known}. */
    Map<String, ScenarioNode> fields(Set<String> known) {
        if (kind != Kind.MAP) {
            throw error("must be a mapping of fields (" + String.join(", ", new TreeSet<>(known)) + "), got " + describe());
        }
        for (Map.Entry<String, ScenarioNode> e : fields.entrySet()) {
            if (!known.contains(e.getKey())) {
                throw e.getValue().error("unknown field '" + e.getKey() + "'"
                        + suggestion(e.getKey(), known) + " (known: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
        return Collections.unmodifiableMap(fields);
    }

    /** The fields of a map with any keys (symbols, parameter names). */
    Map<String, ScenarioNode> anyFields() {
        if (kind != Kind.MAP) {
            throw error("must be a mapping, got " + describe());
        }
        return Collections.unmodifiableMap(fields);
    }

    List<ScenarioNode> items() {
        if (kind != Kind.LIST) {
            throw error("must be a list, got " + describe());
        }
        return Collections.unmodifiableList(items);
    }

    private String describe() {
        return switch (kind) {
            case MAP -> "a mapping";
            case LIST -> "a list";
            case NULL -> "nothing (null)";
            case SCALAR -> "'" + text + "'";
        };
    }

    private static String suggestion(String name, Set<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = io.aquatrade.config.Typos.distance(name.toLowerCase(Locale.ROOT), k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best != null && bestDistance <= Math.max(2, name.length() / 4) ? ", did you mean '" + best + "'?" : "";
    }

    // ------------------------------------------------------------------ values

    /** The scalar as text; null for a null node. */
    String text() {
        if (kind == Kind.NULL) {
            return null;
        }
        if (kind != Kind.SCALAR) {
            throw error("must be a single value, got " + describe());
        }
        return text;
    }

    String requiredText() {
        String t = text();
        if (t == null || t.isBlank()) {
            throw error("must not be empty");
        }
        return t;
    }

    BigDecimal decimal() {
        String t = requiredText().trim();
        try {
            return new BigDecimal(t);
        } catch (NumberFormatException e) {
            throw error("must be a number, got '" + t + "'");
        }
    }

    double dbl() {
        return decimal().doubleValue();
    }

    long whole() {
        BigDecimal d = decimal();
        try {
            return d.longValueExact();
        } catch (ArithmeticException e) {
            throw error("must be a whole number, got '" + d.toPlainString() + "'");
        }
    }

    int integer() {
        long l = whole();
        if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
            throw error("out of range: " + l);
        }
        return (int) l;
    }

    boolean bool() {
        String t = requiredText().trim().toLowerCase(Locale.ROOT);
        if (t.equals("true") || t.equals("yes")) {
            return true;
        }
        if (t.equals("false") || t.equals("no")) {
            return false;
        }
        throw error("must be true or false, got '" + text + "'");
    }

    <E extends Enum<E>> E enumValue(Class<E> type) {
        String t = requiredText().trim().toUpperCase(Locale.ROOT);
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(t)) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name());
        }
        throw error("must be one of " + String.join(", ", names) + ", got '" + text + "'");
    }

    List<String> texts() {
        List<String> out = new ArrayList<>();
        for (ScenarioNode n : items()) {
            out.add(n.requiredText());
        }
        return out;
    }

    // ------------------------------------------------------------------ merging

    /**
     * {@code over} laid on {@code base}: mappings merge field by field (recursively), anything else in
     * {@code over} replaces; a null in {@code over} removes the field.
     */
    static ScenarioNode merge(ScenarioNode base, ScenarioNode over) {
        if (base == null || base.isNull()) {
            return over;
        }
        if (over == null) {
            return base;
        }
        if (base.kind != Kind.MAP || over.kind != Kind.MAP) {
            return over;
        }
        Map<String, ScenarioNode> m = new LinkedHashMap<>(base.fields);
        for (Map.Entry<String, ScenarioNode> e : over.fields.entrySet()) {
            if (e.getValue().isNull()) {
                m.put(e.getKey(), e.getValue()); // kept as null: "this fact is gone"
            } else {
                m.put(e.getKey(), merge(m.get(e.getKey()), e.getValue()));
            }
        }
        return new ScenarioNode(Kind.MAP, over.file, over.line, over.path, m, null, null);
    }
}
