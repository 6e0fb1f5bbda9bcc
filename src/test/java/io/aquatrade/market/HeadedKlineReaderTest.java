package io.aquatrade.market;

import io.aquatrade.model.Candle;
import io.aquatrade.model.Decimals;
import io.aquatrade.model.MarketEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class HeadedKlineReaderTest {

    @Test
    void reportsTheRealHaltGapOf2023_03_24AsFoundWithoutFillingIt() {
        HeadedKlineReader reader = new HeadedKlineReader(TestData.path("headed-2023/BTCUSDT-1m.csv.gz"), "BTCUSDT", 60_000);
        List<MarketEvent> events = TestData.readAll(reader);

        assertThat(events).hasSize(101);
        // first data row: 1679658780000,28080.0,28080.0,28080.0,28080.0,0.0
        assertThat(events.get(0)).isEqualTo(Candle.closedMinute("BTCUSDT", 1679658780000L, Decimals.parseE8("28080"),
                Decimals.parseE8("28080"), Decimals.parseE8("28080"), Decimals.parseE8("28080"), 0));
        // 2023-03-24 12:39 is followed directly by 14:00: 80 minutes missing, delivered as they are
        Candle before = (Candle) events.get(46);
        Candle after = (Candle) events.get(47);
        assertThat(before.openTimeMs()).isEqualTo(1679661540000L);
        assertThat(after.openTimeMs()).isEqualTo(1679666400000L);
        assertThat(after).isEqualTo(Candle.closedMinute("BTCUSDT", 1679666400000L, Decimals.parseE8("28079.99"),
                Decimals.parseE8("28079.99"), Decimals.parseE8("27901.06"), Decimals.parseE8("27925.59"),
                Decimals.parseE8("293.30587")));

        ReadReport r = reader.reports().get(0);
        assertThat(r.headerLines()).isEqualTo(1);
        assertThat(r.events()).isEqualTo(101);
        assertThat(r.malformed()).isZero();
        assertThat(r.gaps()).isEqualTo(1);
        assertThat(r.missingCandles()).isEqualTo(80);
        assertThat(r.gapNotes()).containsExactly("BTCUSDT-1m.csv.gz:49: 80 missing 1m candles from 2023-03-24T12:40:00Z"
                + " to 2023-03-24T13:59:00Z (open times; reported as found, not filled)");
        assertThat(r.clean()).isTrue();
    }

    @Test
    void corruptedLinesAreReportedWithFileLineAndReasonAndReadingContinues() {
        HeadedKlineReader reader = new HeadedKlineReader(TestData.path("corrupt/BTCUSDT-1m.csv.gz"), "BTCUSDT", 60_000);
        List<MarketEvent> events = TestData.readAll(reader);

        ReadReport r = reader.reports().get(0);
        assertThat(r.malformed()).isEqualTo(2);
        assertThat(r.issues()).containsExactly(
                "BTCUSDT-1m.csv.gz:30: column 'high' is not a number: 'abc'",
                "BTCUSDT-1m.csv.gz:60: expected 6 columns like the header, found 5");
        assertThat(events).hasSize(99);
        assertThat(events).extracting(e -> ((Candle) e).openTimeMs())
                .doesNotContain(1679660460000L, 1679667060000L) // the two broken rows
                .contains(1679667120000L) // the row after the last broken one
                .last().isEqualTo(1679669580000L); // the file's last row
        // the broken rows are not gaps in the data: the gap list names only the real halt and the two dropped rows
        assertThat(r.gapNotes()).hasSize(3);
    }

    @Test
    void findsColumnsByHeaderNameAndAbandonsAFileWithoutTheNeededColumns(@TempDir Path dir) throws Exception {
        Path reordered = dir.resolve("XRPUSDT-1m.csv.gz");
        gzip(reordered, "volume,close,low,high,open,open_time_ms,trades\n"
                + "1000.5,0.51,0.5,0.52,0.505,1680652800000,12\n");
        List<MarketEvent> events = TestData.readAll(new HeadedKlineReader(reordered, "XRPUSDT", 60_000));
        assertThat(events).containsExactly(Candle.closedMinute("XRPUSDT", 1680652800000L, Decimals.parseE8("0.505"),
                Decimals.parseE8("0.52"), Decimals.parseE8("0.5"), Decimals.parseE8("0.51"), Decimals.parseE8("1000.5")));

        Path noVolume = dir.resolve("XRPUSDT-5m.csv");
        Files.writeString(noVolume, "open_time_ms,open,high,low,close\n1680652800000,1,1,1,1\n1680653100000,1,1,1,1\n");
        HeadedKlineReader bad = new HeadedKlineReader(noVolume, "XRPUSDT", 300_000);
        assertThat(TestData.readAll(bad)).isEmpty();
        assertThat(bad.reports().get(0).issues()).containsExactly(
                "XRPUSDT-5m.csv:1: header has no column 'volume': 'open_time_ms,open,high,low,close'; file not read");
        assertThat(bad.reports().get(0).malformed()).isEqualTo(1);
    }

    @Test
    void aMissingFileIsAFileErrorNotAnException(@TempDir Path dir) {
        HeadedKlineReader reader = new HeadedKlineReader(dir.resolve("NOPEUSDT-1m.csv.gz"), "NOPEUSDT", 60_000);
        assertThat(TestData.readAll(reader)).isEmpty();
        assertThat(reader.reports().get(0).fileError()).startsWith("NOPEUSDT-1m.csv.gz: cannot read file: no such file");
    }

    @Test
    void aTruncatedGzipEndsThatFileWithAFileErrorAfterItsGoodLines(@TempDir Path dir) throws Exception {
        byte[] whole = Files.readAllBytes(TestData.path("headed-2023/BTCUSDT-1m.csv.gz"));
        Path truncated = dir.resolve("BTCUSDT-1m.csv.gz");
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));
        HeadedKlineReader reader = new HeadedKlineReader(truncated, "BTCUSDT", 60_000);
        List<MarketEvent> events = TestData.readAll(reader);
        ReadReport r = reader.reports().get(0);
        assertThat(r.fileError()).contains("BTCUSDT-1m.csv.gz:").contains("reading stopped:").contains("damaged or truncated compressed data");
        assertThat(events.size()).isLessThan(101);
        assertThat(r.events()).isEqualTo(events.size());
    }

    private static void gzip(Path file, String text) throws Exception {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
