package io.aquatrade.echo;

import io.aquatrade.model.Direction;
import io.aquatrade.model.EchoMatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;

import static io.aquatrade.echo.SynthMarket.DAY0;
import static io.aquatrade.echo.SynthMarket.closeMs;
import static io.aquatrade.echo.SynthMarket.minuteOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Properties of the similarity, each checked on many seeded random paths (reproducible: the seed is the
 * test's name). Random walks of random length and volatility, as prices are.
 */
class SimilarityPropertiesTest {

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 300);
    }

    static LongStream engineSeeds() {
        return LongStream.rangeClosed(1, 25);
    }

    private static double[] walk(Random r, int n) {
        double sigma = Math.exp(-9 + 6 * r.nextDouble()); // 1e-4 .. 5e-2 per step
        double[] p = new double[n];
        p[0] = Math.log(0.001 + r.nextDouble() * 50_000);
        for (int k = 1; k < n; k++) {
            p[k] = p[k - 1] + sigma * r.nextGaussian();
        }
        return p;
    }

    /** Pearson's r the textbook way, independent of PathMath. */
    private static double textbookPearson(double[] a, double[] b) {
        int n = a.length;
        double ma = 0, mb = 0;
        for (int k = 0; k < n; k++) {
            ma += a[k] / n;
            mb += b[k] / n;
        }
        double sab = 0, saa = 0, sbb = 0;
        for (int k = 0; k < n; k++) {
            sab += (a[k] - ma) * (b[k] - mb);
            saa += (a[k] - ma) * (a[k] - ma);
            sbb += (b[k] - mb) * (b[k] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    private static double[] map(double[] p, java.util.function.DoubleUnaryOperator f) {
        double[] out = new double[p.length];
        for (int k = 0; k < p.length; k++) {
            out[k] = f.applyAsDouble(p[k]);
        }
        return out;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void similarityIsPearsonBoundedSymmetricAndBlindToPriceLevelAndVolatility(long seed) {
        Random r = new Random(seed);
        int n = 10 + r.nextInt(290);
        double[] a = walk(r, n);
        double[] b = walk(r, n);

        double ab = PathMath.pearson(a, b);
        assertThat(ab).isBetween(-1.0, 1.0);
        assertThat(ab).isCloseTo(textbookPearson(a, b), within(1e-9));
        assertThat(PathMath.pearson(b, a)).isCloseTo(ab, within(1e-9));

        assertThat(PathMath.pearson(a, a)).isCloseTo(1.0, within(1e-12));
        assertThat(PathMath.pearson(a, map(a, x -> -x))).isCloseTo(-1.0, within(1e-12));
        // Prices times 2 (or any factor): the log path shifts by a constant.
        double lnFactor = Math.log(0.01 + r.nextDouble() * 1000);
        assertThat(PathMath.pearson(a, map(b, x -> x + lnFactor))).isCloseTo(ab, within(1e-9));
        assertThat(PathMath.pearson(map(a, x -> x + Math.log(2)), b)).isCloseTo(ab, within(1e-9));
        // A calmer or wilder version of the same shape: positive scale of the log path.
        double vol = 0.01 + r.nextDouble() * 100;
        assertThat(PathMath.pearson(a, map(b, x -> vol * x))).isCloseTo(ab, within(1e-9));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void zNormalisedPathsHaveMeanZeroAndUnitVariance(long seed) {
        Random r = new Random(seed);
        int n = 10 + r.nextInt(290);
        double[] a = walk(r, n);
        double[] z = new double[n + 3];
        assertThat(PathMath.zNormalise(a, 0, n, z, 3)).isTrue();
        double sum = 0, ss = 0;
        for (int k = 3; k < n + 3; k++) {
            sum += z[k];
            ss += z[k] * z[k];
        }
        assertThat(sum / n).isCloseTo(0.0, within(1e-9));
        assertThat(ss / n).isCloseTo(1.0, within(1e-9));
        assertThat(z[0]).isZero(); // nothing written before the offset
    }

    /** The bound the engine rules templates out with never falls below the correlation it stands for. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theSegmentBoundNeverUndercutsTheCorrelation(long seed) {
        Random r = new Random(seed);
        int n = 10 + r.nextInt(290);
        double[] a = walk(r, n);
        double[] b = r.nextBoolean() ? walk(r, n) : map(a, x -> x + 1e-3 * r.nextGaussian()); // unrelated or alike
        assertThat(segmentBound(a, b)).isGreaterThanOrEqualTo(textbookPearson(a, b) - 1e-12);
        assertThat(segmentBound(a, a)).isCloseTo(1.0, within(1e-9));
        // the mirror image: the bound sees it is nowhere near similar (it keeps most of a walk's shape)
        assertThat(segmentBound(a, map(a, x -> -x))).isLessThan(0.0);
    }

    private static double segmentBound(double[] template, double[] live) {
        int n = template.length;
        double[] t = new double[n];
        assertThat(PathMath.zNormalise(template, 0, n, t, 0)).isTrue();
        double[] c = new double[n];
        double f = PathMath.centre(live, n, c);
        int k = PathMath.segments(n);
        double[] ts = new double[k];
        double[] ls = new double[k];
        PathMath.segmentMeans(t, 0, n, k, 1.0, ts, 0);
        PathMath.segmentMeans(c, 0, n, k, n * f, ls, 0);
        return PathMath.correlationBound(ts, 0, ls, PathMath.segmentWeights(n, k), k);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aFlatPathHasNoShape(long seed) {
        double level = Math.log(1 + new Random(seed).nextDouble() * 1000);
        double[] flat = new double[60];
        java.util.Arrays.fill(flat, level);
        assertThat(PathMath.zNormalise(flat, 0, 60, new double[60], 0)).isFalse();
        assertThat(PathMath.centre(flat, 60, new double[60])).isZero();
        assertThat(PathMath.pearson(flat, walk(new Random(seed), 60))).isNaN();
    }

    /**
     * End to end through candles in E8: a live window with the template's lead-in shape at any price scale
     * scores about 1, its mirror image about -1, whatever the price level of either.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("engineSeeds")
    void theEngineScoresTheSameShapeAtAnyPriceOneAndItsMirrorMinusOne(long seed) {
        Random r = new Random(seed);
        double[] path = SynthMarket.randomPath(seed, 60, 0.002 + r.nextDouble() * 0.006);
        double templateLevel = 0.1 + r.nextDouble() * 50_000;
        double liveLevel = 0.1 + r.nextDouble() * 50_000;
        boolean mirror = r.nextBoolean();
        Direction dir = r.nextBoolean() ? Direction.UP : Direction.DOWN;
        double move = 3.5 + r.nextDouble() * 20;
        int peak = 1 + r.nextInt(400);

        EchoEngine engine = new EchoEngine(EchoParams.defaults().withMinSimilarity(-1));
        SynthMarket m = new SynthMarket("PROPUSDT");
        m.moverDay(DAY0, 300 + r.nextInt(600), path, dir, move, peak, templateLevel, 1 + r.nextInt(1000));
        long end = minuteOf(DAY0 + 1, 60 + r.nextInt(1300));
        m.resetOpen();
        m.path(end - 59, liveLevel, mirror ? map(path, x -> -x) : path, 5);
        m.feed(engine);

        List<EchoMatch> ms = engine.matches("PROPUSDT", closeMs(end));
        assertThat(ms).hasSize(1);
        assertThat(ms.get(0).similarity()).isCloseTo(mirror ? -1.0 : 1.0, within(1e-6));
        assertThat(ms.get(0).direction()).isEqualTo(dir);
        assertThat(ms.get(0).expectedMovePct()).isCloseTo(move, within(1e-4));
        assertThat(ms.get(0).minutesToPeak()).isEqualTo(peak);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theBaselineMedianIsTheMedianOfTheSortedValues(long seed) {
        Random r = new Random(seed);
        int n = 1 + r.nextInt(3000);
        double[] a = new double[n];
        for (int k = 0; k < n; k++) {
            a[k] = r.nextInt(4) == 0 ? 600 : Math.floor(r.nextDouble() * (1 + r.nextInt(50))); // many ties
        }
        double[] sorted = a.clone();
        java.util.Arrays.sort(sorted);
        double expected = (n & 1) == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        assertThat(SymbolEcho.median(a, n)).isEqualTo(expected);
    }
}
