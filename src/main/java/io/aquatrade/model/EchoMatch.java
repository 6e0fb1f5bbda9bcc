package io.aquatrade.model;

/**
 * Rule fact: today's recent path of {@code symbol} resembles how the move of a past mover day began.
 *
 * @param templateDay     the UTC day (ISO date) of the mover day whose start is echoed
 * @param moveClassPct    the largest class (3, 5 or 10) the day's high-low range reached, in % of its open
 * @param lookback        the shortest lookback containing the template: "5d", "30d" or "all"
 * @param similarity      similarity of the live window to the template's lead-in, -1..1 (Pearson on z-normalised paths)
 * @param direction       direction of the move that followed in the template
 * @param expectedMovePct size of that move in % (positive), from the template's move start to its extreme
 * @param minutesToPeak   how many minutes the template took from move start to its extreme
 * @param activityRatio   live traded volume over the window divided by the symbol's typical volume for as long
 */
public record EchoMatch(String symbol, long timeMs, String templateDay, int moveClassPct, String lookback,
                        double similarity, Direction direction, double expectedMovePct, int minutesToPeak,
                        double activityRatio) {

    // JavaBean-style accessors so DRL can write `similarity > 0.8` with the classic engine's field access.
    public String getSymbol() { return symbol; }
    public long getTimeMs() { return timeMs; }
    public String getTemplateDay() { return templateDay; }
    public int getMoveClassPct() { return moveClassPct; }
    public String getLookback() { return lookback; }
    public double getSimilarity() { return similarity; }
    public Direction getDirection() { return direction; }
    public double getExpectedMovePct() { return expectedMovePct; }
    public int getMinutesToPeak() { return minutesToPeak; }
    public double getActivityRatio() { return activityRatio; }
}
