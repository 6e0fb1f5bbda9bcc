package io.aquatrade.market;

import io.aquatrade.model.Candle;
import io.aquatrade.model.Decimals;
import io.aquatrade.model.MarketEvent;
import io.aquatrade.model.QuoteTick;
import io.aquatrade.model.TradeTick;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CaptureReaderTest {

    @Test
    void cryptofeedCapture2021_10_12WithKlineAggTradeAndBookTicker() throws Exception {
        DataFile file = MarketData.detect(TestData.path("captures/multi-symbol_ws-capture_2021-10-12.txt.gz"), null);
        assertThat(file.format()).isEqualTo(DataFormat.WS_CAPTURE);
        CaptureReader reader = new CaptureReader(file.path());
        List<MarketEvent> events = TestData.readAll(reader);

        ReadReport r = reader.reports().get(0);
        assertThat(r.headerLines()).isEqualTo(1); // the wss:// URL line
        assertThat(r.blankLines()).isEqualTo(1); // the file ends with an empty line
        assertThat(r.skippedByType()).isEqualTo(Map.of("depth@100ms", 177L));
        assertThat(r.malformed()).isZero();
        assertThat(events).hasSize(88);
        assertThat(events.stream().filter(e -> e instanceof QuoteTick)).hasSize(84);
        assertThat(events.stream().filter(e -> e instanceof TradeTick)).hasSize(2);
        assertThat(events.stream().filter(e -> e instanceof Candle)).hasSize(2);

        // line 9: 1633998513.377805: {"stream":"nknusdt@bookTicker","data":{"u":499869768,"s":"NKNUSDT","b":"0.35210000",...
        assertThat(events).contains(new QuoteTick("NKNUSDT", 1633998513377L, Decimals.parseE8("0.3521"),
                Decimals.parseE8("672"), Decimals.parseE8("0.3526"), Decimals.parseE8("3199")));
        // 1633998523.957215: {"stream":"nknusdt@aggTrade",...,"p":"0.35280000","q":"58.00000000",...,"T":1633998523963,"m":false,...}
        assertThat(events).contains(new TradeTick("NKNUSDT", 1633998523963L, Decimals.parseE8("0.3528"),
                Decimals.parseE8("58"), false));
        // the open kline is stamped with its event time E
        assertThat(events).contains(new Candle("LRCBTC", 1633998480000L, 60_000, Decimals.parseE8("0.00000638"),
                Decimals.parseE8("0.00000638"), Decimals.parseE8("0.00000638"), Decimals.parseE8("0.00000638"),
                Decimals.parseE8("177"), false, 1633998534486L));
        assertNonDecreasing(events);
    }

    @Test
    void cryptofeedCapture2021_04_05SkipsConfigurationUrlAndRestSnapshotsKnowingly() {
        CaptureReader reader = new CaptureReader(TestData.path("captures/multi-symbol_ws-capture_2021-04-05_first400.txt.gz"));
        List<MarketEvent> events = TestData.readAll(reader);

        ReadReport r = reader.reports().get(0);
        assertThat(r.headerLines()).isEqualTo(2); // configuration: ... and wss://...
        assertThat(r.skippedByType()).isEqualTo(Map.of("depth@100ms", 158L, BinanceStreamParser.DEPTH_SNAPSHOT, 10L));
        assertThat(r.malformed()).isZero();
        assertThat(r.outOfOrder()).isZero();
        assertThat(events).hasSize(230);
        // 1617647605.816691: {"stream":"zilusdt@aggTrade",...,"p":"0.21448000","q":"2062.90000000",...,"T":1617647603483,"m":false}
        assertThat(events).contains(new TradeTick("ZILUSDT", 1617647603483L, Decimals.parseE8("0.21448"),
                Decimals.parseE8("2062.9"), false));
        assertThat(events).extracting(MarketEvent::symbol).contains("MANAUSDT", "DENTUSDT", "ZILUSDT");
        // received 2.3 s after it happened, this trade sorts before quotes received in between
        assertNonDecreasing(events);
    }

    @Test
    void hftbacktest2023CaptureWithMicrosecondReceiveTimes() {
        CaptureReader reader = new CaptureReader(TestData.path("captures/btcusdt_ws-capture_2023-04-05_first600.gz"));
        List<MarketEvent> events = TestData.readAll(reader);

        ReadReport r = reader.reports().get(0);
        assertThat(r.headerLines()).isZero();
        assertThat(r.malformed()).isZero();
        assertThat(r.skippedByType()).containsOnlyKeys("depth@100ms");
        assertThat(events).hasSize(451);
        // line 2: 1680652800004231 {"stream":"btcusdt@bookTicker","data":{"u":36090299876,"s":"BTCUSDT","b":"28165.47000000",
        //         "B":"7.98680000","a":"28165.48000000","A":"3.26888000"}}
        assertThat(events).contains(new QuoteTick("BTCUSDT", 1680652800004L, Decimals.parseE8("28165.47"),
                Decimals.parseE8("7.9868"), Decimals.parseE8("28165.48"), Decimals.parseE8("3.26888")));
        // line 1: the trade of T=1680652799999 comes first
        assertThat(events.get(0)).isEqualTo(new TradeTick("BTCUSDT", 1680652799999L, Decimals.parseE8("28165.47"),
                Decimals.parseE8("0.00056"), true));
        assertNonDecreasing(events);
    }

    @Test
    void hftbacktest2024CaptureWithNanosecondReceiveTimesAndARestSnapshot() {
        CaptureReader reader = new CaptureReader(TestData.path("captures/btcusdt_ws-capture_2024-08-08_first600.gz"));
        List<MarketEvent> events = TestData.readAll(reader);

        ReadReport r = reader.reports().get(0);
        assertThat(r.malformed()).isZero();
        assertThat(r.skippedByType()).containsEntry(BinanceStreamParser.DEPTH_SNAPSHOT, 1L).containsKey("depth@100ms");
        assertThat(events).hasSize(558);
        // line 3: 1723161254087891268 {"stream":"btcusdt@bookTicker","data":{"u":50093239212,"s":"BTCUSDT","b":"61837.63000000",
        //         "B":"3.78826000","a":"61837.64000000","A":"1.54698000"}}
        assertThat(events).contains(new QuoteTick("BTCUSDT", 1723161254087L, Decimals.parseE8("61837.63"),
                Decimals.parseE8("3.78826"), Decimals.parseE8("61837.64"), Decimals.parseE8("1.54698")));
        // line 4: ..."p":"61837.63000000","q":"0.02000000","T":1723161255342,"m":true
        assertThat(events).contains(new TradeTick("BTCUSDT", 1723161255342L, Decimals.parseE8("61837.63"),
                Decimals.parseE8("0.02"), true));
        assertNonDecreasing(events);
    }

    @Test
    void exchangeEstimateMovesQuotesOntoTheExchangeClock() {
        // in this capture the recorder's clock ran about 1.27 s behind Binance's
        ReadOptions options = ReadOptions.defaults().withQuoteClock(QuoteClock.EXCHANGE_ESTIMATE);
        CaptureReader aligned = new CaptureReader(TestData.path("captures/btcusdt_ws-capture_2024-08-08_first600.gz"), options);
        List<MarketEvent> events = TestData.readAll(aligned);
        assertThat(aligned.clockOffsetMs()).isBetween(-1300L, -1200L);

        List<MarketEvent> raw = TestData.readAll(new CaptureReader(TestData.path("captures/btcusdt_ws-capture_2024-08-08_first600.gz")));
        List<Long> rawQuoteTimes = raw.stream().filter(e -> e instanceof QuoteTick).map(MarketEvent::timeMs).sorted().toList();
        List<Long> alignedQuoteTimes = events.stream().filter(e -> e instanceof QuoteTick).map(MarketEvent::timeMs).sorted().toList();
        assertThat(alignedQuoteTimes).hasSameSizeAs(rawQuoteTimes);
        // the first quote (line 3) comes after two depth updates, so its offset is already known (from their E)
        assertThat(alignedQuoteTimes.get(0) - rawQuoteTimes.get(0)).isBetween(1200L, 1300L);
        // a quote now lands next to the trades it was received with: line 3's quote (1723161254087 received)
        // and line 4's trade (T=1723161255342, received 5 µs later) are less than 100 ms apart
        assertThat(alignedQuoteTimes.get(0)).isBetween(1723161255342L - 100, 1723161255342L + 100);
        assertNonDecreasing(events);
    }

    @Test
    void malformedLinesAreReportedWithLineNumbersAndReadingContinues(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("capture.txt");
        Files.writeString(f, String.join("\n",
                "configuration: {\"trades\":[\"BTC-USDT\"]}",
                "1680652800.0041: {\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"E\":1680652800000,\"s\":\"BTCUSDT\",\"t\":1,\"p\":\"28165.47\",\"q\":\"0.1\",\"T\":1680652800000,\"m\":true,\"M\":true}}",
                "1680652800.0051: {\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"E\":16806528",
                "hello world",
                "1680652800.0061: ",
                "1680652 {\"stream\":\"btcusdt@trade\"}",
                "1680652800.0071: {\"stream\":\"btcusdt@depth@100ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":1680652800007}}",
                "1680652800.0081:{\"stream\":\"btcusdt@trade\"}",
                "{\"stream\":\"btcusdt@bookTicker\",\"data\":{\"u\":1,\"s\":\"BTCUSDT\",\"b\":\"1\",\"B\":\"1\",\"a\":\"2\",\"A\":\"1\"}}",
                "1680652810.0001: {\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"E\":1680652810000,\"s\":\"BTCUSDT\",\"t\":2,\"p\":\"28165.48\",\"q\":\"0.1\",\"T\":1680652810000,\"m\":false,\"M\":true}}",
                "1680652810.0002: {\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"E\":1680652801000,\"s\":\"BTCUSDT\",\"t\":3,\"p\":\"28165.49\",\"q\":\"0.1\",\"T\":1680652801000,\"m\":false,\"M\":true}}",
                "1680652820.0001: {\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"E\":1680652820000,\"s\":\"BTCUSDT\",\"t\":4,\"p\":\"28165.50\",\"q\":\"0.1\",\"T\":1680652820000,\"m\":false,\"M\":true}}",
                "1680652820.0002: {\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"E\":1680652805000,\"s\":\"BTCUSDT\",\"t\":5,\"p\":\"28165.51\",\"q\":\"0.1\",\"T\":1680652805000,\"m\":false,\"M\":true}}"
        ) + "\n");
        CaptureReader reader = new CaptureReader(f);
        List<MarketEvent> events = TestData.readAll(reader);

        // trade 3 (1 s late) is put back in order; trade 5 (15 s late, beyond the 5 s reorder window) is dropped
        assertThat(events).extracting(MarketEvent::timeMs)
                .containsExactly(1680652800000L, 1680652801000L, 1680652810000L, 1680652820000L);
        ReadReport r = reader.reports().get(0);
        assertThat(r.headerLines()).isEqualTo(1);
        assertThat(r.skippedByType()).isEqualTo(Map.of("depth@100ms", 1L));
        assertThat(r.malformed()).isEqualTo(6);
        assertThat(r.outOfOrder()).isEqualTo(1);
        assertThat(r.issues()).hasSize(7);
        assertThat(r.issues().get(0)).startsWith("capture.txt:3: invalid JSON: Unexpected end-of-input");
        assertThat(r.issues().get(1)).isEqualTo("capture.txt:4: line does not start with a receive time in: 'hello world'");
        assertThat(r.issues().get(2)).isEqualTo("capture.txt:5: no JSON message after the receive time in: '1680652800.0061: '");
        assertThat(r.issues().get(3)).isEqualTo("capture.txt:6: receive time 1680652000 ms is not a plausible time in: '1680652 {\"stream\":\"btcusdt@trade\"}'");
        assertThat(r.issues().get(4)).startsWith("capture.txt:8: receive time not followed by a space and a JSON message");
        assertThat(r.issues().get(5)).startsWith("capture.txt:9: bookTicker carries no event time and no receive time was given");
        assertThat(r.issues().get(6)).startsWith("capture.txt:13: TradeTick BTCUSDT at 2023-04-05T00:00:05Z arrived after events up to");
    }

    static void assertNonDecreasing(List<MarketEvent> events) {
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).timeMs()).as("event %d", i).isGreaterThanOrEqualTo(events.get(i - 1).timeMs());
        }
    }
    /**
     * Real capture lines with one field altered each: an ask of 0, a crossed book, a trade dated 2099, a
     * payload of another symbol. Each is malformed and counted by kind, and none costs a good line after it.
     */
    @Test
    void impossibleLinesOfARealCaptureAreCountedByKindAndCostNothingElse(@TempDir Path dir) throws Exception {
        List<String> lines;
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(
                TestData.path("captures/btcusdt_ws-capture_2024-08-08_first600.gz")))) {
            lines = new java.util.ArrayList<>(List.of(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    .split("\n")));
        }
        Path clean = dir.resolve("btcusdt_ws-capture_2024-08-08.txt");
        Files.write(clean, lines);
        CaptureReader cleanReader = new CaptureReader(clean);
        int good = TestData.readAll(cleanReader).size();
        assertThat(cleanReader.reports().get(0).malformed()).isZero();

        // line 3 bookTicker, 4 trade, 5 and 7 bookTicker
        lines.set(2, lines.get(2).replaceFirst("\"a\":\"[0-9.]+\"", "\"a\":\"0.00000000\""));
        lines.set(3, lines.get(3).replace("\"T\":1723161255342", "\"T\":4070908800000"));
        lines.set(4, lines.get(4).replaceFirst("\"b\":\"[0-9.]+\"", "\"b\":\"90000.00000000\""));
        lines.set(6, lines.get(6).replace("\"s\":\"BTCUSDT\"", "\"s\":\"ETHUSDT\""));
        Path bad = dir.resolve("btcusdt_ws-capture_2024-08-08-altered.txt");
        Files.write(bad, lines);
        CaptureReader reader = new CaptureReader(bad);
        List<MarketEvent> events = TestData.readAll(reader);

        ReadReport r = reader.reports().get(0);
        assertThat(r.malformedByReason()).isEqualTo(Map.of(BinanceStreamParser.NON_POSITIVE_PRICE, 1L,
                BinanceStreamParser.IMPLAUSIBLE_TIME, 1L, BinanceStreamParser.CROSSED_BOOK, 1L,
                BinanceStreamParser.SYMBOL_MISMATCH, 1L));
        assertThat(r.malformed()).isEqualTo(4);
        assertThat(r.outOfOrder()).isZero();
        assertThat(events).hasSize(good - 4);
        assertThat(events).allSatisfy(e -> assertThat(e.symbol()).isEqualTo("BTCUSDT"));
        assertThat(events.get(events.size() - 1).timeMs()).isLessThan(1723161600000L);
        assertThat(r.issues()).anySatisfy(i -> assertThat(i).startsWith(bad.getFileName() + ":5: bookTicker book is crossed"));
    }
}
