package io.aquatrade.journal;

import io.aquatrade.exchange.binance.Secret;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for the journal's tests: {@code initdb} into a fresh folder, {@code pg_ctl start} on
 * 127.0.0.1 and a free port (no Unix socket), password authentication (scram-sha-256) for its superuser, stopped
 * and deleted by {@link #close()}. PostgreSQL refuses to run as root: as root, the server runs as {@code nobody}
 * through {@code runuser}. Missing binaries fail the test with what to install: never a skip.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "aquatrade";
    /** A role the server lets in from 127.0.0.1 without a password (trust): for {@code journal.password_env=""}. */
    public static final String TRUSTED_USER = "aquatrade_trusted";
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path dir;
    private final Path bin;
    private final boolean asNobody;
    private final int port;
    private final Secret password;

    private PostgresServer(Path dir, Path bin, boolean asNobody, int port, Secret password) {
        this.dir = dir;
        this.bin = bin;
        this.asNobody = asNobody;
        this.port = port;
        this.password = password;
    }

    /** The folder holding initdb and pg_ctl: $PG_BIN, else Debian's /usr/lib/postgresql/15/bin (or another version). */
    static Path binaries() {
        List<Path> tried = new ArrayList<>();
        String env = System.getenv("PG_BIN");
        if (env != null && !env.isBlank()) {
            tried.add(Path.of(env.strip()));
        }
        tried.add(Path.of("/usr/lib/postgresql/15/bin"));
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                versions.sorted(Comparator.reverseOrder()).forEach(v -> tried.add(v.resolve("bin")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return binaries(tried);
    }

    /** The first of {@code tried} holding initdb and pg_ctl; none: an AssertionError saying what to install. */
    static Path binaries(List<Path> tried) {
        for (Path p : tried) {
            if (Files.isExecutable(p.resolve("initdb")) && Files.isExecutable(p.resolve("pg_ctl"))) {
                return p;
            }
        }
        throw new AssertionError("PostgreSQL server binaries (initdb, pg_ctl) not found in " + tried
                + ": this test needs a real PostgreSQL 15 server. Install it with `apt-get install -y postgresql`"
                + " (.ci/run does), or point PG_BIN at the folder holding initdb and pg_ctl.");
    }

    /** initdb + start; the caller closes it (stop, then the folder is deleted). */
    public static PostgresServer start() throws Exception {
        Path bin = binaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root && !Files.isExecutable(Path.of("/usr/sbin/runuser")) && !Files.isExecutable(Path.of("/sbin/runuser"))) {
            throw new AssertionError("running as root, and PostgreSQL refuses to: runuser (util-linux) is needed to"
                    + " start it as the user nobody");
        }
        Path dir = Files.createTempDirectory("aquatrade-pg-");
        Secret password = Secret.of(HexFormat.of().formatHex(new SecureRandom().generateSeed(16)), "test server");
        Path pwFile = dir.resolve("pw");
        Files.writeString(pwFile, password.reveal() + "\n", StandardCharsets.UTF_8);
        if (root) {
            giveToNobody(dir);
            giveToNobody(pwFile);
        }
        PostgresServer probe = new PostgresServer(dir, bin, root, 0, password);
        try {
            probe.run(120, bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER,
                    "--auth=scram-sha-256", "--pwfile=" + pwFile, "--locale=C.UTF-8", "-E", "UTF8", "--no-sync");
            Files.delete(pwFile);
            // the trusted role first (pg_hba.conf's first matching line wins), every other login by password
            Path hba = dir.resolve("data/pg_hba.conf");
            Files.writeString(hba, "host all " + TRUSTED_USER + " 127.0.0.1/32 trust\n" + Files.readString(hba));
            IOException lastFailure = null;
            for (int attempt = 0; attempt < 3; attempt++) {
                int port = freePort();
                PostgresServer s = new PostgresServer(dir, bin, root, port, password);
                try {
                    s.run(90, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                            dir.resolve("server.log").toString(), "-w", "-t", "60", "-o",
                            "-c listen_addresses=127.0.0.1 -c port=" + port + " -c unix_socket_directories=''",
                            "start");
                    try (Connection c = DriverManager.getConnection(s.url("postgres"), USER, password.reveal());
                         Statement st = c.createStatement()) {
                        st.execute("CREATE ROLE " + TRUSTED_USER + " LOGIN");
                    }
                    return s;
                } catch (IOException e) { // the port was taken in between: another one
                    lastFailure = e;
                }
            }
            throw lastFailure;
        } catch (Exception | AssertionError e) {
            deleteTree(dir);
            throw e;
        }
    }

    public int port() {
        return port;
    }

    /** The superuser's password (random per server). */
    public Secret password() {
        return password;
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** A new, empty database (named after {@code hint}), owned by {@link #USER}: its URL. */
    public String createDatabase(String hint) throws SQLException {
        return createDatabase(hint, USER);
    }

    /** A new, empty database (named after {@code hint}), owned by {@code owner}: its URL. */
    public String createDatabase(String hint, String owner) throws SQLException {
        String name = (hint.replaceAll("[^A-Za-z0-9]", "_") + "_" + DATABASES.incrementAndGet()).toLowerCase();
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, password.reveal());
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name + " OWNER " + owner);
        }
        return url(name);
    }

    /** The journal in a new database of this server. */
    public JournalDatabase newJournal(String hint) throws SQLException {
        return JournalDatabase.postgres(createDatabase(hint), USER, password);
    }

    @Override
    public void close() throws Exception {
        try {
            run(60, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "-t", "30",
                    "stop");
        } finally {
            deleteTree(dir);
        }
    }

    private void run(int timeoutSeconds, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (asNobody) {
            cmd.addAll(List.of("runuser", "-u", "nobody", "--"));
        }
        cmd.addAll(List.of(command));
        Path out = Files.createTempFile("aquatrade-pg-cmd-", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                    .directory(dir.toFile());
            pb.environment().put("LC_ALL", "C.UTF-8");
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not finish within " + timeoutSeconds + " s: "
                        + Files.readString(out) + serverLog());
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + Files.readString(out)
                        + serverLog());
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private String serverLog() throws IOException {
        Path log = dir.resolve("server.log");
        return Files.isRegularFile(log) ? "\nserver log:\n" + Files.readString(log) : "";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void giveToNobody(Path p) throws IOException {
        UserPrincipalLookupService users = p.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
        view.setOwner(users.lookupPrincipalByName("nobody"));
        GroupPrincipal group = users.lookupPrincipalByGroupName("nogroup");
        view.setGroup(group);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
