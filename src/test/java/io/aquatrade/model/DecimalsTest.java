package io.aquatrade.model;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DecimalsTest {

    @Test
    void volumesThatFitALongAreExactlyTheE8Value() {
        assertThat(Decimals.parseVolumeE8("6.45789000")).isEqualTo((double) Decimals.parseE8("6.45789"));
        assertThat(Decimals.parseVolumeE8("92233720368.54775807")).isEqualTo((double) Long.MAX_VALUE);
    }

    @Test
    void pepeClassVolumesDoNotOverflow() {
        // a busy PEPEUSDT minute (1.8e12 PEPE) and a 24 h volume (6.8e12): past a long once scaled by 1e8
        assertThatThrownBy(() -> Decimals.parseE8("1843026331874.00")).isInstanceOf(NumberFormatException.class)
                .hasMessageContaining("too large");
        double minute = Decimals.parseVolumeE8("1843026331874.00");
        assertThat(Decimals.volumeToBigDecimal(minute)).isEqualByComparingTo("1843026331874");
        double day = Decimals.parseVolumeE8("6823451287345.12000000");
        assertThat(Decimals.volumeToBigDecimal(day).subtract(new BigDecimal("6823451287345.12")).abs())
                .isLessThan(new BigDecimal("0.01"));
    }

    @Test
    void aVolumeThatIsNotANumberIsStillRefused() {
        assertThatThrownBy(() -> Decimals.parseVolumeE8("12x")).isInstanceOf(NumberFormatException.class)
                .hasMessageContaining("12x");
    }
}
