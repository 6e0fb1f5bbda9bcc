package io.aquatrade.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquatrade.exchange.binance.LocalBinance;
import io.aquatrade.exchange.binance.LocalBinanceServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A rule that hangs for good, in a bot of its own JVM: the watchdog halts trading, and once the evaluation has
 * stayed stuck for {@code ops.stuck_exit_after_ms} the process exits with {@link StuckExit#EXIT_CODE} although the
 * pipeline thread never returns, so the restart policy can restart it; the restarted bot is still HALTED.
 */
class StuckExitTest {

    /** After 2025-06 (wall clock of a live run) and outside the compile's dry run (Nov 2023). */
    private static final String HANG_RULE = """
            package aquatrade;
            import io.aquatrade.model.Clock;

            rule "hang-for-good"
            when
                Clock( nowMs >= %dL )
            then
                boolean spinning = true;
                while (spinning) { }
            end
            """;

    /**
     * The exit itself is bounded by the bot's own clock (the stuck notice to the exit: ops.stuck_exit_after_ms of
     * 1.5 s plus the write-down); the wait for the whole process only has to outlast a slow start on a loaded machine
     * (the rules' compile alone took 60 s there once).
     */
    private static final int STARTED_AND_STUCK_S = 300;
    private static final long STUCK_TO_EXIT_MAX_MS = 15_000L;

    @TempDir
    Path dir;

    private Vertx vertx;
    private final List<String> notices = new CopyOnWriteArrayList<>();
    private int hookPort;

    @BeforeEach
    void hook() throws Exception {
        vertx = Vertx.vertx();
        HttpServer hook = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
            notices.add(b.toString());
            req.response().setStatusCode(204).end();
        })).listen(0, "127.0.0.1").await();
        hookPort = hook.actualPort();
    }

    @AfterEach
    void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void aReplayWithARuleThatHangsExitsWithStatus70InBoundedTime() throws Exception {
        // six hours into the demo's trading day
        Path rules = rulesWith(String.format(HANG_RULE, 1_681_884_000_000L + 6 * 3_600_000L).replace(
                "Clock( nowMs >= ", "Clock( nowMs < 1690000000000L, nowMs >= "));
        BotProcess bot = BotProcess.start(List.of("replay", "--data", "src/main/resources/demo/klines-1m", "--from", "2023-04-19",
                "--to", "2023-04-19", "--out", dir.resolve("out").toString(), "--rules", rules.toString(),
                "--set", "rules.watch=false", "--set", "rules.watchdog_deadline_ms=300",
                "--set", "ops.stuck_exit_after_ms=1500", "--set", "notify.url=http://127.0.0.1:" + hookPort + "/hook",
                "--set", "notify.url_env=AQUATRADE_TEST_UNSET_" + ProcessHandle.current().pid(),
                "--set", "notify.initial_backoff_ms=10"));
        int status = bot.exit(STARTED_AND_STUCK_S);
        assertThat(status).as(bot.log()).isEqualTo(StuckExit.EXIT_CODE);
        assertThat(bot.log()).contains("hang-for-good").contains("exiting with status 70");
        assertThat(bot.millisBetween("notice rules_stuck", "exiting with status 70")).as(bot.log())
                .isBetween(1_500L, STUCK_TO_EXIT_MAX_MS);
        assertThat(notices).anyMatch(n -> n.contains("rules_stuck\"") && n.contains("zz-hang.drl:4"));
        assertThat(notices).as("told why before exiting").anyMatch(n -> n.contains("rules_stuck_exit"));
    }

    @Test
    void aPaperBotStuckInARuleExitsAndComesBackHalted() throws Exception {
        LocalBinanceServer rest = LocalBinanceServer.start(vertx).exchangeInfo(LocalBinance.usdtExchangeInfo());
        rest.ticker24h(PaperSessionTest.tickers(List.of("BTCUSDT")));
        long now = System.currentTimeMillis();
        long lastClosed = now - Math.floorMod(now, 60_000L) - 60_000L;
        rest.klines("BTCUSDT", LocalBinance.shifted(
                LocalBinance.klineDump("/market/dumps/BTCUSDT-1m-2024-12-31.zip"), lastClosed));
        // a trade every 200 ms: each closed second is a decision round
        LocalMarketStreams streams = new LocalMarketStreams(vertx, (ws, index) -> {
            long[] id = {1};
            vertx.setPeriodic(200, t -> {
                if (!ws.isClosed()) {
                    ws.writeTextMessage(LocalMarketStreams.bookTicker("BTCUSDT", id[0], "93500.00", "93500.20"));
                    ws.writeTextMessage(LocalMarketStreams.aggTrade("BTCUSDT", id[0]++, "93500.10", "0.012",
                            System.currentTimeMillis()));
                }
            });
        });
        try {
            Path stateFile = dir.resolve("var/kill_switch.state");
            List<String> paper = new ArrayList<>(List.of("run", "--mode", "paper",
                    "--set", "exchange.rest_url=" + rest.restUrl(), "--set", "exchange.stream_url=" + streams.baseUrl(),
                    "--set", "exchange.symbols=BTCUSDT", "--set", "ops.http_port=0",
                    "--set", "history.cache_dir=" + dir.resolve("var/history"), "--set", "history.lookback_days=1",
                    "--set", "journal.path=" + dir.resolve("var/journal.db"),
                    "--set", "risk.kill_switch_file=" + dir.resolve("var/KILL"),
                    "--set", "risk.kill_switch_state_file=" + stateFile,
                    "--set", "rules.watch=false", "--set", "rules.watchdog_deadline_ms=300",
                    "--set", "ops.stuck_exit_after_ms=1500",
                    "--set", "notify.url=http://127.0.0.1:" + hookPort + "/hook",
                    "--set", "notify.url_env=AQUATRADE_TEST_UNSET_" + ProcessHandle.current().pid(),
                    "--set", "notify.initial_backoff_ms=10"));

            List<String> first = new ArrayList<>(paper);
            first.addAll(List.of("--rules", rulesWith(String.format(HANG_RULE, 1_750_000_000_000L)).toString()));
            BotProcess stuck = BotProcess.start(first);
            assertThat(stuck.exit(STARTED_AND_STUCK_S)).as(stuck.log()).isEqualTo(StuckExit.EXIT_CODE);
            assertThat(stuck.millisBetween("notice rules_stuck", "exiting with status 70")).as(stuck.log())
                    .isBetween(1_500L, STUCK_TO_EXIT_MAX_MS);
            assertThat(Files.readString(stateFile)).as("persisted before the exit").contains("HALTED");
            try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("var/journal.db"));
                 var st = c.createStatement();
                 var rs = st.executeQuery("SELECT stop_reason FROM journal_run ORDER BY run_no DESC LIMIT 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).as(stuck.log()).startsWith("rules stuck, exit 70").contains("hang-for-good");
            }
            assertThat(Files.exists(dir.resolve("var/journal.db-wal")) ? Files.size(dir.resolve("var/journal.db-wal")) : 0L)
                    .as("the journal was closed: its WAL checkpointed").isZero();

            // the restart (as the restart policy does it): the same configuration, the default rules
            List<String> second = new ArrayList<>(paper);
            second.addAll(List.of("--rules", "rules"));
            BotProcess restarted = BotProcess.start(second);
            try {
                int port = restarted.port(120);
                HttpClient http = HttpClient.newHttpClient();
                HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/status")).build();
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    HttpResponse<String> r = http.send(get, HttpResponse.BodyHandlers.ofString());
                    JsonNode status = new ObjectMapper().readTree(r.body());
                    assertThat(status.path("phase").asText()).as(r.body()).isNotEqualTo("starting");
                    assertThat(status.path("killSwitch").asText()).as(r.body()).isEqualTo("HALTED");
                    assertThat(status.path("killSwitchCause").asText()).as(r.body()).contains("rules watchdog");
                });
                assertThat(restarted.log()).contains("Kill switch restored");
            } finally {
                restarted.process().destroy();
                restarted.exit(60);
            }
        } finally {
            streams.close();
            rest.close();
        }
    }

    private Path rulesWith(String hang) throws Exception {
        Path rules = dir.resolve("rules");
        Files.createDirectories(rules);
        try (Stream<Path> files = Files.list(Path.of("rules"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".drl")).toList()) {
                Files.copy(f, rules.resolve(f.getFileName()));
            }
        }
        Files.writeString(rules.resolve("zz-hang.drl"), hang);
        return rules;
    }
}
