package io.aquatrade.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bundled default must be exactly what its PROVENANCE.md says: the 2021 file's USDT TRADING symbols,
 * verbatim, with the 2025 file's rate limits.
 */
class BundledExchangeInfoTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void containsTheSymbolsTheBotTradesAndCurrentLimits() {
        ExchangeInfo info = ExchangeInfo.loadDefault();
        assertThat(info.source()).isEqualTo("classpath:/exchange/exchangeInfo-usdt.json");
        for (String base : List.of("ADA", "ATOM", "AVAX", "BTC", "DOGE", "DOT", "ETH", "LINK", "LTC", "MATIC",
                "SOL", "TRX", "XRP", "BNB")) {
            SymbolInfo s = info.symbol(base + "USDT").orElseThrow(() -> new AssertionError(base + "USDT missing"));
            assertThat(s.isTrading()).as(base).isTrue();
            assertThat(s.baseAsset()).isEqualTo(base);
            assertThat(s.quoteAsset()).isEqualTo("USDT");
        }
        assertThat(info.size()).isEqualTo(315);
        assertThat(info.tradingSymbolsQuotedIn("USDT")).hasSize(315);
        assertThat(info.rateLimits()).isEqualTo(RealExchangeInfo.ethbtc2025().rateLimits());
        assertThat(info.rateLimits(RateLimit.Type.REQUEST_WEIGHT)).singleElement()
                .extracting(RateLimit::limit).isEqualTo(6000L);
        assertThat(info.unrecognizedFilterTypes()).isEmpty();
    }

    @Test
    void isDerivedExactlyAsItsProvenanceSays() throws IOException {
        JsonNode bundled;
        try (InputStream in = ExchangeInfo.class.getResourceAsStream(ExchangeInfo.DEFAULT_RESOURCE)) {
            bundled = JSON.readTree(in);
        }
        JsonNode old = JSON.readTree(RealExchangeInfo.text(RealExchangeInfo.FILE_2021));
        JsonNode current = JSON.readTree(RealExchangeInfo.text(RealExchangeInfo.FILE_2025));

        List<JsonNode> expected = new ArrayList<>();
        for (JsonNode s : old.get("symbols")) {
            if (s.get("quoteAsset").asText().equals("USDT") && s.get("status").asText().equals("TRADING")) {
                expected.add(s);
            }
        }
        List<JsonNode> actual = new ArrayList<>();
        bundled.get("symbols").forEach(actual::add);
        assertThat(actual).containsExactlyElementsOf(expected); // verbatim objects, same order

        assertThat(bundled.get("rateLimits")).isEqualTo(current.get("rateLimits"));
        assertThat(bundled.get("timezone")).isEqualTo(old.get("timezone"));
        assertThat(bundled.get("serverTime")).isEqualTo(old.get("serverTime"));
        assertThat(bundled.get("exchangeFilters")).isEqualTo(old.get("exchangeFilters"));
        List<String> fields = new ArrayList<>();
        bundled.properties().forEach(e -> fields.add(e.getKey()));
        assertThat(fields).containsExactly("timezone", "serverTime", "rateLimits", "exchangeFilters", "symbols");
    }
}
