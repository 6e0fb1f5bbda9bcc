package io.aquatrade.echo;

import io.aquatrade.model.EchoMatch;
import io.aquatrade.model.EchoTrack;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;

/**
 * One symbol's echo state: the recent minutes, the bars of the day in progress, its templates and the
 * scratch space of the live comparison (so a call allocates nothing unless it has matches to return).
 * Guarded by its own monitor: calls for different symbols never contend.
 */
final class SymbolEcho {
    static final long MS_PER_MINUTE = 60_000L;
    static final long MS_PER_DAY = 86_400_000L;
    private static final int MPD = DayMove.MINUTES_PER_DAY;
    private static final long NONE = MinuteRing.NONE;
    private static final String ALL = "all";
    /** How far after a move start a template's path is kept for tracking an open position. */
    static final int FOLLOW_MINUTES = 360;
    /** How far under the score to beat a template's bound must be before it is left out: far above rounding (1e-13). */
    static final double BOUND_MARGIN = 1e-9;

    private final String symbol;
    private final EchoParams p;
    private final int L;
    private final int minLeadInPresent;
    private final int minDayMinutes;
    private final String shortLabel;
    private final String mediumLabel;
    private final double volumeWeight;
    private final MinuteRing ring;

    // The day in progress, by minute of day; high == 0 marks a missing minute.
    private long currentDay = NONE;
    private final long[] dOpen = new long[MPD];
    private final long[] dHigh = new long[MPD];
    private final long[] dLow = new long[MPD];

    // Templates, ascending by day; vectors flat, L values per template.
    private int tCount;
    // per template day: ln(close) relative to the move start, minute by minute after it (for EchoTrack)
    private final java.util.Map<Long, double[]> followPaths = new java.util.HashMap<>();
    private long[] tDay = new long[16];
    private double[] tPath;
    private double[] tVol;
    // per template: the segment means of its path, k values (see PathMath.correlationBound)
    private double[] tSeg;
    private EchoTemplate[] tMeta = new EchoTemplate[16];

    private final ArrayDeque<EchoDay> days = new ArrayDeque<>();

    // Scratch of the live comparison.
    private final double[] wLog;
    private final double[] wVol;
    private final double[] wCentred;
    private final double[] wVolProfile;
    private final double[] wVolCentred;
    private final boolean boundFirst;
    private long fullComparisons;
    private final int segs;
    private final double[] segWeights;
    private final double[] wSeg;
    private final int[] bestIdx;
    private final double[] bestSim;
    private double[] baselineVolumes;
    private double[] baselineSums;
    // Each day's activity baseline, fixed when the day begins (its predecessors are complete then and all
    // held): a later question about that day gets the same value even after the ring has moved on.
    private final long[] baselineDays;
    private final double[] baselineValues;

    SymbolEcho(String symbol, EchoParams p, boolean boundFirst) {
        this.boundFirst = boundFirst;
        this.symbol = symbol;
        this.p = p;
        this.L = p.leadInMinutes();
        this.minLeadInPresent = (int) Math.ceil(p.minLeadInCoverage() * L - 1e-9);
        this.minDayMinutes = (int) Math.ceil(p.minDayCoverage() * MPD - 1e-9);
        this.shortLabel = p.shortLookbackDays() + "d";
        this.mediumLabel = p.mediumLookbackDays() + "d";
        this.volumeWeight = p.volumeWeight();
        // Holds the baseline days, the day in progress and one lead-in before them: enough for the
        // activity baseline and for a lead-in that starts in the previous day.
        this.ring = new MinuteRing((p.activityBaselineDays() + 1) * MPD + L + 1);
        this.tPath = new double[16 * L];
        this.tVol = new double[16 * L];
        this.segs = PathMath.segments(L);
        this.segWeights = PathMath.segmentWeights(L, segs);
        this.wSeg = new double[segs];
        this.tSeg = new double[16 * segs];
        this.wLog = new double[L];
        this.wVol = new double[L];
        this.wCentred = new double[L];
        this.wVolProfile = new double[L];
        this.wVolCentred = new double[L];
        this.bestIdx = new int[p.maxMatchesPerSymbol()];
        this.bestSim = new double[p.maxMatchesPerSymbol()];
        this.baselineDays = new long[p.historyDays() + 2];
        this.baselineValues = new double[p.historyDays() + 2];
        Arrays.fill(baselineDays, NONE);
    }

    synchronized void onClosedMinute(long openTimeMs, long openE8, long highE8, long lowE8, long closeE8,
                                     double volumeE8) {
        long minute = openTimeMs / MS_PER_MINUTE;
        long latest = ring.latest();
        if (latest != NONE && minute < latest) {
            throw new IllegalArgumentException("echo: " + symbol + " candle " + Instant.ofEpochMilli(openTimeMs)
                    + " arrived after " + Instant.ofEpochMilli(latest * MS_PER_MINUTE)
                    + "; candles must be fed in time order");
        }
        long day = Math.floorDiv(minute, (long) MPD);
        if (currentDay == NONE) {
            currentDay = day;
            fixBaseline(day);
        } else if (day > currentDay) {
            finishDay();
            Arrays.fill(dHigh, 0L);
            currentDay = day;
            dropOldTemplates();
            fixBaseline(day);
        }
        // Volume only feeds statistics (activity ratio, profile), where a double is the right type.
        ring.put(minute, Math.log((double) closeE8), volumeE8 / 1e8);
        int mod = (int) (minute - day * MPD);
        dOpen[mod] = openE8;
        dHigh[mod] = highE8;
        dLow[mod] = lowE8;
    }

    /** Judges the completed day in progress and keeps its template when it is a usable mover day. */
    private void finishDay() {
        DayMove mv = DayMove.analyse(dOpen, dHigh, dLow, p.moveHorizonMinutes());
        if (mv == null) {
            return;
        }
        long dayStartMinute = currentDay * MPD;
        int cls = p.classOf(mv.highE8() - mv.lowE8(), mv.openE8());
        EchoDay.Status status;
        if (cls == 0) {
            status = EchoDay.Status.NOT_A_MOVER;
        } else if (mv.minutesPresent() < minDayMinutes && !mv.moveContiguous()) {
            status = EchoDay.Status.SKIPPED_LOW_COVERAGE;
        } else {
            long startMinute = dayStartMinute + mv.startMinute();
            int leadPresent = ring.window(startMinute - 1, L, wLog, wVol);
            if (leadPresent < minLeadInPresent) {
                status = EchoDay.Status.SKIPPED_LEAD_IN_GAPS;
            } else {
                ensureTemplateCapacity(tCount + 1);
                int off = tCount * L;
                if (!PathMath.zNormalise(wLog, 0, L, tPath, off)) {
                    status = EchoDay.Status.SKIPPED_FLAT_LEAD_IN;
                } else {
                    PathMath.segmentMeans(tPath, off, L, segs, 1.0, tSeg, tCount * segs);
                    PathMath.volumeProfile(wVol, L, wVolProfile);
                    if (!PathMath.zNormalise(wVolProfile, 0, L, tVol, off)) {
                        Arrays.fill(tVol, off, off + L, 0.0); // no volume shape: contributes 0 to a blend
                    }
                    followPaths.put(currentDay, followPath(startMinute, dayStartMinute + MPD));
                    tDay[tCount] = currentDay;
                    tMeta[tCount] = new EchoTemplate(symbol, LocalDate.ofEpochDay(currentDay).toString(), currentDay,
                            cls, mv.rangePct(), mv.direction(), mv.movePct(), startMinute * MS_PER_MINUTE,
                            mv.minutesToPeak(), leadPresent);
                    tCount++;
                    status = EchoDay.Status.TEMPLATE;
                }
            }
        }
        days.addLast(new EchoDay(symbol, LocalDate.ofEpochDay(currentDay).toString(), currentDay,
                mv.minutesPresent(), mv.openE8(), mv.highE8(), mv.lowE8(), mv.rangePct(), cls, mv.direction(),
                mv.movePct(), (dayStartMinute + mv.startMinute()) * MS_PER_MINUTE,
                (dayStartMinute + mv.extremeMinute()) * MS_PER_MINUTE, status));
    }

    private void dropOldTemplates() {
        int drop = 0;
        while (drop < tCount && currentDay - tDay[drop] > p.historyDays()) {
            drop++;
        }
        if (drop > 0) {
            int keep = tCount - drop;
            System.arraycopy(tDay, drop, tDay, 0, keep);
            System.arraycopy(tMeta, drop, tMeta, 0, keep);
            Arrays.fill(tMeta, keep, tCount, null);
            System.arraycopy(tPath, drop * L, tPath, 0, keep * L);
            System.arraycopy(tVol, drop * L, tVol, 0, keep * L);
            System.arraycopy(tSeg, drop * segs, tSeg, 0, keep * segs);
            tCount = keep;
        }
        // a dropped template's path stays one day longer, for a trailing reader still asking as of yesterday
        followPaths.keySet().removeIf(day -> currentDay - day > p.historyDays() + 1);
        while (!days.isEmpty() && currentDay - days.peekFirst().epochDay() > p.historyDays()) {
            days.removeFirst();
        }
    }

    private void ensureTemplateCapacity(int n) {
        if (n <= tDay.length) {
            return;
        }
        int cap = Math.max(n, tDay.length * 2);
        tDay = Arrays.copyOf(tDay, cap);
        tMeta = Arrays.copyOf(tMeta, cap);
        tPath = Arrays.copyOf(tPath, cap * L);
        tVol = Arrays.copyOf(tVol, cap * L);
        tSeg = Arrays.copyOf(tSeg, cap * segs);
    }

    /** Index of the first template usable on {@code nowDay}: at most historyDays old. */
    private int firstUsable(long nowDay) {
        int lo = 0;
        while (lo < tCount && nowDay - tDay[lo] > p.historyDays()) {
            lo++;
        }
        return lo;
    }

    /** One past the last template usable on {@code nowDay}: strictly before it (no look-ahead). */
    private int endUsable(long nowDay) {
        int hi = tCount;
        while (hi > 0 && tDay[hi - 1] >= nowDay) {
            hi--;
        }
        return hi;
    }

    /** The template's path after its move start, as ln(close / close at start), gaps carried. */
    private double[] followPath(long startMinute, long dayEndMinute) {
        int n = (int) Math.max(1, Math.min(FOLLOW_MINUTES, dayEndMinute - startMinute));
        double[] out = new double[n];
        double base = ring.logCloseAt(startMinute);
        double last = 0;
        for (int k = 0; k < n; k++) {
            double lc = ring.logCloseAt(startMinute + k);
            if (!Double.isNaN(lc) && !Double.isNaN(base)) {
                last = lc - base;
            }
            out[k] = last;
        }
        return out;
    }

    /**
     * How the live path since an entry follows the template's path since its move start, minute
     * for minute. Null when the template is no longer held or nothing has closed since the entry.
     */
    synchronized EchoTrack track(String templateDay, long entryTimeMs, long nowMs) {
        return track(templateDay, entryTimeMs, nowMs, ring.latest());
    }

    /**
     * As {@link #track(String, long, long)} answered when {@code asOfMinute} was the latest minute fed (at most
     * {@link MinuteRing#LAG_MARGIN_MINUTES} ago): what has been fed since does not change the answer, so a
     * session trailing the market on another thread tracks exactly as it would in step.
     */
    synchronized EchoTrack track(String templateDay, long entryTimeMs, long nowMs, long asOfMinute) {
        // open positions (of every session) ask every round: each day is parsed once
        Long epochDay = trackedEpochDays.get(templateDay);
        if (epochDay == null) {
            epochDay = LocalDate.parse(templateDay).toEpochDay();
            if (trackedEpochDays.size() >= 1024) {
                trackedEpochDays.clear();
            }
            trackedEpochDays.put(templateDay, epochDay);
        }
        // a template is held until its day is historyDays old as of the day of asOfMinute (its path a day longer)
        double[] follow = asOfMinute == NONE || Math.floorDiv(asOfMinute, (long) MPD) - epochDay > p.historyDays()
                ? null : followPaths.get(epochDay);
        long entryMinute = Math.floorDiv(entryTimeMs, MS_PER_MINUTE);
        long lastMinute = asOfMinute == NONE ? NONE : Math.min(asOfMinute, Math.floorDiv(nowMs + 1, MS_PER_MINUTE) - 1);
        if (follow == null || lastMinute == NONE || lastMinute < entryMinute) {
            return null;
        }
        double base = ring.logCloseAsOf(entryMinute - 1, asOfMinute);
        if (Double.isNaN(base)) {
            base = ring.logCloseAsOf(entryMinute, asOfMinute);
        }
        if (Double.isNaN(base)) {
            return null;
        }
        int elapsed = (int) (lastMinute - entryMinute + 1);
        int n = Math.min(elapsed, follow.length);
        double[] live = new double[n];
        double carry = 0;
        for (int k = 0; k < n; k++) {
            double lc = ring.logCloseAsOf(entryMinute + k, asOfMinute);
            if (!Double.isNaN(lc)) {
                carry = lc - base;
            }
            live[k] = carry;
        }
        double liveNow = ring.logCloseAsOf(lastMinute, asOfMinute);
        double liveReturn = Double.isNaN(liveNow) ? carry : liveNow - base;
        double correlation = n >= 3 ? PathMath.pearson(live, java.util.Arrays.copyOf(follow, n)) : 0.0;
        if (Double.isNaN(correlation)) {
            correlation = 0.0; // one path flat: no evidence either way
        }
        return new EchoTrack(symbol, templateDay, elapsed, Math.expm1(liveReturn) * 100.0,
                Math.expm1(follow[n - 1]) * 100.0, correlation);
    }

    private final java.util.Map<String, Long> trackedEpochDays = new java.util.HashMap<>();

    synchronized List<EchoMatch> matches(long nowMs) {
        return matches(nowMs, 0, 0);
    }

    /**
     * As {@link #matches(long)}, with the minute in progress at {@code nowMs} (its close so far, E8, and
     * volume so far) as the newest point of the live window, when {@code partialCloseE8 > 0}: the window is
     * then the L - 1 closed minutes before it plus the partial minute, so the similarity moves with every
     * one-second decision instead of once a minute.
     */
    synchronized List<EchoMatch> matches(long nowMs, long partialCloseE8, double partialVolumeE8) {
        if (tCount == 0) {
            return List.of();
        }
        long nowDay = Math.floorDiv(nowMs, MS_PER_DAY);
        int lo = firstUsable(nowDay);
        int hi = endUsable(nowDay);
        if (lo >= hi) {
            return List.of();
        }
        // The last minute whose candle had closed at nowMs (a candle closes at open + 59 999 ms).
        long end = Math.floorDiv(nowMs + 1, MS_PER_MINUTE) - 1;
        if (!ring.holds(end)) {
            return List.of(); // no bar for the last closed minute: the live path is not current
        }
        int present = ring.window(end, L, wLog, wVol);
        if (partialCloseE8 > 0) {
            System.arraycopy(wLog, 1, wLog, 0, L - 1);
            System.arraycopy(wVol, 1, wVol, 0, L - 1);
            wLog[L - 1] = Math.log((double) partialCloseE8);
            wVol[L - 1] = partialVolumeE8 / 1e8;
        }
        if (present < minLeadInPresent) {
            return List.of();
        }
        double f = PathMath.centre(wLog, L, wCentred);
        if (f == 0.0) {
            return List.of();
        }
        boolean blend = volumeWeight > 0.0;
        double vf = 0.0;
        if (blend) {
            PathMath.volumeProfile(wVol, L, wVolProfile);
            vf = PathMath.centre(wVolProfile, L, wVolCentred);
        }
        double floor = p.minSimilarity();
        int cap = bestIdx.length;
        int found = 0;
        // The live path z-normalised is wCentred * L * f: its segment means bound every template's correlation
        PathMath.segmentMeans(wCentred, 0, L, segs, L * f, wSeg, 0);
        for (int i = lo; i < hi; i++) {
            // a template that cannot reach the floor, nor the weakest of a full list, is left out without its
            // full comparison; the bound errs high by far more than rounding, so no score it lets through changes
            double upper = PathMath.correlationBound(tSeg, i * segs, wSeg, segWeights, segs);
            if (blend) {
                upper = (1.0 - volumeWeight) * upper + volumeWeight; // a volume correlation is at most 1
            }
            if (boundFirst && upper < (found < cap ? floor : bestSim[cap - 1]) - BOUND_MARGIN) {
                continue;
            }
            fullComparisons++;
            double sim = PathMath.dot(tPath, i * L, wCentred, L) * f;
            if (blend) {
                double vs = vf == 0.0 ? 0.0 : PathMath.dot(tVol, i * L, wVolCentred, L) * vf;
                sim = (1.0 - volumeWeight) * sim + volumeWeight * vs;
            }
            sim = PathMath.clamp(sim);
            if (sim < floor) {
                continue;
            }
            int pos;
            if (found < cap) {
                pos = found++;
            } else if (sim > bestSim[cap - 1]) {
                pos = cap - 1;
            } else {
                continue;
            }
            while (pos > 0 && bestSim[pos - 1] < sim) {
                bestSim[pos] = bestSim[pos - 1];
                bestIdx[pos] = bestIdx[pos - 1];
                pos--;
            }
            bestSim[pos] = sim;
            bestIdx[pos] = i;
        }
        if (found == 0) {
            return List.of();
        }
        double liveVolume = 0;
        for (int k = 0; k < L; k++) {
            liveVolume += wVol[k];
        }
        double typical = baseline(nowDay);
        double activity = typical > 0 ? liveVolume / typical : Double.NaN;
        EchoMatch[] out = new EchoMatch[found];
        for (int r = 0; r < found; r++) {
            int i = bestIdx[r];
            EchoTemplate t = tMeta[i];
            out[r] = new EchoMatch(symbol, nowMs, t.templateDay(), t.moveClassPct(), lookbackLabel(nowDay - tDay[i]),
                    bestSim[r], t.direction(), t.movePct(), t.minutesToPeak(), activity);
        }
        return List.of(out);
    }

    private String lookbackLabel(long ageDays) {
        if (ageDays <= p.shortLookbackDays()) {
            return shortLabel;
        }
        return ageDays <= p.mediumLookbackDays() ? mediumLabel : ALL;
    }

    synchronized List<EchoTemplate> templates(long nowMs) {
        long nowDay = Math.floorDiv(nowMs, MS_PER_DAY);
        int lo = firstUsable(nowDay);
        int hi = endUsable(nowDay);
        return lo >= hi ? List.of() : List.of(Arrays.copyOfRange(tMeta, lo, hi));
    }

    synchronized List<EchoDay> days() {
        return List.copyOf(days);
    }

    synchronized double activityBaseline(long nowMs) {
        return baseline(Math.floorDiv(nowMs, MS_PER_DAY));
    }

    synchronized long lastMinuteOpenMs() {
        long latest = ring.latest();
        return latest == NONE ? -1 : latest * MS_PER_MINUTE;
    }

    private void fixBaseline(long day) {
        int slot = (int) Math.floorMod(day, (long) baselineDays.length);
        baselineValues[slot] = computeBaseline(day);
        baselineDays[slot] = day;
    }

    /** The baseline fixed when {@code day} began, or, for a day not (yet) begun in the data, computed from what is held. */
    private double baseline(long day) {
        int slot = (int) Math.floorMod(day, (long) baselineDays.length);
        return baselineDays[slot] == day ? baselineValues[slot] : computeBaseline(day);
    }

    /**
     * The typical volume of an L-minute window on {@code day}: the median of the volumes of every complete
     * (no missing minute) L-minute window in the {@code activityBaselineDays} days before it. The median,
     * not the mean, so a few burst minutes don't make every ordinary hour look quiet. When the days hold no
     * complete window, the mean volume per present minute times L; NaN when they hold no minute at all.
     */
    private double computeBaseline(long day) {
        int n = p.activityBaselineDays() * MPD;
        if (baselineVolumes == null) {
            baselineVolumes = new double[n];
            baselineSums = new double[n];
        }
        double[] v = baselineVolumes;
        ring.volumes((day - p.activityBaselineDays()) * MPD, n, v);
        int windows = 0;
        double sum = 0;
        int cnt = 0;
        double total = 0;
        int totalCnt = 0;
        for (int k = 0; k < n; k++) {
            double x = v[k];
            if (x == x) { // present
                sum += x;
                cnt++;
                total += x;
                totalCnt++;
            }
            if (k >= L) {
                double out = v[k - L];
                if (out == out) {
                    sum -= out;
                    cnt--;
                }
            }
            if (cnt == L) {
                baselineSums[windows++] = sum;
            }
        }
        if (windows > 0) {
            return median(baselineSums, windows);
        }
        return totalCnt > 0 ? total / totalCnt * L : Double.NaN;
    }

    /** Median of {@code a[0,n)} by quickselect (reorders a). */
    static double median(double[] a, int n) {
        double hi = select(a, n, n / 2);
        if ((n & 1) == 1) {
            return hi;
        }
        double lo = a[0];
        for (int k = 1; k < n / 2; k++) { // after select, a[0, n/2) holds the values <= a[n/2]
            lo = Math.max(lo, a[k]);
        }
        return (lo + hi) / 2;
    }

    private static double select(double[] a, int n, int k) {
        int left = 0;
        int right = n - 1;
        while (left < right) {
            double pivot = a[(left + right) >>> 1];
            int i = left;
            int j = right;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    double t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                right = j;
            } else if (k >= i) {
                left = i;
            } else {
                return a[k];
            }
        }
        return a[k];
    }

    synchronized long fullComparisons() {
        return fullComparisons;
    }

    /** For the benchmark and tests: templates held now. */
    synchronized int templateCount() {
        return tCount;
    }
}
