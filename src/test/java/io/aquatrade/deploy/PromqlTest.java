package io.aquatrade.deploy;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The expression handling the Prometheus test relies on: if it split wrongly, that test would prove little. */
class PromqlTest {

    @Test
    void comparisonWithScalarLeavesTheSeriesSide() {
        assertThat(Promql.dataOperands("aquatrade_kill_switch_state > 0")).containsExactly("aquatrade_kill_switch_state");
        assertThat(Promql.dataOperands("up{job=\"aquatrade\"} == 0")).containsExactly("up{job=\"aquatrade\"}");
    }

    @Test
    void bothSidesOfAVectorComparisonAndOfAndAreOperands() {
        assertThat(Promql.dataOperands(
                "-aquatrade_today_pnl_quote >= 0.8 * aquatrade_daily_loss_limit_quote and aquatrade_daily_loss_limit_quote > 0"))
                .containsExactly("-aquatrade_today_pnl_quote", "0.8 * aquatrade_daily_loss_limit_quote",
                        "aquatrade_daily_loss_limit_quote");
    }

    @Test
    void operatorsInsideSelectorsFunctionsAndStringsAreNotSplit() {
        String e = "sum by (job, instance) (increase(aquatrade_rules_reload_total{result=~\"compile_error|verify_error\", x!=\"a>b or c\"}[15m])) > 0";
        assertThat(Promql.dataOperands(e)).containsExactly(
                "sum by (job, instance) (increase(aquatrade_rules_reload_total{result=~\"compile_error|verify_error\", x!=\"a>b or c\"}[15m]))");
    }

    @Test
    void wordOperatorsInsideMetricNamesAreNotOperators() {
        assertThat(Promql.dataOperands("aquatrade_orders_total > bool aquatrade_unless_and_or"))
                .containsExactly("aquatrade_orders_total", "aquatrade_unless_and_or");
    }

    @Test
    void absentAsksAboutItsArgument() {
        assertThat(Promql.dataOperands("absent(up{job=\"aquatrade\"})")).containsExactly("up{job=\"aquatrade\"}");
        assertThat(Promql.dataOperands("absent_over_time(up{job=\"aquatrade\"}[5m])")).containsExactly("up{job=\"aquatrade\"}");
    }

    @Test
    void orSplitsFirstAndEnclosingParenthesesAreDropped() {
        assertThat(Promql.dataOperands("(a >= 2) or on(instance) group_left() (b < c)"))
                .containsExactly("a", "b", "c");
    }

    @Test
    void grafanaVariablesAndMacrosAreReplacedAndUnknownOnesReported() {
        assertThat(Promql.substitute("rate(x{symbol=~\"$symbol\"}[$__rate_interval]) + y[${__range}] + z{s=~\"${symbol:regex}\"}",
                Map.of("symbol", ".*"), "here"))
                .isEqualTo("rate(x{symbol=~\".*\"}[1m]) + y[10m] + z{s=~\".*\"}");
        assertThatThrownBy(() -> Promql.substitute("x{a=\"$nope\"}", Map.of(), "trading.json panel P"))
                .hasMessageContaining("trading.json panel P").hasMessageContaining("$nope");
    }
}
