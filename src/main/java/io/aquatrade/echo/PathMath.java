package io.aquatrade.echo;

import java.math.BigInteger;

/**
 * The arithmetic of path similarity, kept apart so it can be checked on its own.
 *
 * <p>A path is the log of the closes over a window. Cumulating log-returns from the window start
 * gives the same path shifted by a constant, and z-normalisation removes any shift and any positive
 * scale, so the similarity of two paths does not depend on price level (a path at twice the price
 * compares identically) nor on how volatile each was, only on its shape.
 */
final class PathMath {

    /** Below this standard deviation of log prices (about 1e-7 %) a path is flat: it has no shape to compare. */
    static final double FLAT_STD = 1e-9;

    private PathMath() {
    }

    /**
     * Writes the z-normalised {@code src[srcOff, srcOff+n)} (mean 0, population standard deviation 1,
     * hence a sum of squares of exactly n up to rounding) to {@code dst[dstOff, dstOff+n)}.
     *
     * @return false, leaving dst untouched, when the values are flat
     */
    static boolean zNormalise(double[] src, int srcOff, int n, double[] dst, int dstOff) {
        double mean = 0;
        for (int k = 0; k < n; k++) {
            mean += src[srcOff + k];
        }
        mean /= n;
        double ss = 0;
        for (int k = 0; k < n; k++) {
            double d = src[srcOff + k] - mean;
            ss += d * d;
        }
        double std = Math.sqrt(ss / n);
        if (!(std > FLAT_STD)) {
            return false;
        }
        double inv = 1.0 / std;
        for (int k = 0; k < n; k++) {
            dst[dstOff + k] = (src[srcOff + k] - mean) * inv;
        }
        return true;
    }

    /**
     * Centres {@code src[0,n)} into {@code centred} and returns {@code 1 / (sqrt(n) * |centred|)}, the factor
     * that turns a dot product with a z-normalised template into Pearson's correlation (the template
     * sums to 0 and has squared norm n, so it needs no centring of its partner). Returns 0 for a flat path.
     */
    static double centre(double[] src, int n, double[] centred) {
        double mean = 0;
        for (int k = 0; k < n; k++) {
            mean += src[k];
        }
        mean /= n;
        double ss = 0;
        for (int k = 0; k < n; k++) {
            double d = src[k] - mean;
            centred[k] = d;
            ss += d * d;
        }
        if (!(Math.sqrt(ss / n) > FLAT_STD)) {
            return 0.0;
        }
        return 1.0 / Math.sqrt(n * ss);
    }

    /** Dot product of {@code template[off, off+n)} with {@code centred[0,n)}. */
    static double dot(double[] template, int off, double[] centred, int n) {
        double s0 = 0, s1 = 0;
        int k = 0;
        // Two accumulators let the JIT overlap the multiply-adds.
        for (; k + 1 < n; k += 2) {
            s0 += template[off + k] * centred[k];
            s1 += template[off + k + 1] * centred[k + 1];
        }
        if (k < n) {
            s0 += template[off + k] * centred[k];
        }
        return s0 + s1;
    }

    /** Segments of the coarse path a correlation is first bounded with (see {@link #correlationBound}). */
    static final int SEGMENTS = 12;

    /** How many segments a path of n points is cut into. */
    static int segments(int n) {
        return Math.min(n, SEGMENTS);
    }

    /** Start of segment j of k over n points: the segments differ in length by at most one point. */
    private static int segmentStart(int j, int n, int k) {
        return j * n / k;
    }

    /** Writes the means of the k segments of {@code src[off, off+n)} times {@code scale} to {@code dst[dstOff, dstOff+k)}. */
    static void segmentMeans(double[] src, int off, int n, int k, double scale, double[] dst, int dstOff) {
        for (int j = 0; j < k; j++) {
            int from = segmentStart(j, n, k);
            int to = segmentStart(j + 1, n, k);
            double sum = 0;
            for (int i = from; i < to; i++) {
                sum += src[off + i];
            }
            dst[dstOff + j] = sum / (to - from) * scale;
        }
    }

    /** Per segment, its length over 2n: the weights of {@link #correlationBound}. */
    static double[] segmentWeights(int n, int k) {
        double[] w = new double[k];
        for (int j = 0; j < k; j++) {
            w[j] = (segmentStart(j + 1, n, k) - segmentStart(j, n, k)) / (2.0 * n);
        }
        return w;
    }

    /**
     * An upper bound of the correlation of two z-normalised paths of n points from their k segment means
     * {@code a[aOff, aOff+k)} and {@code b[0,k)}: their squared distance is 2n(1 - r), and the segment means
     * never overstate it (per segment, n_j (mean a - mean b)^2 <= the sum of its squared differences), so
     * {@code r <= 1 - sum n_j (mean a - mean b)^2 / 2n}. A dozen terms instead of n rule out most templates.
     */
    static double correlationBound(double[] a, int aOff, double[] b, double[] weights, int k) {
        double d = 0;
        for (int j = 0; j < k; j++) {
            double x = a[aOff + j] - b[j];
            d += weights[j] * x * x;
        }
        return 1.0 - d;
    }

    /** Pearson's correlation of two equally long series; NaN when either is flat. For tests and diagnostics. */
    static double pearson(double[] a, double[] b) {
        if (a.length != b.length || a.length < 2) {
            throw new IllegalArgumentException("pearson needs two series of equal length >= 2, got "
                    + a.length + " and " + b.length);
        }
        int n = a.length;
        double[] za = new double[n];
        if (!zNormalise(a, 0, n, za, 0)) {
            return Double.NaN;
        }
        double[] cb = new double[n];
        double f = centre(b, n, cb);
        return f == 0.0 ? Double.NaN : clamp(dot(za, 0, cb, n) * f);
    }

    /**
     * Writes the volume-activity profile of {@code volumes[0,n)} to {@code out}: {@code ln(v + mean)},
     * which depends only on v / mean once z-normalised, tolerates zero volumes and damps the single-minute
     * spikes that would otherwise dominate a correlation.
     */
    static void volumeProfile(double[] volumes, int n, double[] out) {
        double mean = 0;
        for (int k = 0; k < n; k++) {
            mean += volumes[k];
        }
        mean /= n;
        if (!(mean > 0)) {
            java.util.Arrays.fill(out, 0, n, 0.0);
            return;
        }
        for (int k = 0; k < n; k++) {
            out[k] = Math.log(volumes[k] + mean);
        }
    }

    /** Rounding can carry a perfect correlation a hair past 1. */
    static double clamp(double r) {
        return r > 1.0 ? 1.0 : (r < -1.0 ? -1.0 : r);
    }

    /** Exactly: does {@code rangeE8 / openE8 >= pct / 100}? Longs, so a range of exactly 3.00% is class 3. */
    static boolean reachesPct(long rangeE8, long openE8, int pct) {
        long hi1 = Math.multiplyHigh(rangeE8, 100L);
        long hi2 = Math.multiplyHigh(openE8, pct);
        if (hi1 == 0 && hi2 == 0 && rangeE8 >= 0 && openE8 >= 0) {
            long a = rangeE8 * 100L;
            long b = openE8 * pct;
            if (a >= 0 && b >= 0) {
                return a >= b;
            }
        }
        return BigInteger.valueOf(rangeE8).multiply(BigInteger.valueOf(100))
                .compareTo(BigInteger.valueOf(openE8).multiply(BigInteger.valueOf(pct))) >= 0;
    }
}
