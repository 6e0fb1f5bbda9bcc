package io.aquatrade.rules;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Notices edits of the rule files and of the config file, and reports each burst of edits once, after the
 * files have been quiet for the settle time (editors save in several steps: a temporary file, a rename, a
 * backup). Two sources, so an edit is never missed: the file system's change notifications (immediate),
 * and a periodic comparison of the files' content hashes (for network and container mounts that send no
 * notifications, or a symlink swapped under the directory). Files that are not rule files are ignored:
 * hidden files, editor swap and backup files, anything not {@code *.drl}, subdirectories (such as
 * {@code tests/}).
 *
 * <p>All of its work but the blocking wait for notifications runs on the given scheduler, which is also
 * where the callback runs: one thread, so a reload never overlaps another.
 */
final class RulesWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RulesWatcher.class);

    private final Path rulesDir;
    private final String displayRoot;
    private final Path configFile;
    private final long settleNanos;
    private final long pollMs;
    private final ScheduledExecutorService scheduler;
    private final Consumer<String> onSettledChange;
    private final boolean notifications;

    private WatchService watchService;
    private Thread watchThread;
    private ScheduledFuture<?> poll;
    private volatile boolean closed;

    // Scheduler thread only.
    private final Set<String> changed = new LinkedHashSet<>();
    private long lastChangeNanos;
    private ScheduledFuture<?> settleCheck;
    private Map<String, String> fingerprint;

    /**
     * @param configFile      the config file to watch too, or null
     * @param onSettledChange called on the scheduler with a trigger text naming the changed files
     */
    RulesWatcher(Path rulesDir, Path configFile, long settleMs, long pollMs, ScheduledExecutorService scheduler,
                 Consumer<String> onSettledChange) {
        this(rulesDir, configFile, settleMs, pollMs, scheduler, onSettledChange, true);
    }

    /** @param notifications use the file system's change notifications (false: content checks only) */
    RulesWatcher(Path rulesDir, Path configFile, long settleMs, long pollMs, ScheduledExecutorService scheduler,
                 Consumer<String> onSettledChange, boolean notifications) {
        this.notifications = notifications;
        this.rulesDir = rulesDir.toAbsolutePath().normalize();
        Path name = this.rulesDir.getFileName();
        this.displayRoot = name == null ? this.rulesDir.toString() : name.toString();
        this.configFile = configFile == null ? null : configFile.toAbsolutePath().normalize();
        this.settleNanos = TimeUnit.MILLISECONDS.toNanos(settleMs);
        this.pollMs = pollMs;
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.onSettledChange = Objects.requireNonNull(onSettledChange, "onSettledChange");
    }

    /** Starts watching; the current files are the baseline (a reload compares with the running rules anyway). */
    void start() {
        fingerprint = fingerprint(); // before the first poll is scheduled: that submission publishes it
        if (notifications) {
            startNotifications();
        }
        poll = scheduler.scheduleWithFixedDelay(this::pollCheck, pollMs, pollMs, TimeUnit.MILLISECONDS);
    }

    private void startNotifications() {
        try {
            watchService = FileSystems.getDefault().newWatchService();
            register(rulesDir);
            if (configFile != null && configFile.getParent() != null && !configFile.getParent().equals(rulesDir)) {
                register(configFile.getParent());
            }
            watchThread = new Thread(this::watchLoop, "rules-watch");
            watchThread.setDaemon(true);
            watchThread.start();
        } catch (IOException e) {
            // The hash comparison below still sees every edit, only later.
            LOG.warn("No file change notifications for {} ({}); checking content hashes every {} ms instead",
                    rulesDir, e.getMessage(), pollMs);
        }
    }

    private void register(Path dir) throws IOException {
        dir.register(watchService, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.OVERFLOW);
    }

    private void watchLoop() {
        while (!closed) {
            WatchKey key;
            try {
                key = watchService.take();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            Path dir = (Path) key.watchable();
            List<String> relevant = new ArrayList<>();
            for (WatchEvent<?> ev : key.pollEvents()) {
                if (ev.kind() == StandardWatchEventKinds.OVERFLOW) {
                    relevant.add("(events overflowed)");
                    continue;
                }
                Path file = dir.resolve((Path) ev.context()).toAbsolutePath().normalize();
                String what = describe(file);
                if (what != null) {
                    relevant.add(what);
                }
            }
            key.reset();
            if (!relevant.isEmpty() && !closed) {
                scheduler.execute(() -> onChange(relevant));
            }
        }
    }

    /** The display name of a file whose change matters, or null to ignore it. */
    private String describe(Path file) {
        if (configFile != null && file.equals(configFile)) {
            return configFile.getFileName().toString();
        }
        if (rulesDir.equals(file.getParent()) && RuleSetCompiler.isRuleFileName(file.getFileName().toString())) {
            return displayRoot + "/" + file.getFileName();
        }
        return null;
    }

    private void pollCheck() {
        if (closed) {
            return;
        }
        Map<String, String> now = fingerprint();
        Map<String, String> before = fingerprint;
        fingerprint = now;
        if (before == null || before.equals(now)) {
            return;
        }
        List<String> diff = new ArrayList<>();
        for (String k : now.keySet()) {
            if (!now.get(k).equals(before.get(k))) {
                diff.add(k);
            }
        }
        for (String k : before.keySet()) {
            if (!now.containsKey(k)) {
                diff.add(k);
            }
        }
        onChange(diff);
    }

    private void onChange(List<String> files) {
        if (closed) {
            return;
        }
        changed.addAll(files);
        lastChangeNanos = System.nanoTime();
        if (settleCheck == null || settleCheck.isDone()) {
            settleCheck = scheduler.schedule(this::settleCheck, settleNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Fires the callback once the files have been quiet for the settle time, else checks again when they may be. */
    private void settleCheck() {
        if (closed) {
            return;
        }
        long quiet = System.nanoTime() - lastChangeNanos;
        if (quiet < settleNanos) {
            settleCheck = scheduler.schedule(this::settleCheck, settleNanos - quiet, TimeUnit.NANOSECONDS);
            return;
        }
        // The reload reads the files now: take them as the poll's baseline so it does not report this edit again.
        fingerprint = fingerprint();
        String trigger = "file change: " + String.join(", ", changed);
        changed.clear();
        settleCheck = null;
        onSettledChange.accept(trigger);
    }

    /** Content hash of every rule file and of the config file, by display name. */
    private Map<String, String> fingerprint() {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> list = Files.list(rulesDir)) {
            for (Path p : list.sorted().toList()) {
                String n = p.getFileName().toString();
                if (RuleSetCompiler.isRuleFileName(n) && Files.isRegularFile(p)) {
                    m.put(displayRoot + "/" + n, hash(p));
                }
            }
        } catch (IOException e) {
            m.put(displayRoot, "unlistable: " + e.getMessage());
        }
        if (configFile != null) {
            m.put(configFile.getFileName().toString(), Files.isRegularFile(configFile) ? hash(configFile) : "missing");
        }
        return m;
    }

    private static String hash(Path p) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(Files.readAllBytes(p)));
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean notificationsActive() {
        return watchThread != null && watchThread.isAlive();
    }

    @Override
    public void close() {
        closed = true;
        if (poll != null) {
            poll.cancel(false);
        }
        if (watchService != null) {
            try {
                watchService.close();
            } catch (IOException e) {
                LOG.debug("closing the watch service: {}", e.toString());
            }
        }
        if (watchThread != null) {
            watchThread.interrupt();
        }
    }
}
