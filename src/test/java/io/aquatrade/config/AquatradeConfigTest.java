package io.aquatrade.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AquatradeConfigTest {

    private static final Path SHIPPED = Path.of("config/aquatrade.yaml");

    @Test
    void shippedYamlDocumentsEveryKeyWithTheBuiltInDefault() throws Exception {
        Map<String, String> file = AquatradeConfig.readYaml(SHIPPED);
        assertThat(file.keySet()).containsExactlyInAnyOrderElementsOf(ConfigKeys.all().keySet());
        AquatradeConfig fromFile = AquatradeConfig.load(SHIPPED, List.of());
        assertThat(fromFile.effective()).isEqualTo(AquatradeConfig.defaults().effective());
        String text = Files.readString(SHIPPED);
        for (ConfigKey k : ConfigKeys.all().values()) {
            String leaf = k.name().substring(k.name().lastIndexOf('.') + 1);
            assertThat(text).as("comment for " + k.name()).containsPattern("#.*\\n\\s*" + leaf + ":|" + leaf + ":.*#");
        }
    }

    @Test
    void setOverridesAnyKeyAndIsReportedAsTheOrigin() {
        AquatradeConfig c = AquatradeConfig.load(null, List.of("risk.max_open_positions=3", "fees.taker_rate=0.00075"));
        assertThat(c.integer(ConfigKeys.RISK_MAX_OPEN_POSITIONS)).isEqualTo(3);
        assertThat(c.decimal(ConfigKeys.FEES_TAKER_RATE)).isEqualByComparingTo("0.00075");
        assertThat(c.origin(ConfigKeys.RISK_MAX_OPEN_POSITIONS)).isEqualTo("--set");
        assertThat(c.origin(ConfigKeys.CAPITAL_START_QUOTE)).isEqualTo("default");
        assertThat(c.effective()).containsEntry("risk.max_open_positions", "3");
    }

    @Test
    void unknownKeyFailsNamingTheKeyAndTheFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "risk:\n  max_open_positons: 3\n");
        assertThatThrownBy(() -> AquatradeConfig.load(f, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("risk.max_open_positons").hasMessageContaining(f.toString());
        assertThatThrownBy(() -> AquatradeConfig.load(null, List.of("nope.key=1")))
                .hasMessageContaining("nope.key").hasMessageContaining("--set");
    }

    @Test
    void badValuesFailNamingTheKeyTheValueAndWhereItCameFrom(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "capital:\n  base_fraction: 1.5\n");
        assertThatThrownBy(() -> AquatradeConfig.load(f, List.of()))
                .hasMessageContaining("capital.base_fraction").hasMessageContaining("<= 1").hasMessageContaining("1.5")
                .hasMessageContaining(f.toString());
        assertThatThrownBy(() -> AquatradeConfig.load(null, List.of("risk.max_open_positions=many")))
                .hasMessageContaining("risk.max_open_positions").hasMessageContaining("'many'");
        assertThatThrownBy(() -> AquatradeConfig.load(null, List.of("mode=yolo")))
                .hasMessageContaining("mode").hasMessageContaining("yolo");
        assertThatThrownBy(() -> AquatradeConfig.load(null, List.of("risk.max_open_positions")))
                .hasMessageContaining("KEY=VALUE");
    }

    @Test
    void aBadValueInTheFileNamesItsLineAndTheAcceptedRange(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "capital:\n  start_quote: 1000\n  base_fraction: 1.5\n");
        assertThatThrownBy(() -> AquatradeConfig.load(f, List.of())).isInstanceOf(ConfigException.class)
                .hasMessage("capital.base_fraction must be <= 1, got 1.5 (accepted: 0 to 1) (" + f + ":3)");
        Files.writeString(f, "risk:\n  max_open_positions: many\n");
        assertThatThrownBy(() -> AquatradeConfig.load(f, List.of()))
                .hasMessage("risk.max_open_positions must be a whole number, got 'many' (accepted: 0 to 1000) (" + f + ":2)");
        Files.writeString(f, "rules:\n  watch: maybe\n");
        assertThatThrownBy(() -> AquatradeConfig.load(f, List.of()))
                .hasMessage("rules.watch must be true or false, got 'maybe' (" + f + ":2)");
        Files.writeString(f, "# comment\nmode: yolo\n");
        assertThatThrownBy(() -> AquatradeConfig.load(f, List.of()))
                .hasMessage("mode must be one of replay, paper, testnet, live, got 'yolo' (" + f + ":2)");
        assertThatThrownBy(() -> AquatradeConfig.load(null, List.of("capital.start_quote=0")))
                .hasMessage("capital.start_quote must be >= 0.01, got 0 (accepted: 0.01 or more) (--set)");
        // the rules refuse an entry of 0 USDT: the config says so at load, with where it came from
        assertThatThrownBy(() -> AquatradeConfig.load(null, List.of("strategy.entry_quote=0")))
                .hasMessage("strategy.entry_quote must be >= 0.01, got 0 (accepted: 0.01 or more) (--set)");
        // the file's keys keep the file as their origin (a hot reload re-reads them from it); where() adds the line
        Files.writeString(f, "risk:\n  max_open_positions: 5\n");
        AquatradeConfig ok = AquatradeConfig.load(f, List.of());
        assertThat(ok.origin(ConfigKeys.RISK_MAX_OPEN_POSITIONS)).isEqualTo(f.toString());
        assertThat(ok.where(ConfigKeys.RISK_MAX_OPEN_POSITIONS)).isEqualTo(f + ":2");
        assertThat(ok.where(ConfigKeys.RISK_MAX_POSITION_QUOTE)).isEqualTo("default");
    }

    @Test
    void contradictoryOrUnknownNotificationValuesAreRefusedAtLoadNamingBothKeysAndWhere(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("notify.yaml");
        Files.writeString(f, "notify:\n  initial_backoff_ms: 5000\n");
        assertThatThrownBy(() -> AquatradeConfig.load(f, List.of("notify.max_backoff_ms=1000")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("notify.max_backoff_ms (1000, --set) must be at least notify.initial_backoff_ms (5000, " + f
                        + ":2): the wait between attempts doubles from the first up to the longest");
        assertThatThrownBy(() -> AquatradeConfig.load(null, List.of("notify.format=slack")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("notify.format must be json or telegram, got 'slack' (--set)");
    }

    /**
     * An entry larger than a cap it must pass: today the per-symbol or total cap refuses every entry (a demo replay
     * with entry_quote 300 makes no trade at all), the per-position cap silently shrinks each one (200 spends 150),
     * a deployable capital below one entry refuses every entry. Each is refused at load, naming both sides and where.
     */
    @Test
    void anEntryNoCapOrCapitalLetsThroughIsRefusedAtLoadNamingBothKeysAndWhere(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("caps.yaml");
        Files.writeString(f, "risk:\n  max_symbol_exposure_quote: 1000\n  max_position_quote: 150\n");
        assertThatThrownBy(() -> AquatradeConfig.load(f, List.of("strategy.entry_quote=200")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("strategy.entry_quote (200, --set) must be at most risk.max_position_quote (150, " + f
                        + ":3): every entry would be cut to the per-position cap");
        assertThatThrownBy(() -> AquatradeConfig.load(null, List.of("strategy.entry_quote=300")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("strategy.entry_quote (300, --set) must be at most risk.max_position_quote (250, default):"
                        + " every entry would be cut to the per-position cap");
        assertThatThrownBy(() -> AquatradeConfig.load(null, List.of("risk.max_symbol_exposure_quote=99")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("strategy.entry_quote (100, default) must be at most risk.max_symbol_exposure_quote (99, --set):"
                        + " the per-symbol cap would refuse every entry");
        assertThatThrownBy(() -> AquatradeConfig.load(null, List.of("risk.max_total_exposure_quote=50.5")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("strategy.entry_quote (100, default) must be at most risk.max_total_exposure_quote (50.5, --set):"
                        + " the total exposure cap would refuse every entry");
        Path g = dir.resolve("capital.yaml");
        Files.writeString(g, "capital:\n  start_quote: 150\n");
        assertThatThrownBy(() -> AquatradeConfig.load(g, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("strategy.entry_quote (100, default) must be at most the deployable capital, capital.start_quote"
                        + " (150, " + g + ":2) x capital.base_fraction (0.5, default) = 75: the capital rule would refuse"
                        + " every entry");
        // equal is fine: the entry fits exactly; so is a cap above another cap (the tighter one decides)
        AquatradeConfig exact = AquatradeConfig.load(null, List.of("strategy.entry_quote=250",
                "risk.max_position_quote=10000", "risk.max_symbol_exposure_quote=250", "capital.start_quote=500",
                "capital.base_fraction=0.5"));
        assertThat(exact.decimal(ConfigKeys.STRATEGY_ENTRY_QUOTE)).isEqualByComparingTo("250");
        // what the rule scenarios use to exercise the rules' own defences: each key bounded, the pairs not checked
        assertThat(AquatradeConfig.loadEachKey(null, List.of("risk.max_symbol_exposure_quote=99"))
                .decimal(ConfigKeys.RISK_MAX_SYMBOL_EXPOSURE_QUOTE)).isEqualByComparingTo("99");
        assertThatThrownBy(() -> AquatradeConfig.loadEachKey(null, List.of("risk.max_symbol_exposure_quote=-1")))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void aMistypedKeyNamesItsLineAndTheKeyItWasProbablyMeantToBe(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("typo.yaml");
        Files.writeString(f, "risk:\n  max_position_quote: 100\n  max_posiiton_quote: 100\n");
        assertThatThrownBy(() -> AquatradeConfig.load(f, List.of())).isInstanceOf(ConfigException.class)
                .hasMessage("unknown config key 'risk.max_posiiton_quote' in " + f + ":3 (did you mean "
                        + "'risk.max_position_quote'? README.md, 'Configuration', lists the keys)");
        assertThatThrownBy(() -> AquatradeConfig.load(null, List.of("strategy.stop_loss=1")))
                .hasMessage("unknown config key 'strategy.stop_loss' in --set (did you mean 'strategy.stop_loss_pct'? "
                        + "README.md, 'Configuration', lists the keys)");
        assertThatThrownBy(() -> AquatradeConfig.load(null, List.of("nothing.like.it=1")))
                .hasMessage("unknown config key 'nothing.like.it' in --set (README.md, 'Configuration', lists the keys)");
    }

    /** The same key twice, spelled the same or once nested and once dotted, is an error naming both lines. */
    @Test
    void aDuplicateKeyFailsNamingBothLines(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("dup.yaml");
        Files.writeString(f, "risk:\n  max_position_quote: 100\n  max_open_positions: 3\n  max_position_quote: 1000000\n");
        assertThatThrownBy(() -> AquatradeConfig.load(f, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("risk.max_position_quote").hasMessageContaining(f.toString())
                .hasMessageContaining("line 2").hasMessageContaining("line 4");

        Path g = dir.resolve("dup2.yaml");
        Files.writeString(g, "# caps\nrisk:\n  max_position_quote: 100\nrisk.max_position_quote: 1000000\n");
        assertThatThrownBy(() -> AquatradeConfig.load(g, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("risk.max_position_quote").hasMessageContaining("line 3").hasMessageContaining("line 4");

        Path h = dir.resolve("dup3.yaml");
        Files.writeString(h, "risk:\n  max_open_positions: 3\nfees:\n  taker_rate: 0.001\nrisk:\n  max_position_quote: 5\n");
        assertThatThrownBy(() -> AquatradeConfig.load(h, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'risk'").hasMessageContaining("line 1").hasMessageContaining("line 5");
    }

    @Test
    void sectionStripsThePrefix() {
        Map<String, String> strategy = AquatradeConfig.defaults().section("strategy.");
        assertThat(strategy).containsKey("min_similarity").doesNotContainKey("strategy.min_similarity");
    }

    /** README's key table says it is generated from ConfigKeys: it must be what ConfigKeys holds, defaults included. */
    @Test
    void readmesKeyTableIsTheOneConfigKeysGives() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String start = "<!-- config-keys:start (generated from ConfigKeys.java) -->\n";
        String end = "<!-- config-keys:end -->";
        int from = readme.indexOf(start);
        int to = readme.indexOf(end);
        assertThat(from).as("README's key table markers").isNotNegative();
        assertThat(to).isGreaterThan(from);
        assertThat(readme.substring(from + start.length(), to)).isEqualTo(keyTable());
    }

    /** The README table of every key: name, default and meaning, in ConfigKeys' order. */
    static String keyTable() {
        StringBuilder t = new StringBuilder("| key | default | meaning |\n| --- | --- | --- |\n");
        for (ConfigKey k : ConfigKeys.all().values()) {
            t.append("| `").append(k.name()).append("` | ")
                    .append(k.defaultValue().isEmpty() ? "`\"\"`" : "`" + k.defaultValue() + "`").append(" | ")
                    .append(k.description().replace("|", "\\|")).append(" |\n");
        }
        return t.toString();
    }
}
