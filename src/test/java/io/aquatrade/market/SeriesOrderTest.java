package io.aquatrade.market;

import io.aquatrade.model.MarketEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real 2023 BTCUSDT minutes (headed-2023, 101 rows) with single rows altered as a corrupted file would have them. */
class SeriesOrderTest {

    private static final long Y2099 = 4070908800000L; // 2099-01-01

    private static List<String> realRows() throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(TestData.path("headed-2023/BTCUSDT-1m.csv.gz")))) {
            return new ArrayList<>(List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")));
        }
    }

    private static String withOpenTime(String row, long openMs) {
        return openMs + row.substring(row.indexOf(','));
    }

    private static HeadedKlineReader reader(Path dir, String name, List<String> rows) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, rows);
        return new HeadedKlineReader(f, "BTCUSDT", 60_000);
    }

    @Test
    void oneRowDatedFarAheadIsDroppedAndEveryGoodRowAfterItIsRead(@TempDir Path dir) throws Exception {
        List<String> rows = realRows();
        rows.set(11, withOpenTime(rows.get(11), Y2099 - 60_000L * 600)); // a 2099 row amid the series
        rows.set(31, withOpenTime(rows.get(31), 1_780_000_000_000L)); // 2026-05-28: ahead of the data, not of the clock
        HeadedKlineReader r = reader(dir, "BTCUSDT-1m.csv", rows);
        List<MarketEvent> events = TestData.readAll(r);

        ReadReport report = r.reports().get(0);
        assertThat(events).hasSize(99); // 101 real rows, two altered
        // after the wall clock: cannot have been recorded
        assertThat(report.malformedByReason()).isEqualTo(java.util.Map.of(BinanceStreamParser.IMPLAUSIBLE_TIME, 1L));
        assertThat(report.issues()).anySatisfy(i -> assertThat(i).startsWith("BTCUSDT-1m.csv:12: ").contains("2098-")
                .contains("future"));
        // before the clock but far ahead of its neighbours: the jump is the outlier, not the 69 rows after it
        assertThat(report.outOfOrder()).isEqualTo(1);
        assertThat(report.issues()).anySatisfy(i -> assertThat(i).startsWith("BTCUSDT-1m.csv:32: ").contains("2026-05-28")
                .contains("ahead of the rows before"));
        assertThat(report.lastTimeMs()).isLessThan(1_700_000_000_000L); // the window is not stretched to 2099
    }

    @Test
    void aRowDatedHalfAnHourAheadCostsOnlyItselfNotTheGoodRowsUpToItsTime(@TempDir Path dir) throws Exception {
        List<String> rows = realRows();
        long t40 = Long.parseLong(rows.get(40).substring(0, rows.get(40).indexOf(',')));
        rows.set(40, withOpenTime(rows.get(40), t40 + 30 * 60_000L)); // mis-dated by 30 min, amid the series
        HeadedKlineReader r = reader(dir, "BTCUSDT-1m.csv", rows);
        List<MarketEvent> events = TestData.readAll(r);

        ReadReport report = r.reports().get(0);
        assertThat(events).hasSize(100); // 101 real rows, one altered: the 29 rows it jumped over are all read
        assertThat(report.outOfOrder()).isEqualTo(1);
        assertThat(report.duplicates()).isZero();
        assertThat(report.issues()).anySatisfy(i -> assertThat(i).startsWith("BTCUSDT-1m.csv:41: ")
                .contains("ahead of the rows before"));
        assertThat(events).extracting(MarketEvent::timeMs).isSorted();
    }

    @Test
    void aFirstRowDatedAheadCostsOnlyItself(@TempDir Path dir) throws Exception {
        List<String> rows = realRows();
        int first = firstDataRow(rows);
        long t = openTime(rows.get(first));
        rows.set(first, withOpenTime(rows.get(first), t + 45 * 60_000L)); // the file's first minute, 45 min late
        HeadedKlineReader r = reader(dir, "BTCUSDT-1m.csv", rows);
        List<MarketEvent> events = TestData.readAll(r);

        ReadReport report = r.reports().get(0);
        assertThat(events).hasSize(100);
        assertThat(report.outOfOrder()).isEqualTo(1);
        assertThat(report.issues()).anySatisfy(i -> assertThat(i).startsWith("BTCUSDT-1m.csv:" + (first + 1) + ": ")
                .contains("ahead of the rows after it ("));
        assertThat(events).extracting(MarketEvent::timeMs).isSorted();
    }

    @Test
    void aSecondRowDatedAYearBackIsTheOneDroppedNotTheGoodFirstRow(@TempDir Path dir) throws Exception {
        List<String> rows = realRows();
        int first = firstDataRow(rows);
        long t = openTime(rows.get(first));
        rows.set(first + 1, withOpenTime(rows.get(first + 1), t - 365L * 86_400_000L));
        HeadedKlineReader r = reader(dir, "BTCUSDT-1m.csv", rows);
        List<MarketEvent> events = TestData.readAll(r);

        ReadReport report = r.reports().get(0);
        assertThat(events).hasSize(100);
        assertThat(events.get(0).timeMs()).isEqualTo(t + 59_999L);
        assertThat(report.outOfOrder()).isEqualTo(1);
        assertThat(report.issues()).anySatisfy(i -> assertThat(i).startsWith("BTCUSDT-1m.csv:" + (first + 2) + ": ")
                .contains("is before the row before it"));
    }

    private static int firstDataRow(List<String> rows) {
        return Character.isDigit(rows.get(0).charAt(0)) ? 0 : 1;
    }

    private static long openTime(String row) {
        return Long.parseLong(row.substring(0, row.indexOf(',')));
    }

    @Test
    void aRealGapIsReadWhole(@TempDir Path dir) throws Exception {
        HeadedKlineReader whole = reader(dir, "whole.csv", realRows());
        TestData.readAll(whole);
        ReadReport before = whole.reports().get(0);
        List<String> rows = realRows();
        rows.subList(50, 60).clear(); // ten minutes the exchange did not record
        HeadedKlineReader r = reader(dir, "BTCUSDT-1m.csv", rows);
        List<MarketEvent> events = TestData.readAll(r);

        ReadReport report = r.reports().get(0);
        assertThat(events).hasSize(91);
        assertThat(report.outOfOrder()).isZero();
        assertThat(report.gaps()).isEqualTo(before.gaps() + 1);
        assertThat(report.missingCandles()).isEqualTo(before.missingCandles() + 10);
    }

    @Test
    void aFutureRowAtTheEndIsMalformedAndDuplicatesAreCountedApartFromRowsOutOfOrder(@TempDir Path dir) throws Exception {
        List<String> rows = realRows();
        rows.add(withOpenTime(rows.get(5), Y2099));
        rows.add(21, rows.get(20)); // the same minute twice
        rows.add(41, rows.get(38)); // a minute from before
        HeadedKlineReader r = reader(dir, "BTCUSDT-1m.csv", rows);
        List<MarketEvent> events = TestData.readAll(r);

        ReadReport report = r.reports().get(0);
        assertThat(events).hasSize(101);
        assertThat(report.duplicates()).isEqualTo(1);
        assertThat(report.outOfOrder()).isEqualTo(1);
        assertThat(report.malformedByReason()).containsEntry(BinanceStreamParser.IMPLAUSIBLE_TIME, 1L);
        assertThat(report.issues()).anySatisfy(i -> assertThat(i).startsWith("BTCUSDT-1m.csv:22: ").contains("duplicate"));
        assertThat(report.issues()).anySatisfy(i -> assertThat(i).startsWith("BTCUSDT-1m.csv:105: ").contains("future"));
        assertThat(report.toString()).contains("duplicates=1").contains("outOfOrder=1");
    }

    /** A daily dump named for one symbol whose inner file is another symbol's is refused by name. */
    @Test
    void aZipNamedForOneSymbolHoldingAnothersFileIsRejected(@TempDir Path dir) throws Exception {
        Path zip = dir.resolve("BTCUSDT-1m-2024-12-31.zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("ETHUSDT-1m-2024-12-31.csv"));
            z.write(("1735603200000,3337.78000000,3339.88000000,3335.15000000,3335.99000000,182.52600000,1735603259999,"
                    + "609145.75410000,1520,85.51970000,285382.34066900,0\n").getBytes(StandardCharsets.US_ASCII));
            z.closeEntry();
        }
        assertThatThrownBy(() -> MarketData.detect(zip, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BTCUSDT-1m-2024-12-31.zip").hasMessageContaining("ETHUSDT-1m-2024-12-31.csv")
                .hasMessageContaining("BTCUSDT");
        MarketData.Discovery found = MarketData.discover(List.of(dir));
        assertThat(found.files()).isEmpty();
        assertThat(found.ignored()).anySatisfy(i -> assertThat(i).contains("ETHUSDT"));
        // the real dump's inner file matches its name
        assertThat(MarketData.detect(TestData.path("dumps/BTCUSDT-1m-2024-12-31.zip"), null).symbol()).isEqualTo("BTCUSDT");
    }
}
