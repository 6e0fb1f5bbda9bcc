package io.aquatrade.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StartingCapitalTest {

    @Test
    void theFirstStartTakesTheFreeBalanceOrTheConfiguredCapIfLowerAndARestartKeepsIt(@TempDir Path var) throws Exception {
        Path f = StartingCapital.file(var.resolve("kill-switch.state"), Mode.LIVE);
        assertThat(f.getFileName().toString()).isEqualTo("starting-capital-live.txt");
        assertThat(StartingCapital.resolve(f, new BigDecimal("4321.5"), new BigDecimal("10000")))
                .isEqualByComparingTo("4321.5");
        assertThat(Files.readString(f).trim()).isEqualTo("4321.5");
        // after a loss the account holds less: the capital rule keeps its base
        assertThat(StartingCapital.resolve(f, new BigDecimal("3900"), new BigDecimal("10000")))
                .isEqualByComparingTo("4321.5");
        // capital.start_quote lowered later still caps it
        assertThat(StartingCapital.resolve(f, new BigDecimal("3900"), new BigDecimal("2000"))).isEqualByComparingTo("2000");
        Path g = StartingCapital.file(var.resolve("kill-switch.state"), Mode.TESTNET);
        assertThat(StartingCapital.resolve(g, new BigDecimal("50000"), new BigDecimal("10000"))).isEqualByComparingTo("10000");
    }

    @Test
    void anEmptyAccountOrADamagedFileIsRefusedWithWhatToDo(@TempDir Path var) throws Exception {
        Path f = var.resolve("starting-capital-live.txt");
        assertThatThrownBy(() -> StartingCapital.resolve(f, BigDecimal.ZERO, new BigDecimal("10000")))
                .hasMessageContaining("no free quote balance");
        Files.writeString(f, "lots");
        assertThatThrownBy(() -> StartingCapital.resolve(f, BigDecimal.TEN, new BigDecimal("10000")))
                .hasMessageContaining("lots").hasMessageContaining(f.toString());
    }
}
