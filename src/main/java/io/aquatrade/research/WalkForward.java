package io.aquatrade.research;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Rolling walk-forward folds over UTC days. The range is cut into {@code folds + 2} equal blocks of
 * whole days (left-over days go before the first block, as extra warm-up): fold i trains on blocks i and
 * i+1 and is scored on block i+2, the unseen days that follow. Every test window starts the day after
 * its training window ends, so no training score can contain a test day.
 */
public final class WalkForward {

    /** Training blocks per fold. */
    public static final int TRAIN_BLOCKS = 2;

    /** One fold: training days then the test days right after, both inclusive. */
    public record Fold(int index, LocalDate trainFrom, LocalDate trainTo, LocalDate testFrom, LocalDate testTo) {
        public Fold {
            if (!testFrom.isAfter(trainTo)) {
                throw new IllegalArgumentException("fold " + index + ": test window " + testFrom
                        + " must start after the training window's end " + trainTo);
            }
        }

        public int trainDays() {
            return (int) ChronoUnit.DAYS.between(trainFrom, trainTo) + 1;
        }

        public int testDays() {
            return (int) ChronoUnit.DAYS.between(testFrom, testTo) + 1;
        }
    }

    private WalkForward() {
    }

    /** {@code folds} rolling folds covering {@code from..to} (inclusive); the last test window ends on {@code to}. */
    public static List<Fold> rolling(LocalDate from, LocalDate to, int folds) {
        if (folds < 1) {
            throw new IllegalArgumentException("--folds must be at least 1, got " + folds);
        }
        long days = ChronoUnit.DAYS.between(from, to) + 1;
        int blocks = folds + TRAIN_BLOCKS;
        if (days < blocks) {
            throw new IllegalArgumentException(folds + " fold(s) need at least " + blocks + " days ("
                    + TRAIN_BLOCKS + " training blocks + one test block per fold), " + from + " .. " + to + " has " + days);
        }
        long b = days / blocks;
        LocalDate start = from.plusDays(days - b * blocks);
        List<Fold> out = new ArrayList<>();
        for (int i = 0; i < folds; i++) {
            LocalDate trainFrom = start.plusDays(i * b);
            LocalDate trainTo = trainFrom.plusDays(TRAIN_BLOCKS * b - 1);
            LocalDate testFrom = trainTo.plusDays(1);
            out.add(new Fold(i + 1, trainFrom, trainTo, testFrom, testFrom.plusDays(b - 1)));
        }
        return out;
    }
}
