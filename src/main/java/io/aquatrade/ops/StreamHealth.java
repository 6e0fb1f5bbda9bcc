package io.aquatrade.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Health of each market data stream (a websocket connection, or "replay"): wall time of the last
 * message, messages received and reconnects. Sources report in batches or per message from any
 * thread; the status page and {@code aquatrade_stream_last_message_age_seconds} read it.
 */
public final class StreamHealth {

    /** One stream as the status page shows it. */
    public record StreamRow(String stream, long lastMessageWallMs, double ageSeconds, long messages, long reconnects) {
    }

    private final MeterRegistry registry;
    private final LongSupplier wallClock;
    private final long startedWallMs;
    private final Map<String, Stream> streams = new ConcurrentHashMap<>();

    public StreamHealth(MeterRegistry registry, LongSupplier wallClock) {
        this.registry = registry;
        this.wallClock = wallClock;
        this.startedWallMs = wallClock.getAsLong();
    }

    /** Registers a stream's meters (at start, so an absent feed already shows as stale). */
    public Stream stream(String name) {
        return streams.computeIfAbsent(name, Stream::new);
    }

    public List<StreamRow> rows() {
        long now = wallClock.getAsLong();
        List<StreamRow> out = new ArrayList<>();
        new java.util.TreeMap<>(streams).forEach((n, s) -> out.add(new StreamRow(n, s.lastWallMs, s.ageSeconds(now),
                s.messages.sum(), (long) s.reconnects.count())));
        return out;
    }

    /** One stream. Thread-safe; {@link #onMessages} costs a volatile write and an adder increment. */
    public final class Stream {
        private final String name;
        private volatile long lastWallMs;
        private final LongAdder messages = new LongAdder();
        private final Counter reconnects;

        private Stream(String name) {
            this.name = name;
            Gauge.builder("aquatrade.stream.last.message.age.seconds", this, s -> s.ageSeconds(wallClock.getAsLong()))
                    .description("Seconds since the last market message on the stream (since start if none yet)")
                    .tag("stream", name).register(registry);
            this.reconnects = Counter.builder("aquatrade.stream.reconnects").description("Reconnects of the stream")
                    .tag("stream", name).register(registry);
        }

        public void onMessages(int n) {
            messages.add(n);
            lastWallMs = wallClock.getAsLong();
        }

        public void onReconnect() {
            reconnects.increment();
        }

        double ageSeconds(long now) {
            long last = lastWallMs;
            return Math.max(0, now - (last == 0 ? startedWallMs : last)) / 1000.0;
        }

        public String name() {
            return name;
        }
    }
}
