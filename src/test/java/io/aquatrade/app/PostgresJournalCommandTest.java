package io.aquatrade.app;

import io.aquatrade.journal.JournalDatabase;
import io.aquatrade.journal.PostgresServer;
import io.aquatrade.journal.PostgresServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The journal command's scenarios on a PostgreSQL journal (a real server started for this class): the command
 * finds it through {@code journal.url}, {@code journal.user} and {@code journal.password_env} in {@code --config},
 * the password in the environment.
 */
class PostgresJournalCommandTest extends JournalCommandContract {

    @RegisterExtension
    static final PostgresServerExtension PG = new PostgresServerExtension();
    private String url;
    private Map<String, String> env;


    @Override
    JournalDatabase database() throws Exception {
        if (url == null) {
            url = PG.server().createDatabase("cli");
            env = Map.of("AQ_TEST_JOURNAL_PW", PG.server().password().reveal());
        }
        return JournalDatabase.postgres(url, PostgresServer.USER, PG.server().password());
    }

    @Override
    List<String> source() throws Exception {
        Path cfg = dir.resolve("aquatrade.yaml");
        Files.writeString(cfg, "journal:\n  url: \"" + url + "\"\n  user: " + PostgresServer.USER
                + "\n  password_env: AQ_TEST_JOURNAL_PW\n  path: " + dir.resolve("not-used.db") + "\n");
        return List.of("--config", cfg.toString());
    }

    @Override
    Map<String, String> environment() {
        return env;
    }

    @Test
    void anUnsetPasswordVariableAndAWrongPasswordAreClearErrorsThatNeverShowThePassword() throws Exception {
        env = Map.of();
        assertThat(fail("journal", "orders")).contains("journal.password_env").contains("AQ_TEST_JOURNAL_PW")
                .contains("not set");
        env = Map.of("AQ_TEST_JOURNAL_PW", "wrong-" + PG.server().password().reveal());
        assertThat(fail("journal", "orders")).contains(url).contains("password authentication failed")
                .doesNotContain(PG.server().password().reveal());
        assertThat(Files.exists(dir.resolve("not-used.db"))).as("journal.path is not touched").isFalse();
    }
}
