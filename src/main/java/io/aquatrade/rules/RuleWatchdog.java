package io.aquatrade.rules;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watches the trading engine's evaluations from a thread of its own: one that runs past
 * {@code rules.watchdog_deadline_ms} (a consequence stuck in a loop holds the pipeline thread) is reported
 * once to the handler, which acts through paths that do not need that thread (the kill switch's order
 * gate, notices, /health). The session is asked to halt, which ends a consequence that merely runs long;
 * the pipeline thread itself is never interrupted or stopped, since it owns the journal and the books.
 */
public final class RuleWatchdog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RuleWatchdog.class);

    /** One evaluation past its deadline, as seen from the watchdog. */
    public record Overrun(long evaluation, String rule, String location, long runningMs, long deadlineMs,
                          String thread) {

        /** One line for notices, logs and /health. */
        public String describe() {
            return "rule evaluation #" + evaluation + " has run for " + runningMs + " ms (rules.watchdog_deadline_ms "
                    + deadlineMs + "): " + (rule == null ? "no rule had fired yet (a condition is being evaluated)"
                    : "rule \"" + rule + "\"" + (location == null ? "" : " (" + location + ")")) + " on thread " + thread;
        }
    }

    private final EvaluationWatch watch;
    private final long deadlineMs;
    private final Consumer<Overrun> onOverrun;
    private final ScheduledExecutorService timer;
    private long reportedEvaluation = -1; // watchdog thread only
    private volatile Overrun stuck;

    /**
     * @param watch      the trading engine's watch
     * @param deadlineMs longest one evaluation may run
     * @param onOverrun  told once per stuck evaluation, on the watchdog's thread
     */
    public RuleWatchdog(EvaluationWatch watch, long deadlineMs, Consumer<Overrun> onOverrun) {
        if (deadlineMs < 1) {
            throw new IllegalArgumentException("deadlineMs must be >= 1, got " + deadlineMs);
        }
        this.watch = Objects.requireNonNull(watch, "watch");
        this.deadlineMs = deadlineMs;
        this.onOverrun = Objects.requireNonNull(onOverrun, "onOverrun");
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rules-watchdog");
            t.setDaemon(true);
            return t;
        });
    }

    public RuleWatchdog start() {
        long period = Math.max(10, Math.min(1000, deadlineMs / 4));
        timer.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Looks once (the timer calls this); public for a caller that wants a check now. */
    void check() {
        try {
            long running = watch.runningNanos(System.nanoTime());
            if (running < 0) {
                stuck = null; // the evaluation ended after all (a slow one): nothing is stuck now
                return;
            }
            long ms = TimeUnit.NANOSECONDS.toMillis(running);
            if (ms <= deadlineMs || watch.evaluation() == reportedEvaluation) {
                return;
            }
            reportedEvaluation = watch.evaluation();
            Thread t = watch.thread();
            Overrun o = new Overrun(watch.evaluation(), watch.rule(), watch.location(), ms, deadlineMs,
                    t == null ? "?" : t.getName());
            stuck = o;
            watch.halt();
            LOG.error("{}; halting trading", o.describe());
            onOverrun.accept(o);
        } catch (Throwable t) {
            LOG.error("rules watchdog check failed", t); // keep watching
        }
    }

    /** The evaluation stuck past its deadline now, or null. */
    public Overrun stuck() {
        return stuck;
    }

    public long deadlineMs() {
        return deadlineMs;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
