package io.aquatrade.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A replay over the bundled real data with one corrupted file reports that file's problems, by file, in both places. */
class DataIssuesReplayTest {

    @Test
    void outOfOrderDuplicateAndMalformedRowsAreReportedPerFileOnTheConsoleAndInReportJson(@TempDir Path tmp) throws Exception {
        Path demo = DemoCommand.extractDemoData();
        Path data = Files.createDirectory(tmp.resolve("data"));
        Files.copy(demo.resolve("ETHUSDT-1m.csv.gz"), data.resolve("ETHUSDT-1m.csv.gz"));
        List<String> rows = demoRows(demo);
        int n = rows.size();
        rows.set(100, "1780000000000" + rows.get(100).substring(rows.get(100).indexOf(','))); // far ahead of its neighbours
        rows.add(201, rows.get(200)); // a duplicate minute
        rows.set(300, rows.get(300).replaceFirst(",[0-9.]+,", ",-5,")); // a negative open
        writeGzip(data.resolve("BTCUSDT-1m.csv.gz"), rows);

        Path out = tmp.resolve("out");
        String text = replay(data, out);

        assertThat(text).contains("1 malformed, 1 out-of-order, 1 duplicate row(s)");
        assertThat(text).contains("BTCUSDT-1m.csv.gz: " + String.format("%,d", n - 3) + " events, 1 malformed {non_positive_price=1}");
        assertThat(text).doesNotContain("ETHUSDT-1m.csv.gz:");
        JsonNode d = new ObjectMapper().readTree(out.resolve("report.json").toFile()).get("data");
        assertThat(d.get("out_of_order_rows").asLong()).isEqualTo(1);
        assertThat(d.get("duplicate_rows").asLong()).isEqualTo(1);
        assertThat(d.get("malformed_by_reason").get("non_positive_price").asLong()).isEqualTo(1);
        JsonNode files = d.get("files_with_issues");
        assertThat(files).hasSize(1);
        assertThat(files.get(0).get("file").asText()).isEqualTo("BTCUSDT-1m.csv.gz");
        assertThat(files.get(0).get("examples")).hasSize(3);
        assertThat(files.get(0).get("events").asLong()).isEqualTo(n - 3);
    }

    @Test
    void aDumpLeftOutAsDamagedIsNamedOnTheConsoleNotOnlyInReportJson(@TempDir Path tmp) throws Exception {
        Path demo = DemoCommand.extractDemoData();
        Path data = Files.createDirectory(tmp.resolve("data"));
        Files.copy(demo.resolve("ETHUSDT-1m.csv.gz"), data.resolve("ETHUSDT-1m.csv.gz"));
        byte[] zip;
        try (var in = DataIssuesReplayTest.class.getResourceAsStream("/market/dumps/BTCUSDT-1m-2024-12-31.zip")) {
            zip = in.readAllBytes();
        }
        Path cut = data.resolve("BTCUSDT-1m-2024-12-31.zip");
        Files.write(cut, java.util.Arrays.copyOf(zip, zip.length / 2)); // a download that stopped half-way
        Files.writeString(data.resolve("PROVENANCE.md"), "notes\n");

        String text = replay(data, tmp.resolve("out"));

        assertThat(text).contains("  not used: " + cut + ": unreadable (damaged or truncated compressed data");
        assertThat(text).doesNotContain("PROVENANCE.md"); // a file that is not data is no warning
    }

    @Test
    void missingCandlesAreCountedOnTheConsoleWithTheFileAndLineOfEachGap(@TempDir Path tmp) throws Exception {
        Path demo = DemoCommand.extractDemoData();
        Path data = Files.createDirectory(tmp.resolve("data"));
        List<String> rows = demoRows(demo);
        long noon = java.time.Instant.parse(DemoCommand.TRADING_DAY + "T12:00:00Z").toEpochMilli();
        int at = -1;
        for (int i = 1; i < rows.size(); i++) {
            if (rows.get(i).startsWith(noon + ",")) {
                at = i;
            }
        }
        assertThat(at).isPositive();
        rows.subList(at, at + 30).clear(); // 12:00..12:29 lost, as in an exchange outage
        writeGzip(data.resolve("BTCUSDT-1m.csv.gz"), rows);
        String text = replay(data, tmp.resolve("out"));

        assertThat(text).containsPattern("  gaps         [0-9,]+ gap\\(s\\), [0-9,]+ missing candle\\(s\\), not filled");
        assertThat(text).contains("BTCUSDT-1m.csv.gz:" + (at + 1) + ": 30 missing 1m candles from "
                + DemoCommand.TRADING_DAY + "T12:00:00Z to " + DemoCommand.TRADING_DAY + "T12:29:00Z");
    }

    @Test
    void aFeedThatKeepsFailingTheSanityBandPausesItsSymbolWithAReasonAndResumesAfterGoodMinutes(@TempDir Path tmp) throws Exception {
        Path demo = DemoCommand.extractDemoData();
        Path data = Files.createDirectory(tmp.resolve("data"));
        List<String> rows = demoRows(demo);
        long tenOClock = java.time.Instant.parse(DemoCommand.TRADING_DAY + "T10:00:00Z").toEpochMilli();
        int corrupted = 0;
        for (int i = 1; i < rows.size(); i++) {
            String[] f = rows.get(i).split(",");
            long t = Long.parseLong(f[0]);
            // three well-formed minutes at 1,000x the market, each between good ones (so the band never re-anchors)
            if (t == tenOClock || t == tenOClock + 120_000 || t == tenOClock + 240_000) {
                for (int k = 1; k <= 4; k++) {
                    f[k] = new java.math.BigDecimal(f[k]).multiply(java.math.BigDecimal.valueOf(1000)).toPlainString();
                }
                rows.set(i, String.join(",", f));
                corrupted++;
            }
        }
        assertThat(corrupted).isEqualTo(3);
        writeGzip(data.resolve("BTCUSDT-1m.csv.gz"), rows);

        Path out = tmp.resolve("out");
        replay(data, out);

        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        List<JsonNode> feedHalts = new ArrayList<>();
        report.get("halts").forEach(h -> {
            if (h.get("kind").asText().endsWith("_FEED")) {
                feedHalts.add(h);
            }
        });
        assertThat(feedHalts).extracting(h -> h.get("kind").asText() + " " + h.get("symbol").asText())
                .containsExactly("PAUSE_FEED BTCUSDT", "RESUME_FEED BTCUSDT");
        assertThat(feedHalts.get(0).get("cause").asText()).contains("3 price outliers within 600 s");
        // paused at the third outlier (the 10:04 minute), resumed after market.sanity_resume_after (30) good minutes
        long paused = feedHalts.get(0).get("time_ms").asLong();
        long resumed = feedHalts.get(1).get("time_ms").asLong();
        assertThat(paused).isBetween(tenOClock + 4 * 60_000 - 1, tenOClock + 5 * 60_000);
        assertThat(resumed - paused).isBetween(29 * 60_000L, 31 * 60_000L);
    }

    private static List<String> demoRows(Path demo) throws java.io.IOException {
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(demo.resolve("BTCUSDT-1m.csv.gz")))) {
            return new ArrayList<>(List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")));
        }
    }

    private static void writeGzip(Path file, List<String> rows) throws java.io.IOException {
        try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(String.join("\n", rows).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Replays {@code data} over the demo's trading day into {@code out}; returns the console's text. */
    private static String replay(Path data, Path out) throws java.io.IOException {
        RunOptions opts = new RunOptions();
        opts.rules = Path.of("rules");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        new ReplaySetup(opts, List.of()).run(List.of(data), Set.of(), DemoCommand.TRADING_DAY, DemoCommand.TRADING_DAY,
                out, 0, "127.0.0.1", null, new PrintStream(console, true, StandardCharsets.UTF_8), false, null);
        return console.toString(StandardCharsets.UTF_8);
    }
}
