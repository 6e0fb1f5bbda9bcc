package io.aquatrade.execution;

import io.aquatrade.exchange.ExchangeInfo;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProtectiveOrdersTest {

    private static final ExchangeSymbolRules RULES = new ExchangeSymbolRules(ExchangeInfo.loadDefault());
    private final ProtectiveOrders protect = new ProtectiveOrders(RULES, new BigDecimal("0.5"), 30_000);

    private static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    @Test
    void stopAndTargetRestAsOneOcoRoundedToTheSymbolsFilters() {
        ProtectiveOrders.Plan p = protect.plan("BTCUSDT", d("0.0035714"), d("27000.123"), d("29000.001"), true);
        assertThat(p.kind()).isEqualTo(ProtectiveOrders.Kind.OCO);
        assertThat(p.quantity()).isEqualByComparingTo("0.00357"); // down to the 0.00001 step
        assertThat(p.stopPrice()).isEqualByComparingTo("27000.12"); // down to the 0.01 tick
        assertThat(p.stopLimitPrice()).isEqualByComparingTo("26865.11"); // 0.5 % below, down to the tick
        assertThat(p.takeProfitPrice()).isEqualByComparingTo("29000.01"); // up to the tick
    }

    @Test
    void withoutOcoOrWithoutATargetTheStopRestsAloneAsStopLossLimit() {
        ProtectiveOrders.Plan refusedOco = protect.plan("BTCUSDT", d("0.01"), d("27000"), d("29000"), false);
        assertThat(refusedOco.kind()).isEqualTo(ProtectiveOrders.Kind.STOP_LOSS_LIMIT);
        assertThat(refusedOco.takeProfitPrice()).isNull();
        assertThat(protect.plan("BTCUSDT", d("0.01"), d("27000"), null, true).kind())
                .isEqualTo(ProtectiveOrders.Kind.STOP_LOSS_LIMIT);
        // the exchange refused the OCO: the same stop alone
        ProtectiveOrders.Plan oco = protect.plan("BTCUSDT", d("0.01"), d("27000"), d("29000"), true);
        assertThat(oco.stopOnly()).isEqualTo(refusedOco);
    }

    @Test
    void nothingRestsWithoutAStopOrForAQuantityBelowTheStep() {
        assertThat(protect.plan("BTCUSDT", d("0.01"), null, d("29000"), true)).isNull();
        assertThat(protect.plan("BTCUSDT", d("0.000001"), d("27000"), d("29000"), true)).isNull();
    }

    @Test
    void aTrailingStopMovesOnlyByAtLeastOneTickAndNoMoreOftenThanTheInterval() {
        BigDecimal resting = d("27000.00");
        assertThat(protect.worthMoving("BTCUSDT", resting, d("27000.009"), 0, 60_000)).as("less than a tick").isFalse();
        assertThat(protect.worthMoving("BTCUSDT", resting, d("27000.01"), 0, 60_000)).as("one tick").isTrue();
        assertThat(protect.worthMoving("BTCUSDT", resting, d("26990"), 0, 60_000)).as("lower").isFalse();
        assertThat(protect.worthMoving("BTCUSDT", resting, d("27100"), 40_000, 60_000)).as("too soon").isFalse();
        assertThat(protect.worthMoving("BTCUSDT", resting, d("27100"), 30_000, 60_000)).isTrue();
        assertThat(protect.worthMoving("BTCUSDT", null, d("27100"), 59_000, 60_000)).as("nothing resting").isTrue();
    }

    @Test
    void refusesNonsensicalSettings() {
        assertThatThrownBy(() -> new ProtectiveOrders(RULES, d("100"), 0)).hasMessageContaining("offset");
        assertThatThrownBy(() -> new ProtectiveOrders(RULES, d("0.5"), -1)).hasMessageContaining("interval");
    }
}
