package io.aquatrade.rules;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Runs validation work (a compile's dry run, a scenario) on a thread of its own while watching each rule
 * evaluation in it: one that runs past the deadline (a consequence stuck in a loop) ends the work with an
 * {@link EvaluationTimeoutException} naming the rule, so {@code rules validate} returns and a reload keeps
 * the old rules. The stuck thread is halted, interrupted and, on a JVM that still allows it, stopped;
 * failing all that it is left as a daemon and the exception says so.
 */
final class EvaluationDeadline {

    private static final Logger LOG = LoggerFactory.getLogger(EvaluationDeadline.class);
    private static final AtomicLong THREADS = new AtomicLong();
    /** How long a stuck thread gets to end after each attempt to stop it. */
    private static final long STOP_GRACE_MS = 200;

    private EvaluationDeadline() {
    }

    /**
     * Runs {@code work} and returns its result.
     *
     * @param what       what is validated, for messages (e.g. "dry run over sample facts")
     * @param watch      the watch of the engine(s) {@code work} evaluates with
     * @param deadlineMs longest one evaluation may run
     * @throws EvaluationTimeoutException when an evaluation ran past the deadline
     */
    static <T> T call(String what, EvaluationWatch watch, long deadlineMs, Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                result.complete(work.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, "rules-validation-" + THREADS.incrementAndGet());
        worker.setDaemon(true); // never keeps the JVM alive, whatever the rules do
        worker.start();
        long deadlineNanos = TimeUnit.MILLISECONDS.toNanos(deadlineMs);
        long pollMs = Math.max(5, Math.min(50, deadlineMs / 5));
        while (true) {
            try {
                return result.get(pollMs, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                long running = watch.runningNanos(System.nanoTime());
                if (running > deadlineNanos) {
                    throw stuck(what, watch, deadlineMs, worker);
                }
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                worker.interrupt();
                throw new IllegalStateException("interrupted while validating rules (" + what + ")", e);
            }
        }
    }

    private static EvaluationTimeoutException stuck(String what, EvaluationWatch watch, long deadlineMs, Thread worker) {
        String rule = watch.rule();
        // where it hangs, taken before it is stopped: a condition that never returns has no rule fired to name
        StackTraceElement[] stuckAt = worker.getStackTrace();
        String described = watch.describeRule();
        watch.halt();
        worker.interrupt();
        boolean ended = join(worker);
        if (!ended) {
            ended = stop(worker);
        }
        String message = described + " did not finish within " + deadlineMs + " ms (rules.evaluation_deadline_ms) in a "
                + what + ": a consequence that loops or blocks; the evaluation was "
                + (ended ? "stopped" : "abandoned (its thread " + worker.getName() + " could not be stopped)");
        if (!ended) {
            LOG.error("Rule validation thread {} is stuck in {} and could not be stopped; it is left running as a daemon",
                    worker.getName(), described);
        }
        return new EvaluationTimeoutException(message, rule, !ended, stuckAt);
    }

    private static boolean join(Thread t) {
        try {
            t.join(STOP_GRACE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !t.isAlive();
    }

    /**
     * Stops a thread that ignores halt and interrupt. Safe here only because the thread owns nothing but a
     * validation session that is thrown away; the pipeline's thread is never stopped this way.
     */
    @SuppressWarnings({"deprecation", "removal"})
    private static boolean stop(Thread t) {
        try {
            t.stop();
        } catch (UnsupportedOperationException | SecurityException e) {
            return false; // Java 20+: no way to stop it; it stays a daemon
        }
        return join(t);
    }
}
