package io.aquatrade.app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.HttpURLConnection;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The control API of a real demo run: token required, kill/resume/reload take effect everywhere. */
class ControlApiTest {

    private static DemoRun demo;

    @BeforeAll
    static void start() throws Exception {
        demo = DemoRun.shared();
    }

    @AfterEach
    void backToActive() {
        demo.post("/api/resume", "{\"reason\":\"test cleanup\"}", DemoRun.TOKEN);
    }

    @Test
    void everyStateChangeIsRefusedWithoutTheRightToken() {
        for (String path : List.of("/api/kill", "/api/resume", "/api/rules/reload")) {
            HttpResponse<String> none = demo.post(path, "{\"level\":\"HALTED\"}", null);
            assertThat(none.statusCode()).as(path + " without a token").isEqualTo(401);
            assertThat(none.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(new JsonObject(none.body()).getString("error")).contains("Bearer");
            HttpResponse<String> wrong = demo.post(path, "{\"level\":\"HALTED\"}", DemoRun.TOKEN + "x");
            assertThat(wrong.statusCode()).as(path + " with a wrong token").isEqualTo(401);
            assertThat(new JsonObject(wrong.body()).getString("error")).isEqualTo("wrong token");
        }
        assertThat(demo.status().getString("killSwitch")).isEqualTo("ACTIVE");
        assertThat(metric("aquatrade_kill_switch_state")).isEqualTo(0.0);
    }

    @Test
    void killAndResumeChangeTheLevelInStatusMetricsAndNotices() {
        HttpResponse<String> halt = demo.post("/api/kill", "{\"level\":\"HALTED\",\"reason\":\"exchange incident\"}",
                DemoRun.TOKEN);
        assertThat(halt.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(halt.body()).getString("killSwitch")).isEqualTo("HALTED");
        // the switch holds at the order gate at once; the status page catches up when the trading thread publishes
        await().atMost(Duration.ofSeconds(10)).until(() -> "HALTED".equals(demo.status().getString("killSwitch")));
        JsonObject s = demo.status();
        assertThat(s.getString("killSwitch")).isEqualTo("HALTED");
        assertThat(s.getString("killSwitchCause")).contains("operator").contains("exchange incident");
        assertThat(metric("aquatrade_kill_switch_state")).isEqualTo(2.0);
        await().atMost(Duration.ofSeconds(20)).until(() -> notice("kill_switch", "HALTED", "exchange incident") != null);
        JsonObject n = notice("kill_switch", "HALTED", "exchange incident");
        assertThat(n.getString("severity")).isEqualTo("critical");
        assertThat(n.getString("text")).contains("HALTED").contains("exchange incident");

        HttpResponse<String> reduce = demo.post("/api/kill", "{\"level\":\"reducing\"}", DemoRun.TOKEN);
        assertThat(reduce.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> "REDUCING".equals(demo.status().getString("killSwitch")));
        assertThat(metric("aquatrade_kill_switch_state")).isEqualTo(1.0);
        // no reason given: who and how, said once ("operator: operator kill via API" before)
        assertThat(demo.status().getString("killSwitchCause"))
                .matches("operator: via the control API, no reason given \\(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC\\)");
        await().atMost(Duration.ofSeconds(20)).until(() -> notice("kill_switch", "REDUCING", "no reason given") != null);
        assertThat(notice("kill_switch", "REDUCING", "no reason given").getString("text"))
                .isEqualTo("Kill switch REDUCING: exits only, no new entries (operator: via the control API, no reason given)");

        HttpResponse<String> resume = demo.post("/api/resume", "", "  " + DemoRun.TOKEN);
        assertThat(resume.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(resume.body()).getString("killSwitch")).isEqualTo("ACTIVE");
        await().atMost(Duration.ofSeconds(10)).until(() -> "ACTIVE".equals(demo.status().getString("killSwitch")));
        assertThat(metric("aquatrade_kill_switch_state")).isEqualTo(0.0);
        await().atMost(Duration.ofSeconds(20)).until(() -> notice("kill_switch", "ACTIVE", "no reason given") != null);
        assertThat(notice("kill_switch", "ACTIVE", "no reason given").getString("text"))
                .isEqualTo("Kill switch resumed: trading normally (operator: via the control API, no reason given)");
        assertThat(demo.status().getString("killSwitchCause")).startsWith("operator: via the control API, no reason given (");
    }

    @Test
    void malformedKillRequestsAreRefusedAndChangeNothing() {
        assertThat(demo.post("/api/kill", "{\"level\":\"ACTIVE\"}", DemoRun.TOKEN).statusCode()).isEqualTo(400);
        HttpResponse<String> bogus = demo.post("/api/kill", "{\"level\":\"PANIC\"}", DemoRun.TOKEN);
        assertThat(bogus.statusCode()).isEqualTo(400);
        assertThat(bogus.body()).contains("REDUCING or HALTED").contains("PANIC");
        assertThat(demo.post("/api/kill", "{\"level\":", DemoRun.TOKEN).statusCode()).isEqualTo(400);
        assertThat(demo.post("/api/kill", "[1]", DemoRun.TOKEN).statusCode()).isEqualTo(400);
        assertThat(demo.post("/api/kill", "{}", DemoRun.TOKEN).statusCode()).isEqualTo(400);
        assertThat(demo.post("/api/nothing", "{}", DemoRun.TOKEN).statusCode()).isEqualTo(404);
        assertThat(demo.status().getString("killSwitch")).isEqualTo("ACTIVE");
    }

    @Test
    void aBrokenRuleFileIsRejectedWithFileAndLineAndAFixedOneGoesLive() throws Exception {
        String before = new JsonObject(demo.get("/api/rules").body()).getString("version");
        HttpResponse<String> same = demo.post("/api/rules/reload", null, DemoRun.TOKEN);
        assertThat(same.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(same.body()).getString("result")).isEqualTo("unchanged");

        Path entries = demo.rulesDir.resolve("entries.drl");
        String good = Files.readString(entries);
        try {
            Files.writeString(entries, good + "\nrule \"broken\"\nwhen\n    $x : NoSuchFact( )\nthen\nend\n");
            HttpResponse<String> bad = demo.post("/api/rules/reload", null, DemoRun.TOKEN);
            assertThat(bad.statusCode()).isEqualTo(422);
            JsonObject outcome = new JsonObject(bad.body());
            assertThat(outcome.getString("result")).isEqualTo("compile_error");
            assertThat(outcome.getString("version")).isEqualTo(before);
            assertThat(outcome.getJsonArray("errors").encode()).containsPattern("rules/entries\\.drl:\\d+");
            JsonObject rules = new JsonObject(demo.get("/api/rules").body());
            assertThat(rules.getString("version")).isEqualTo(before);
            assertThat(rules.getString("lastReloadResult")).isEqualTo("compile_error");
            assertThat(rules.getString("lastReloadError")).contains("rules/entries.drl:");
            assertThat(demo.status().getJsonObject("rules").getString("lastReloadError")).contains("rules/entries.drl:");
            await().atMost(Duration.ofSeconds(20)).until(() -> demo.notices.stream()
                    .anyMatch(n -> "rules_reload_failed".equals(n.getString("event"))));
        } finally {
            Files.writeString(entries, good + "\n// edited by ControlApiTest\n");
        }
        HttpResponse<String> fixed = demo.post("/api/rules/reload", null, DemoRun.TOKEN);
        assertThat(fixed.statusCode()).isEqualTo(200);
        JsonObject ok = new JsonObject(fixed.body());
        assertThat(ok.getString("result")).isEqualTo("success");
        assertThat(ok.getString("oldVersion")).isEqualTo(before);
        assertThat(ok.getString("version")).isNotEqualTo(before);
        JsonObject rules = new JsonObject(demo.get("/api/rules").body());
        assertThat(rules.getString("version")).isEqualTo(ok.getString("version"));
        assertThat(rules.getString("lastReloadError")).isNull();
        assertThat(demo.status().getString("rulesVersion")).isEqualTo(ok.getString("version"));
    }

    @Test
    void readEndpointsAgreeWithTheStatusAndNeverShowTheToken() {
        JsonObject s = demo.status();
        assertThat(s.getString("phase")).isEqualTo("finished");
        assertThat(s.getJsonArray("positions").size()).isEqualTo(s.getInteger("openPositions")).isPositive();
        JsonObject positions = new JsonObject(demo.get("/api/positions").body());
        assertThat(positions.getJsonArray("positions")).isEqualTo(s.getJsonArray("positions"));
        assertThat(positions.getJsonObject("exposureBySymbol")).isEqualTo(s.getJsonObject("exposureBySymbol"));
        JsonArray trades = new JsonObject(demo.get("/api/trades").body()).getJsonArray("trades");
        assertThat(trades).isEqualTo(s.getJsonArray("latestTrades"));
        assertThat(trades.getJsonObject(0).getString("clientOrderId")).startsWith("aq");
        await().atMost(Duration.ofSeconds(20)).until(() -> demo.notices.stream()
                .anyMatch(n -> "start".equals(n.getString("event")) && n.getString("text").contains("started: a backtest on recorded data")
                        && !n.getString("text").contains("replay mode")));
        HttpResponse<String> health = demo.get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(health.body()).getString("status")).isEqualTo("UP");
        for (String path : List.of("/api/status", "/api/rules", "/api/positions", "/metrics", "/health", "/")) {
            assertThat(demo.get(path).body()).as(path).doesNotContain(DemoRun.TOKEN);
        }
        assertThat(demo.get("/").headers().firstValue("content-security-policy")).hasValueSatisfying(
                v -> assertThat(v).contains("default-src 'none'"));
    }

    @Test
    void theServerListensOnLoopbackOnly() throws Exception {
        assertThat(io.aquatrade.config.ConfigKeys.all().get("ops.http_host").defaultValue()).isEqualTo("127.0.0.1");
        HttpURLConnection c = (HttpURLConnection) new java.net.URL(demo.url("/health")).openConnection();
        assertThat(c.getResponseCode()).isEqualTo(200);
        c.disconnect();
        List<InetAddress> others = new ArrayList<>();
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (ni.isUp() && !ni.isLoopback()) {
                Collections.list(ni.getInetAddresses()).stream().filter(a -> a instanceof Inet4Address).forEach(others::add);
            }
        }
        for (InetAddress a : others) {
            try (Socket sock = new Socket()) {
                sock.connect(new InetSocketAddress(a, demo.port), 2000);
                throw new AssertionError("the ops server answered on " + a.getHostAddress() + ":" + demo.port);
            } catch (java.net.ConnectException expected) {
                // refused: nothing listens there
            }
        }
        System.out.println("loopback-only check against " + others.size() + " non-loopback address(es): " + others);
    }

    /** The notice of {@code event} to level {@code to} whose cause contains {@code cause} (the fixture is shared). */
    private static JsonObject notice(String event, String to, String cause) {
        return demo.notices.stream().filter(n -> event.equals(n.getString("event"))
                && to.equals(n.getJsonObject("fields", new JsonObject()).getString("to"))
                && n.getJsonObject("fields").getString("cause", "").contains(cause)).findFirst().orElse(null);
    }

    static double metric(String series) {
        return metricOf(demo, series);
    }

    static double metricOf(DemoRun demo, String series) {
        String body = demo.get("/metrics").body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(body);
        assertThat(m.find()).as(series + " in /metrics").isTrue();
        return Double.parseDouble(m.group(1));
    }
}
