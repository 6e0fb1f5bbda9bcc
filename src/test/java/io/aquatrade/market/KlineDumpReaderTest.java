package io.aquatrade.market;

import io.aquatrade.model.Candle;
import io.aquatrade.model.Decimals;
import io.aquatrade.model.MarketEvent;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KlineDumpReaderTest {

    @Test
    void readsMillisecondDumpOf2024_12_31() {
        KlineDumpReader reader = new KlineDumpReader(TestData.path("dumps/BTCUSDT-1m-2024-12-31.zip"), "BTCUSDT", 60_000);
        List<MarketEvent> events = TestData.readAll(reader);

        assertThat(events).hasSize(1440).allMatch(e -> e instanceof Candle c && c.closed() && c.intervalMs() == 60_000);
        // first row: 1735603200000,92792.05000000,92832.25000000,92782.12000000,92782.13000000,6.45789000,1735603259999,...
        assertThat(events.get(0)).isEqualTo(Candle.closedMinute("BTCUSDT", 1735603200000L, Decimals.parseE8("92792.05"),
                Decimals.parseE8("92832.25"), Decimals.parseE8("92782.12"), Decimals.parseE8("92782.13"),
                Decimals.parseE8("6.45789")));
        assertThat(events.get(0).timeMs()).isEqualTo(1735603259999L);
        // last row: 1735689540000,...,1735689599999,...
        assertThat(((Candle) events.get(1439)).openTimeMs()).isEqualTo(1735689540000L);
        ReadReport r = reader.reports().get(0);
        assertThat(r.events()).isEqualTo(1440);
        assertThat(r.malformed()).isZero();
        assertThat(r.gaps()).isZero();
        assertThat(r.clean()).isTrue();
        assertThat(r.source()).isEqualTo("BTCUSDT-1m-2024-12-31.zip");
    }

    @Test
    void readsMicrosecondDumpOf2025_01_01AsMilliseconds() {
        List<MarketEvent> events = TestData.readAll(
                new KlineDumpReader(TestData.path("dumps/BTCUSDT-1m-2025-01-01.zip"), "BTCUSDT", 60_000));

        assertThat(events).hasSize(1440);
        // first row: 1735689600000000,93576.00000000,93610.93000000,93537.50000000,93610.93000000,8.21827000,1735689659999999,...
        Candle first = (Candle) events.get(0);
        assertThat(first.openTimeMs()).isEqualTo(1735689600000L);
        assertThat(first.timeMs()).isEqualTo(1735689659999L);
        assertThat(first.openE8()).isEqualTo(Decimals.parseE8("93576.00000000"));
        assertThat(first.highE8()).isEqualTo(Decimals.parseE8("93610.93"));
        assertThat(first.lowE8()).isEqualTo(Decimals.parseE8("93537.5"));
        assertThat(first.closeE8()).isEqualTo(Decimals.parseE8("93610.93"));
        assertThat(first.volumeE8()).isEqualTo(Decimals.parseE8("8.21827"));
        // last row: 1735775940000000,94605.52000000,...,1735775999999999
        assertThat(events.get(1439).timeMs()).isEqualTo(1735775999999L);
        for (int i = 1; i < events.size(); i++) {
            assertThat(((Candle) events.get(i)).openTimeMs() - ((Candle) events.get(i - 1)).openTimeMs()).isEqualTo(60_000);
        }
    }

    @Test
    void plainCsvFormOfTheDumpGivesTheSameCandlesAsTheZip() {
        List<MarketEvent> csv = TestData.readAll(new KlineDumpReader(
                TestData.path("dumps-csv/BTCUSDT-1m-2025-01-01-first120.csv"), "BTCUSDT", 60_000));
        List<MarketEvent> zip = TestData.readAll(
                new KlineDumpReader(TestData.path("dumps/BTCUSDT-1m-2025-01-01.zip"), "BTCUSDT", 60_000));
        assertThat(csv).hasSize(120).isEqualTo(zip.subList(0, 120));
    }

    @Test
    void derivesTheIntervalFromEachRowWhenNotGiven() {
        List<MarketEvent> events = TestData.readAll(
                new KlineDumpReader(TestData.path("dumps/BTCUSDT-1m-2025-01-01.zip"), "BTCUSDT", 0));
        assertThat(events).hasSize(1440).allMatch(e -> ((Candle) e).intervalMs() == 60_000);
    }

    @Test
    void dailyFilesChainAcrossTheMillisecondToMicrosecondSwitchWithoutAGap() throws Exception {
        MarketData.Discovery found = MarketData.discover(List.of(TestData.path("dumps")));
        assertThat(found.files()).extracting(DataFile::format).containsOnly(DataFormat.KLINE_DUMP);
        try (MergedEventReader reader = MarketData.openAll(found.files(), ReadOptions.defaults().withReadThreads(0))) {
            List<MarketEvent> events = TestData.readAll(reader);
            assertThat(events).hasSize(2880);
            for (int i = 1; i < events.size(); i++) {
                assertThat(((Candle) events.get(i)).openTimeMs() - ((Candle) events.get(i - 1)).openTimeMs())
                        .as("step at %d", i).isEqualTo(60_000);
            }
            ReadReport summary = reader.summary();
            assertThat(summary.gaps()).isZero();
            assertThat(summary.malformed()).isZero();
            assertThat(summary.outOfOrder()).isZero();
            assertThat(reader.reports()).extracting(ReadReport::source)
                    .containsExactly("BTCUSDT-1m-2024-12-31.zip", "BTCUSDT-1m-2025-01-01.zip", "merge");
        }
    }

    @Test
    void overlappingSourcesDeliverEachCandleOnceAndReportTheDuplicates() throws Exception {
        DataFile zip = MarketData.detect(TestData.path("dumps/BTCUSDT-1m-2025-01-01.zip"), null);
        DataFile csv = MarketData.detect(TestData.path("dumps-csv/BTCUSDT-1m-2025-01-01-first120.csv"), null);
        assertThat(csv.format()).isEqualTo(DataFormat.KLINE_DUMP);
        assertThat(csv.symbol()).isEqualTo("BTCUSDT");
        try (MergedEventReader reader = MarketData.openAll(List.of(zip, csv), ReadOptions.defaults().withReadThreads(0))) {
            List<MarketEvent> events = TestData.readAll(reader);
            assertThat(events).hasSize(1440).doesNotHaveDuplicates();
            assertThat(reader.mergeReport().outOfOrder()).isEqualTo(120);
            assertThat(reader.mergeReport().issues().get(0))
                    .startsWith("merge: duplicate BTCUSDT 1m candle opened at 2025-01-01T00:00:00Z");
        }
    }

    @Test
    void badRowsAreReportedWithFileAndLineAndReadingContinues(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path f = dir.resolve("BTCUSDT-1m-2025-01-01.csv");
        Files.writeString(f, String.join("\n",
                "1735689600000000,93576.00000000,93610.93000000,93537.50000000,93610.93000000,8.21827000,1735689659999999,768978.75522470,2631,3.95157000,369757.32652890,0",
                "1735689660000000,93610.93000000,93652.00000000,93606.20000000,93652.00000000,12.14029000,1735689719999999,1136550.56817500,1273,4.08887000,382791.50017200",
                "1735689720000000,93652.00000000,93702.15000000,93635.98000000,93702.15000000,11.60597000,1735689789999999,1087100.82446340,1095,5.86840000,549682.86857020,0",
                "1735689780000000,93702.15000000,93702.15000000,93800.00000000,93702.15000000,1.0,1735689839999999,1,1,1,1,0",
                "17356897x0000000,93702.15000000,93702.15000000,93700.00000000,93702.15000000,1.0,1735689899999999,1,1,1,1,0",
                "1735689720000000,93652.00000000,93702.15000000,93635.98000000,93702.15000000,11.60597000,1735689779999999,1087100.82446340,1095,5.86840000,549682.86857020,0",
                "1735689660000000,93610.93000000,93652.00000000,93606.20000000,93652.00000000,12.14029000,1735689719999999,1136550.56817500,1273,4.08887000,382791.50017200,0",
                ""));
        KlineDumpReader reader = new KlineDumpReader(f, "BTCUSDT", 60_000);
        List<MarketEvent> events = TestData.readAll(reader);

        // 00:00, then 00:02 (line 6) leaving a gap, then 00:01 (line 7) filling it: the lone jump is the outlier
        assertThat(events).extracting(MarketEvent::timeMs).containsExactly(1735689659999L, 1735689719999L);
        ReadReport r = reader.reports().get(0);
        assertThat(r.malformed()).isEqualTo(4);
        assertThat(r.outOfOrder()).isEqualTo(1);
        assertThat(r.issues()).containsExactly(
                "BTCUSDT-1m-2025-01-01.csv:2: expected 12 columns, found 11",
                "BTCUSDT-1m-2025-01-01.csv:3: closeTime 2025-01-01T00:03:09.999Z does not close the 1m candle opened at 2025-01-01T00:02:00Z",
                "BTCUSDT-1m-2025-01-01.csv:4: high/low do not bracket open/close: open=93702.15 high=93702.15 low=93800 close=93702.15",
                "BTCUSDT-1m-2025-01-01.csv:5: column 'openTime' is not an epoch time: '17356897x0000000'",
                "BTCUSDT-1m-2025-01-01.csv:6: candle opened at 2025-01-01T00:02:00Z is ahead of the rows before "
                        + "(2025-01-01T00:00:00Z) and after it (2025-01-01T00:01:00Z): dropped as out of order");
        assertThat(r.events()).isEqualTo(2);
        assertThat(r.gaps()).isZero();
    }

    @Test
    void aHeaderLineAsInBinanceFuturesDumpsIsCountedNotReported(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path f = dir.resolve("BTCUSDT-1m-2024-12-31.csv");
        Files.writeString(f, "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,"
                + "taker_buy_quote_volume,ignore\n"
                + "1735603200000,92792.05000000,92832.25000000,92782.12000000,92782.13000000,6.45789000,1735603259999,"
                + "599298.29174060,1660,4.36611000,405183.17952120,0\n");
        KlineDumpReader reader = new KlineDumpReader(f, "BTCUSDT", 60_000);
        assertThat(TestData.readAll(reader)).hasSize(1);
        assertThat(reader.reports().get(0).headerLines()).isEqualTo(1);
        assertThat(reader.reports().get(0).clean()).isTrue();
    }
}
