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

    @Override
    void failFillsListedInTestFailingFill(java.sql.Statement st) throws SQLException {
        st.executeUpdate("CREATE OR REPLACE FUNCTION test_failing_fill() RETURNS trigger AS $$ BEGIN"
                + " IF EXISTS (SELECT 1 FROM test_failing_fill WHERE client_order_id = NEW.client_order_id) THEN"
                + " RAISE EXCEPTION 'disk I/O error (test)'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql");
        st.executeUpdate("CREATE OR REPLACE TRIGGER test_failing_fill BEFORE INSERT ON journal_fill FOR EACH ROW"
                + " EXECUTE FUNCTION test_failing_fill()");
    }

    @Override
    void failOrderChangesListedInTestFailingFill(java.sql.Statement st) throws SQLException {
        st.executeUpdate("CREATE OR REPLACE FUNCTION test_failing_fill() RETURNS trigger AS $$ BEGIN"
                + " IF EXISTS (SELECT 1 FROM test_failing_fill WHERE client_order_id = NEW.client_order_id) THEN"
                + " RAISE EXCEPTION 'disk I/O error (test)'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql");
        st.executeUpdate("CREATE OR REPLACE TRIGGER test_failing_order BEFORE UPDATE ON journal_order FOR EACH ROW"
                + " EXECUTE FUNCTION test_failing_fill()");
        st.executeUpdate("CREATE OR REPLACE TRIGGER test_failing_order_event BEFORE INSERT ON journal_order_event"
                + " FOR EACH ROW EXECUTE FUNCTION test_failing_fill()");
    }

    @Override
    String dropTriggerOn(String table) {
        return " ON " + table;
    }
}
