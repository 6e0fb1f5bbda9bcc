package io.aquatrade.ops;

import io.aquatrade.model.KillSwitchLevel;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
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

    /** One raw HTTP/1.1 exchange (the JDK client will not send a foreign Host header). */
    private String raw(String request) throws Exception {
        try (java.net.Socket sock = new java.net.Socket("127.0.0.1", port)) {
            sock.setSoTimeout(10_000);
            sock.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            sock.getOutputStream().flush();
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = sock.getInputStream().read(buf)) > 0; ) {
                    got.write(buf, 0, n);
                    String text = got.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
                    int head = text.indexOf("\r\n\r\n");
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
                    if (head > 0 && m.find() && text.length() >= head + 4 + Integer.parseInt(m.group(1))) {
                        break;
                    }
                }
            } catch (java.net.SocketException | java.net.SocketTimeoutException e) {
                // the server closed after answering
            }
            return got.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    /** A page whose own name was rebound to 127.0.0.1 sends its name as Host: nothing is served to it. */
    @Test
    void requestsNamingAnotherHostAreRefusedSoADnsRebindingPageReadsNothing() throws Exception {
        start(ControlToken.none());
        for (String path : List.of("/api/status", "/api/positions", "/api/trades", "/api/rules", "/metrics", "/", "/health")) {
            String r = raw("GET " + path + " HTTP/1.1\r\nHost: attacker.example:" + port + "\r\nConnection: close\r\n\r\n");
            assertThat(r).as(path).startsWith("HTTP/1.1 421").doesNotContain("equity").doesNotContain("aquatrade_");
        }
        assertThat(raw("GET /api/status HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200");
        assertThat(raw("GET /api/status HTTP/1.1\r\nHost: localhost:" + port + "\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200");
        assertThat(raw("GET /api/status HTTP/1.0\r\n\r\n")).startsWith("HTTP/1.0 421");
        vertx.close().await();
    }

    @Test
    void aConfiguredNameIsServed() throws Exception {
        server = new OpsServer(vertx, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), status::get, control,
                ControlToken.none()).allowHosts(List.of("bot.internal", " "));
        port = server.start("127.0.0.1", 0).await();
        assertThat(raw("GET /api/status HTTP/1.1\r\nHost: bot.internal\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
        assertThat(raw("GET /api/status HTTP/1.1\r\nHost: bot.internal.attacker.example\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 421");
    }

    /** A cross-origin multipart POST without a token: refused, and nothing written anywhere, ever. */
    @Test
    void noUploadIsStoredAndBodiesAreBoundedAndReadOnlyAfterAuthorization() throws Exception {
        java.nio.file.Path uploads = java.nio.file.Path.of("file-uploads");
        long before = countFiles(uploads);
        String token = "0123456789abcdef-token";
        start(ControlToken.of(token, "test"));
        String part = "x".repeat(12_000);
        String multipart = "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n" + part + "\r\n--b--\r\n";
        for (String auth : new String[] {"", "Authorization: Bearer " + token + "\r\n"}) {
            String r = raw("POST /api/kill HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + auth
                    + "Origin: http://attacker.example\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                    + "Content-Length: " + multipart.length() + "\r\nConnection: close\r\n\r\n" + multipart);
            assertThat(r).as(auth).startsWith(auth.isEmpty() ? "HTTP/1.1 401" : "HTTP/1.1 400");
        }
        String big = "{\"level\":\"HALTED\",\"reason\":\"" + "y".repeat(OpsServer.MAX_BODY_BYTES) + "\"}";
        assertThat(raw("POST /api/kill HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nContent-Length: " + big.length() + "\r\nConnection: close\r\n\r\n"
                + big)).startsWith("HTTP/1.1 413");
        assertThat(countFiles(uploads)).isEqualTo(before);
        assertThat(controlCalls.get()).isZero();
    }

    private static long countFiles(java.nio.file.Path dir) throws Exception {
        if (!java.nio.file.Files.isDirectory(dir)) {
            return 0;
        }
        try (var s = java.nio.file.Files.walk(dir)) {
            return s.filter(java.nio.file.Files::isRegularFile).count();
        }
    }

    @Test
    void moneyIsWrittenTheSameWayOnEveryEndpointWithoutTrailingZeros() throws Exception {
        start(ControlToken.none());
        TradingStatus s = TradingStatus.starting("paper");
        // as the pipeline produces them: a BUY books zero at the portfolio's scale, prices carry the feed's scale
        TradingStatus.TradeRow buy = new TradingStatus.TradeRow(1L, "XRPUSDT", "BUY", new BigDecimal("0.48790000"),
                new BigDecimal("204.00"), new BigDecimal("99.5316"), "entry-echo-up", "aq-1", BigDecimal.ZERO.setScale(14));
        TradingStatus.TradeRow sell = new TradingStatus.TradeRow(2L, "XRPUSDT", "SELL", new BigDecimal("0.5"),
                new BigDecimal("204"), new BigDecimal("102"), "take_profit", "aq-2", new BigDecimal("-1.59704079758900"));
        TradingStatus.PositionRow pos = new TradingStatus.PositionRow("ADAUSDT", new BigDecimal("242.1520"),
                new BigDecimal("0.41301383"), new BigDecimal("0.41630000"), new BigDecimal("100.0100"),
                new BigDecimal("0.79500000"), new BigDecimal("0.412"), new BigDecimal("0.422"), "entry-echo-up", "local", "local");
        status.set(new TradingStatus(s.mode(), s.phase(), s.clockMs(), s.wallMs(), s.killSwitch(), s.entriesHalted(),
                s.haltReason(), new BigDecimal("10000.00"), s.equity(), s.cash(), s.deployable(), s.exposure(),
                s.maxTotalExposure(), s.openPositions(), s.maxOpenPositions(), s.realizedPnl(), s.unrealizedPnl(),
                s.todayPnl(), s.maxDailyLoss(), s.fees(), s.fills(), s.ordersSent(), s.tradesToday(), s.tradesLastMinute(),
                s.maxTradesPerMinute(), s.maxTradesPerDay(), s.events(), s.progress(), List.of(pos), List.of(buy, sell),
                s.refusals(), s.rulesVersion(), s.maxPositionQuote(), new BigDecimal("300.000"),
                java.util.Map.of("ADAUSDT", new BigDecimal("100.01000")), s.streams(), s.rules(), s.exchangeBanned(),
                s.version(), s.startedAtMs(), s.killSwitchCause(), s.pauses(), s.equityToday(), s.dayStartEquity(),
                s.reconciliation(), s.venue(), s.balances(), s.openOrders(), s.protectionMoves(), s.journal()));
        String trades = get("/api/trades").body();
        assertThat(trades).contains("\"price\":0.4879,\"qty\":204,").contains("\"realizedPnl\":0}")
                .contains("\"realizedPnl\":-1.597040797589}").doesNotContain("0.00000000000000");
        String positions = get("/api/positions").body();
        assertThat(positions).contains("\"qty\":242.152,\"avgEntryPrice\":0.41301383,\"lastPrice\":0.4163,")
                .contains("\"ADAUSDT\":100.01}").contains("\"maxSymbolExposure\":300");
        String statusJson = get("/api/status").body();
        assertThat(statusJson).contains("\"startQuote\":10000,").contains("\"realizedPnl\":0}")
                .contains("\"qty\":242.152,\"avgEntryPrice\":0.41301383,\"lastPrice\":0.4163,");
    }

    private static TradingStatus copy(TradingStatus s, String phase, long wallMs) {
        return new TradingStatus(s.mode(), phase, s.clockMs(), wallMs, s.killSwitch(), s.entriesHalted(), s.haltReason(),
                s.startQuote(), s.equity(), s.cash(), s.deployable(), s.exposure(), s.maxTotalExposure(), s.openPositions(),
                s.maxOpenPositions(), s.realizedPnl(), s.unrealizedPnl(), s.todayPnl(), s.maxDailyLoss(), s.fees(), s.fills(),
                s.ordersSent(), s.tradesToday(), s.tradesLastMinute(), s.maxTradesPerMinute(), s.maxTradesPerDay(),
                s.events(), s.progress(), s.positions(), s.latestTrades(), s.refusals(), s.rulesVersion(),
                s.maxPositionQuote(), s.maxSymbolExposure(), s.exposureBySymbol(), s.streams(), s.rules(),
                s.exchangeBanned(), s.version(), s.startedAtMs(), s.killSwitchCause(), s.pauses(), s.equityToday(),
                s.dayStartEquity(), s.reconciliation(), s.venue(), s.balances(), s.openOrders(), s.protectionMoves(),
                s.journal());
    }
}
