package io.aquatrade.echo;

import java.util.List;
import java.util.Objects;

/**
 * Tuning of the echo engine. The engine only measures; thresholds that decide trades belong in the
 * rules, so {@link #minSimilarity} is a low floor that merely bounds how many facts are produced.
 *
 * @param leadInMinutes        L: length of a template's lead-in and of the live window compared with it, in minutes
 * @param minSimilarity        matches below this similarity are not reported (-1..1)
 * @param maxMatchesPerSymbol  at most this many matches per symbol and call, best first
 * @param moveClassesPct       ascending daily-range classes in % of the day's open; a day's class is the largest it reaches
 * @param shortLookbackDays    templates at most this many days old are labelled "{n}d" (default "5d")
 * @param mediumLookbackDays   templates at most this many days old are labelled "{n}d" (default "30d"); older ones "all"
 * @param historyDays          templates are kept this many days (the "all" lookback is what is held)
 * @param minDayCoverage       fraction of a day's 1440 minutes that must be present for the day to be used as it is;
 *                             a day below it is still used when its move (start to extreme) has no missing minute
 * @param minLeadInCoverage    fraction of the L lead-in minutes that must be present, for a template and for the live window
 * @param activityBaselineDays the typical volume of an L-minute window is the median over this many completed days
 * @param volumeWeight         weight of the volume-profile correlation blended into the similarity (0 = price path only)
 * @param moveHorizonMinutes   0: a mover day's move is its largest run-up or run-down over the whole day (which is the
 *                             day's full low-to-high swing); H > 0: the largest one completed within H minutes of its start
 */
public record EchoParams(int leadInMinutes, double minSimilarity, int maxMatchesPerSymbol,
                         List<Integer> moveClassesPct, int shortLookbackDays, int mediumLookbackDays,
                         int historyDays, double minDayCoverage, double minLeadInCoverage,
                         int activityBaselineDays, double volumeWeight, int moveHorizonMinutes) {

    public static final int DEFAULT_LEAD_IN_MINUTES = 60;

    public EchoParams {
        require(leadInMinutes >= 10 && leadInMinutes <= 1440,
                "leadInMinutes must be between 10 and 1440 (a correlation needs enough points), got " + leadInMinutes);
        require(minSimilarity >= -1.0 && minSimilarity <= 1.0,
                "minSimilarity must be between -1 and 1, got " + minSimilarity);
        require(maxMatchesPerSymbol >= 1 && maxMatchesPerSymbol <= 1000,
                "maxMatchesPerSymbol must be between 1 and 1000, got " + maxMatchesPerSymbol);
        Objects.requireNonNull(moveClassesPct, "moveClassesPct must be given (e.g. [3, 5, 10])");
        moveClassesPct = List.copyOf(moveClassesPct);
        require(!moveClassesPct.isEmpty(), "moveClassesPct must name at least one class, got []");
        int previous = 0;
        for (int c : moveClassesPct) {
            require(c >= 1 && c <= 100, "moveClassesPct entries must be between 1 and 100 (%), got " + moveClassesPct);
            require(c > previous, "moveClassesPct must be strictly ascending, got " + moveClassesPct);
            previous = c;
        }
        require(shortLookbackDays >= 1, "shortLookbackDays must be at least 1, got " + shortLookbackDays);
        require(mediumLookbackDays > shortLookbackDays, "mediumLookbackDays must be greater than shortLookbackDays ("
                + shortLookbackDays + "), got " + mediumLookbackDays);
        require(historyDays >= mediumLookbackDays && historyDays <= 3650, "historyDays must be between mediumLookbackDays ("
                + mediumLookbackDays + ") and 3650, got " + historyDays);
        require(minDayCoverage > 0.0 && minDayCoverage <= 1.0,
                "minDayCoverage must be in (0, 1] (fraction of 1440 minutes), got " + minDayCoverage);
        require(minLeadInCoverage > 0.0 && minLeadInCoverage <= 1.0,
                "minLeadInCoverage must be in (0, 1] (fraction of leadInMinutes), got " + minLeadInCoverage);
        require(activityBaselineDays >= 1 && activityBaselineDays <= 60,
                "activityBaselineDays must be between 1 and 60, got " + activityBaselineDays);
        require(volumeWeight >= 0.0 && volumeWeight < 1.0,
                "volumeWeight must be in [0, 1) (1 would ignore the price path), got " + volumeWeight);
        require(moveHorizonMinutes >= 0 && moveHorizonMinutes <= 1440,
                "moveHorizonMinutes must be between 0 (whole day) and 1440, got " + moveHorizonMinutes);
    }

    /** L = 60, floor 0.5, 5 matches per symbol, classes 3/5/10 %, lookbacks 5d/30d/90 days held, 50% day coverage, whole-day moves. */
    public static EchoParams defaults() {
        return new EchoParams(DEFAULT_LEAD_IN_MINUTES, 0.5, 5, List.of(3, 5, 10), 5, 30, 90, 0.5, 0.8, 7, 0.0, 0);
    }

    public EchoParams withLeadInMinutes(int v) {
        return new EchoParams(v, minSimilarity, maxMatchesPerSymbol, moveClassesPct, shortLookbackDays,
                mediumLookbackDays, historyDays, minDayCoverage, minLeadInCoverage, activityBaselineDays, volumeWeight, moveHorizonMinutes);
    }

    public EchoParams withMinSimilarity(double v) {
        return new EchoParams(leadInMinutes, v, maxMatchesPerSymbol, moveClassesPct, shortLookbackDays,
                mediumLookbackDays, historyDays, minDayCoverage, minLeadInCoverage, activityBaselineDays, volumeWeight, moveHorizonMinutes);
    }

    public EchoParams withMaxMatchesPerSymbol(int v) {
        return new EchoParams(leadInMinutes, minSimilarity, v, moveClassesPct, shortLookbackDays,
                mediumLookbackDays, historyDays, minDayCoverage, minLeadInCoverage, activityBaselineDays, volumeWeight, moveHorizonMinutes);
    }

    public EchoParams withVolumeWeight(double v) {
        return new EchoParams(leadInMinutes, minSimilarity, maxMatchesPerSymbol, moveClassesPct, shortLookbackDays,
                mediumLookbackDays, historyDays, minDayCoverage, minLeadInCoverage, activityBaselineDays, v, moveHorizonMinutes);
    }

    public EchoParams withActivityBaselineDays(int v) {
        return new EchoParams(leadInMinutes, minSimilarity, maxMatchesPerSymbol, moveClassesPct, shortLookbackDays,
                mediumLookbackDays, historyDays, minDayCoverage, minLeadInCoverage, v, volumeWeight, moveHorizonMinutes);
    }

    public EchoParams withCoverage(double minDay, double minLeadIn) {
        return new EchoParams(leadInMinutes, minSimilarity, maxMatchesPerSymbol, moveClassesPct, shortLookbackDays,
                mediumLookbackDays, historyDays, minDay, minLeadIn, activityBaselineDays, volumeWeight, moveHorizonMinutes);
    }

    public EchoParams withMoveHorizonMinutes(int v) {
        return new EchoParams(leadInMinutes, minSimilarity, maxMatchesPerSymbol, moveClassesPct, shortLookbackDays,
                mediumLookbackDays, historyDays, minDayCoverage, minLeadInCoverage, activityBaselineDays, volumeWeight, v);
    }

    /** The class (3, 5, 10 by default) a range in % reaches, or 0 when it reaches none. */
    int classOf(long rangeE8, long openE8) {
        int cls = 0;
        for (int c : moveClassesPct) {
            if (PathMath.reachesPct(rangeE8, openE8, c)) {
                cls = c;
            }
        }
        return cls;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("echo: " + message);
        }
    }
}
