package io.aquatrade.app;

import io.aquatrade.report.Formats;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code aquatrade status} against the real demo run's HTTP API: what it prints is what the API says. */
class StatusCommandTest {

    private static DemoRun demo;

    @BeforeAll
    static void start() throws Exception {
        demo = DemoRun.shared();
    }

    private static String[] run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void printsTheRunningBotsState() {
        JsonObject s = demo.status();
        String[] r = run("status", "--url", demo.url(""), "--token-file", demo.tokenFile.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        String out = r[1];
        assertThat(out).contains("Aquatrade " + s.getString("version") + " at " + demo.url(""))
                .contains("replay mode, finished")
                .contains("kill switch   " + s.getString("killSwitch"))
                .contains("equity        " + Formats.money(new BigDecimal(s.getString("equity"))) + " USDT")
                .contains("today's PnL   " + Formats.signedMoney(new BigDecimal(s.getString("todayPnl"))) + " USDT")
                .contains("realised PnL  " + Formats.signedMoney(new BigDecimal(s.getString("realizedPnl"))) + " USDT net of fees")
                .contains(s.getInteger("openPositions") + " of " + s.getInteger("maxOpenPositions") + " positions open")
                .contains("rules         " + s.getJsonObject("rules").getString("version"));
        // one row per open position
        for (int i = 0; i < s.getJsonArray("positions").size(); i++) {
            JsonObject p = s.getJsonArray("positions").getJsonObject(i);
            // the demo replays with local protection (the replay default): the API and the command say so
            assertThat(p.getString("protection")).isEqualTo("local");
            assertThat(p.getString("protectionKind")).isEqualTo("local");
            assertThat(out).containsPattern("(?m)^  " + p.getString("symbol") + " .* local$");
        }
        for (int i = 0; i < s.getJsonArray("pauses").size(); i++) {
            assertThat(out).contains("paused        " + s.getJsonArray("pauses").getJsonObject(i).getString("symbol"));
        }
        String[] json = run("status", "--url", demo.url(""), "--json");
        assertThat(new JsonObject(json[1]).getString("equity")).isEqualTo(s.getString("equity"));
    }

    @Test
    void anAddressThatIsNotABotIsSaidSo() throws Exception {
        com.sun.net.httpserver.HttpServer other = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        other.createContext("/", ex -> {
            byte[] body = "<html>some other service</html>".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        other.start();
        try {
            String[] r = run("status", "--url", "http://127.0.0.1:" + other.getAddress().getPort());
            assertThat(r[0]).isEqualTo("1");
            assertThat(r[2]).contains("answered HTTP 200 without a bot status").contains("is that address an Aquatrade bot?");
        } finally {
            other.stop(0);
        }
    }
}
