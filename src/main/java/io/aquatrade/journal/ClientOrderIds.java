package io.aquatrade.journal;

import java.util.regex.Pattern;

/**
 * Client order ids: {@code <run prefix><sequence in base 36>}. The run prefix is allocated by the
 * journal at start (start time and run number, both in base 36) and stored before any order of the
 * run; the sequence is the order's number in its run, journaled with the request before it is sent.
 * So ids are deterministic from the journal, never repeat across restarts, and match Binance's
 * {@code ^[a-zA-Z0-9-_]{1,36}$}.
 */
public final class ClientOrderIds {

    /** Binance's pattern for newClientOrderId (fix-api.md; applied to REST as the safe choice). */
    public static final Pattern VALID = Pattern.compile("^[a-zA-Z0-9-_]{1,36}$");
    /** Leaves room for a sequence of 12 base-36 digits (4.7e18 orders) within the 36 characters. */
    public static final int MAX_PREFIX = 24;

    private ClientOrderIds() {
    }

    public static String of(String prefix, long seq) {
        if (seq <= 0) {
            throw new IllegalArgumentException("order sequence must be positive, got " + seq);
        }
        String id = prefix + Long.toString(seq, 36);
        if (!VALID.matcher(id).matches()) {
            throw new IllegalStateException("client order id '" + id + "' does not match " + VALID.pattern());
        }
        return id;
    }

    static void requireValidPrefix(String prefix) {
        if (prefix.isEmpty() || prefix.length() > MAX_PREFIX || !VALID.matcher(prefix).matches()) {
            throw new JournalException("client order id prefix '" + prefix + "' must be 1.." + MAX_PREFIX
                    + " characters of [A-Za-z0-9-_]");
        }
    }
}
