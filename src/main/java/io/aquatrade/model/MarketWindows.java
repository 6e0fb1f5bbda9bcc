package io.aquatrade.model;

/**
 * A symbol's rolling windows at a decision: the last 10 s, 30 s, 5 min and 1 h, today (UTC) and the
 * multi-day history held, each with its return, range, volume against typical and trade count. On tick
 * sources the windows include the bar in progress; on one-minute candle sources the sub-minute windows
 * are {@link Window#UNKNOWN} (NaN fields, so a rule comparing them never fires) and trade counts are -1.
 * Reached from the rules as {@code MarketSnapshot( windows.last10s.returnPct > 0.2 )}.
 */
public record MarketWindows(Window last10s, Window last30s, Window last5m, Window last1h, Window today,
                            Window history) {

    /** No windows known (a snapshot built without them, e.g. by a test). */
    public static final MarketWindows NONE = new MarketWindows(Window.UNKNOWN, Window.UNKNOWN, Window.UNKNOWN,
            Window.UNKNOWN, Window.UNKNOWN, Window.UNKNOWN);

    public Window getLast10s() { return last10s; }
    public Window getLast30s() { return last30s; }
    public Window getLast5m() { return last5m; }
    public Window getLast1h() { return last1h; }
    public Window getToday() { return today; }
    public Window getHistory() { return history; }

    /**
     * One window.
     *
     * @param returnPct   last price against the price at the window's start, %
     * @param rangePct    (high - low) over the window against the start price, %
     * @param volumeRatio volume traded in the window over the typical volume of a window that long (the
     *                    trailing day's average per minute), NaN when unknown
     * @param trades      trades in the window, -1 when the source carries no trades (candles)
     * @param spanMs      how much time the window covers (today: since midnight UTC; history: what is held)
     */
    public record Window(double returnPct, double rangePct, double volumeRatio, long trades, long spanMs) {
        public static final Window UNKNOWN = new Window(Double.NaN, Double.NaN, Double.NaN, -1, 0);

        public double getReturnPct() { return returnPct; }
        public double getRangePct() { return rangePct; }
        public double getVolumeRatio() { return volumeRatio; }
        public long getTrades() { return trades; }
        public long getSpanMs() { return spanMs; }
    }
}
