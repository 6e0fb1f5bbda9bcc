package io.aquatrade.app;

import io.aquatrade.journal.JournalDatabase;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The journal command's scenarios on a SQLite journal file, given by {@code --journal FILE}. */
class JournalCommandTest extends JournalCommandContract {

    /** The file the command is pointed at. */
    private Path file;

    @Override
    JournalDatabase database() {
        if (file == null) {
            file = dir.resolve("var/journal.db");
        }
        return JournalDatabase.sqlite(file);
    }

    @Override
    List<String> source() {
        return List.of("--journal", file.toString());
    }

    @Test
    void aMissingFileIsAClearError() throws Exception {
        file = dir.resolve("nope.db");
        assertThat(fail("journal", "fills")).contains("no such file").contains("nope.db");
    }
}
