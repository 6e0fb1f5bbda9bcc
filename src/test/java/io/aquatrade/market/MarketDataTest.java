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
