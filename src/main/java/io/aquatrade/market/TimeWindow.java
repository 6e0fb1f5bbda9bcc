package io.aquatrade.market;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * A half-open range of epoch milliseconds {@code [fromMs, toMs)}. Used as the read filter of a replay
 * and, by callers, to tell warm-up history (before {@code fromMs}) from the traded period.
 */
public record TimeWindow(long fromMs, long toMs) {
    public static final TimeWindow ALL = new TimeWindow(Long.MIN_VALUE, Long.MAX_VALUE);

    public TimeWindow {
        if (toMs < fromMs) {
            throw new IllegalArgumentException("time window ends before it starts: [" + fromMs + ", " + toMs + ")");
        }
    }

    public static TimeWindow from(long fromMs) {
        return new TimeWindow(fromMs, Long.MAX_VALUE);
    }

    public static TimeWindow until(long toMs) {
        return new TimeWindow(Long.MIN_VALUE, toMs);
    }

    public boolean contains(long timeMs) {
        return timeMs >= fromMs && timeMs < toMs;
    }

    /** True if {@code timeMs} is before the window (warm-up history). */
    public boolean isBefore(long timeMs) {
        return timeMs < fromMs;
    }

    public boolean overlaps(TimeWindow other) {
        return fromMs < other.toMs && other.fromMs < toMs;
    }

    /** The same end, starting {@code warmUpMs} earlier (saturating). */
    public TimeWindow withWarmUp(long warmUpMs) {
        long f = fromMs == Long.MIN_VALUE || fromMs - warmUpMs > fromMs ? Long.MIN_VALUE : fromMs - warmUpMs;
        return new TimeWindow(f, toMs);
    }

    public boolean isAll() {
        return fromMs == Long.MIN_VALUE && toMs == Long.MAX_VALUE;
    }

    /**
     * Parses a command-line time: epoch ms ({@code 1680652800000}), a UTC date ({@code 2023-04-05}, its
     * 00:00), a UTC date-time ({@code 2023-04-05T12:30}, {@code 2023-04-05T12:30:00Z}) or one with an
     * offset. Null or blank → null.
     */
    public static Long parseTime(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.trim();
        if (t.chars().allMatch(Character::isDigit)) {
            return EpochTime.toMillis(Long.parseLong(t));
        }
        try {
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            }
            if (t.endsWith("Z")) {
                return Instant.parse(t).toEpochMilli();
            }
            try {
                return OffsetDateTime.parse(t).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toEpochMilli();
            }
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a time: '" + text
                    + "' (expected epoch ms, 2023-04-05, 2023-04-05T12:30 (UTC) or 2023-04-05T12:30:00Z)");
        }
    }

    /** [from, to) from command-line texts; either may be null for an open end. */
    public static TimeWindow parse(String from, String to) {
        Long f = parseTime(from);
        Long t = parseTime(to);
        return new TimeWindow(f == null ? Long.MIN_VALUE : f, t == null ? Long.MAX_VALUE : t);
    }

    @Override
    public String toString() {
        return "[" + (fromMs == Long.MIN_VALUE ? "-inf" : Instant.ofEpochMilli(fromMs).toString()) + ", "
                + (toMs == Long.MAX_VALUE ? "+inf" : Instant.ofEpochMilli(toMs).toString()) + ")";
    }
}
