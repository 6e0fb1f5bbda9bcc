package io.aquatrade.market;

import io.aquatrade.model.MarketEvent;
import io.aquatrade.model.TradeTick;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.LongRange;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReorderBufferTest {

    @Property
    void drainingGivesTheStableSortOfAnyInput(@ForAll @Size(max = 300) List<@LongRange(min = 0, max = 50) Long> times) {
        ReorderBuffer buffer = new ReorderBuffer();
        List<TradeTick> in = new ArrayList<>();
        for (int i = 0; i < times.size(); i++) {
            TradeTick t = new TradeTick("X", times.get(i), 1, i + 1, false); // qty = position, to check stability
            in.add(t);
            buffer.push(t.timeMs(), i, t);
        }
        assertThat(buffer.size()).isEqualTo(times.size());
        List<MarketEvent> out = new ArrayList<>();
        while (!buffer.isEmpty()) {
            long peek = buffer.peekTime();
            MarketEvent e = buffer.pop();
            assertThat(e.timeMs()).isEqualTo(peek);
            out.add(e);
        }
        List<TradeTick> expected = new ArrayList<>(in);
        expected.sort(Comparator.comparingLong(TradeTick::timeMs)); // List.sort is stable
        assertThat(out).containsExactlyElementsOf(expected);
    }

    @Property
    void releasingBehindAWatermarkOrdersInterleavedClocks(
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 3000) Integer> clockOffsets,
            @ForAll @Size(max = 400) List<@IntRange(min = 0, max = 7) Integer> sourceOfEach,
            @ForAll @IntRange(min = 0, max = 20) int step) {
        // several sources, each in order on its own clock, interleaved: the shape of a capture
        long window = 5_000;
        ReorderBuffer buffer = new ReorderBuffer();
        long[] clock = new long[clockOffsets.size()];
        for (int s = 0; s < clock.length; s++) {
            clock[s] = 1_000_000L - clockOffsets.get(s);
        }
        List<TradeTick> in = new ArrayList<>();
        List<MarketEvent> out = new ArrayList<>();
        long max = Long.MIN_VALUE;
        long seq = 0;
        for (int pick : sourceOfEach) {
            int s = pick % clock.length;
            clock[s] += step;
            TradeTick t = new TradeTick("S" + s, clock[s], 1, seq + 1, false);
            in.add(t);
            max = Math.max(max, t.timeMs());
            buffer.push(t.timeMs(), seq++, t);
            while (!buffer.isEmpty() && buffer.peekTime() <= max - window) {
                out.add(buffer.pop());
            }
        }
        while (!buffer.isEmpty()) {
            out.add(buffer.pop());
        }
        List<TradeTick> expected = new ArrayList<>(in);
        expected.sort(Comparator.comparingLong(TradeTick::timeMs));
        assertThat(out).containsExactlyElementsOf(expected);
    }
}
