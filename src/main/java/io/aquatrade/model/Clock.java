package io.aquatrade.model;

/**
 * Rule fact: the pipeline's one clock at a decision point (event time in replay, wall time live).
 *
 * @param utcDay      ISO date of the current UTC day
 * @param minuteOfDay minutes since 00:00 UTC
 */
public record Clock(long nowMs, String utcDay, int minuteOfDay) {

    public static Clock at(long nowMs) {
        long day = Math.floorDiv(nowMs, 86_400_000L);
        int minute = (int) (Math.floorMod(nowMs, 86_400_000L) / 60_000L);
        return new Clock(nowMs, java.time.LocalDate.ofEpochDay(day).toString(), minute);
    }

    public long getNowMs() { return nowMs; }
    public String getUtcDay() { return utcDay; }
    public int getMinuteOfDay() { return minuteOfDay; }
}
