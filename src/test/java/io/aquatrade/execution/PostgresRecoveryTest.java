package io.aquatrade.execution;

import io.aquatrade.journal.JournalDatabase;
import io.aquatrade.journal.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.sql.SQLException;

/**
 * {@link RecoveryTest}'s scenarios (stop, restart against an exchange that went on, every kind of disagreement
 * resolved by the exchange's truth) with the journal on a real PostgreSQL server started for this class.
 */
class PostgresRecoveryTest extends RecoveryTest {

    static PostgresServer server;
    private JournalDatabase db;

    @BeforeAll
    static void startServer() throws Exception {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    JournalDatabase journalDb() {
        if (db == null) {
            try {
                db = server.newJournal("recovery");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create the test's database: " + e.getMessage(), e);
            }
        }
        return db;
    }
}
