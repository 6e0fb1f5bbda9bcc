package io.aquatrade.exchange;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which pairs the bot trades: the top N pairs quoted in the quote asset (USDT) by 24 h quote volume
 * ({@code GET /api/v3/ticker/24hr}, field {@code quoteVolume}), among the symbols exchangeInfo lists with
 * status TRADING and spot trading allowed, leaving out
 * <ul>
 *   <li>stablecoins and fiat against the quote (USDCUSDT, FDUSDUSDT, TUSDUSDT, EURUSDT, …): they do not move,
 *       so no echo of a mover day can be traded on them;</li>
 *   <li>leveraged tokens (BTCUPUSDT, ETHDOWNUSDT, BULL/BEAR): their price decays by construction and Binance
 *       delisted them; a base asset ending in UP/DOWN/BULL/BEAR is taken to be one (JUP, a real coin, is kept
 *       by its full name).</li>
 * </ul>
 * Ties in volume are broken by symbol name, so the same inputs always give the same universe. Pure logic:
 * the app fetches the inputs and refreshes it daily ({@link #change}).
 */
public final class PairUniverse {

    /** Base assets that are stablecoins or fiat: never traded against USDT by this strategy. */
    public static final Set<String> STABLE_OR_FIAT = Set.of("USDT", "USDC", "FDUSD", "TUSD", "BUSD", "DAI", "USDP",
            "PAX", "USDS", "USDSB", "SUSD", "UST", "USTC", "USDD", "PYUSD", "USD1", "USDE", "EUR", "EURI", "AEUR",
            "GBP", "AUD", "BRL", "TRY", "RUB", "UAH", "NGN", "ZAR", "BIDR", "IDRT", "BVND", "JPY", "MXN", "PLN",
            "RON", "ARS", "COP", "CZK", "XUSD", "BFUSD", "RLUSD");
    private static final List<String> LEVERAGED_SUFFIXES = List.of("UP", "DOWN", "BULL", "BEAR");
    /** Real coins whose names happen to end like a leveraged token. */
    private static final Set<String> NOT_LEVERAGED = Set.of("JUP", "SUP", "YUP", "GUP", "PUP", "CUP", "SYRUP");

    private final List<String> symbols;

    private PairUniverse(List<String> symbols) {
        this.symbols = List.copyOf(symbols);
    }

    /** The pairs, highest quote volume first. */
    public List<String> symbols() {
        return symbols;
    }

    /**
     * Selects the top {@code size} pairs.
     *
     * @param quoteVolumes symbol to 24 h quote volume, from {@code GET /api/v3/ticker/24hr}
     */
    public static PairUniverse select(ExchangeInfo info, Map<String, BigDecimal> quoteVolumes, String quoteAsset,
                                      int size) {
        Objects.requireNonNull(info, "exchangeInfo");
        if (size < 1) {
            throw new IllegalArgumentException("exchange.universe_size must be at least 1, got " + size);
        }
        List<Map.Entry<String, BigDecimal>> ranked = new ArrayList<>();
        for (Map.Entry<String, BigDecimal> e : quoteVolumes.entrySet()) {
            SymbolInfo s = info.symbol(e.getKey()).orElse(null);
            if (s != null && e.getValue() != null && eligible(s, quoteAsset)) {
                ranked.add(e);
            }
        }
        ranked.sort(Comparator.<Map.Entry<String, BigDecimal>, BigDecimal>comparing(Map.Entry::getValue).reversed()
                .thenComparing(Map.Entry::getKey));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < ranked.size() && out.size() < size; i++) {
            out.add(ranked.get(i).getKey());
        }
        return new PairUniverse(out);
    }

    /** A tradable pair of the universe: TRADING, spot, quoted in {@code quoteAsset}, no stablecoin, no leveraged token. */
    public static boolean eligible(SymbolInfo s, String quoteAsset) {
        return SymbolInfo.TRADING.equals(s.status()) && s.spotTradingAllowed() && quoteAsset.equals(s.quoteAsset())
                && !STABLE_OR_FIAT.contains(s.baseAsset().toUpperCase(Locale.ROOT))
                && !isLeveragedToken(s.baseAsset());
    }

    /** BTCUP, ETHDOWN, BNBBULL, XRPBEAR… (Binance's leveraged tokens), but not JUP. */
    public static boolean isLeveragedToken(String baseAsset) {
        String b = baseAsset.toUpperCase(Locale.ROOT);
        if (NOT_LEVERAGED.contains(b)) {
            return false;
        }
        for (String suffix : LEVERAGED_SUFFIXES) {
            if (b.length() > suffix.length() + 1 && b.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The universe to run after a refresh: the new selection, plus every pair of the old one that still
     * holds a position (it stays watched and managed until flat, whatever its volume).
     */
    public Change change(PairUniverse next, Collection<String> holding) {
        Set<String> keep = new LinkedHashSet<>(next.symbols);
        for (String s : symbols) {
            if (holding.contains(s)) {
                keep.add(s);
            }
        }
        Set<String> added = new TreeSet<>(keep);
        added.removeAll(symbols);
        Set<String> dropped = new TreeSet<>(symbols);
        dropped.removeAll(keep);
        return new Change(List.copyOf(keep), List.copyOf(added), List.copyOf(dropped));
    }

    /** What a refresh does: the pairs to watch from now on, and which of them are new and which left. */
    public record Change(List<String> symbols, List<String> added, List<String> dropped) {
        public boolean isEmpty() {
            return added.isEmpty() && dropped.isEmpty();
        }
    }

    /** A universe of an explicit list ({@code exchange.symbols}). */
    public static PairUniverse of(List<String> symbols) {
        return new PairUniverse(symbols);
    }

    @Override
    public String toString() {
        return symbols.toString();
    }
}
