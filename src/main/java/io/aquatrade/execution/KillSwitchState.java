package io.aquatrade.execution;

import io.aquatrade.model.KillSwitchLevel;

/**
 * The graded kill switch as the control API and the status page show it. Plain values, safe to serialise.
 *
 * @param level           ACTIVE (trading), REDUCING (exits only), HALTED (no orders)
 * @param cause           why it was set, as given by whoever set it
 * @param source          who set it: {@code rule}, {@code operator}/{@code api}, {@code kill_file}, {@code start}
 * @param since           ISO-8601 wall time it was set
 * @param sinceMs         the same, epoch ms (0 = never changed since the bot first ran)
 * @param killFile        the kill file watched (absolute), or null when there is none (replay mode)
 * @param killFilePresent the kill file exists now; while it does, the switch cannot be resumed
 * @param stateFile       where the level is kept across restarts (absolute), or null when not persisted (replay mode)
 */
public record KillSwitchState(KillSwitchLevel level, String cause, String source, String since, long sinceMs,
                              String killFile, boolean killFilePresent, String stateFile) {
}
