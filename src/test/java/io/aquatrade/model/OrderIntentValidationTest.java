package io.aquatrade.model;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** An intent that can be built has usable fields; one that cannot says which field and why. */
class OrderIntentValidationTest {

    @Test
    void nanNegativeAndAbsurdLevelsAreRefusedWhereTheIntentIsBuilt() {
        assertThatThrownBy(() -> OrderIntent.enter("BTCUSDT", 50, "r", Double.NaN, 2.0, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BTCUSDT").hasMessageContaining("stopLossPct")
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> OrderIntent.enter("BTCUSDT", 50, "r", -50.0, 2.0, null))
                .hasMessageContaining("stopLossPct").hasMessageContaining("-50");
        assertThatThrownBy(() -> OrderIntent.enter("BTCUSDT", 50, "r", 150.0, 2.0, null))
                .hasMessageContaining("stopLossPct");
        assertThatThrownBy(() -> OrderIntent.enter("BTCUSDT", 50, "r", 1.0, Double.POSITIVE_INFINITY, null))
                .hasMessageContaining("takeProfitPct");
        assertThatThrownBy(() -> OrderIntent.enter("BTCUSDT", 50, "r", 1.0, -3.0, null))
                .hasMessageContaining("takeProfitPct");
        assertThatThrownBy(() -> OrderIntent.enter("BTCUSDT", Double.NaN, "r", 1.0, 2.0, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("quoteQty");
        assertThatThrownBy(() -> OrderIntent.enter("BTCUSDT", new BigDecimal("1e15"), "r", 1.0, 2.0, null))
                .hasMessageContaining("quoteQty");
        assertThatThrownBy(() -> new OrderIntent("BTCUSDT", Side.SELL, new BigDecimal("10"), BigDecimal.ONE, "r", null,
                null, null)).hasMessageContaining("SELL");
        assertThatThrownBy(() -> OrderIntent.enter("btc usdt", 50, "r", 1.0, 2.0, null)).hasMessageContaining("symbol");
        assertThatThrownBy(() -> OrderIntent.enter("BTCUSDT", 50, " ", 1.0, 2.0, null)).hasMessageContaining("reason");
        assertThatThrownBy(() -> new StopUpdate("BTCUSDT", new BigDecimal("-1"), "trail")).hasMessageContaining("stopPrice");
        assertThatThrownBy(() -> new StopUpdate("BTCUSDT", null, "trail")).hasMessageContaining("stopPrice");
    }

    /** Whatever a rule computes, either no intent exists or every field of it is in range. */
    @Property(tries = 2000)
    void everyBuildableEntryHasUsableFields(@ForAll("quotes") double quote, @ForAll("pcts") Double stop,
                                            @ForAll("pcts") Double target) {
        Throwable t = catchThrowable(() -> OrderIntent.enter("ETHUSDT", quote, "rule", stop, target, null));
        if (t != null) {
            assertThat(t).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ETHUSDT");
            return;
        }
        OrderIntent i = OrderIntent.enter("ETHUSDT", quote, "rule", stop, target, null);
        assertThat(i.problem()).isNull();
        assertThat(i.quoteQty()).isPositive();
        assertThat(i.quoteQty()).isLessThanOrEqualTo(OrderIntent.MAX_QUOTE_QTY);
        if (i.stopLossPct() != null) {
            assertThat(i.stopLossPct()).isFinite().isGreaterThan(0).isLessThan(100);
        }
        if (i.takeProfitPct() != null) {
            assertThat(i.takeProfitPct()).isFinite().isGreaterThan(0).isLessThanOrEqualTo(1000);
        }
    }

    @Provide
    Arbitrary<Double> pcts() {
        return Arbitraries.oneOf(Arbitraries.doubles().between(-1e6, 1e6).map(d -> (Double) d),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0, 100.0,
                        1000.0, Double.MIN_VALUE, Double.MAX_VALUE), Arbitraries.just((Double) null));
    }

    @Provide
    Arbitrary<Double> quotes() {
        return Arbitraries.oneOf(Arbitraries.doubles().between(-1e15, 1e15),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, Double.MIN_VALUE));
    }
}
