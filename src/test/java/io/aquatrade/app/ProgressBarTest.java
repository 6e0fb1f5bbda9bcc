package io.aquatrade.app;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressBarTest {

    private static final long DAY = 86_400_000L;
    private static final long FROM = 1_681_862_400_000L; // 2023-04-19 00:00 UTC

    @Test
    void showsTheShareDoneAndTheTimeLeftFromTheRateSoFar() {
        ProgressBar bar = new ProgressBar(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                false, FROM - 7 * DAY, FROM, FROM + DAY, () -> 0);
        // first look at 10% of the window, 0 s: no rate yet
        assertThat(bar.line(FROM + DAY / 10, 0, 3, BigDecimal.TEN)).contains("[##......................]")
                .contains("10.0%").contains("estimating time left");
        // 20 s later the clock is at 50%: 40% took 20 s, so 50% more takes 25 s
        String half = bar.line(FROM + DAY / 2, 20_000, 40, new BigDecimal("9990.5"));
        assertThat(half).contains("[############............]").contains("50.0%").contains("25.0 s left")
                .contains("2023-04-19 12:00 UTC").contains("40 fills").contains("equity 9,990.50");
        assertThat(bar.line(FROM + DAY, 45_000, 80, BigDecimal.ONE)).contains("100.0%").contains("done");
        assertThat(bar.line(FROM + DAY - 1, 45_000, 80, BigDecimal.ONE)).contains("done"); // the last minute's close
    }

    @Test
    void warmUpShowsTheHistoryRead() {
        ProgressBar bar = new ProgressBar(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                false, FROM - 4 * DAY, FROM, FROM + DAY, () -> 0);
        assertThat(bar.line(FROM - 3 * DAY, 0, 0, BigDecimal.ONE)).contains("warming up").contains("1 day of 4 days")
                .contains("[######..................]");
    }

    @Test
    void withoutAKnownEndThereIsNoBarButTheClock() {
        ProgressBar bar = new ProgressBar(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                false, FROM - DAY, FROM, Long.MIN_VALUE, () -> 0);
        String line = bar.line(FROM + DAY / 2, 1000, 5, BigDecimal.ONE);
        assertThat(line).doesNotContain("[").doesNotContain("%").contains("2023-04-19 12:00 UTC");
    }

    @Test
    void aTerminalGetsOneRedrawnLineAFileALineEveryTenSeconds() {
        long[] now = {0};
        ByteArrayOutputStream tty = new ByteArrayOutputStream();
        ProgressBar onTerminal = new ProgressBar(new PrintStream(tty, true, StandardCharsets.UTF_8), true, FROM - DAY,
                FROM, FROM + DAY, () -> now[0]);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        ProgressBar toFile = new ProgressBar(new PrintStream(file, true, StandardCharsets.UTF_8), false, FROM - DAY,
                FROM, FROM + DAY, () -> now[0]);
        var portfolio = new io.aquatrade.portfolio.Portfolio("USDT", new BigDecimal("10000"), new BigDecimal("0.5"),
                BigDecimal.ONE, s -> s.replace("USDT", ""), (s, q, p) -> false);
        var recorder = new io.aquatrade.report.RunRecorder();
        for (int i = 0; i < 6; i++) {
            now[0] = i * 2000L;
            onTerminal.print(FROM + i * DAY / 10, 0, 0, portfolio, recorder);
            toFile.print(FROM + i * DAY / 10, 0, 0, portfolio, recorder);
        }
        onTerminal.finish();
        String t = tty.toString(StandardCharsets.UTF_8);
        assertThat(t.chars().filter(c -> c == '\r').count()).isEqualTo(6);
        assertThat(t.chars().filter(c -> c == '\n').count()).isEqualTo(1); // only finish() ends the line
        assertThat(file.toString(StandardCharsets.UTF_8).lines().count()).isEqualTo(2); // at 0 s and 10 s
    }
}
