package io.aquatrade.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ControlTokenTest {

    private static final String TOKEN = "9f86d081884c7d659a2feaa0c55ad015";

    @Test
    void theEnvironmentVariableWinsOverTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "file-token-0123456789\n");
        ControlToken t = ControlToken.resolve("AQ_TOKEN", file.toString(), Map.of("AQ_TOKEN", TOKEN));
        assertThat(t.configured()).isTrue();
        assertThat(t.matches(TOKEN)).isTrue();
        assertThat(t.matches("file-token-0123456789")).isFalse();
        assertThat(t.source()).hasValue("environment variable AQ_TOKEN");
        assertThat(t.toString()).doesNotContain(TOKEN);
    }

    @Test
    void theFileIsReadTrimmedWhenTheVariableIsUnset(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "  file-token-0123456789\n");
        ControlToken t = ControlToken.resolve("AQ_TOKEN", file.toString(), Map.of());
        assertThat(t.matches("file-token-0123456789")).isTrue();
        assertThat(t.source()).hasValue("file " + file);
    }

    @Test
    void noTokenMatchesNothing() {
        ControlToken t = ControlToken.resolve("AQ_TOKEN", "", Map.of());
        assertThat(t.configured()).isFalse();
        assertThat(t.matches("")).isFalse();
        assertThat(t.matches(null)).isFalse();
        assertThat(t.matches("anything-at-all-long-enough")).isFalse();
    }

    @Test
    void wrongTokensDoNotMatch() {
        ControlToken t = ControlToken.of(TOKEN, "test");
        assertThat(t.matches(TOKEN + "0")).isFalse();
        assertThat(t.matches(TOKEN.substring(1))).isFalse();
        assertThat(t.matches(TOKEN.toUpperCase())).isFalse();
        assertThat(t.matches(null)).isFalse();
        assertThat(t.matches(" " + TOKEN + " ")).isTrue();
    }

    @Test
    void shortTokensUnreadableAndEmptyFilesStopTheStartWithTheirSource(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> ControlToken.resolve("AQ_TOKEN", "", Map.of("AQ_TOKEN", "tiny-tok")))
                .hasMessageContaining("environment variable AQ_TOKEN").hasMessageContaining("16")
                .hasMessageNotContaining("tiny-tok");
        assertThatThrownBy(() -> ControlToken.resolve("AQ_TOKEN", dir.resolve("missing").toString(), Map.of()))
                .hasMessageContaining("ops.control_token_file").hasMessageContaining("missing");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> ControlToken.resolve("AQ_TOKEN", empty.toString(), Map.of()))
                .hasMessageContaining("is empty");
    }

    @Test
    void theVariablesFileTwinNamesADockerSecretAndWinsOverTheConfiguredFile(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("control_token"), TOKEN + "\n");
        Path configured = Files.writeString(dir.resolve("configured"), "configured-token-0123456789\n");
        ControlToken t = ControlToken.resolve("AQ_TOKEN", configured.toString(), Map.of("AQ_TOKEN_FILE", secret.toString()));
        assertThat(t.matches(TOKEN)).isTrue();
        assertThat(t.matches("configured-token-0123456789")).isFalse();
        assertThat(t.source()).hasValue("file " + secret);
        // an empty variable (docker/.env.example ships AQUATRADE_CONTROL_TOKEN=) does not count as set
        assertThat(ControlToken.resolve("AQ_TOKEN", "", Map.of("AQ_TOKEN", "", "AQ_TOKEN_FILE", secret.toString()))
                .matches(TOKEN)).isTrue();
    }

    @Test
    void aVariableAndItsFileTwinTogetherAreRefusedAndAMissingSecretIsNamed(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("control_token"), TOKEN);
        assertThatThrownBy(() -> ControlToken.resolve("AQ_TOKEN", "",
                Map.of("AQ_TOKEN", "other-token-0123456789", "AQ_TOKEN_FILE", secret.toString())))
                .hasMessageContaining("AQ_TOKEN and AQ_TOKEN_FILE").hasMessageNotContaining(TOKEN)
                .hasMessageNotContaining("other-token-0123456789");
        assertThatThrownBy(() -> ControlToken.resolve("AQ_TOKEN", "", Map.of("AQ_TOKEN_FILE", dir.resolve("nope").toString())))
                .hasMessageContaining("AQ_TOKEN_FILE").hasMessageContaining("nope").hasMessageContaining("cannot be read");
    }
}
