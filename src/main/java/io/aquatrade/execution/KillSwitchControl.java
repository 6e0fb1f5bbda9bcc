package io.aquatrade.execution;

import io.aquatrade.model.KillSwitchLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The operator's handle on the graded kill switch of an {@link ExecutionService}: ACTIVE trades, REDUCING
 * sends exits only, HALTED sends no order at all. Three ways set it, one state results:
 * <ul>
 *   <li>the rules, with a {@code KILL_REDUCING}/{@code KILL_HALTED} RiskEvent (they can only tighten);</li>
 *   <li>the control API ({@link #kill}, {@link #resume}), e.g. {@code POST /api/kill}, {@code POST /api/resume};</li>
 *   <li>the kill file ({@code risk.kill_switch_file}): creating it sets the level its content names
 *       ({@code REDUCING} or {@code HALTED}; empty or anything else = HALTED). Removing it does <b>not</b>
 *       resume: a stray delete must not restart trading. While it exists, {@link #resume} is refused.</li>
 * </ul>
 * Every change, whatever its source, is written to the state file ({@code risk.kill_switch_state_file}) and
 * restored at the next start, so a halted bot comes back halted. An unreadable state file restores HALTED.
 *
 * <p>Thread-safe: every method may be called from any thread (an HTTP event loop included). A change from the
 * API or the kill file is in force at the order gate ({@link KillSwitchGate}) at once, without the pipeline
 * thread (which may be stuck), and is written and fsync'd to the state file before {@link #kill} and
 * {@link #resume} complete; the pipeline records it (halts, notices) when it next runs. File I/O runs on this
 * control's own thread.
 */
public final class KillSwitchControl implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KillSwitchControl.class);

    /** How often the kill file is looked for. */
    public static final long DEFAULT_POLL_MS = 250;
    private static final int MAX_KILL_FILE_BYTES = 4096;

    private final ExecutionService execution;
    private final Executor pipeline;
    private final Path stateFile;
    private final Path killFile;
    private final long pollMs;
    private final ScheduledExecutorService io;
    private volatile KillSwitchState current;
    private volatile boolean restoring;
    private volatile Thread ioThread;
    private volatile boolean recording; // the pipeline records a change this control already persisted
    private volatile boolean closed;
    // written on the io thread only
    private volatile boolean killFileSeen;
    private String killFileContent;

    /**
     * @param execution the service whose switch this controls; its kill switch listener is taken over
     * @param pipeline  runs tasks on the pipeline's thread
     * @param stateFile where the level is persisted, or null for none (replay)
     * @param killFile  the kill file to watch, or null for none (replay)
     * @param pollMs    how often to look for the kill file
     */
    public KillSwitchControl(ExecutionService execution, Executor pipeline, Path stateFile, Path killFile, long pollMs) {
        this.execution = Objects.requireNonNull(execution, "execution");
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.stateFile = stateFile == null ? null : stateFile.toAbsolutePath().normalize();
        this.killFile = killFile == null ? null : killFile.toAbsolutePath().normalize();
        this.pollMs = pollMs;
        this.io = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kill-switch");
            ioThread = t;
            t.setDaemon(true);
            return t;
        });
        this.current = new KillSwitchState(KillSwitchLevel.ACTIVE, null, null, null, 0, path(this.killFile), false,
                path(this.stateFile));
        execution.addObserver(new ExecutionService.Observer() {
            @Override
            public void onKillSwitch(KillSwitchLevel from, KillSwitchLevel to, String cause, String source) {
                onChange(from, to, cause, source, execution.now());
            }
        });
    }

    private static String path(Path p) {
        return p == null ? null : p.toString();
    }

    /**
     * Restores the persisted level, applies a kill file that already exists (when it is stricter), and starts
     * watching the kill file. Call once, before trading starts, from a thread other than the pipeline's: it
     * waits until the restored level is in force.
     */
    public KillSwitchState start() {
        KillSwitchState restored = readStateFile();
        if (restored != null) {
            current = restored;
            if (restored.level() != KillSwitchLevel.ACTIVE) {
                restoring = true;
                try {
                    onPipeline(() -> execution.setKillSwitch(restored.level(), "restored at start: "
                            + restored.cause() + " (set " + restored.since() + " by " + restored.source() + ")",
                            "start")).join();
                } finally {
                    restoring = false;
                }
                log.warn("Kill switch restored from {}: {} since {} ({}: {})", stateFile, restored.level(),
                        restored.since(), restored.source(), restored.cause());
            }
        }
        if (killFile != null) {
            CompletableFuture.runAsync(() -> checkKillFile(true), io).join();
            io.scheduleWithFixedDelay(() -> checkKillFile(false), pollMs, pollMs, TimeUnit.MILLISECONDS);
        }
        return current;
    }

    // ------------------------------------------------------------------ control API

    /**
     * Sets the kill switch to REDUCING (exits only) or HALTED (no orders). Returns at once; completes with the
     * new state once it is in force on the pipeline.
     *
     * @param source who asked, e.g. {@code "api"} or {@code "operator 127.0.0.1"}
     */
    public CompletableFuture<KillSwitchState> kill(KillSwitchLevel level, String cause, String source) {
        Objects.requireNonNull(level, "level");
        if (level == KillSwitchLevel.ACTIVE) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("kill needs REDUCING or HALTED; use resume"));
        }
        return applyAtGate(level, text(cause, "kill switch " + level), text(source, "api"));
    }

    /**
     * Sets the level at the order gate now, persists it (written and fsync'd), and completes then; the
     * pipeline's record of the change (halts, notices, the status page) follows when it runs. A persistence
     * failure fails the future, but the level is in force all the same.
     */
    private CompletableFuture<KillSwitchState> applyAtGate(KillSwitchLevel level, String cause, String source) {
        KillSwitchLevel from = execution.killSwitchGate().set(level);
        long now = System.currentTimeMillis();
        KillSwitchState s = new KillSwitchState(level, cause, source, Instant.ofEpochMilli(now).toString(), now,
                path(killFile), killFile != null && killFileSeen, path(stateFile));
        current = s;
        onPipeline(() -> {
            recording = true;
            try {
                execution.recordKillSwitch(from, level, cause, source);
            } finally {
                recording = false;
            }
        });
        if (stateFile == null) {
            return CompletableFuture.completedFuture(s);
        }
        CompletableFuture<KillSwitchState> persisted = new CompletableFuture<>();
        Runnable write = () -> {
            try {
                writeStateFileOrThrow(s);
                persisted.complete(s);
            } catch (IOException | RuntimeException e) {
                log.error("Cannot persist the kill switch ({}) to {}: {}", s.level(), stateFile, e.toString());
                persisted.completeExceptionally(new IllegalStateException("kill switch " + level
                        + " is in force but could not be persisted to " + stateFile + ": " + e, e));
            }
        };
        if (Thread.currentThread() == ioThread) {
            write.run(); // the kill file watcher: already on the I/O thread
            return persisted;
        }
        try {
            io.execute(write);
        } catch (RejectedExecutionException e) {
            write.run();
        }
        return persisted;
    }

    /**
     * Back to ACTIVE. Refused (the future fails with {@link KillSwitchRefusedException}) while the kill file
     * exists: remove it first.
     */
    public CompletableFuture<KillSwitchState> resume(String cause, String source) {
        if (killFile != null && Files.exists(killFile)) {
            return CompletableFuture.failedFuture(new KillSwitchRefusedException("the kill file " + killFile
                    + " exists: remove it first; while it exists the kill switch stays " + current.level()));
        }
        return applyAtGate(KillSwitchLevel.ACTIVE, text(cause, "resumed"), text(source, "api"));
    }

    /** The level in force (as of the last change on the pipeline). */
    public KillSwitchLevel level() {
        return current.level();
    }

    /** The full picture: level, who set it, when and why, the kill file and the state file. */
    public KillSwitchState state() {
        KillSwitchState s = current;
        return new KillSwitchState(s.level(), s.cause(), s.source(), s.since(), s.sinceMs(), s.killFile(),
                killFileSeen, s.stateFile());
    }

    private static String text(String s, String dflt) {
        return s == null || s.isBlank() ? dflt : s;
    }

    private CompletableFuture<Void> onPipeline(Runnable r) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        try {
            pipeline.execute(() -> {
                try {
                    r.run();
                    f.complete(null);
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(new IllegalStateException("the pipeline is not running", e));
        }
        return f;
    }

    // ------------------------------------------------------------------ changes

    /** On the pipeline thread, for every change whatever its source. */
    private void onChange(KillSwitchLevel from, KillSwitchLevel to, String cause, String source, long clockMs) {
        if (restoring || recording) {
            return; // the state file already says so, with the original cause and time
        }
        long now = System.currentTimeMillis();
        KillSwitchState s = new KillSwitchState(to, cause, source, Instant.ofEpochMilli(now).toString(), now,
                path(killFile), killFile != null && killFileSeen, path(stateFile));
        current = s;
        if (stateFile != null && !closed) {
            try {
                io.execute(() -> writeStateFile(s));
            } catch (RejectedExecutionException e) {
                writeStateFile(s);
            }
        }
    }

    private void checkKillFile(boolean atStart) {
        if (closed) {
            return;
        }
        try {
            boolean present = Files.isRegularFile(killFile);
            if (!present) {
                if (killFileSeen) {
                    log.warn("Kill file {} removed; the kill switch stays {} until resumed through the control API",
                            killFile, current.level());
                }
                killFileSeen = false;
                killFileContent = null;
                return;
            }
            String content = readKillFile();
            if (killFileSeen && content.equals(killFileContent)) {
                return;
            }
            killFileSeen = true;
            killFileContent = content;
            KillSwitchLevel level = levelOf(content);
            if (atStart && severity(level) <= severity(current.level())) {
                return;
            }
            String cause = "kill file " + killFile + (content.isEmpty() ? " (empty: HALTED)"
                    : levelName(content) == null ? " (unrecognised content '" + abbreviate(content) + "': HALTED)"
                    : " says " + level);
            log.warn("{}", cause);
            CompletableFuture<KillSwitchState> applied = applyAtGate(level, cause, "kill_file");
            if (atStart) {
                applied.join();
            }
        } catch (RuntimeException | IOException e) {
            log.error("Checking the kill file {}: {}", killFile, e.toString());
        }
    }

    private String readKillFile() throws IOException {
        try (InputStream in = Files.newInputStream(killFile)) {
            byte[] b = in.readNBytes(MAX_KILL_FILE_BYTES);
            return new String(b, StandardCharsets.UTF_8).trim();
        }
    }

    /** REDUCING or HALTED as the kill file names it; empty or anything else is HALTED (the safe reading). */
    static KillSwitchLevel levelOf(String content) {
        KillSwitchLevel l = levelName(content);
        return l == KillSwitchLevel.REDUCING ? KillSwitchLevel.REDUCING : KillSwitchLevel.HALTED;
    }

    private static KillSwitchLevel levelName(String content) {
        String first = content.strip().split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
        return switch (first) {
            case "REDUCING" -> KillSwitchLevel.REDUCING;
            case "HALTED" -> KillSwitchLevel.HALTED;
            default -> null;
        };
    }

    private static int severity(KillSwitchLevel l) {
        return l.ordinal();
    }

    private static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ");
        return one.length() <= 40 ? one : one.substring(0, 40) + "...";
    }

    // ------------------------------------------------------------------ state file

    private KillSwitchState readStateFile() {
        if (stateFile == null || !Files.exists(stateFile)) {
            return null;
        }
        try (InputStream in = Files.newInputStream(stateFile)) {
            Properties p = new Properties();
            p.load(in);
            String level = p.getProperty("level");
            if (level == null) {
                throw new IOException("no 'level'");
            }
            KillSwitchLevel l = KillSwitchLevel.valueOf(level.trim().toUpperCase(Locale.ROOT));
            long since = Long.parseLong(p.getProperty("since_ms", "0").trim());
            return new KillSwitchState(l, p.getProperty("cause"), p.getProperty("source"),
                    since == 0 ? null : Instant.ofEpochMilli(since).toString(), since, path(killFile), false,
                    path(stateFile));
        } catch (IOException | IllegalArgumentException e) {
            // Fail safe: a state we cannot read might have been HALTED.
            log.error("Kill switch state file {} is unreadable ({}): starting HALTED; fix or remove the file, "
                    + "then resume through the control API", stateFile, e.getMessage());
            long now = System.currentTimeMillis();
            return new KillSwitchState(KillSwitchLevel.HALTED, "state file " + stateFile + " unreadable: "
                    + e.getMessage(), "start", Instant.ofEpochMilli(now).toString(), now, path(killFile), false,
                    path(stateFile));
        }
    }

    private void writeStateFile(KillSwitchState s) {
        try {
            writeStateFileOrThrow(s);
        } catch (IOException e) {
            log.error("Cannot persist the kill switch ({}) to {}: {}", s.level(), stateFile, e.toString());
        }
    }

    /**
     * Writes the state atomically (temporary file, fsync, rename, fsync of the directory), so a crash never
     * leaves half a file and a level the API confirmed survives a power cut.
     */
    private void writeStateFileOrThrow(KillSwitchState s) throws IOException {
        {
            Path dir = stateFile.getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            Properties p = new Properties();
            p.setProperty("level", s.level().name());
            p.setProperty("cause", s.cause() == null ? "" : s.cause());
            p.setProperty("source", s.source() == null ? "" : s.source());
            p.setProperty("since", s.since() == null ? "" : s.since());
            p.setProperty("since_ms", Long.toString(s.sinceMs()));
            Path tmp = Files.createTempFile(dir == null ? Path.of(".") : dir, ".kill-switch", ".tmp");
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp,
                    java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
                p.store(out, "Aquatrade kill switch: ACTIVE, REDUCING (exits only) or HALTED (no orders). "
                        + "Restored at start.");
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, stateFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, stateFile, StandardCopyOption.REPLACE_EXISTING);
            }
            if (dir != null) {
                try (java.nio.channels.FileChannel d = java.nio.channels.FileChannel.open(dir,
                        java.nio.file.StandardOpenOption.READ)) {
                    d.force(true); // the rename itself is durable
                } catch (IOException e) {
                    log.debug("cannot fsync directory {}: {}", dir, e.toString());
                }
            }
        }
    }

    /** Waits for pending state writes, then stops watching. */
    @Override
    public void close() {
        closed = true;
        io.shutdown();
        try {
            io.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
