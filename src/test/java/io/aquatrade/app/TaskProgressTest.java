package io.aquatrade.app;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class TaskProgressTest {

    @Test
    void intoALogItWritesALinePerTenthWithTheTimeLeftAndEndsDone() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong wall = new AtomicLong(1_000_000);
        TaskProgress p = new TaskProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, wall::get);
        for (int done = 0; done <= 100; done++) {
            wall.addAndGet(2_000); // 2 s a part: at 20 of 100 parts 42 s are spent, so 4 × 42 s are left
            p.show(done, 100, "BTCUSDT");
        }
        p.done();
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(11); // 0 %, 10 % … 100 %: one line per tenth, none twice
        assertThat(lines.get(0)).contains("[........................]").contains("  0%").contains("estimating time left");
        assertThat(lines.get(2)).contains("[#####...................]").contains(" 20%").contains("20/100  BTCUSDT")
                .contains("42.0 s elapsed").contains("2 min 48 s left");
        assertThat(lines.get(10)).contains("[########################]").contains("100%").contains("done");
    }

    @Test
    void onATerminalItRedrawsOneLineAndEndsIt() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong wall = new AtomicLong();
        TaskProgress p = new TaskProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, wall::get);
        p.update(0.5);
        p.update(0.5); // nothing new: nothing drawn
        p.done();
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out.chars().filter(c -> c == '\r').count()).isEqualTo(2);
        assertThat(out).endsWith(System.lineSeparator()).contains(" 50%").contains("100%");
    }
}
