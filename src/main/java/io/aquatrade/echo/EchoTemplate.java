package io.aquatrade.echo;

import io.aquatrade.model.Direction;

/**
 * The description of one template (its normalised lead-in vectors stay inside the engine).
 *
 * @param templateDay     ISO date (UTC) of the mover day
 * @param epochDay        days since 1970-01-01
 * @param moveClassPct    the largest class the day's range reached
 * @param rangePct        the day's (high - low) / open in %
 * @param direction       direction of the move that followed the lead-in
 * @param movePct         size of the move in % from its start to its extreme, positive
 * @param moveStartMs     open time of the minute the move ran from; the lead-in is the L minutes before it
 * @param minutesToPeak   minutes from the move start to its extreme
 * @param leadInPresent   how many of the L lead-in minutes had a bar
 */
public record EchoTemplate(String symbol, String templateDay, long epochDay, int moveClassPct, double rangePct,
                           Direction direction, double movePct, long moveStartMs, int minutesToPeak,
                           int leadInPresent) {
}
