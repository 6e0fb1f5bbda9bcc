package io.aquatrade.app;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.util.concurrent.Executor;

/**
 * Hosts the {@link TradingPipeline} on one worker context (deployed with the WORKER threading model): every
 * market event, decision, order and fill of the run happens on it, one task at a time, in order. Not an event
 * loop: a rule evaluation runs on it, and one that hangs must not stall the ops server's or the venue's I/O. Publishes the status picture on a timer.
 */
final class PipelineVerticle extends VerticleBase {

    private final Runnable publishStatus;
    private final long statusIntervalMs;
    private long timer = -1;

    PipelineVerticle(Runnable publishStatus, long statusIntervalMs) {
        this.publishStatus = publishStatus;
        this.statusIntervalMs = statusIntervalMs;
    }

    @Override
    public Future<?> start() {
        timer = vertx.setPeriodic(statusIntervalMs, id -> publishStatus.run());
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        return Future.succeededFuture();
    }

    /** Runs tasks on the pipeline's context, in submission order. */
    Executor executor() {
        return task -> context.runOnContext(v -> task.run());
    }
}
