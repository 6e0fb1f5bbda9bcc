package io.aquatrade.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The journal's scenarios ({@link JournalContract}) on SQLite, and what only SQLite has: the file, WAL, fsync. */
class JournalTest extends JournalContract {

    @TempDir
    Path dir;

    @Override
    JournalDatabase db(String name) {
        return JournalDatabase.sqlite(dir.resolve(name));
    }

    @Test
    void opensWithWalAndFullSync() throws Exception {
        Path file = dir.resolve("var/journal.db");
        try (Journal j = Journal.open(file, "live", 1_700_000_000_000L, null)) {
            j.insertOrder(order(ClientOrderIds.of(j.idPrefix(), j.nextOrderSeq()), j.runNo(), 1, "BTCUSDT", 10))
                    .get(5, TimeUnit.SECONDS);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
        }
        // synchronous is a per-connection setting: the writer's connection commits into the WAL (NORMAL, 1) and the
        // writer fsyncs the WAL after every commit itself (outside the lock), which is what FULL would do inside it
        try (Journal j = Journal.open(file, "live", 1_700_000_000_001L, null)) {
            int sync = j.submit(w -> {
                try (Statement st = w.conn.createStatement(); ResultSet rs = st.executeQuery("PRAGMA synchronous")) {
                    rs.next();
                    return rs.getInt(1);
                }
            }).get(5, TimeUnit.SECONDS);
            assertThat(sync).isEqualTo(1);
            j.recordKillSwitch(1, "ACTIVE", "HALTED", "test", "test").get(5, TimeUnit.SECONDS);
            assertThat(j.stats().syncP50Nanos()).as("the WAL was fsynced after the commit").isPositive();
        }
    }

    @Test
    void aFileThatIsNotAJournalIsRefusedByName() throws Exception {
        Path other = dir.resolve("other.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + other); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (a INTEGER)");
        }
        assertThatThrownBy(() -> JournalReader.open(other)).hasMessageContaining("not an Aquatrade journal")
                .hasMessageContaining("other.db");
        assertThatThrownBy(() -> JournalReader.open(dir.resolve("missing.db"))).hasMessageContaining("no such file");
    }
}
