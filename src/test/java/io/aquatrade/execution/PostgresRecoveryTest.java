package io.aquatrade.execution;

import io.aquatrade.journal.JournalDatabase;
import io.aquatrade.journal.PostgresServerExtension;

import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.SQLException;

/**
 * {@link RecoveryTest}'s scenarios (stop, restart against an exchange that went on, every kind of disagreement
 * resolved by the exchange's truth) with the journal on a real PostgreSQL server started for this class.
 */
class PostgresRecoveryTest extends RecoveryTest {

    @RegisterExtension
    static final PostgresServerExtension PG = new PostgresServerExtension();
    private JournalDatabase db;


    @Override
    JournalDatabase journalDb() {
        if (db == null) {
            try {
                db = PG.server().newJournal("recovery");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create the test's database: " + e.getMessage(), e);
            }
        }
        return db;
    }
}
