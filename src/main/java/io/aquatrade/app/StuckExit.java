package io.aquatrade.app;

import io.aquatrade.rules.RuleWatchdog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The restart after a stuck rule evaluation. The watchdog halts trading and fails /health, but Docker's
 * {@code restart: unless-stopped} restarts a container on exit only, and the pipeline thread held by the
 * rule never comes back. So once the evaluation has stayed stuck for {@code ops.stuck_exit_after_ms}, the
 * process writes down what it can without that thread (bounded), then exits with {@link #EXIT_CODE}; the
 * JVM's shutdown hooks get a bounded time and then the JVM is halted, since a hook that waits for the
 * stuck thread would wait forever. The kill switch's HALTED was persisted when the watchdog tripped, so
 * the restarted bot comes back halted and a restart loop with a hanging rule never trades.
 */
final class StuckExit implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StuckExit.class);

    /** The exit status of a process that ended because a rule evaluation stayed stuck (sysexits' EX_SOFTWARE). */
    static final int EXIT_CODE = 70;
    /** Longest the write-down (notice, journal stop row and checkpoint) may take before the exit goes ahead. */
    static final long WRITE_DOWN_BOUND_MS = 10_000;
    /** Longest the JVM's shutdown hooks may run after {@link System#exit}; then {@link Runtime#halt}. */
    static final long SHUTDOWN_HOOKS_BOUND_MS = 10_000;

    /** Ends the process with a status. */
    interface ProcessExit {
        void exit(int status);
    }

    private static volatile boolean armed;

    /** The command line arms the exit: a run inside another program (tests, an IDE) never ends its JVM. */
    static void arm() {
        armed = true;
    }

    /** {@link System#exit}, with {@link Runtime#halt} after {@link #SHUTDOWN_HOOKS_BOUND_MS}; or, unarmed, a log line. */
    static ProcessExit processExit() {
        return status -> {
            if (!armed) {
                log.error("would exit with status {} now, but this run is not the command line's: the process stays", status);
                return;
            }
            Thread halter = new Thread(() -> {
                try {
                    Thread.sleep(SHUTDOWN_HOOKS_BOUND_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                log.error("shutdown hooks still running after {} ms (a hook waits for the stuck thread): halting, status {}",
                        SHUTDOWN_HOOKS_BOUND_MS, status);
                Runtime.getRuntime().halt(status);
            }, "stuck-exit-halt");
            halter.setDaemon(true);
            halter.start();
            System.exit(status);
        };
    }

    private final long afterMs;
    private final Supplier<RuleWatchdog.Overrun> stuck;
    private final Consumer<RuleWatchdog.Overrun> writeDown;
    private final ProcessExit exit;
    private final ScheduledExecutorService timer;

    /**
     * @param afterMs   how long an evaluation may stay stuck after the watchdog tripped; 0 = never exit
     * @param stuck     the evaluation stuck now, or null (the watchdog's view)
     * @param writeDown what the run writes before the exit; must not need the pipeline thread
     * @param exit      ends the process
     */
    StuckExit(long afterMs, Supplier<RuleWatchdog.Overrun> stuck, Consumer<RuleWatchdog.Overrun> writeDown, ProcessExit exit) {
        if (afterMs < 0) {
            throw new IllegalArgumentException("afterMs must be >= 0, got " + afterMs);
        }
        this.afterMs = afterMs;
        this.stuck = Objects.requireNonNull(stuck, "stuck");
        this.writeDown = Objects.requireNonNull(writeDown, "writeDown");
        this.exit = Objects.requireNonNull(exit, "exit");
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stuck-exit");
            t.setDaemon(true);
            return t;
        });
    }

    long afterMs() {
        return afterMs;
    }

    /** The watchdog tripped on this evaluation: exit if it is still the one stuck {@code afterMs} from now. */
    void onOverrun(RuleWatchdog.Overrun o) {
        if (afterMs == 0) {
            log.warn("ops.stuck_exit_after_ms is 0: the process stays up with the trading thread stuck; restart it by hand");
            return;
        }
        try {
            timer.schedule(() -> fire(o), afterMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("run closing: no stuck exit scheduled");
        }
    }

    private void fire(RuleWatchdog.Overrun tripped) {
        RuleWatchdog.Overrun now = stuck.get();
        if (now == null || now.evaluation() != tripped.evaluation()) {
            log.warn("rule evaluation #{} ended within ops.stuck_exit_after_ms ({} ms): no exit; the kill switch stays HALTED "
                    + "until resumed", tripped.evaluation(), afterMs);
            return;
        }
        log.error("{}; still stuck {} ms after trading was halted (ops.stuck_exit_after_ms): exiting with status {} so "
                + "the restart policy restarts the bot", now.describe(), afterMs, EXIT_CODE);
        Thread writer = new Thread(() -> writeDown.accept(now), "stuck-exit-write-down");
        writer.setDaemon(true);
        writer.start();
        try {
            writer.join(WRITE_DOWN_BOUND_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // the run is closing
        }
        if (writer.isAlive()) {
            log.error("the write-down before the exit did not finish within {} ms: exiting without it", WRITE_DOWN_BOUND_MS);
        }
        exit.exit(EXIT_CODE);
    }

    /** No exit from now on (the run is closing by itself). */
    @Override
    public void close() {
        timer.shutdownNow();
    }
}
