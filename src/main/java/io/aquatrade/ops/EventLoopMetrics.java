package io.aquatrade.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Vert.x event-loop health, which vertx-micrometer-metrics does not measure: per event loop, the tasks
 * waiting in its queue and the lag of a probe task posted to it once a second (how long work waits
 * before the loop gets to it). The trading pipeline runs on one of these loops, so a replay at full
 * speed shows there as lag, and a live bot whose loop lags is late to every tick.
 */
public final class EventLoopMetrics {

    private final Vertx vertx;
    private final List<Probe> probes = new ArrayList<>();
    private long timer = -1;

    private EventLoopMetrics(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Registers {@code aquatrade_event_loop_lag_seconds{loop}} and {@code aquatrade_event_loop_pending_tasks{loop}}. */
    public static EventLoopMetrics bind(Vertx vertx, MeterRegistry registry, long probeIntervalMs) {
        EventLoopMetrics m = new EventLoopMetrics(vertx);
        int i = 0;
        for (EventExecutor e : ((io.vertx.core.internal.VertxInternal) vertx).nettyEventLoopGroup()) {
            Probe p = new Probe(e);
            String loop = Integer.toString(i++);
            Gauge.builder("aquatrade.event.loop.lag.seconds", p, q -> q.lastLagNanos.get() / 1e9)
                    .description("Delay of a probe task posted to the event loop once a second").tag("loop", loop)
                    .register(registry);
            if (e instanceof SingleThreadEventExecutor st) {
                Gauge.builder("aquatrade.event.loop.pending.tasks", st, SingleThreadEventExecutor::pendingTasks)
                        .description("Tasks waiting in the event loop's queue").tag("loop", loop).register(registry);
            }
            m.probes.add(p);
        }
        m.timer = vertx.setPeriodic(probeIntervalMs, id -> m.probeAll());
        return m;
    }

    private void probeAll() {
        for (Probe p : probes) {
            p.probe();
        }
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private static final class Probe {
        final EventExecutor loop;
        final AtomicLong lastLagNanos = new AtomicLong();
        final AtomicLong postedAt = new AtomicLong();

        Probe(EventExecutor loop) {
            this.loop = loop;
        }

        void probe() {
            long pending = postedAt.get();
            long now = System.nanoTime();
            if (pending != 0) {
                // the previous probe has not run yet: the loop is at least this late
                lastLagNanos.set(now - pending);
                return;
            }
            postedAt.set(now);
            try {
                loop.execute(() -> {
                    lastLagNanos.set(System.nanoTime() - postedAt.get());
                    postedAt.set(0);
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                postedAt.set(0); // shutting down
            }
        }
    }
}
