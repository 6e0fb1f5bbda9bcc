package io.aquatrade.execution;

/** A kill switch command that cannot be carried out as asked (e.g. resume while the kill file exists). */
public class KillSwitchRefusedException extends IllegalStateException {

    public KillSwitchRefusedException(String message) {
        super(message);
    }
}
