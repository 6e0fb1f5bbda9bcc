package io.aquatrade.report;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

class FormatsTest {

    @Test
    void percentagesRatesAndDurationsReadAsPeopleWriteThem() {
        assertThat(Formats.fraction(0.3429)).isEqualTo("34.3%");
        assertThat(Formats.fraction(0.2978)).isEqualTo("29.8%");
        assertThat(Formats.percent(0.2348)).isEqualTo("0.2%");
        assertThat(Formats.percent(0.0412)).isEqualTo("0.041%");
        assertThat(Formats.signedPercent(-0.1633)).isEqualTo("-0.2%");
        assertThat(Formats.signedPercent(1.25)).isEqualTo("+1.3%");
        assertThat(Formats.oneDecimal(28.9455)).isEqualTo("28.9");
        assertThat(Formats.duration(148.5017)).isEqualTo("2 min 29 s");
        assertThat(Formats.duration(16.1955)).isEqualTo("16.2 s");
        assertThat(Formats.duration(3_900)).isEqualTo("1 h 05 min");
        assertThat(Formats.duration(1_800)).isEqualTo("30 min");
        assertThat(Formats.duration(59.97)).isEqualTo("1 min");
        assertThat(Formats.days(12.5)).isEqualTo("12.5 days");
        assertThat(Formats.days(1.0)).isEqualTo("1 day");
        assertThat(Formats.days(0.25)).isEqualTo("6 h");
        assertThat(Formats.days(0.99993)).isEqualTo("1 day"); // a minute's close time short of a whole day
        assertThat(Formats.money(new BigDecimal("9983.672986582"))).isEqualTo("9,983.67");
        assertThat(Formats.signedMoney(new BigDecimal("-22.06"))).isEqualTo("-22.06");
        assertThat(Formats.signedMoney(new BigDecimal("5.7"))).isEqualTo("+5.70");
        assertThat(Formats.utcMinute("2023-04-19T12:08:59.999Z")).isEqualTo("2023-04-19 12:08");
    }

    @Test
    void pricesKeepEightSignificantDigitsAndNoTrailingZeros() {
        assertThat(Formats.price(new BigDecimal("0.4130138318930238"))).isEqualTo("0.41301383");
        assertThat(Formats.price(new BigDecimal("30123.450"))).isEqualTo("30123.45");
        assertThat(Formats.price(new BigDecimal("0.00001234"))).isEqualTo("0.00001234");
        assertThat(Formats.price("9.53E-6")).isEqualTo("0.00000953");
        assertThat(Formats.price(new BigDecimal("29491.00"))).isEqualTo("29491");
        assertThat(Formats.price(null)).isEqualTo("–");
    }
}
