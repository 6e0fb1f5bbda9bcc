package io.aquatrade.model;

/** The graded kill switch: ACTIVE trades normally, REDUCING sends exits only, HALTED sends no orders. */
public enum KillSwitchLevel {
    ACTIVE, REDUCING, HALTED;

    public boolean allowsEntries() {
        return this == ACTIVE;
    }

    public boolean allowsExits() {
        return this != HALTED;
    }
}
