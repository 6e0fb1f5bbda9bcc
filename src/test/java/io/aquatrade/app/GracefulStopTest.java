package io.aquatrade.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** SIGTERM to a running bot (the demo, in its own JVM): entries stop, the run and its journal close, exit 0. */
class GracefulStopTest {

    @TempDir
    Path dir;

    @Test
    void sigtermStopsTheRunClosesTheJournalAndExitsZero() throws Exception {
        BotProcess bot = BotProcess.start(List.of("demo", "--speed", "1", "--port", "0", "--out", dir.resolve("out").toString(),
                "--set", "state.port=" + (20000 + (int) (ProcessHandle.current().pid() % 20000)),
                "--set", "rules.watch=false"));
        try {
            bot.awaitOutput("Replaying", 120);
            Thread.sleep(1500);
            bot.process().destroy(); // SIGTERM
            int status = bot.exit(60); // within the grace period
            String log = bot.log();
            assertThat(status).as(log).isZero();
            Path journal = dir.resolve("out/journal.db");
            assertThat(journal).exists();
            try (var c = DriverManager.getConnection("jdbc:sqlite:" + journal); var st = c.createStatement();
                 var rs = st.executeQuery("SELECT stopped_ms, stop_reason FROM journal_run")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).as(log).isPositive();
                assertThat(rs.getString(2)).as(log).startsWith("stopped");
            }
            assertThat(Files.exists(Path.of(journal + "-wal")) ? Files.size(Path.of(journal + "-wal")) : 0L)
                    .as("closed cleanly: the WAL was checkpointed into the database").isZero();
        } finally {
            bot.process().destroyForcibly();
        }
    }
}
