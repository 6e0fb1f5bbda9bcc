package io.aquatrade.market;

import io.aquatrade.model.Candle;
import io.aquatrade.model.MarketEvent;
import io.aquatrade.model.TradeTick;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class MergeTest {

    @Test
    void mergesRealCandlesOfThreeSymbolsInTimeOrderWithSourceOrderOnTies() throws Exception {
        MarketData.Discovery found = MarketData.discover(List.of(TestData.path("headed-2023")));
        assertThat(found.files()).extracting(DataFile::symbol).containsExactly("ADAUSDT", "BTCUSDT", "ETHUSDT");
        assertThat(found.files()).extracting(DataFile::format).containsOnly(DataFormat.HEADED_KLINES);
        try (MergedEventReader reader = MarketData.openAll(found.files(), ReadOptions.defaults().withReadThreads(0))) {
            List<MarketEvent> events = TestData.readAll(reader);

            assertThat(events).hasSize(61 + 101 + 101);
            CaptureReaderTest.assertNonDecreasing(events);
            // each minute: ADA, BTC, ETH (the order of the sources, i.e. of their paths)
            assertThat(events.subList(0, 3)).extracting(MarketEvent::symbol).containsExactly("ADAUSDT", "BTCUSDT", "ETHUSDT");
            assertThat(events.subList(0, 3)).extracting(MarketEvent::timeMs).containsOnly(1679658839999L);
            // after ADA's slice ends, BTC and ETH alternate
            assertThat(events.subList(events.size() - 2, events.size())).extracting(MarketEvent::symbol)
                    .containsExactly("BTCUSDT", "ETHUSDT");
            // no candle at all inside the real halt
            assertThat(events).noneMatch(e -> e.timeMs() > 1679661599999L && e.timeMs() < 1679666459999L);
            ReadReport summary = reader.summary();
            assertThat(summary.gaps()).isEqualTo(3);
            assertThat(summary.missingCandles()).isEqualTo(240);
            assertThat(summary.headerLines()).isEqualTo(3);
            assertThat(reader.delivered()).isEqualTo(263);
        }
    }

    @Test
    void symbolFilterSkipsOtherFilesAndTheWindowIsApplied() throws Exception {
        MarketData.Discovery found = MarketData.discover(List.of(TestData.path("headed-2023"), TestData.path("captures")));
        TimeWindow window = new TimeWindow(1679666400000L, 1679666400000L + 10 * 60_000L); // 14:00-14:10, candles closing inside
        try (MergedEventReader reader = MarketData.openAll(found.files(), ReadOptions.defaults().withReadThreads(0)
                .withSymbols(Set.of("ethusdt")).withWindow(window))) {
            List<MarketEvent> events = TestData.readAll(reader);

            assertThat(events).hasSize(10).allMatch(e -> e.symbol().equals("ETHUSDT") && window.contains(e.timeMs()));
            assertThat(reader.skippedFiles()).containsExactly("ADAUSDT-1m.csv.gz: symbol ADAUSDT not selected",
                    "BTCUSDT-1m.csv.gz: symbol BTCUSDT not selected");
            // captures name their symbols per message: they are read and their events filtered out
            assertThat(reader.mergeReport().filteredOut()).isGreaterThan(47);
        }
    }

    @Test
    void datedDumpsOutsideTheWindowAreNotOpened() throws Exception {
        MarketData.Discovery found = MarketData.discover(List.of(TestData.path("dumps")));
        TimeWindow jan1 = new TimeWindow(1735689600000L, 1735689600000L + 3_600_000L);
        try (MergedEventReader reader = MarketData.openAll(found.files(), ReadOptions.defaults().withWindow(jan1))) {
            List<MarketEvent> events = TestData.readAll(reader);
            assertThat(events).hasSize(60); // candles closing in [00:00, 01:00): opened 00:00..00:59
            assertThat(reader.skippedFiles()).singleElement().asString().startsWith("BTCUSDT-1m-2024-12-31.zip: covers");
            assertThat(reader.reports()).extracting(ReadReport::source).containsExactly("BTCUSDT-1m-2025-01-01.zip", "merge");
        }
    }

    @Test
    void readingAheadOnThreadsGivesTheSameStreamAsReadingInline() throws Exception {
        MarketData.Discovery found = MarketData.discover(List.of(TestData.path("headed-2023"), TestData.path("captures"),
                TestData.path("dumps"), TestData.path("trade-dumps")));
        List<MarketEvent> inline;
        ReadReport inlineSummary;
        try (MergedEventReader r = MarketData.openAll(found.files(), ReadOptions.defaults().withReadThreads(0))) {
            inline = TestData.readAll(r);
            inlineSummary = r.summary();
        }
        try (MergedEventReader r = MarketData.openAll(found.files(), ReadOptions.defaults().withReadThreads(2))) {
            List<MarketEvent> ahead = TestData.readAll(r);
            assertThat(ahead).hasSize(inline.size()).isEqualTo(inline);
            assertThat(r.summary().toString()).isEqualTo(inlineSummary.toString());
        }
        CaptureReaderTest.assertNonDecreasing(inline);
        assertThat(inline.size()).isGreaterThan(2880 + 263 + 88 + 230 + 451 + 558 + 100 - 1);
    }

    @Test
    void closingEarlyStopsTheReadAheadThreads() throws Exception {
        MarketData.Discovery found = MarketData.discover(List.of(TestData.path("dumps"), TestData.path("captures")));
        MergedEventReader r = MarketData.openAll(found.files(), ReadOptions.defaults().withReadThreads(2));
        for (int i = 0; i < 10; i++) {
            assertThat(r.next()).isNotNull();
        }
        r.close();
        assertThat(r.next()).isNull();
    }

    @Test
    void aSourceThatBreaksItsOrderIsCaughtByTheMerge() {
        ListReader bad = new ListReader("bad", List.of(trade("BTCUSDT", 10), trade("BTCUSDT", 5), trade("BTCUSDT", 20)));
        MergedEventReader merged = MergedEventReader.of(List.of(bad));
        assertThat(TestData.readAll(merged)).extracting(MarketEvent::timeMs).containsExactly(10L, 20L);
        assertThat(merged.mergeReport().outOfOrder()).isEqualTo(1);
        assertThat(merged.mergeReport().issues().get(0)).startsWith("merge: source 0 went back in time: TradeTick BTCUSDT");
    }

    @Test
    void openKlineUpdatesOfOneMinuteAreNotDuplicates() {
        Candle open1 = new Candle("BTCUSDT", 0, 60_000, 1, 1, 1, 1, 1, false, 2_000);
        Candle open2 = new Candle("BTCUSDT", 0, 60_000, 1, 2, 1, 2, 2, false, 4_000);
        Candle closed = new Candle("BTCUSDT", 0, 60_000, 1, 2, 1, 2, 3, true, 59_999);
        Candle closedAgain = Candle.closedMinute("BTCUSDT", 0, 1, 2, 1, 2, 3);
        MergedEventReader merged = MergedEventReader.of(List.of(new ListReader("a", List.of(open1, open2, closed)),
                new ListReader("b", List.of(closedAgain))));
        assertThat(TestData.readAll(merged)).containsExactly(open1, open2, closed);
        assertThat(merged.mergeReport().outOfOrder()).isEqualTo(1);
    }

    // ---- properties

    @Property
    void mergeIsSortedStableAndAPermutationOfItsInputs(@ForAll("sources") List<List<Long>> sources) {
        List<ListReader> readers = new ArrayList<>();
        List<Tagged> expected = new ArrayList<>();
        for (int s = 0; s < sources.size(); s++) {
            List<TradeTick> events = new ArrayList<>();
            for (int i = 0; i < sources.get(s).size(); i++) {
                // the quantity carries (source, position) so the test can see where each event came from
                TradeTick t = new TradeTick("S" + s, sources.get(s).get(i), 1, s * 1_000_000L + i, false);
                events.add(t);
                expected.add(new Tagged(t, s, i));
            }
            readers.add(new ListReader("s" + s, events));
        }
        List<MarketEvent> merged = TestData.readAll(MergedEventReader.of(readers));

        // the expected order: by time, then by source, then by position in the source (a stable sort)
        expected.sort(Comparator.comparingLong((Tagged t) -> t.event.timeMs()).thenComparingInt(t -> t.source)
                .thenComparingInt(t -> t.index));
        assertThat(merged).containsExactlyElementsOf(expected.stream().map(t -> (MarketEvent) t.event).toList());
        assertThat(readers).allMatch(r -> r.next() == null);
    }

    @Provide
    Arbitrary<List<List<Long>>> sources() {
        // few distinct times so that ties are common
        Arbitrary<List<Long>> one = Arbitraries.longs().between(0, 30).list().ofMaxSize(40)
                .map(l -> l.stream().sorted().toList());
        return one.list().ofMinSize(0).ofMaxSize(8);
    }

    private record Tagged(TradeTick event, int source, int index) {
    }

    private static TradeTick trade(String symbol, long t) {
        return new TradeTick(symbol, t, 1, 1, false);
    }
}
