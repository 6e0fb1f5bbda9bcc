package io.aquatrade.exchange;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PairUniverseTest {

    /** The real exchangeInfo of 2021-10-12: 342 USDT symbols, 433 in BREAK, leveraged tokens and stablecoins listed. */
    private static final ExchangeInfo INFO = RealExchangeInfo.all2021();

    /**
     * 24 h quote volumes for every USDT symbol of the real file, ranked so that the ones the universe must
     * leave out (stablecoins, leveraged tokens, symbols in BREAK) have the largest volumes of all.
     */
    private static Map<String, BigDecimal> volumes() {
        Map<String, BigDecimal> v = new LinkedHashMap<>();
        long rank = 1_000;
        for (SymbolFilters f : INFO.all()) {
            if (f.info().quoteAsset().equals("USDT")) {
                v.put(f.symbol(), BigDecimal.valueOf(rank--).multiply(new BigDecimal("1000000.12345678")));
            }
        }
        for (String s : List.of("USDCUSDT", "BUSDUSDT", "TUSDUSDT", "EURUSDT", "DAIUSDT", "USDPUSDT", "PAXUSDT",
                "BTCUPUSDT", "BTCDOWNUSDT", "ETHBULLUSDT", "ETHBEARUSDT", "BCCUSDT")) {
            v.put(s, new BigDecimal("99999999999.5"));
        }
        v.put("ETHBTC", new BigDecimal("99999999999.9")); // not quoted in USDT
        v.put("NOSUCHUSDT", new BigDecimal("99999999999.9")); // not in exchangeInfo
        return v;
    }

    @Test
    void topPairsByQuoteVolumeAmongTradingUsdtPairsWithoutStablecoinsOrLeveragedTokens() {
        PairUniverse u = PairUniverse.select(INFO, volumes(), "USDT", 20);

        assertThat(u.symbols()).hasSize(20).doesNotHaveDuplicates();
        assertThat(u.symbols()).allSatisfy(s -> {
            SymbolInfo i = INFO.symbol(s).orElseThrow();
            assertThat(i.status()).isEqualTo("TRADING");
            assertThat(i.quoteAsset()).isEqualTo("USDT");
            assertThat(PairUniverse.STABLE_OR_FIAT).doesNotContain(i.baseAsset());
            assertThat(i.baseAsset()).doesNotEndWith("UP").doesNotEndWith("DOWN").doesNotEndWith("BULL")
                    .doesNotEndWith("BEAR");
        });
        assertThat(u.symbols()).doesNotContain("USDCUSDT", "BUSDUSDT", "TUSDUSDT", "EURUSDT", "DAIUSDT", "BTCUPUSDT",
                "BTCDOWNUSDT", "ETHBULLUSDT", "BCCUSDT", "ETHBTC", "NOSUCHUSDT");
        // ranked by volume, highest first: the first eligible symbols of the file in order
        Map<String, BigDecimal> v = volumes();
        for (int i = 1; i < u.symbols().size(); i++) {
            assertThat(v.get(u.symbols().get(i - 1))).isGreaterThanOrEqualTo(v.get(u.symbols().get(i)));
        }
        assertThat(u.symbols().get(0)).isEqualTo("BTCUSDT");
    }

    @Test
    void leveragedTokenNamesAreRecognisedButRealCoinsEndingAlikeAreNot() {
        assertThat(PairUniverse.isLeveragedToken("BTCUP")).isTrue();
        assertThat(PairUniverse.isLeveragedToken("XRPBEAR")).isTrue();
        assertThat(PairUniverse.isLeveragedToken("BULL")).isFalse(); // too short to be <coin>BULL; BULLUSDT is caught below
        assertThat(PairUniverse.isLeveragedToken("JUP")).isFalse();
        assertThat(PairUniverse.eligible(INFO.symbol("BULLUSDT").orElseThrow(), "USDT"))
                .as("BULLUSDT is in BREAK in the real file").isFalse();
    }

    @Test
    void aRefreshAddsAndDropsPairsButKeepsThoseStillHeld() {
        PairUniverse before = PairUniverse.of(List.of("BTCUSDT", "ETHUSDT", "XRPUSDT"));
        PairUniverse after = PairUniverse.of(List.of("BTCUSDT", "SOLUSDT", "ETHUSDT"));
        PairUniverse.Change c = before.change(after, Set.of("XRPUSDT"));
        assertThat(c.symbols()).containsExactly("BTCUSDT", "SOLUSDT", "ETHUSDT", "XRPUSDT");
        assertThat(c.added()).containsExactly("SOLUSDT");
        assertThat(c.dropped()).isEmpty();
        PairUniverse.Change flat = before.change(after, Set.of());
        assertThat(flat.dropped()).containsExactly("XRPUSDT");
        assertThat(flat.isEmpty()).isFalse();
    }
}
