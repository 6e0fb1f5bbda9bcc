package io.aquatrade.echo;

import io.aquatrade.model.Direction;

/**
 * A completed UTC day of one symbol as the echo engine judged it (for the status page, diagnostics and
 * tests). Prices are E8; percentages are plain percent.
 *
 * @param day            ISO date (UTC)
 * @param epochDay       days since 1970-01-01
 * @param minutesPresent one-minute bars present (1440 for a complete day)
 * @param openE8         open of the day's first present bar
 * @param rangePct       (high - low) / open in %
 * @param moveClassPct   the largest class the range reached, 0 when it reached none
 * @param direction      direction of the day's dominant move (see {@link EchoEngine} for the definition)
 * @param movePct        size of that move in % of its start, positive
 * @param moveStartMs    open time of the minute the move ran from
 * @param moveExtremeMs  open time of the minute it reached its extreme
 * @param status         whether the day became a template, and if not why
 */
public record EchoDay(String symbol, String day, long epochDay, int minutesPresent, long openE8, long highE8,
                      long lowE8, double rangePct, int moveClassPct, Direction direction, double movePct,
                      long moveStartMs, long moveExtremeMs, Status status) {

    public enum Status {
        /** The range reached no class. */
        NOT_A_MOVER,
        /** A mover day whose lead-in is a template. */
        TEMPLATE,
        /** Coverage below {@link EchoParams#minDayCoverage()} and minutes missing inside the move itself. */
        SKIPPED_LOW_COVERAGE,
        /** Fewer lead-in minutes present than {@link EchoParams#minLeadInCoverage()} asks (data gap or history start). */
        SKIPPED_LEAD_IN_GAPS,
        /** The lead-in price never moved: no shape to compare with. */
        SKIPPED_FLAT_LEAD_IN
    }

    public double coverage() {
        return minutesPresent / 1440.0;
    }

    public int minutesToPeak() {
        return (int) ((moveExtremeMs - moveStartMs) / 60_000L);
    }
}
