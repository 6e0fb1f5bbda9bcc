package io.aquatrade.echo;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EchoParamsTest {

    private static final EchoParams D = EchoParams.defaults();

    @Test
    void defaultsAreTheDocumentedOnes() {
        assertThat(D.leadInMinutes()).isEqualTo(60);
        assertThat(D.minSimilarity()).isEqualTo(0.5);
        assertThat(D.maxMatchesPerSymbol()).isEqualTo(5);
        assertThat(D.moveClassesPct()).containsExactly(3, 5, 10);
        assertThat(D.shortLookbackDays()).isEqualTo(5);
        assertThat(D.mediumLookbackDays()).isEqualTo(30);
        assertThat(D.historyDays()).isEqualTo(90);
        assertThat(D.minDayCoverage()).isEqualTo(0.5);
        assertThat(D.minLeadInCoverage()).isEqualTo(0.8);
        assertThat(D.activityBaselineDays()).isEqualTo(7);
        assertThat(D.volumeWeight()).isEqualTo(0.0);
        assertThat(D.moveHorizonMinutes()).isZero();
    }

    @Test
    void everyBadValueIsRejectedNamingTheParameterAndValue() {
        expectBad(() -> D.withLeadInMinutes(5), "leadInMinutes", "5");
        expectBad(() -> D.withLeadInMinutes(1441), "leadInMinutes", "1441");
        expectBad(() -> D.withMinSimilarity(1.5), "minSimilarity", "1.5");
        expectBad(() -> D.withMinSimilarity(Double.NaN), "minSimilarity", "NaN");
        expectBad(() -> D.withMaxMatchesPerSymbol(0), "maxMatchesPerSymbol", "0");
        expectBad(() -> D.withVolumeWeight(1.0), "volumeWeight", "1.0");
        expectBad(() -> D.withVolumeWeight(-0.1), "volumeWeight", "-0.1");
        expectBad(() -> D.withActivityBaselineDays(0), "activityBaselineDays", "0");
        expectBad(() -> D.withMoveHorizonMinutes(-1), "moveHorizonMinutes", "-1");
        expectBad(() -> D.withMoveHorizonMinutes(1441), "moveHorizonMinutes", "1441");
        expectBad(() -> D.withCoverage(0.0, 0.8), "minDayCoverage", "0.0");
        expectBad(() -> D.withCoverage(0.5, 1.2), "minLeadInCoverage", "1.2");
        expectBad(() -> classes(List.of()), "moveClassesPct", "[]");
        expectBad(() -> classes(List.of(5, 3)), "moveClassesPct", "[5, 3]");
        expectBad(() -> classes(List.of(3, 3)), "moveClassesPct", "[3, 3]");
        expectBad(() -> classes(List.of(0, 3)), "moveClassesPct", "[0, 3]");
        expectBad(() -> lookbacks(5, 5, 90), "mediumLookbackDays", "5");
        expectBad(() -> lookbacks(0, 30, 90), "shortLookbackDays", "0");
        expectBad(() -> lookbacks(5, 30, 20), "historyDays", "20");
    }

    @Test
    void classesAreCopiedSoTheCallerCannotChangeThem() {
        List<Integer> mutable = new java.util.ArrayList<>(List.of(2, 4));
        EchoParams p = classes(mutable);
        mutable.add(8);
        assertThat(p.moveClassesPct()).containsExactly(2, 4);
    }

    @Test
    void classOfIsTheLargestClassReachedExactlyAtTheBoundary() {
        long open = 100_00000000L;
        assertThat(D.classOf(2_99999999L, open)).isEqualTo(0);
        assertThat(D.classOf(3_00000000L, open)).isEqualTo(3);
        assertThat(D.classOf(4_99999999L, open)).isEqualTo(3);
        assertThat(D.classOf(5_00000000L, open)).isEqualTo(5);
        assertThat(D.classOf(10_00000000L, open)).isEqualTo(10);
        assertThat(D.classOf(60_00000000L, open)).isEqualTo(10);
        // Prices large enough that range * 100 overflows a long still compare exactly.
        long hugeOpen = 4_000_000_000_000_000_000L; // range * 100 and open * pct both overflow
        assertThat(D.classOf(hugeOpen / 100 * 5, hugeOpen)).isEqualTo(5);
        assertThat(D.classOf(hugeOpen / 100 * 5 - 1, hugeOpen)).isEqualTo(3);
    }

    private static EchoParams classes(List<Integer> c) {
        return new EchoParams(60, 0.5, 5, c, 5, 30, 90, 0.5, 0.8, 7, 0.0, 0);
    }

    private static EchoParams lookbacks(int s, int m, int h) {
        return new EchoParams(60, 0.5, 5, List.of(3, 5, 10), s, m, h, 0.5, 0.8, 7, 0.0, 0);
    }

    private static void expectBad(Supplier<EchoParams> make, String name, String value) {
        assertThatThrownBy(make::get)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("echo: " + name)
                .hasMessageContaining("got " + value);
    }
}
