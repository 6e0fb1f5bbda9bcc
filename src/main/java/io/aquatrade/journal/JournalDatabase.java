package io.aquatrade.journal;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.config.ConfigException;
import io.aquatrade.config.ConfigKeys;
import io.aquatrade.exchange.binance.Secret;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Where the journal lives, and the only place that knows one database from the other: {@link Journal}, {@link
 * JournalReader}, recovery and {@code aquatrade journal} run the same portable SQL on both.
 *
 * <ul>
 *   <li>{@link #sqlite(Path)}, the default: a file (its folder made on first open), {@code journal_mode=WAL}, the
 *       writer's commits go into the WAL and the writer fsyncs the WAL after each one, outside the connection's
 *       lock ({@link Durability}), with passive checkpoints on a second connection.</li>
 *   <li>{@link #postgres}: a server behind {@code jdbc:postgresql://host:port/database}; a commit is durable when
 *       it returns ({@code synchronous_commit=on} is set for the writer's session, whatever the server's default),
 *       so there is nothing to fsync after it.</li>
 * </ul>
 * The password never comes from a file in the repository: {@code journal.password_env} names the environment
 * variable holding it, and no message, log line or {@link #toString()} shows it.
 */
public abstract sealed class JournalDatabase permits JournalDatabase.Sqlite, JournalDatabase.Postgres {

    private static final Logger log = LoggerFactory.getLogger(JournalDatabase.class);
    static final String POSTGRES_PREFIX = "jdbc:postgresql://";
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** The SQLite journal in {@code file}. */
    public static JournalDatabase sqlite(Path file) {
        return new Sqlite(file);
    }

    /**
     * A PostgreSQL journal.
     *
     * @param url      {@code jdbc:postgresql://host[:port]/database}, without a password
     * @param password null when the server asks for none
     */
    public static JournalDatabase postgres(String url, String user, Secret password) {
        return new Postgres(url, user, password);
    }

    /**
     * The journal the configuration names: {@code journal.url} empty = SQLite at {@code journal.path}; a
     * {@code jdbc:postgresql://} URL = that server, as {@code journal.user}, with the password in the environment
     * variable that {@code journal.password_env} names (empty = no password).
     *
     * @param env the process's environment ({@link System#getenv()})
     * @throws ConfigException naming the key (and where its value came from) when a value is unusable
     */
    public static JournalDatabase fromConfig(AquatradeConfig config, Map<String, String> env) {
        String url = config.string(ConfigKeys.JOURNAL_URL).trim();
        if (url.isEmpty()) {
            return sqlite(Path.of(config.string(ConfigKeys.JOURNAL_PATH)));
        }
        String at = " (" + config.where(ConfigKeys.JOURNAL_URL) + ")";
        checkPostgresUrl(url, at);
        String user = config.string(ConfigKeys.JOURNAL_USER).trim();
        if (user.isEmpty()) {
            throw new ConfigException(ConfigKeys.JOURNAL_USER + " must name the database user when "
                    + ConfigKeys.JOURNAL_URL + " is a PostgreSQL URL" + at);
        }
        String var = config.string(ConfigKeys.JOURNAL_PASSWORD_ENV).trim();
        Secret password = null;
        if (!var.isEmpty()) {
            String pwAt = " (" + config.where(ConfigKeys.JOURNAL_PASSWORD_ENV) + ")";
            if (!ENV_NAME.matcher(var).matches()) {
                throw new ConfigException(ConfigKeys.JOURNAL_PASSWORD_ENV + " must be the name of an environment variable"
                        + " (letters, digits, _), got '" + var + "'" + pwAt);
            }
            String value = env.get(var);
            if (value == null || value.isBlank()) {
                throw new ConfigException(ConfigKeys.JOURNAL_PASSWORD_ENV + " names the environment variable " + var
                        + ", which is not set or empty: set it to the password of " + ConfigKeys.JOURNAL_USER + " '" + user
                        + "', or set " + ConfigKeys.JOURNAL_PASSWORD_ENV + " to \"\" for a server that asks for none" + pwAt);
            }
            password = Secret.of(value.strip(), "env " + var);
        }
        return postgres(url, user, password);
    }

    /** {@code jdbc:postgresql://host[:port][,host[:port]…]/database[?parameters]}, and no password in it. */
    static void checkPostgresUrl(String url, String at) {
        String key = ConfigKeys.JOURNAL_URL;
        if (!url.startsWith(POSTGRES_PREFIX)) {
            throw new ConfigException(key + " must be empty (SQLite at " + ConfigKeys.JOURNAL_PATH + ") or "
                    + POSTGRES_PREFIX + "host:port/database, got '" + url + "'" + at);
        }
        String rest = url.substring(POSTGRES_PREFIX.length());
        int q = rest.indexOf('?');
        String params = q >= 0 ? rest.substring(q + 1) : "";
        for (String p : params.split("&")) {
            String name = p.contains("=") ? p.substring(0, p.indexOf('=')) : p;
            if (name.trim().toLowerCase(Locale.ROOT).equals("password")) {
                // the value is not repeated: it is the secret that must not be in a config file
                throw new ConfigException(key + " must not hold a password: put it in the environment variable that "
                        + ConfigKeys.JOURNAL_PASSWORD_ENV + " names" + at);
            }
        }
        String hostsAndDb = q >= 0 ? rest.substring(0, q) : rest;
        int slash = hostsAndDb.indexOf('/');
        String hosts = slash >= 0 ? hostsAndDb.substring(0, slash) : hostsAndDb;
        String db = slash >= 0 ? hostsAndDb.substring(slash + 1) : "";
        if (hosts.isEmpty() || db.isEmpty() || db.contains("/")) {
            throw new ConfigException(key + " must be " + POSTGRES_PREFIX + "host:port/database (a host and a database),"
                    + " got '" + url + "'" + at);
        }
        for (String h : hosts.split(",")) {
            int colon = h.lastIndexOf(':');
            String host = colon >= 0 && !h.endsWith("]") ? h.substring(0, colon) : h;
            if (host.isEmpty()) {
                throw new ConfigException(key + ": a host is missing in '" + url + "'" + at);
            }
            if (colon >= 0 && !h.endsWith("]")) {
                String port = h.substring(colon + 1);
                int n;
                try {
                    n = Integer.parseInt(port);
                } catch (NumberFormatException e) {
                    n = -1;
                }
                if (n < 1 || n > 65535) {
                    throw new ConfigException(key + ": port '" + port + "' of host " + host + " must be 1 to 65535, in '"
                            + url + "'" + at);
                }
            }
        }
    }

    /** For messages and logs: the file, or the URL and user (never a password). */
    public abstract String where();

    /** The JDBC URL (without credentials). */
    public abstract String url();

    @Override
    public String toString() {
        return where();
    }

    /**
     * Applies the journal's Flyway migrations ({@code db/journal/V*__*.sql}), creating the schema on first use (and,
     * for SQLite, the file's folder).
     */
    final void migrate() {
        prepareForWriting();
        try {
            Flyway.configure()
                    .dataSource(url(), user(), password())
                    .locations("classpath:db/journal")
                    .table("journal_schema_history")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            throw new JournalException("journal " + where() + ": schema migration failed: " + e.getMessage(), e);
        }
    }

    /** The writer's connection (after {@link #migrate()}): the database's session settings, auto-commit off. */
    final Connection connectWriter() {
        try {
            Connection c = connection();
            try {
                try (Statement st = c.createStatement()) {
                    for (String s : writerSession()) {
                        st.execute(s);
                    }
                }
                c.setAutoCommit(false);
                return c;
            } catch (SQLException | RuntimeException e) {
                Journal.closeQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            throw new JournalException("journal " + where() + ": cannot open: " + e.getMessage(), e);
        }
    }

    /** A reader's connection to an existing journal (auto-commit on). */
    final Connection connectReader() {
        requireExists();
        try {
            return connection();
        } catch (SQLException e) {
            throw new JournalException("journal " + where() + ": cannot open: " + e.getMessage(), e);
        }
    }

    /** What makes the writer's commits durable once they returned, if anything does. */
    abstract Durability durability();

    /** A new connection to the journal's database, with its credentials (auto-commit on; the caller closes it). */
    public final Connection connection() throws SQLException {
        Properties p = new Properties();
        if (user() != null) {
            p.setProperty("user", user());
        }
        if (password() != null) {
            p.setProperty("password", password());
        }
        return DriverManager.getConnection(url(), p);
    }

    abstract String user();

    abstract String password();

    abstract void prepareForWriting();

    abstract void requireExists();

    /** Statements run once on the writer's connection before its first transaction. */
    abstract String[] writerSession();

    /**
     * Makes every commit so far durable against a power cut; called by the writer after each commit (and once at
     * open, for the run's row) and never under the connection's lock.
     */
    interface Durability {
        /**
         * @param withFolder  also the folder entry of a file just created
         * @param rowsWritten rows written so far (housekeeping such as checkpoints may follow their count)
         * @return whether anything was synced (false: the database's own commit already was durable)
         */
        boolean sync(boolean withFolder, long rowsWritten) throws IOException;

        void close();
    }

    // ------------------------------------------------------------------ SQLite

    static final class Sqlite extends JournalDatabase {
        /** SQLite's WAL is copied into the database after this many rows (a few MB of WAL, as SQLite's own default). */
        static final long CHECKPOINT_ROWS = 2_000;

        private final Path file;

        Sqlite(Path file) {
            this.file = file;
        }

        @Override
        public String where() {
            return file.toString();
        }

        @Override
        public String url() {
            return "jdbc:sqlite:" + file.toAbsolutePath();
        }

        @Override
        String user() {
            return null;
        }

        @Override
        String password() {
            return null;
        }

        @Override
        void prepareForWriting() {
            try {
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
            } catch (IOException e) {
                throw new JournalException("journal " + file + ": cannot create its folder: " + e.getMessage(), e);
            }
        }

        @Override
        void requireExists() {
            if (!Files.isRegularFile(file)) {
                throw new JournalException("journal " + file + ": no such file (see journal.path, or pass --journal FILE)");
            }
        }

        @Override
        String[] writerSession() {
            return new String[] {
                "PRAGMA journal_mode=WAL",
                // a commit writes the WAL; the writer fsyncs it right after, outside the lock (see Journal's class doc)
                "PRAGMA synchronous=NORMAL",
                // checkpoints (which fsync) run on the writer's second connection, never inside a commit
                "PRAGMA wal_autocheckpoint=0",
                "PRAGMA busy_timeout=5000"};
        }

        @Override
        Durability durability() {
            return new WalSync();
        }

        /** fsyncs SQLite's WAL file (fsync covers the file's data whatever descriptor wrote it), checkpoints passively. */
        private final class WalSync implements Durability {
            private final Path walFile = Path.of(file.toAbsolutePath() + "-wal");
            /** Opened by the first sync: at open, on the opening thread, before the writer thread's first batch. */
            private volatile FileChannel wal;
            private Connection checkpointConn;
            private long rowsAtCheckpoint;

            @Override
            public boolean sync(boolean withFolder, long rowsWritten) throws IOException {
                if (wal == null) {
                    wal = FileChannel.open(walFile, StandardOpenOption.WRITE);
                }
                wal.force(false);
                if (withFolder) {
                    // the WAL file's own directory entry (new at the first open)
                    try (FileChannel d = FileChannel.open(walFile.getParent(), StandardOpenOption.READ)) {
                        d.force(true);
                    } catch (IOException e) {
                        log.debug("journal {}: folder fsync not supported here: {}", file, e.getMessage());
                    }
                }
                // the WAL file keeps its size once grown: count what was written since the last checkpoint instead
                if (rowsWritten - rowsAtCheckpoint > CHECKPOINT_ROWS) {
                    rowsAtCheckpoint = rowsWritten;
                    checkpoint();
                }
                return true;
            }

            private void checkpoint() {
                try {
                    if (checkpointConn == null) {
                        checkpointConn = connection();
                        checkpointConn.setAutoCommit(true);
                    }
                    try (Statement st = checkpointConn.createStatement()) {
                        // PASSIVE: never blocks the writer or a caller's write; it copies what no reader needs any more
                        st.execute("PRAGMA wal_checkpoint(PASSIVE)");
                    }
                } catch (SQLException e) {
                    log.warn("journal {}: checkpoint failed (retried at the next sync): {}", file, e.getMessage());
                }
            }

            @Override
            public void close() {
                if (wal != null) {
                    try {
                        wal.close();
                    } catch (IOException ignored) {
                        // closing: every batch was fsynced already
                    }
                }
                if (checkpointConn != null) {
                    Journal.closeQuietly(checkpointConn);
                }
            }
        }
    }

    // ------------------------------------------------------------------ PostgreSQL

    static final class Postgres extends JournalDatabase {
        private static final Durability COMMIT_IS_DURABLE = new Durability() {
            @Override
            public boolean sync(boolean withFolder, long rowsWritten) {
                return false;
            }

            @Override
            public void close() {
                // nothing held
            }
        };

        private final String url;
        private final String user;
        private final Secret password;

        Postgres(String url, String user, Secret password) {
            checkPostgresUrl(url, "");
            this.url = url;
            this.user = user;
            this.password = password;
        }

        @Override
        public String where() {
            return url + " (user " + user + ")";
        }

        @Override
        public String url() {
            return url;
        }

        @Override
        String user() {
            return user;
        }

        @Override
        String password() {
            return password == null ? null : password.reveal();
        }

        @Override
        void prepareForWriting() {
            // the database and its user are the operator's; the schema is made by the migrations
        }

        @Override
        void requireExists() {
            // a server answers or not: connecting says which
        }

        @Override
        String[] writerSession() {
            return new String[] {"SET synchronous_commit = on"};
        }

        @Override
        Durability durability() {
            return COMMIT_IS_DURABLE;
        }
    }
}
