package io.aquatrade.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** SIGTERM to a running bot (the demo, in its own JVM): entries stop, the run and its journal close, exit 0. */
class GracefulStopTest {

    @TempDir
    Path dir;

    @Test
    void sigtermStopsTheRunClosesTheJournalAndExitsZero() throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", classpath, "-Dhazelcast.logging.type=slf4j", "io.aquatrade.app.Main", "demo",
                "--speed", "1", "--port", "0", "--out", dir.resolve("out").toString(),
                "--set", "state.port=" + (20000 + (int) (ProcessHandle.current().pid() % 20000)),
                "--set", "rules.watch=false"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        CompletableFuture<Void> started = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (out) {
                        out.append(line).append('\n');
                    }
                    if (line.contains("Replaying")) {
                        started.complete(null);
                    }
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        reader.start();
        try {
            started.get(120, TimeUnit.SECONDS);
            Thread.sleep(1500);
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("stopped within the grace period").isTrue();
            reader.join(5000);
            String log;
            synchronized (out) {
                log = out.toString();
            }
            assertThat(p.exitValue()).as(log).isZero();
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
            p.destroyForcibly();
        }
    }
}
