package io.aquatrade.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Without PostgreSQL's binaries the PostgreSQL tests fail, saying what to install: they are never skipped. */
class PostgresServerTest {

    @Test
    void missingBinariesFailWithWhatToInstall(@TempDir Path empty) {
        assertThatThrownBy(() -> PostgresServer.binaries(List.of(empty, empty.resolve("bin"))))
                .isInstanceOf(AssertionError.class).hasMessageContaining(empty.toString())
                .hasMessageContaining("apt-get install -y postgresql").hasMessageContaining("PG_BIN");
    }

    @Test
    void theBinariesOfThisMachineAreFound() {
        assertThat(PostgresServer.binaries().resolve("initdb")).isExecutable();
    }
}
