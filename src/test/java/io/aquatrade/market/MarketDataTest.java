package io.aquatrade.market;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MarketDataTest {

    @Test
    void discoversEveryFormatUnderADirectoryAndIgnoresTheRest() throws Exception {
        MarketData.Discovery found = MarketData.discover(List.of(TestData.path("")));
        assertThat(found.files()).extracting(f -> f.fileName() + " " + f.format() + " " + f.symbol()).containsExactly(
                "btcusdt_ws-capture_2023-04-05_first600.gz WS_CAPTURE null",
                "btcusdt_ws-capture_2024-08-08_first600.gz WS_CAPTURE null",
                "multi-symbol_ws-capture_2021-04-05_first400.txt.gz WS_CAPTURE null",
                "multi-symbol_ws-capture_2021-10-12.txt.gz WS_CAPTURE null",
                "BTCUSDT-1m.csv.gz HEADED_KLINES BTCUSDT",
                "BTCUSDT-1m-2025-01-01-first120.csv KLINE_DUMP BTCUSDT", // dumps-csv/ sorts before dumps/
                "BTCUSDT-1m-2024-12-31.zip KLINE_DUMP BTCUSDT",
                "BTCUSDT-1m-2025-01-01.zip KLINE_DUMP BTCUSDT",
                "ADAUSDT-1m.csv.gz HEADED_KLINES ADAUSDT",
                "BTCUSDT-1m.csv.gz HEADED_KLINES BTCUSDT",
                "ETHUSDT-1m.csv.gz HEADED_KLINES ETHUSDT",
                "BTCUSDT-trades-2023-04-05.zip TRADES_DUMP BTCUSDT",
                "ZILUSDT-aggTrades-2021-04-05.csv AGG_TRADES_DUMP ZILUSDT");
        assertThat(found.ignored()).singleElement().asString().endsWith("PROVENANCE.md: not a data file extension");
        assertThat(found.symbols()).containsExactly("ADAUSDT", "BTCUSDT", "ETHUSDT", "ZILUSDT");
        DataFile daily = found.files().get(6);
        assertThat(daily.intervalMs()).isEqualTo(60_000);
        assertThat(daily.coverage()).isEqualTo(new TimeWindow(1735603200000L, 1735689600000L));
    }

    @Test
    void aPathGivenTwiceIsReadOnce() throws Exception {
        Path file = TestData.path("headed-2023/BTCUSDT-1m.csv.gz");
        MarketData.Discovery found = MarketData.discover(List.of(TestData.path("headed-2023"), file));
        assertThat(found.files()).hasSize(3);
    }

    @Test
    void anExplicitFileThatIsNotMarketDataIsRefusedByName(@TempDir Path dir) throws Exception {
        Path notes = dir.resolve("notes.txt");
        Files.writeString(notes, "hello\n");
        assertThatThrownBy(() -> MarketData.discover(List.of(notes)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(notes + ": not a recognised market data file (first line: 'hello')");
        assertThatThrownBy(() -> MarketData.discover(List.of(dir.resolve("missing"))))
                .hasMessage("--data " + dir.resolve("missing") + ": no such file or directory");
        Path nameless = dir.resolve("candles.csv");
        Files.writeString(nameless, "open_time_ms,open,high,low,close,volume\n1,1,1,1,1,1\n");
        assertThatThrownBy(() -> MarketData.detect(nameless, null)).hasMessageContaining("does not tell the symbol");
        assertThat(MarketData.detect(nameless, "solusdt").symbol()).isEqualTo("SOLUSDT");
        // in a directory scan the same files are listed as ignored, not fatal
        MarketData.Discovery found = MarketData.discover(List.of(dir));
        assertThat(found.files()).isEmpty();
        assertThat(found.ignored()).hasSize(2);
    }

    @Test
    void aDamagedZipIsNamedAndADirectoryScanLeavesItOut(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("BTCUSDT-1m-2024-12-31.zip");
        Files.copy(TestData.path("dumps/BTCUSDT-1m-2024-12-31.zip"), good);
        Path cut = dir.resolve("BTCUSDT-1m-2025-01-01.zip");
        byte[] whole = Files.readAllBytes(TestData.path("dumps/BTCUSDT-1m-2025-01-01.zip"));
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2)); // an interrupted download
        assertThatThrownBy(() -> MarketData.discover(List.of(cut))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(cut + ": unreadable (damaged or truncated compressed data");
        MarketData.Discovery found = MarketData.discover(List.of(dir));
        assertThat(found.files()).extracting(DataFile::path).containsExactly(good);
        assertThat(found.ignored()).singleElement().asString().startsWith(cut + ": unreadable (damaged");
    }

    @Test
    void aDumpIsCheckedAgainstTheChecksumFileDataBinanceVisionPublishesBesideIt(@TempDir Path dir) throws Exception {
        Path zip = dir.resolve("BTCUSDT-1m-2024-12-31.zip");
        Files.copy(TestData.path("dumps/BTCUSDT-1m-2024-12-31.zip"), zip);
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(zip)));
        Path sum = dir.resolve("BTCUSDT-1m-2024-12-31.zip.CHECKSUM");
        // data.binance.vision's format: sha256sum's "<hex>  <file name>"
        Files.writeString(sum, sha + "  BTCUSDT-1m-2024-12-31.zip\n");
        assertThat(MarketData.detect(zip, null).format()).isEqualTo(DataFormat.KLINE_DUMP);

        String wrong = (sha.charAt(0) == '0' ? "1" : "0") + sha.substring(1);
        Files.writeString(sum, wrong + "  BTCUSDT-1m-2024-12-31.zip\n");
        assertThatThrownBy(() -> MarketData.discover(List.of(zip))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(zip + ": its SHA-256 " + sha + " does not match " + sum.getFileName() + " (" + wrong
                        + "): a damaged or incomplete download; download both again");
        MarketData.Discovery found = MarketData.discover(List.of(dir));
        assertThat(found.files()).isEmpty();
        assertThat(found.ignored()).anySatisfy(i -> assertThat(i).startsWith(zip + ": its SHA-256"));

        Files.writeString(sum, "not a checksum\n");
        assertThatThrownBy(() -> MarketData.detect(zip, null))
                .hasMessage(zip + ": " + sum.getFileName() + " does not hold a SHA-256 (expected '<64 hex digits>  "
                        + "BTCUSDT-1m-2024-12-31.zip', as data.binance.vision publishes it)");
    }

    @Test
    void commandLineOptionsParseIntoAWindowAndReadOptions() throws Exception {
        MarketDataOptions options = new MarketDataOptions();
        new CommandLine(options).parseArgs("--data", TestData.path("headed-2023").toString(), TestData.path("dumps").toString(),
                "--symbols", "btcusdt,ETHUSDT", "--from", "2023-03-24", "--to", "2023-03-24T14:30",
                "--quote-clock", "EXCHANGE_ESTIMATE");
        assertThat(options.dataPaths()).hasSize(2);
        assertThat(options.window()).isEqualTo(new TimeWindow(1679616000000L, 1679668200000L));
        ReadOptions read = options.readOptions(options.window().withWarmUp(86_400_000L));
        assertThat(read.symbols()).isEqualTo(Set.of("BTCUSDT", "ETHUSDT"));
        assertThat(read.window().fromMs()).isEqualTo(1679616000000L - 86_400_000L);
        assertThat(read.quoteClock()).isEqualTo(QuoteClock.EXCHANGE_ESTIMATE);
        assertThat(options.discover().files()).hasSize(5);
    }

    @Test
    void timeTextsParse() {
        assertThat(TimeWindow.parseTime("1680652800000")).isEqualTo(1680652800000L);
        assertThat(TimeWindow.parseTime("1680652800000000")).isEqualTo(1680652800000L);
        assertThat(TimeWindow.parseTime("2023-04-05")).isEqualTo(1680652800000L);
        assertThat(TimeWindow.parseTime("2023-04-05T00:00:01Z")).isEqualTo(1680652801000L);
        assertThat(TimeWindow.parseTime("2023-04-05T02:00+02:00")).isEqualTo(1680652800000L);
        assertThat(TimeWindow.parseTime(" ")).isNull();
        assertThatThrownBy(() -> TimeWindow.parseTime("yesterday")).hasMessageStartingWith("not a time: 'yesterday'");
        assertThatThrownBy(() -> TimeWindow.parse("2023-04-06", "2023-04-05")).hasMessageStartingWith("time window ends before");
        assertThat(TimeWindow.ALL.withWarmUp(5)).isEqualTo(TimeWindow.ALL);
    }
}
