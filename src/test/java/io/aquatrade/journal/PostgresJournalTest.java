package io.aquatrade.journal;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.exchange.binance.Secret;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The journal's scenarios ({@link JournalContract}) on a real PostgreSQL server started for this class
 * ({@link PostgresServer}: initdb + pg_ctl, 127.0.0.1, a free port, password authentication), and what only
 * PostgreSQL has: the server, its user and password, a commit durable by itself.
 */
class PostgresJournalTest extends JournalContract {

    @RegisterExtension
    static final PostgresServerExtension PG = new PostgresServerExtension();
    private final Map<String, JournalDatabase> databases = new HashMap<>();

    @TempDir
    Path dir;


    @Override
    JournalDatabase db(String name) throws Exception {
        JournalDatabase db = databases.get(name);
        if (db == null) {
            db = PG.server().newJournal(name);
            databases.put(name, db);
        }
        return db;
    }

    @Test
    void journalUrlWithThePasswordFromTheVariableThatPasswordEnvNames() throws Exception {
        String url = PG.server().createDatabase("configured");
        AquatradeConfig config = AquatradeConfig.load(null, List.of("journal.url=" + url,
                "journal.user=" + PostgresServer.USER, "journal.password_env=AQ_TEST_JOURNAL_PW"));
        JournalDatabase db = JournalDatabase.fromConfig(config, Map.of("AQ_TEST_JOURNAL_PW", PG.server().password().reveal()));
        assertThat(db.where()).contains(url).contains(PostgresServer.USER).doesNotContain(PG.server().password().reveal());
        try (Journal j = Journal.open(db, "live", 1L, null)) {
            assertThat(j.recordFill(fill("BTCUSDT", 1, "a"), "BTC", "stream").get(5, TimeUnit.SECONDS)).isTrue();
        }
        try (JournalReader r = JournalReader.open(db)) {
            assertThat(r.fills(Long.MIN_VALUE)).hasSize(1);
        }
    }

    @Test
    void aWrongPasswordIsRefusedNamingTheServerAndUserButNeverThePassword() throws Exception {
        String url = PG.server().createDatabase("wrong");
        JournalDatabase db = JournalDatabase.postgres(url, PostgresServer.USER, Secret.of("not-the-password-4711"));
        assertThatThrownBy(() -> Journal.open(db, "live", 1L, null)).isInstanceOf(JournalException.class)
                .hasMessageContaining(url).hasMessageContaining("password authentication failed")
                .hasMessageNotContaining("not-the-password-4711");
        assertThatThrownBy(() -> JournalReader.open(db)).isInstanceOf(JournalException.class)
                .hasMessageContaining(url).hasMessageNotContaining("not-the-password-4711");
    }

    @Test
    void aDatabaseWithoutTheJournalsSchemaIsRefusedByName() throws Exception {
        String url = PG.server().createDatabase("empty");
        JournalDatabase db = JournalDatabase.postgres(url, PostgresServer.USER, PG.server().password());
        assertThatThrownBy(() -> JournalReader.open(db)).hasMessageContaining("not an Aquatrade journal")
                .hasMessageContaining(url);
    }

    @Test
    void aCommitIsDurableByItselfSoNoFsyncFollowsIt() throws Exception {
        try (Journal j = Journal.open(db("j"), "live", 1L, null)) {
            String setting = j.submit(w -> {
                try (Statement st = w.conn.createStatement(); ResultSet rs = st.executeQuery("SHOW synchronous_commit")) {
                    rs.next();
                    return rs.getString(1);
                }
            }).get(5, TimeUnit.SECONDS);
            assertThat(setting).isEqualTo("on");
            j.recordKillSwitch(1, "ACTIVE", "HALTED", "test", "test").get(5, TimeUnit.SECONDS);
            assertThat(j.stats().commits()).isPositive();
            assertThat(j.stats().syncP50Nanos()).as("no WAL file of ours to fsync").isZero();
        }
    }

    /**
     * One order row written by its caller (insert + commit, what a live order waits for before its request leaves)
     * and one row through the writer alone (insert + commit + whatever makes it durable), on SQLite and on this
     * server, the same code and rows. Prints {@code journal commit figures: ...}; asserts every row is there.
     */
    @Test
    void insertPlusCommitMeasuredOnSqliteAndOnPostgres() throws Exception {
        int n = Integer.getInteger("journal.bench.rows", 300);
        long[] sqlite = measure(JournalDatabase.sqlite(dir.resolve("bench.db")), n);
        long[] postgres = measure(db("bench"), n);
        System.out.printf("journal commit figures (%d rows each, one at a time): caller's insert+commit p50 sqlite %d µs,"
                        + " postgres %d µs (%.1f×); p99 sqlite %d µs, postgres %d µs; row durable (insert+commit+fsync)"
                        + " p50 sqlite %d µs, postgres %d µs (%.1f×); p99 sqlite %d µs, postgres %d µs%n",
                n, sqlite[0], postgres[0], postgres[0] / (double) Math.max(1, sqlite[0]), sqlite[1], postgres[1],
                sqlite[2], postgres[2], postgres[2] / (double) Math.max(1, sqlite[2]), sqlite[3], postgres[3]);
    }

    /** p50 and p99 (µs) of the caller's write and of the row being durable, {@code n} orders one after another. */
    private static long[] measure(JournalDatabase db, int n) throws Exception {
        Histogram written = new Histogram(60_000_000L, 3);
        Histogram durable = new Histogram(60_000_000L, 3);
        try (Journal j = Journal.open(db, "bench", 1L, null)) {
            for (int i = 0; i < n + 50; i++) { // the first 50 warm up
                long seq = j.nextOrderSeq();
                long t0 = System.nanoTime();
                var done = j.insertOrderWritten(order(ClientOrderIds.of(j.idPrefix(), seq), j.runNo(), seq, "BTCUSDT", i));
                long t1 = System.nanoTime();
                done.get(10, TimeUnit.SECONDS);
                long t2 = System.nanoTime();
                if (i >= 50) {
                    written.recordValue((t1 - t0) / 1000);
                    durable.recordValue((t2 - t0) / 1000);
                }
            }
            assertThat(j.allOrders().get(10, TimeUnit.SECONDS)).hasSize(n + 50);
        }
        return new long[] {written.getValueAtPercentile(50), written.getValueAtPercentile(99),
                durable.getValueAtPercentile(50), durable.getValueAtPercentile(99)};
    }
}
