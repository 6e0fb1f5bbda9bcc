package io.aquatrade.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A temporary directory owned by this process (the demo's unpacked data, a bench's output). The owner's
 * pid and start time are in the directory's name, so no window exists in which a directory has no owner.
 * Creating one first removes the leftovers of owners that are gone (a {@code kill -9} runs no shutdown
 * hook); a directory whose owner still runs is never touched, and a reused pid is told apart by its start
 * time. The directory is removed at a normal exit.
 */
final class ScratchDir {

    private static final Logger log = LoggerFactory.getLogger(ScratchDir.class);
    private static final Pattern OWNED = Pattern.compile("-p(\\d+)-s(\\d+)-");
    /** A directory of this prefix without an owner in its name (an older version's) is removed after this. */
    static final Duration UNOWNED_MAX_AGE = Duration.ofHours(24);

    private ScratchDir() {
    }

    /** Creates {@code <tmp>/<prefix>-p<pid>-s<start>-<random>} after sweeping dead owners' leftovers. */
    static Path create(String prefix) {
        return create(Path.of(System.getProperty("java.io.tmpdir")), prefix);
    }

    static Path create(Path root, String prefix) {
        sweep(root, prefix);
        try {
            ProcessHandle me = ProcessHandle.current();
            Path dir = Files.createTempDirectory(root, prefix + "-p" + me.pid() + "-s" + startMillis(me) + "-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "scratch-cleanup"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory in " + root + ": " + e.getMessage(), e);
        }
    }

    /** Removes {@code prefix} directories whose owner process is gone; returns how many. */
    static int sweep(Path root, String prefix) {
        int removed = 0;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, prefix + "-*")) {
            for (Path d : dirs) {
                if (Files.isDirectory(d) && !ownerAlive(d) && deleteTree(d)) {
                    log.info("removed {} left by a run that no longer exists", d);
                    removed++;
                }
            }
        } catch (IOException e) {
            log.warn("cannot look for leftovers in {}: {}", root, e.toString());
        }
        return removed;
    }

    private static boolean ownerAlive(Path dir) {
        Matcher m = OWNED.matcher(dir.getFileName().toString());
        if (!m.find()) {
            try {
                FileTime t = Files.getLastModifiedTime(dir);
                return t.toInstant().isAfter(Instant.now().minus(UNOWNED_MAX_AGE));
            } catch (IOException e) {
                return true; // cannot tell: leave it
            }
        }
        long pid = Long.parseLong(m.group(1));
        long start = Long.parseLong(m.group(2));
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isEmpty() || !p.get().isAlive()) {
            return false;
        }
        long actual = startMillis(p.get());
        // the same pid with another start time is a different process that reused the number
        return start == 0 || actual == 0 || actual == start;
    }

    private static long startMillis(ProcessHandle p) {
        return p.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    private static boolean deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return false;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
            return true;
        } catch (IOException | UncheckedIOException e) {
            log.warn("cannot remove {}: {}", dir, e.toString());
            return false;
        }
    }
}
