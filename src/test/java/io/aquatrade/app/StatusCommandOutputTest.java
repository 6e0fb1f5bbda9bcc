package io.aquatrade.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code aquatrade status} prints for a given status document (the shapes the status API serves; the live
 * round trip against a running bot is {@link StatusCommandTest}).
 */
class StatusCommandOutputTest {

    /** Two open positions as the API serves them: an average entry price is cost / qty, with all its digits. */
    private static final String STATUS = """
            {"version":"0.1.0","mode":"replay","phase":"finished","clockMs":1681948799999,"killSwitch":"ACTIVE",
             "startQuote":10000,"equity":9950.452617098,"todayPnl":-49.547382902,"maxDailyLoss":300,
             "realizedPnl":-54.55862912756536,"fees":31.0355548275,"unrealizedPnl":5.01124622556536,
             "exposure":699.7977500179812,"maxTotalExposure":3000,"openPositions":2,"maxOpenPositions":12,
             "fills":311,"tradesLastMinute":0,"maxTradesPerMinute":20,"tradesToday":311,"maxTradesPerDay":1000,
             "rules":{"version":"v1-145f47b4","ruleCount":20,"files":[{},{},{}]},
             "streams":[{"stream":"replay","lastMessageWallMs":1796594227477,"ageSeconds":57.5,"messages":149760,"reconnects":0}],
             "pauses":[],
             "positions":[
               {"symbol":"ADAUSDT","qty":242.152,"avgEntryPrice":0.4130138318930238,"lastPrice":0.4163,
                "costQuote":100.0121254205595,"unrealizedPnl":0.7957521794405,"stopPrice":0.412,"takeProfitPrice":0.422,
                "protection":"local"},
               {"symbol":"BTCUSDT","qty":0.00332,"avgEntryPrice":30123.45,"lastPrice":30211.07,
                "costQuote":100.01,"unrealizedPnl":0.29,"stopPrice":29491.0,"takeProfitPrice":30756.0,
                "protection":"exchange OCO stop 29491 tp 30756"}]}
            """;

    private static List<String> print(String json) throws Exception {
        JsonNode s = new ObjectMapper().readTree(json);
        StringWriter out = new StringWriter();
        StatusCommand.print(new PrintWriter(out, true), new BotClient(URI.create("http://127.0.0.1:8080"), "--url", null), s);
        return out.toString().lines().toList();
    }

    @Test
    void positionPricesAreRoundedAndEveryRowLinesUpUnderItsHeader() throws Exception {
        List<String> lines = print(STATUS);
        String header = lines.stream().filter(l -> l.startsWith("  position ")).findFirst().orElseThrow();
        String ada = lines.stream().filter(l -> l.startsWith("  ADAUSDT ")).findFirst().orElseThrow();
        String btc = lines.stream().filter(l -> l.startsWith("  BTCUSDT ")).findFirst().orElseThrow();
        // the average entry, to 8 significant digits: not the 16 of cost / qty that push the row out of line
        assertThat(ada).contains(" 0.41301383 ").doesNotContain("0.4130138318930238");
        assertThat(btc).contains(" 30123.45 ");
        // the stop and the target, as the status page shows them
        assertThat(header).contains(" stop ").contains(" target ");
        assertThat(ada).contains(" 0.412 ").contains(" 0.422 ");
        assertThat(btc).contains(" 29491 ").contains(" 30756 ");
        // each number column ends where its heading ends
        for (String column : List.of("qty", "entry", "last", "stop", "target", "cost", "unrealised")) {
            int end = header.indexOf(" " + column + " ") + column.length() + 1;
            for (String row : List.of(ada, btc)) {
                assertThat(row.charAt(end - 1)).as("column %s of%n%s%n%s", column, header, row).isNotEqualTo(' ');
                assertThat(row.charAt(end)).as("column %s of%n%s%n%s", column, header, row).isEqualTo(' ');
            }
        }
        assertThat(ada).endsWith("  local");
        assertThat(btc).endsWith("  exchange OCO stop 29491 tp 30756");
    }

    @Test
    void aFinishedReplaysStreamSaysSoInsteadOfAnAge() throws Exception {
        // the status page shows "replay finished": after its data the replay's stream is silent by design
        assertThat(print(STATUS)).contains("  stream        replay: 149,760 messages, replay finished");
        assertThat(print(STATUS.replace("\"phase\":\"finished\"", "\"phase\":\"trading\"")))
                .contains("  stream        replay: 149,760 messages, last 57.5 s ago");
    }
}
