package io.aquatrade.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProtectiveOrdersConfigTest {

    @Test
    void theDefaultIsExchangeOnBinanceAndLocalInTheSimulatedModes() {
        AquatradeConfig c = AquatradeConfig.defaults();
        assertThat(c.protectiveOrders("live")).isEqualTo("exchange");
        assertThat(c.protectiveOrders("testnet")).isEqualTo("exchange");
        assertThat(c.protectiveOrders("replay")).isEqualTo("local");
        assertThat(c.protectiveOrders("paper")).isEqualTo("local");
    }

    @Test
    void setOverridesItInAnyMode() {
        AquatradeConfig local = AquatradeConfig.load(null, List.of("execution.protective_orders=local"));
        assertThat(local.protectiveOrders("live")).isEqualTo("local");
        AquatradeConfig exchange = AquatradeConfig.load(null, List.of("execution.protective_orders=exchange"));
        assertThat(exchange.protectiveOrders("replay")).isEqualTo("exchange");
        assertThat(exchange.protectiveOrders("paper")).isEqualTo("exchange");
    }

    @Test
    void aBadValueNamesTheKeyTheValueAndWhereItCameFrom() {
        assertThatThrownBy(() -> AquatradeConfig.load(null, List.of("execution.protective_orders=oco")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("execution.protective_orders")
                .hasMessageContaining("'oco'")
                .hasMessageContaining("--set");
    }
}
