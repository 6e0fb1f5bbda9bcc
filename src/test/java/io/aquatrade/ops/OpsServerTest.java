package io.aquatrade.ops;

import io.aquatrade.model.KillSwitchLevel;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP layer on its own: what it refuses before the bot is ever asked, and what /health says.
 * (The full path through a running bot is tested in io.aquatrade.app.ControlApiTest.)
 */
class OpsServerTest {

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger controlCalls = new AtomicInteger();
    private final AtomicReference<TradingStatus> status = new AtomicReference<>(TradingStatus.starting("paper"));
    private OpsServer server;
    private int port;

    /** Counts calls: a refused request must never reach the bot. */
    private final ControlPort control = new ControlPort() {
        @Override
        public RulesStatus rulesStatus() {
            return new RulesStatus("v1-abc", "rules", List.of(new RuleFileRow("rules/a.drl", "00")), 1, 0, 0, null, null);
        }

        @Override
        public CompletionStage<ReloadOutcome> requestRulesReload() {
            controlCalls.incrementAndGet();
            return CompletableFuture.completedFuture(new ReloadOutcome("compile_error", "v1", "v1", List.of("rules/a.drl:3: x")));
        }

        @Override
        public CompletionStage<KillSwitchLevel> kill(KillSwitchLevel level, String cause) {
            controlCalls.incrementAndGet();
            return CompletableFuture.completedFuture(level);
        }

        @Override
        public CompletionStage<KillSwitchLevel> resume(String cause) {
            controlCalls.incrementAndGet();
            return CompletableFuture.completedFuture(KillSwitchLevel.ACTIVE);
        }
    };

    private void start(ControlToken token) {
        server = new OpsServer(vertx, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), status::get, control, token);
        port = server.start("127.0.0.1", 0).await();
    }

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    private HttpResponse<String> post(String path, String auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofString("{\"level\":\"HALTED\"}"));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withoutAConfiguredTokenEveryChangeIsRefusedWith403AndSaysHowToEnableIt() throws Exception {
        start(ControlToken.none());
        for (String path : List.of("/api/kill", "/api/resume", "/api/rules/reload")) {
            for (String auth : new String[] {null, "Bearer ", "Bearer anything-at-all-0123456789"}) {
                HttpResponse<String> r = post(path, auth);
                assertThat(r.statusCode()).as(path + " " + auth).isEqualTo(403);
                assertThat(new JsonObject(r.body()).getString("error")).contains("no control token")
                        .contains("AQUATRADE_CONTROL_TOKEN").contains("ops.control_token_file");
            }
        }
        assertThat(controlCalls.get()).isZero();
        assertThat(get("/api/rules").statusCode()).isEqualTo(200);
        assertThat(get("/api/status").statusCode()).isEqualTo(200);
    }

    @Test
    void theTokenIsCheckedBeforeTheBotIsAsked() throws Exception {
        String token = "0123456789abcdef-token";
        start(ControlToken.of(token, "test"));
        assertThat(post("/api/kill", null).statusCode()).isEqualTo(401);
        assertThat(post("/api/kill", "Basic " + token).statusCode()).isEqualTo(401);
        assertThat(post("/api/kill", "Bearer " + token + "!").statusCode()).isEqualTo(401);
        assertThat(post("/api/kill", token).statusCode()).isEqualTo(401);
        assertThat(controlCalls.get()).isZero();
        HttpResponse<String> ok = post("/api/kill", "bearer " + token);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(ok.body()).getString("killSwitch")).isEqualTo("HALTED");
        HttpResponse<String> reload = post("/api/rules/reload", "Bearer " + token);
        assertThat(reload.statusCode()).as("a rejected reload answers 422").isEqualTo(422);
        assertThat(reload.body()).contains("rules/a.drl:3");
        assertThat(controlCalls.get()).isEqualTo(2);
    }

    @Test
    void healthIs200WhileUpAnd503WhenFailedOrStuck() throws Exception {
        start(ControlToken.none());
        assertThat(get("/health").statusCode()).isEqualTo(200);
        TradingStatus s = TradingStatus.starting("live");
        status.set(copy(s, "failed", System.currentTimeMillis()));
        HttpResponse<String> failed = get("/health");
        assertThat(failed.statusCode()).isEqualTo(503);
        assertThat(failed.body()).contains("\"status\":\"DOWN\"").contains("the run failed");
        status.set(copy(s, "trading", System.currentTimeMillis() - OpsServer.STALE_STATUS_MS - 5_000));
        HttpResponse<String> stuck = get("/health");
        assertThat(stuck.statusCode()).isEqualTo(503);
        assertThat(stuck.body()).contains("not refreshed");
        status.set(copy(s, "trading", System.currentTimeMillis()));
        assertThat(get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void thePageAndItsAssetsAreServedFromTheJarWithAStrictPolicy() throws Exception {
        start(ControlToken.none());
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<script src=\"/status.js\"></script>").doesNotContain("http://").doesNotContain("https://");
        assertThat(page.headers().firstValue("content-security-policy").orElse("")).contains("script-src 'self'")
                .contains("connect-src 'self'");
        assertThat(get("/status.js").body()).contains("/api/status").contains("Bearer ");
        assertThat(get("/status.css").headers().firstValue("content-type").orElse("")).startsWith("text/css");
        assertThat(get("/api/nope").statusCode()).isEqualTo(404);
    }

    private static TradingStatus copy(TradingStatus s, String phase, long wallMs) {
        return new TradingStatus(s.mode(), phase, s.clockMs(), wallMs, s.killSwitch(), s.entriesHalted(), s.haltReason(),
                s.startQuote(), s.equity(), s.cash(), s.deployable(), s.exposure(), s.maxTotalExposure(), s.openPositions(),
                s.maxOpenPositions(), s.realizedPnl(), s.unrealizedPnl(), s.todayPnl(), s.maxDailyLoss(), s.fees(), s.fills(),
                s.ordersSent(), s.tradesToday(), s.tradesLastMinute(), s.maxTradesPerMinute(), s.maxTradesPerDay(),
                s.events(), s.progress(), s.positions(), s.latestTrades(), s.refusals(), s.rulesVersion(),
                s.maxPositionQuote(), s.maxSymbolExposure(), s.exposureBySymbol(), s.streams(), s.rules(),
                s.exchangeBanned(), s.version(), s.startedAtMs(), s.killSwitchCause(), s.venue(), s.balances(),
                s.openOrders());
    }
}
