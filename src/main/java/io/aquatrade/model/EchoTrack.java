package io.aquatrade.model;

/**
 * Rule fact: how an open position's live path is following the template whose echo opened it.
 * Compared minute by minute from the entry (live) and from the move start (template).
 *
 * @param elapsedMinutes    minutes since the entry
 * @param liveReturnPct     return since the entry price, %
 * @param templateReturnPct the template's return at the same elapsed minute since its move start, % (signed)
 * @param correlation       Pearson correlation of the two paths over the elapsed minutes (NaN-free: 0 under 3 minutes)
 */
public record EchoTrack(String symbol, String templateDay, int elapsedMinutes, double liveReturnPct,
                        double templateReturnPct, double correlation) {

    public String getSymbol() { return symbol; }
    public String getTemplateDay() { return templateDay; }
    public int getElapsedMinutes() { return elapsedMinutes; }
    public double getLiveReturnPct() { return liveReturnPct; }
    public double getTemplateReturnPct() { return templateReturnPct; }
    public double getCorrelation() { return correlation; }
}
