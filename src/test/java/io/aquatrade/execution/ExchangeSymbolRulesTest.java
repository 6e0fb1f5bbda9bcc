package io.aquatrade.execution;

import io.aquatrade.exchange.ExchangeInfo;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ExchangeSymbolRulesTest {

    private static String usdt() throws IOException {
        try (InputStream in = ExchangeInfo.class.getResourceAsStream(ExchangeInfo.DEFAULT_RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aNewerExchangeInfoReplacesTheFiltersAndAPairItNoLongerListsTakesNoEntryButStaysSellable() throws IOException {
        String json = usdt();
        ExchangeSymbolRules rules = new ExchangeSymbolRules(ExchangeInfo.parse(json, "start"));
        assertThat(rules.roundQuantityDown("BTCUSDT", new BigDecimal("0.123456789"))).isEqualByComparingTo("0.12345");
        assertThat(rules.knows("ETHUSDT")).isTrue();
        BigDecimal ethStep = rules.roundQuantityDown("ETHUSDT", new BigDecimal("1.23456789"));

        // an hour later: BTCUSDT's lot size is coarser and ETHUSDT is gone from the document (delisted)
        String later = json.replace(
                "\"minQty\":\"0.00001000\",\"maxQty\":\"9000.00000000\",\"stepSize\":\"0.00001000\"",
                "\"minQty\":\"0.00100000\",\"maxQty\":\"9000.00000000\",\"stepSize\":\"0.00100000\"")
                .replaceFirst("\\{\"symbol\":\"ETHUSDT\"[^\\n]*\\n", "");
        ExchangeInfo next = ExchangeInfo.parse(later, "refresh");
        assertThat(next.contains("ETHUSDT")).as("the test document drops ETHUSDT").isFalse();
        rules.update(next);

        assertThat(rules.exchangeInfo().source()).isEqualTo("refresh");
        assertThat(rules.roundQuantityDown("BTCUSDT", new BigDecimal("0.123456789"))).isEqualByComparingTo("0.123");
        assertThat(rules.knows("ETHUSDT")).isFalse();
        assertThat(rules.baseAsset("ETHUSDT")).isEqualTo("ETH");
        assertThat(rules.roundQuantityDown("ETHUSDT", new BigDecimal("1.23456789"))).isEqualByComparingTo(ethStep);

        rules.update(ExchangeInfo.parse(json, "relisted"));
        assertThat(rules.knows("ETHUSDT")).isTrue();
    }
}
