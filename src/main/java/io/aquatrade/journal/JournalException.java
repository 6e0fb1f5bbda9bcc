package io.aquatrade.journal;

/** The journal could not be opened, migrated, written or read; the message names the file and the step. */
public final class JournalException extends RuntimeException {
    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }

    public JournalException(String message) {
        super(message);
    }
}
