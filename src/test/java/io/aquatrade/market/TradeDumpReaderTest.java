package io.aquatrade.market;

import io.aquatrade.model.Decimals;
import io.aquatrade.model.MarketEvent;
import io.aquatrade.model.TradeTick;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TradeDumpReaderTest {

    @Test
    void aggTradesInMillisecondAndMicrosecondRowsGiveMillisecondTicks() throws Exception {
        DataFile file = MarketData.detect(TestData.path("trade-dumps/ZILUSDT-aggTrades-2021-04-05.csv"), null);
        assertThat(file.format()).isEqualTo(DataFormat.AGG_TRADES_DUMP);
        assertThat(file.symbol()).isEqualTo("ZILUSDT");
        MarketEventReader reader = MarketData.open(file, ReadOptions.defaults());
        List<MarketEvent> ticks = TestData.readAll(reader);

        assertThat(ticks).hasSize(40).allMatch(t -> t instanceof TradeTick);
        // row 1 (ms): 18938405,0.21448000,2062.90000000,23806928,23806928,1617647603483,False,True
        assertThat(ticks.get(0)).isEqualTo(new TradeTick("ZILUSDT", 1617647603483L, Decimals.parseE8("0.21448"),
                Decimals.parseE8("2062.9"), false));
        // row 2: 18938406,0.21437000,714.00000000,...,1617647603562,True,True
        assertThat(ticks.get(1)).isEqualTo(new TradeTick("ZILUSDT", 1617647603562L, Decimals.parseE8("0.21437"),
                Decimals.parseE8("714"), true));
        // row 40 (µs): 18938444,0.21454000,2800.00000000,23806973,23806973,1617647614811000,True,True
        assertThat(ticks.get(39)).isEqualTo(new TradeTick("ZILUSDT", 1617647614811L, Decimals.parseE8("0.21454"),
                Decimals.parseE8("2800"), true));
        // every time is an April-2021 epoch in ms whatever the row's unit
        assertThat(ticks).allMatch(t -> t.timeMs() > 1617647600000L && t.timeMs() < 1617647700000L);
        assertThat(reader.reports().get(0).clean()).isTrue();
    }

    @Test
    void tradesZipWithAlternatingUnitsMatchesTheCapturedTrades() throws Exception {
        DataFile file = MarketData.detect(TestData.path("trade-dumps/BTCUSDT-trades-2023-04-05.zip"), null);
        assertThat(file.format()).isEqualTo(DataFormat.TRADES_DUMP);
        assertThat(file.coverage()).isEqualTo(new TimeWindow(1680652800000L, 1680739200000L));
        List<MarketEvent> ticks = TestData.readAll(MarketData.open(file, ReadOptions.defaults()));

        assertThat(ticks).hasSize(60);
        // captured: {"e":"trade","E":1680652800000,"s":"BTCUSDT","t":3071245454,"p":"28165.47000000","q":"0.00056000",...,"T":1680652799999,"m":true,...}
        assertThat(ticks.get(0)).isEqualTo(new TradeTick("BTCUSDT", 1680652799999L, Decimals.parseE8("28165.47"),
                Decimals.parseE8("0.00056"), true));
        // second row is in µs (1680652800001000): captured T=1680652800001
        assertThat(ticks.get(1)).isEqualTo(new TradeTick("BTCUSDT", 1680652800001L, Decimals.parseE8("28165.47"),
                Decimals.parseE8("0.00128"), true));
        for (int i = 1; i < ticks.size(); i++) {
            assertThat(ticks.get(i).timeMs()).isGreaterThanOrEqualTo(ticks.get(i - 1).timeMs());
        }
    }

    @Test
    void badTradeRowsAreReportedAndSkipped(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("BTCUSDT-aggTrades-2025-01-01.csv");
        Files.writeString(f, String.join("\n",
                "3356399000,93576.00000000,0.00170000,4397463100,4397463100,1735689600000123,True,True",
                "3356399001,93576.00000000,0.00170000,4397463101,4397463101,1735689600001000,Ture,True",
                "3356399002,93576.01000000,0.0,4397463102,4397463102,1735689600002000,False,True",
                "3356399003,93576.01000000,0.00010000,4397463103,4397463103,1735689600003000,False",
                "",
                "3356399004,93576.01000000,0.00010000,4397463104,4397463104,1735689599000000,False,True",
                "3356399005,93576.01000000,0.00020000,4397463105,4397463105,1735689600003999,False,True",
                "3356399006,93576.01000000,0.00020000,4397463106,4397463106,1735689600,False,True") + "\n");
        TradeDumpReader reader = new TradeDumpReader(f, "BTCUSDT", TradeDumpReader.Kind.AGG_TRADES);
        List<MarketEvent> ticks = TestData.readAll(reader);

        assertThat(ticks).containsExactly(
                new TradeTick("BTCUSDT", 1735689600000L, Decimals.parseE8("93576"), Decimals.parseE8("0.0017"), true),
                new TradeTick("BTCUSDT", 1735689600003L, Decimals.parseE8("93576.01"), Decimals.parseE8("0.0002"), false));
        ReadReport r = reader.reports().get(0);
        assertThat(r.blankLines()).isEqualTo(1);
        assertThat(r.issues()).containsExactly(
                "BTCUSDT-aggTrades-2025-01-01.csv:2: column 'isBuyerMaker' is not True/False: 'Ture'",
                "BTCUSDT-aggTrades-2025-01-01.csv:3: column 'quantity' must be positive: '0.0'",
                "BTCUSDT-aggTrades-2025-01-01.csv:4: expected 8 columns, found 7",
                // the file's second row goes back before its first: the third (00:00:00.003) says the second is wrong
                "BTCUSDT-aggTrades-2025-01-01.csv:6: row dated 2024-12-31T23:59:59Z is before the row before it "
                        + "(2025-01-01T00:00:00Z) and the one after it (2025-01-01T00:00:00.003Z): out of order, dropped",
                "BTCUSDT-aggTrades-2025-01-01.csv:8: column 'timestamp' is not a plausible time: '1735689600'");
        assertThat(r.malformed()).isEqualTo(4);
        assertThat(r.outOfOrder()).isEqualTo(1);
    }
}
