package io.aquatrade.journal;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** journal.url, journal.user and journal.password_env: which database, and clear errors naming the key. */
class JournalDatabaseConfigTest {

    private static JournalDatabase from(Map<String, String> env, String... set) {
        return JournalDatabase.fromConfig(AquatradeConfig.load(null, List.of(set)), env);
    }

    @Test
    void anEmptyUrlIsSqliteAtJournalPathAsBefore() {
        JournalDatabase db = from(Map.of(), "journal.path=var/x.db");
        assertThat(db).isInstanceOf(JournalDatabase.Sqlite.class);
        assertThat(db.where()).isEqualTo(Path.of("var/x.db").toString());
        assertThat(from(Map.of()).url()).endsWith("var/journal.db").startsWith("jdbc:sqlite:");
    }

    @Test
    void aPostgresUrlTakesTheUserAndThePasswordFromTheNamedVariable() {
        JournalDatabase db = from(Map.of("PGPW", " s3cret-value \n"), "journal.url=jdbc:postgresql://db.internal:5433/aq",
                "journal.user=bot", "journal.password_env=PGPW");
        assertThat(db).isInstanceOf(JournalDatabase.Postgres.class);
        assertThat(db.url()).isEqualTo("jdbc:postgresql://db.internal:5433/aq");
        assertThat(db.user()).isEqualTo("bot");
        assertThat(db.password()).isEqualTo("s3cret-value");
        assertThat(db.where()).isEqualTo("jdbc:postgresql://db.internal:5433/aq (user bot)");
        assertThat(db.toString()).doesNotContain("s3cret");
        // no variable named: a server that asks for no password
        assertThat(from(Map.of(), "journal.url=jdbc:postgresql://localhost/aq", "journal.user=bot", "journal.password_env=")
                .password()).isNull();
    }

    @Test
    void badValuesAreConfigErrorsNamingTheKey() {
        assertThatThrownBy(() -> from(Map.of(), "journal.url=jdbc:mysql://h/db", "journal.user=u"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("journal.url").hasMessageContaining("jdbc:mysql://h/db")
                .hasMessageContaining("--set");
        assertThatThrownBy(() -> from(Map.of(), "journal.url=jdbc:postgresql://host", "journal.user=u"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("journal.url").hasMessageContaining("database");
        assertThatThrownBy(() -> from(Map.of(), "journal.url=jdbc:postgresql://host:99999/db", "journal.user=u"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("journal.url").hasMessageContaining("99999");
        assertThatThrownBy(() -> from(Map.of(), "journal.url=jdbc:postgresql://:5432/db", "journal.user=u"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("journal.url").hasMessageContaining("host");
        assertThatThrownBy(() -> from(Map.of(), "journal.url=jdbc:postgresql://h/db?ssl=true&password=hunter2", "journal.user=u"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("journal.url")
                .hasMessageContaining("journal.password_env").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> from(Map.of(), "journal.url=jdbc:postgresql://h/db"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("journal.user");
        assertThatThrownBy(() -> from(Map.of(), "journal.url=jdbc:postgresql://h/db", "journal.user=u",
                "journal.password_env=not a name"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("journal.password_env").hasMessageContaining("not a name");
        assertThatThrownBy(() -> from(Map.of(), "journal.url=jdbc:postgresql://h/db", "journal.user=u"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("journal.password_env")
                .hasMessageContaining("AQUATRADE_JOURNAL_PASSWORD").hasMessageContaining("not set");
    }
}
