package io.aquatrade.execution;

import io.aquatrade.model.KillSwitchLevel;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The kill switch level as the order gate reads it: any thread may set it (the control API on an HTTP
 * event loop, the kill file watcher) and it is in force for the very next order, without waiting for
 * the pipeline thread, which may be stuck in a rule evaluation. The pipeline records the change (halts,
 * notices) when it next runs.
 */
public final class KillSwitchGate {

    private final AtomicReference<KillSwitchLevel> level = new AtomicReference<>(KillSwitchLevel.ACTIVE);

    public KillSwitchLevel level() {
        return level.get();
    }

    /** Sets the level; returns the one before. */
    public KillSwitchLevel set(KillSwitchLevel to) {
        return level.getAndSet(java.util.Objects.requireNonNull(to, "level"));
    }

    /** Sets {@code to} only while the level is {@code from} (rules tighten ACTIVE to REDUCING, never more). */
    public boolean tighten(KillSwitchLevel from, KillSwitchLevel to) {
        return level.compareAndSet(from, to);
    }
}
