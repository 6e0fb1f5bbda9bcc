package io.aquatrade.exchange;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.aquatrade.model.Side;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * A parsed {@code GET /api/v3/exchangeInfo}: the exchange's rate limits and every symbol's rules. Accepts
 * both filter generations (MIN_NOTIONAL up to 2023, NOTIONAL since). Immutable and thread-safe; a refresh
 * builds a new instance. A document that is not valid, or misses or garbles a field the bot relies on,
 * is refused with an {@link ExchangeInfoFormatException} naming the symbol and field, never half-read.
 *
 * <p>PERCENT_PRICE and PERCENT_PRICE_BY_SIDE are typed but checked only when the caller supplies the
 * exchange's average price. Kept knowingly without enforcing: filters of
 * {@link SymbolFilter#KNOWN_UNENFORCED} types; filter types never seen before (listed by {@link #unrecognizedFilterTypes()} so the app can warn); rate-limit types
 * other than REQUEST_WEIGHT / ORDERS / RAW_REQUESTS (listed by {@link #unrecognizedRateLimits()});
 * {@code exchangeFilters} (kept as {@link SymbolFilter.Unenforced}).
 */
public final class ExchangeInfo {

    /** Classpath location of the bundled default: the USDT TRADING symbols with current rate limits. */
    public static final String DEFAULT_RESOURCE = "/exchange/exchangeInfo-usdt.json";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private final String source;
    private final String timezone;
    private final long serverTimeMs;
    private final List<RateLimit> rateLimits;
    private final List<String> unrecognizedRateLimits;
    private final List<SymbolFilter.Unenforced> exchangeFilters;
    private final Map<String, SymbolFilters> symbols;
    private final Set<String> unrecognizedFilterTypes;

    private ExchangeInfo(String source, String timezone, long serverTimeMs, List<RateLimit> rateLimits,
                         List<String> unrecognizedRateLimits, List<SymbolFilter.Unenforced> exchangeFilters,
                         Map<String, SymbolFilters> symbols, Set<String> unrecognizedFilterTypes) {
        this.source = source;
        this.timezone = timezone;
        this.serverTimeMs = serverTimeMs;
        this.rateLimits = List.copyOf(rateLimits);
        this.unrecognizedRateLimits = List.copyOf(unrecognizedRateLimits);
        this.exchangeFilters = List.copyOf(exchangeFilters);
        this.symbols = Collections.unmodifiableMap(symbols);
        this.unrecognizedFilterTypes = Collections.unmodifiableSet(unrecognizedFilterTypes);
    }

    // ---------------------------------------------------------------- loading

    /** The bundled default rules ({@link #DEFAULT_RESOURCE}); see its PROVENANCE.md. */
    public static ExchangeInfo loadDefault() {
        InputStream in = ExchangeInfo.class.getResourceAsStream(DEFAULT_RESOURCE);
        if (in == null) {
            throw new IllegalStateException("bundled exchangeInfo " + DEFAULT_RESOURCE + " is missing from the classpath");
        }
        return parse(in, "classpath:" + DEFAULT_RESOURCE);
    }

    /** Reads an exchangeInfo file; gzip-compressed files are recognised by their magic bytes. */
    public static ExchangeInfo load(Path file) {
        Objects.requireNonNull(file, "file");
        try {
            return parse(Files.newInputStream(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read exchangeInfo " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses a document from a stream (plain or gzip) and closes it; {@code source} names it in errors. */
    public static ExchangeInfo parse(InputStream in, String source) {
        Objects.requireNonNull(in, "in");
        try (InputStream buffered = new BufferedInputStream(in)) {
            buffered.mark(2);
            int b0 = buffered.read();
            int b1 = buffered.read();
            buffered.reset();
            InputStream body = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(buffered) : buffered;
            return fromTree(readTree(body, source), source);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read exchangeInfo " + source + ": " + e.getMessage(), e);
        }
    }

    /** Parses the JSON text of an exchangeInfo response (e.g. the REST body); {@code source} names it in errors. */
    public static ExchangeInfo parse(String json, String source) {
        Objects.requireNonNull(json, "json");
        try {
            return fromTree(MAPPER.readTree(json), source);
        } catch (JsonProcessingException e) {
            throw notJson(source, e);
        }
    }

    private static JsonNode readTree(InputStream in, String source) throws IOException {
        try {
            return MAPPER.readTree(in);
        } catch (JsonProcessingException e) {
            throw notJson(source, e);
        }
    }

    private static ExchangeInfoFormatException notJson(String source, JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        String where = loc == null ? "" : "line " + loc.getLineNr() + " column " + loc.getColumnNr();
        return new ExchangeInfoFormatException(source, where, "not valid JSON: " + e.getOriginalMessage(), e);
    }

    // ---------------------------------------------------------------- queries

    /** Where this document came from (file path, classpath resource, URL). */
    public String source() {
        return source;
    }

    public String timezone() {
        return timezone;
    }

    /** The exchange's {@code serverTime} when the document was produced (epoch ms). */
    public long serverTimeMs() {
        return serverTimeMs;
    }

    /** The recognised rate limits, in document order. */
    public List<RateLimit> rateLimits() {
        return rateLimits;
    }

    public List<RateLimit> rateLimits(RateLimit.Type type) {
        return rateLimits.stream().filter(r -> r.type() == type).toList();
    }

    /** Rate-limit entries of a type this code does not know, as their JSON text. */
    public List<String> unrecognizedRateLimits() {
        return unrecognizedRateLimits;
    }

    public List<SymbolFilter.Unenforced> exchangeFilters() {
        return exchangeFilters;
    }

    /** Filter types found in the document that are neither enforced nor in {@link SymbolFilter#KNOWN_UNENFORCED}. */
    public Set<String> unrecognizedFilterTypes() {
        return unrecognizedFilterTypes;
    }

    public int size() {
        return symbols.size();
    }

    /** Every symbol's rules, in document order. */
    public Collection<SymbolFilters> all() {
        return symbols.values();
    }

    /** The rules of a symbol (exact Binance spelling, e.g. {@code BTCUSDT}). */
    public Optional<SymbolFilters> filters(String symbol) {
        return Optional.ofNullable(symbols.get(symbol));
    }

    public Optional<SymbolInfo> symbol(String symbol) {
        return filters(symbol).map(SymbolFilters::info);
    }

    public boolean contains(String symbol) {
        return symbols.containsKey(symbol);
    }

    /** The TRADING symbols quoted in {@code quoteAsset} (e.g. USDT), in document order. */
    public List<String> tradingSymbolsQuotedIn(String quoteAsset) {
        List<String> out = new ArrayList<>();
        for (SymbolFilters f : symbols.values()) {
            if (f.info().isTrading() && f.info().quoteAsset().equals(quoteAsset)) {
                out.add(f.symbol());
            }
        }
        return out;
    }

    /**
     * {@link SymbolFilters#validate} for a symbol by name; an unknown symbol gets -1121 {@code Invalid symbol.}
     * as from Binance.
     */
    public OrderCheck validate(String symbol, Side side, OrderType type, BigDecimal price, BigDecimal qty) {
        return validate(symbol, side, type, price, qty, null);
    }

    /** As above, also holding priced orders to the PERCENT_PRICE band around {@code avgPrice} when given. */
    public OrderCheck validate(String symbol, Side side, OrderType type, BigDecimal price, BigDecimal qty,
                               BigDecimal avgPrice) {
        SymbolFilters f = symbols.get(symbol);
        if (f == null) {
            return OrderCheck.reject(BinanceError.invalidSymbol(), "symbol " + symbol + " is not in exchangeInfo " + source);
        }
        return f.validate(side, type, price, qty, avgPrice);
    }

    @Override
    public String toString() {
        return "ExchangeInfo[" + source + ", " + symbols.size() + " symbols, " + rateLimits + "]";
    }

    // ---------------------------------------------------------------- parsing

    private static ExchangeInfo fromTree(JsonNode root, String source) {
        Reader r = new Reader(source);
        if (root == null || !root.isObject()) {
            throw r.fail("", "the document is not a JSON object");
        }
        String timezone = root.hasNonNull("timezone") ? r.text(root, "timezone", "") : "UTC";
        long serverTime = root.hasNonNull("serverTime") ? r.integer(root, "serverTime", "") : 0L;

        List<RateLimit> limits = new ArrayList<>();
        List<String> unrecognizedLimits = new ArrayList<>();
        JsonNode rl = r.array(root, "rateLimits", "");
        for (int i = 0; i < rl.size(); i++) {
            String where = "rateLimits[" + i + "]";
            JsonNode n = rl.get(i);
            r.object(n, where);
            String typeText = r.text(n, "rateLimitType", where);
            RateLimit.Type type = enumOrNull(RateLimit.Type.class, typeText);
            if (type == null) {
                unrecognizedLimits.add(n.toString());
                continue;
            }
            String intervalText = r.text(n, "interval", where);
            RateLimit.Interval interval = enumOrNull(RateLimit.Interval.class, intervalText);
            if (interval == null) {
                throw r.fail(where + " " + typeText + " field 'interval'", "unknown interval '" + intervalText + "'");
            }
            long intervalNum = r.integer(n, "intervalNum", where + " " + typeText);
            long limit = r.integer(n, "limit", where + " " + typeText);
            if (intervalNum <= 0 || intervalNum > Integer.MAX_VALUE) {
                throw r.fail(where + " " + typeText + " field 'intervalNum'", "must be a positive int, got " + intervalNum);
            }
            if (limit <= 0) {
                throw r.fail(where + " " + typeText + " field 'limit'", "must be positive, got " + limit);
            }
            limits.add(new RateLimit(type, interval, (int) intervalNum, limit));
        }

        List<SymbolFilter.Unenforced> exchangeFilters = new ArrayList<>();
        if (root.has("exchangeFilters")) {
            JsonNode ef = r.array(root, "exchangeFilters", "");
            for (int i = 0; i < ef.size(); i++) {
                String where = "exchangeFilters[" + i + "]";
                r.object(ef.get(i), where);
                String type = r.text(ef.get(i), "filterType", where);
                exchangeFilters.add(new SymbolFilter.Unenforced(type, r.params(ef.get(i)), false));
            }
        }

        Map<String, SymbolFilters> symbols = new LinkedHashMap<>();
        Set<String> unrecognized = new LinkedHashSet<>();
        JsonNode arr = r.array(root, "symbols", "");
        for (int i = 0; i < arr.size(); i++) {
            SymbolInfo info = parseSymbol(r, arr.get(i), i, unrecognized);
            if (symbols.put(info.symbol(), SymbolFilters.of(info)) != null) {
                throw r.fail("symbols[" + i + "] " + info.symbol(), "the symbol appears more than once");
            }
        }
        return new ExchangeInfo(source, timezone, serverTime, limits, unrecognizedLimits, exchangeFilters,
                symbols, unrecognized);
    }

    private static SymbolInfo parseSymbol(Reader r, JsonNode n, int index, Set<String> unrecognized) {
        String at = "symbols[" + index + "]";
        r.object(n, at);
        String symbol = r.text(n, "symbol", at);
        String where = at + " " + symbol;
        String status = r.text(n, "status", where);
        String baseAsset = r.text(n, "baseAsset", where);
        String quoteAsset = r.text(n, "quoteAsset", where);
        int basePrecision = r.precision(n, "baseAssetPrecision", where);
        // quotePrecision is the older name of quoteAssetPrecision: either one must be there.
        Integer quotePrecision = n.has("quotePrecision") ? r.precision(n, "quotePrecision", where) : null;
        Integer quoteAssetPrecision = n.has("quoteAssetPrecision") ? r.precision(n, "quoteAssetPrecision", where) : null;
        if (quotePrecision == null && quoteAssetPrecision == null) {
            throw r.fail(where + " field 'quoteAssetPrecision'", "missing (and no quotePrecision either)");
        }
        int qap = quoteAssetPrecision != null ? quoteAssetPrecision : quotePrecision;
        int qp = quotePrecision != null ? quotePrecision : qap;
        int baseCommission = n.has("baseCommissionPrecision") ? r.precision(n, "baseCommissionPrecision", where) : basePrecision;
        int quoteCommission = n.has("quoteCommissionPrecision") ? r.precision(n, "quoteCommissionPrecision", where) : qap;

        JsonNode typesNode = r.array(n, "orderTypes", where);
        List<String> orderTypes = new ArrayList<>();
        for (int i = 0; i < typesNode.size(); i++) {
            JsonNode t = typesNode.get(i);
            if (!t.isTextual() || t.asText().isBlank()) {
                throw r.fail(where + " field 'orderTypes[" + i + "]'", "expected an order type name, got " + t);
            }
            orderTypes.add(t.asText());
        }
        boolean quoteQtyMarket = n.has("quoteOrderQtyMarketAllowed") && r.bool(n, "quoteOrderQtyMarketAllowed", where);
        boolean spotAllowed = !n.has("isSpotTradingAllowed") || r.bool(n, "isSpotTradingAllowed", where);
        // order lists only where the exchange says so: a protection falls back to a lone STOP_LOSS_LIMIT otherwise
        boolean ocoAllowed = n.has("ocoAllowed") && r.bool(n, "ocoAllowed", where);
        boolean otoAllowed = n.has("otoAllowed") && r.bool(n, "otoAllowed", where);

        JsonNode filtersNode = r.array(n, "filters", where);
        List<SymbolFilter> filters = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < filtersNode.size(); i++) {
            String fAt = where + " filters[" + i + "]";
            JsonNode f = filtersNode.get(i);
            r.object(f, fAt);
            String type = r.text(f, "filterType", fAt);
            String fWhere = fAt + " " + type;
            if (!seen.add(type)) {
                throw r.fail(fWhere, "filter " + type + " appears more than once");
            }
            SymbolFilter parsed = switch (type) {
                case "PRICE_FILTER" -> priceFilter(r, f, fWhere);
                case "LOT_SIZE" -> {
                    BigDecimal[] p = r.minMaxStep(f, fWhere, "minQty", "maxQty", "stepSize");
                    yield new SymbolFilter.LotSize(p[0], p[1], p[2]);
                }
                case "MARKET_LOT_SIZE" -> {
                    BigDecimal[] p = r.minMaxStep(f, fWhere, "minQty", "maxQty", "stepSize");
                    yield new SymbolFilter.MarketLotSize(p[0], p[1], p[2]);
                }
                case "MIN_NOTIONAL" -> new SymbolFilter.MinNotional(r.decimal(f, "minNotional", fWhere),
                        r.bool(f, "applyToMarket", fWhere), r.avgPriceMins(f, fWhere));
                case "NOTIONAL" -> notional(r, f, fWhere);
                case "PERCENT_PRICE" -> new SymbolFilter.PercentPrice(r.decimal(f, "multiplierUp", fWhere),
                        r.decimal(f, "multiplierDown", fWhere), r.avgPriceMins(f, fWhere));
                case "PERCENT_PRICE_BY_SIDE" -> new SymbolFilter.PercentPriceBySide(
                        r.decimal(f, "bidMultiplierUp", fWhere), r.decimal(f, "bidMultiplierDown", fWhere),
                        r.decimal(f, "askMultiplierUp", fWhere), r.decimal(f, "askMultiplierDown", fWhere),
                        r.avgPriceMins(f, fWhere));
                case "MAX_NUM_ORDERS" -> {
                    long max = r.integer(f, "maxNumOrders", fWhere);
                    if (max < 0 || max > Integer.MAX_VALUE) {
                        throw r.fail(fWhere + " field 'maxNumOrders'", "must be a non-negative int, got " + max);
                    }
                    yield new SymbolFilter.MaxNumOrders((int) max);
                }
                default -> {
                    boolean known = SymbolFilter.KNOWN_UNENFORCED.contains(type);
                    if (!known) {
                        unrecognized.add(type);
                    }
                    yield new SymbolFilter.Unenforced(type, r.params(f), known);
                }
            };
            filters.add(parsed);
        }
        return new SymbolInfo(symbol, status, baseAsset, basePrecision, quoteAsset, qp, qap, baseCommission,
                quoteCommission, orderTypes, quoteQtyMarket, spotAllowed, filters, ocoAllowed, otoAllowed);
    }

    private static SymbolFilter.PriceFilter priceFilter(Reader r, JsonNode f, String where) {
        BigDecimal[] p = r.minMaxStep(f, where, "minPrice", "maxPrice", "tickSize");
        return new SymbolFilter.PriceFilter(p[0], p[1], p[2]);
    }

    private static SymbolFilter.Notional notional(Reader r, JsonNode f, String where) {
        BigDecimal min = r.decimal(f, "minNotional", where);
        BigDecimal max = r.decimal(f, "maxNotional", where);
        if (min.signum() > 0 && max.signum() > 0 && min.compareTo(max) > 0) {
            throw r.fail(where, "minNotional " + min.toPlainString() + " > maxNotional " + max.toPlainString());
        }
        return new SymbolFilter.Notional(min, r.bool(f, "applyMinToMarket", where), max,
                r.bool(f, "applyMaxToMarket", where), r.avgPriceMins(f, where));
    }

    private static <E extends Enum<E>> E enumOrNull(Class<E> type, String name) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** Field readers that turn every defect into an error naming where it is. */
    private static final class Reader {
        private final String source;

        Reader(String source) {
            this.source = source;
        }

        ExchangeInfoFormatException fail(String where, String problem) {
            return new ExchangeInfoFormatException(source, where, problem);
        }

        private static String field(String where, String name) {
            return (where.isEmpty() ? "" : where + " ") + "field '" + name + "'";
        }

        void object(JsonNode n, String where) {
            if (n == null || !n.isObject()) {
                throw fail(where, "expected a JSON object, got " + n);
            }
        }

        JsonNode required(JsonNode n, String name, String where) {
            JsonNode v = n.get(name);
            if (v == null || v.isNull()) {
                throw fail(field(where, name), "missing");
            }
            return v;
        }

        JsonNode array(JsonNode n, String name, String where) {
            JsonNode v = required(n, name, where);
            if (!v.isArray()) {
                throw fail(field(where, name), "expected an array, got " + v.getNodeType());
            }
            return v;
        }

        String text(JsonNode n, String name, String where) {
            JsonNode v = required(n, name, where);
            if (!v.isTextual() || v.asText().isBlank()) {
                throw fail(field(where, name), "expected a non-empty string, got " + v);
            }
            return v.asText();
        }

        long integer(JsonNode n, String name, String where) {
            JsonNode v = required(n, name, where);
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw fail(field(where, name), "expected an integer, got " + v);
            }
            return v.asLong();
        }

        int precision(JsonNode n, String name, String where) {
            long p = integer(n, name, where);
            if (p < 0 || p > 18) {
                throw fail(field(where, name), "expected a precision between 0 and 18, got " + p);
            }
            return (int) p;
        }

        int avgPriceMins(JsonNode n, String where) {
            long m = integer(n, "avgPriceMins", where);
            if (m < 0 || m > Integer.MAX_VALUE) {
                throw fail(field(where, "avgPriceMins"), "expected a non-negative int, got " + m);
            }
            return (int) m;
        }

        boolean bool(JsonNode n, String name, String where) {
            JsonNode v = required(n, name, where);
            if (!v.isBoolean()) {
                throw fail(field(where, name), "expected true or false, got " + v);
            }
            return v.booleanValue();
        }

        /** A non-negative decimal; Binance sends them as strings ("0.01000000"), plain numbers are accepted too. */
        BigDecimal decimal(JsonNode n, String name, String where) {
            JsonNode v = required(n, name, where);
            BigDecimal d;
            if (v.isTextual()) {
                try {
                    d = new BigDecimal(v.asText().trim());
                } catch (NumberFormatException e) {
                    throw fail(field(where, name), "expected a decimal number, got \"" + v.asText() + "\"");
                }
            } else if (v.isNumber()) {
                d = v.decimalValue();
            } else {
                throw fail(field(where, name), "expected a decimal number, got " + v);
            }
            if (d.signum() < 0) {
                throw fail(field(where, name), "must not be negative, got " + d.toPlainString());
            }
            return d;
        }

        /** min, max, step of PRICE_FILTER / LOT_SIZE / MARKET_LOT_SIZE, with min ≤ max when both are enabled. */
        BigDecimal[] minMaxStep(JsonNode f, String where, String minName, String maxName, String stepName) {
            BigDecimal min = decimal(f, minName, where);
            BigDecimal max = decimal(f, maxName, where);
            BigDecimal step = decimal(f, stepName, where);
            if (min.signum() > 0 && max.signum() > 0 && min.compareTo(max) > 0) {
                throw fail(where, minName + " " + min.toPlainString() + " > " + maxName + " " + max.toPlainString());
            }
            return new BigDecimal[]{min, max, step};
        }

        /** All fields but filterType, scalars as their text, anything else as JSON. */
        Map<String, String> params(JsonNode f) {
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : f.properties()) {
                if (!e.getKey().equals("filterType")) {
                    JsonNode v = e.getValue();
                    out.put(e.getKey(), v.isValueNode() ? v.asText() : v.toString());
                }
            }
            return out;
        }
    }
}
