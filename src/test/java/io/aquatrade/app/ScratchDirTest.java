package io.aquatrade.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo's unpacked data does not outlive a kill -9: the next start removes it, and only it. */
class ScratchDirTest {

    private static Path leftover(Path root, String prefix, long pid, long start) throws Exception {
        Path d = Files.createDirectory(root.resolve(prefix + "-p" + pid + "-s" + start + "-12345"));
        Files.writeString(d.resolve("BTCUSDT-1m.csv"), "open_time_ms,open,high,low,close,volume\n");
        return d;
    }

    @Test
    void theDemosLeftoversOfAKilledRunAreRemovedOnTheNextStartAndALiveRunsAreKept() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Process owner = new ProcessBuilder("sleep", "120").start();
        try {
            long start = owner.toHandle().info().startInstant().map(Instant::toEpochMilli).orElse(0L);
            Path left = leftover(tmp, "aquatrade-demo", owner.pid(), start);

            Path first = DemoCommand.extractDemoData();
            assertThat(left).as("the owner still runs").isDirectory();

            owner.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no cleanup
            Path second = DemoCommand.extractDemoData();

            assertThat(left).doesNotExist();
            assertThat(first).isDirectory(); // this JVM's own, still in use
            assertThat(second).isDirectory();
            assertThat(second.getFileName().toString()).contains("-p" + ProcessHandle.current().pid() + "-");
        } finally {
            owner.destroyForcibly();
        }
    }

    @Test
    void aLiveRunsDirectoryAndAReusedPidAreToldApart(@TempDir Path root) throws Exception {
        ProcessHandle me = ProcessHandle.current();
        long myStart = me.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        Path live = leftover(root, "aquatrade-demo", me.pid(), myStart);
        Path reused = leftover(root, "aquatrade-demo", me.pid(), myStart - 60_000); // same pid, earlier process
        Path otherPrefix = leftover(root, "aquatrade-bench", 999_999_999L, 1);
        Path legacyFresh = Files.createDirectory(root.resolve("aquatrade-demo-4711"));
        Path legacyOld = Files.createDirectory(root.resolve("aquatrade-demo-4712"));
        Files.setLastModifiedTime(legacyOld, FileTime.from(Instant.now().minus(ScratchDir.UNOWNED_MAX_AGE).minusSeconds(60)));

        Path created = ScratchDir.create(root, "aquatrade-demo");

        assertThat(live).isDirectory();
        assertThat(reused).doesNotExist();
        assertThat(otherPrefix).isDirectory();
        assertThat(legacyFresh).isDirectory();
        assertThat(legacyOld).doesNotExist();
        assertThat(created).isDirectory();
        assertThat(ScratchDir.sweep(root, "aquatrade-demo")).isZero(); // its own directory is live
    }
}
