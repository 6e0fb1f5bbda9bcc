package io.aquatrade.model;

/**
 * Rule fact: account-wide risk state.
 *
 * @param entriesHalted true once the daily-loss guardrail (rule or hard cap) halted new entries for the UTC day
 * @param haltReason    why entries are halted, or null
 */
public record RiskState(KillSwitchLevel killSwitch, boolean entriesHalted, String haltReason, String utcDay) {

    public KillSwitchLevel getKillSwitch() { return killSwitch; }
    public boolean isEntriesHalted() { return entriesHalted; }
    public String getHaltReason() { return haltReason; }
    public String getUtcDay() { return utcDay; }
}
