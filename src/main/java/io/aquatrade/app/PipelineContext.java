package io.aquatrade.app;

import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.WorkerPool;

import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Hosts the {@link TradingPipeline} on one worker context with a thread of its own: every market event,
 * decision, order and fill of the run happens on it, one task at a time, in order. Not an event loop: a rule
 * evaluation runs on it, and one that hangs must not stall the ops server's or the venue's I/O. Publishes the
 * status picture on a timer.
 */
final class PipelineContext implements AutoCloseable {

    private final Vertx vertx;
    private final PipelineThread thread;
    private final ContextInternal context;
    private final long timer;

    PipelineContext(Vertx vertx, Runnable publishStatus, long statusIntervalMs) {
        this.vertx = vertx;
        // Vert.x 5 has no public way to give a worker context a thread of its own: its internal context builder
        // does; PipelineContextTest pins what the pipeline relies on (one thread, order, callbacks back on it)
        VertxInternal internal = (VertxInternal) vertx;
        this.thread = new PipelineThread();
        this.context = internal.contextBuilder().withThreadingModel(ThreadingModel.WORKER)
                .withWorkerPool(new WorkerPool(thread, null)).build(); // no pool metrics: wrapWorkerPool's need a pool name
        this.timer = context.setPeriodic(statusIntervalMs, id -> publishStatus.run());
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS); // bounded: a stuck rule evaluation never ends
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs tasks on the pipeline's context, in submission order. */
    Executor executor() {
        return task -> context.runOnContext(v -> task.run());
    }

    /**
     * The context's one thread and its queue: always the same thread (warm caches; named "pipeline" in thread
     * dumps and profiles), a lock-free hand-off, and a park only when the queue is empty. Vert.x's shared
     * worker pool would run each idle-to-busy hand-off on whichever of its 20 threads takes it from a locked queue.
     */
    static final class PipelineThread extends AbstractExecutorService {
        private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
        private final Thread thread;
        private volatile boolean parked;
        private volatile boolean shutdown;

        PipelineThread() {
            this.thread = new Thread(this::loop, "pipeline");
            thread.setDaemon(true);
            thread.start();
        }

        private void loop() {
            while (!shutdown) {
                Runnable task = queue.poll();
                if (task == null) {
                    parked = true;
                    task = queue.poll(); // offered before the producer could see parked: it did not unpark
                    if (task == null) {
                        LockSupport.park(this);
                        parked = false;
                        continue;
                    }
                    parked = false;
                }
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    // the context reports a task's failure itself; whatever gets here must not end the thread
                    LoggerFactory.getLogger(PipelineContext.class).error("pipeline task failed", e);
                }
            }
        }

        @Override
        public void execute(Runnable task) {
            if (shutdown) {
                throw new java.util.concurrent.RejectedExecutionException("the pipeline thread is shut down");
            }
            queue.offer(task);
            if (parked) {
                LockSupport.unpark(thread);
            }
        }

        @Override
        public void shutdown() {
            shutdown = true;
            LockSupport.unpark(thread);
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown();
            List<Runnable> left = new ArrayList<>(queue);
            queue.clear();
            return left;
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown && !thread.isAlive();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            thread.join(unit.toMillis(timeout));
            return !thread.isAlive();
        }
    }
}
