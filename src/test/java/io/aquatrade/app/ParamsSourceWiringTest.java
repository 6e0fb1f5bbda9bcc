package io.aquatrade.app;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.rules.ParamsSource;
import io.aquatrade.rules.RuleParams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A run re-reads its rules' parameters from the file it started with, with its --set overrides still on top. */
class ParamsSourceWiringTest {

    @Test
    void theConfigFileAndTheOverridesAreFoundFromTheKeysOrigins(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("aquatrade.yaml");
        Files.writeString(yaml, "strategy:\n  min_similarity: 0.9\n");
        AquatradeConfig config = AquatradeConfig.load(yaml, List.of("strategy.entry_quote=42", "rules.watch=false"));

        ParamsSource source = TradingRun.paramsSource(config);

        assertThat(source.file()).isEqualTo(yaml);
        assertThat(source.overrides()).containsExactlyInAnyOrder("strategy.entry_quote=42", "rules.watch=false");
        Files.writeString(yaml, "strategy:\n  min_similarity: 0.95\n  entry_quote: 10\n");
        RuleParams reread = source.load();
        assertThat(reread.params().getMinSimilarity()).isEqualTo(0.95);
        assertThat(reread.params().getEntryQuote()).as("--set wins over the file").isEqualByComparingTo("42");
    }

    @Test
    void aValueTheProgramSetIsNeitherTheFileToWatchNorLostOnReload(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("aquatrade.yaml");
        Files.writeString(yaml, "risk:\n  max_open_positions: 5\n");
        // a live run keeps its starting capital in a file of its own: that file is no config to watch or parse
        AquatradeConfig config = AquatradeConfig.load(yaml, List.of("mode=testnet"))
                .with("capital.start_quote", "1000", dir.resolve("starting-capital-testnet.txt").toString());

        ParamsSource source = TradingRun.paramsSource(config);

        assertThat(source.file()).isEqualTo(yaml);
        assertThat(source.overrides()).containsExactlyInAnyOrder("mode=testnet", "capital.start_quote=1000");
        RuleParams reread = source.load();
        assertThat(reread.limits().getMaxOpenPositions()).isEqualTo(5);
        assertThat(reread.config().decimal("capital.start_quote")).isEqualByComparingTo("1000");
    }

    @Test
    void builtInDefaultsHaveNoFileToWatch() {
        ParamsSource source = TradingRun.paramsSource(AquatradeConfig.load(null, List.of("risk.max_open_positions=3")));
        assertThat(source.file()).isNull();
        assertThat(source.load().limits().getMaxOpenPositions()).isEqualTo(3);
    }
}
