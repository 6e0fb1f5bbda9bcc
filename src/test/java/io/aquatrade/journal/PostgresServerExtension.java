package io.aquatrade.journal;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real PostgreSQL server per test class: {@code @RegisterExtension static final PostgresServerExtension PG = new
 * PostgresServerExtension();} starts it before the class's first test and stops it after its last.
 */
public final class PostgresServerExtension implements BeforeAllCallback, AfterAllCallback {

    private PostgresServer server;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = PostgresServer.start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    public PostgresServer server() {
        if (server == null) {
            throw new IllegalStateException("the PostgreSQL server runs only inside its test class");
        }
        return server;
    }
}
