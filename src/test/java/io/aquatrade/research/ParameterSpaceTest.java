package io.aquatrade.research;

import io.aquatrade.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParameterSpaceTest {

    @TempDir
    Path dir;

    private ParameterSpace load(String yaml) throws Exception {
        Path f = dir.resolve("space.yaml");
        Files.writeString(f, yaml);
        return ParameterSpace.load(f);
    }

    @Test
    void rangesStepsAndChoicesBecomeValueLists() throws Exception {
        ParameterSpace s = load("""
                parameters:
                  strategy.min_similarity: {min: 0.70, max: 0.90, step: 0.05}
                  strategy.max_hold_minutes: {min: 30, max: 90, step: 30}
                  echo.lead_minutes: {choices: [30, 60]}
                """);
        assertThat(s.dimensions()).extracting(ParameterSpace.Dimension::values).containsExactly(
                List.of("0.7", "0.75", "0.8", "0.85", "0.9"), List.of("30", "60", "90"), List.of("30", "60"));
    }

    @Test
    void theSameSeedGivesTheSameSetsAndAnotherSeedOthersAllInsideTheSpace() throws Exception {
        ParameterSpace s = load("""
                parameters:
                  strategy.min_similarity: {min: 0.50, max: 0.99, step: 0.01}
                  strategy.take_profit_pct: {min: 0.5, max: 5.0, step: 0.1}
                  strategy.stop_loss_pct: {min: 0.5, max: 5.0, step: 0.1}
                """);
        List<Map<String, String>> a = s.sample(64, 42);
        assertThat(s.sample(64, 42)).isEqualTo(a);
        assertThat(s.sample(64, 43)).isNotEqualTo(a);
        for (Map<String, String> set : a) {
            assertThat(Double.parseDouble(set.get("strategy.min_similarity"))).isBetween(0.5, 0.99);
        }
        // quasi-random: 64 points leave no quarter of the similarity range empty, and few repeat
        Set<Integer> quarters = new HashSet<>();
        Set<Map<String, String>> distinct = new HashSet<>(a);
        for (Map<String, String> set : a) {
            quarters.add((int) ((Double.parseDouble(set.get("strategy.min_similarity")) - 0.5) / 0.1226));
        }
        assertThat(quarters).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(distinct.size()).isGreaterThan(60);
    }

    @Test
    void badSpacesAreRefusedNamingTheParameter() {
        assertThatThrownBy(() -> load("parameters:\n  strategy.nope: {min: 1, max: 2, step: 1}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("strategy.nope");
        assertThatThrownBy(() -> load("parameters:\n  capital.start_quote: {min: 1, max: 2, step: 1}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("only strategy.*, echo.* and risk.*");
        assertThatThrownBy(() -> load("parameters:\n  strategy.min_similarity: {min: 0.5, max: 1.5, step: 0.5}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("strategy.min_similarity");
        assertThatThrownBy(() -> load("parameters:\n  strategy.max_hold_minutes: {min: 1, max: 10, step: 0.5}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("whole number");
        assertThatThrownBy(() -> load("parameters:\n  strategy.max_hold_minutes: {min: 1, max: 10}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("missing step");
    }

    @Test
    void badSpacesNameTheLineAndAKeyGivenTwiceIsRefused() throws Exception {
        assertThatThrownBy(() -> load("""
                parameters:
                  strategy.min_similarity: {min: 0.70, max: 0.90, step: 0.05}
                  strategy.take_profit_pct: {min: 0.5, max: abc, step: 0.5}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("strategy.take_profit_pct")
                .hasMessageContaining("line 3");
        // YAML keeps the last of two equal keys silently: the search would run a range the trader did not mean
        assertThatThrownBy(() -> load("""
                parameters:
                  strategy.min_similarity: {min: 0.70, max: 0.90, step: 0.05}
                  strategy.take_profit_pct: {min: 0.5, max: 2.0, step: 0.5}
                  strategy.min_similarity: {choices: [0.8]}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("strategy.min_similarity")
                .hasMessageContaining("line 2").hasMessageContaining("line 4");
        assertThatThrownBy(() -> load("""
                parameters:
                  strategy.min_similarity: {min: 0.70, max: 0.90, step: 0.05
                  strategy.take_profit_pct: [1
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("not valid YAML")
                .hasMessageContaining("line 3").satisfies(e -> assertThat(e.getMessage()).doesNotContain("Source:"));
        assertThatThrownBy(() -> ParameterSpace.load(dir.resolve("missing.yaml"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("missing.yaml").hasMessageContaining("no such file");
    }
}
