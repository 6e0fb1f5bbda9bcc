package io.aquatrade.app;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.exchange.ExchangeInfo;
import io.aquatrade.market.MarketData;
import io.aquatrade.market.MarketEventReader;
import io.aquatrade.market.ReadOptions;
import io.aquatrade.model.KillSwitchLevel;
import io.aquatrade.model.MarketEvent;
import io.aquatrade.rules.RuleSetCompiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A rule whose consequence never returns, reached after some hours of a real replay of the bundled data: the
 * watchdog, on its own thread, halts trading at the order gate, raises a notice and a metric, and the real ops
 * server's /health answers 503, while the pipeline thread stays stuck in the rule.
 */
class RuleWatchdogRunTest {

    private static final LocalDate FROM = LocalDate.of(2023, 4, 19);

    @TempDir
    Path tmp;

    @Test
    void aRuleThatHangsMidReplayHaltsTradingRaisesANoticeAndFailsHealth() throws Exception {
        long fromMs = FROM.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long hangAtMs = fromMs + 6 * 3_600_000L; // six hours into the trading day
        Path rules = tmp.resolve("rules");
        Files.createDirectories(rules);
        try (Stream<Path> files = Files.list(Path.of("rules"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".drl")).toList()) {
                Files.copy(f, rules.resolve(f.getFileName()));
            }
        }
        // the compile's dry run (clock in Nov 2023) never reaches this window: only the replay does
        Files.writeString(rules.resolve("zz-hang.drl"), """
                package aquatrade;
                import io.aquatrade.model.Clock;

                rule "hang-after-six-hours"
                when
                    Clock( nowMs >= %dL, nowMs < 1690000000000L )
                then
                    boolean spinning = true;
                    while (spinning) { }
                end
                """.formatted(hangAtMs));

        List<MarketEvent> events = new ArrayList<>();
        try (MarketEventReader reader = MarketData.openAll(MarketData.discover(List.of(DemoCommand.extractDemoData()))
                .files(), ReadOptions.defaults())) {
            reader.forEachRemaining(events::add);
        }
        // the webhook the run's notifier posts to
        io.vertx.core.Vertx hookVertx = io.vertx.core.Vertx.vertx();
        List<String> notices = new java.util.concurrent.CopyOnWriteArrayList<>();
        io.vertx.core.http.HttpServer hook = hookVertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
            notices.add(b.toString());
            req.response().setStatusCode(204).end();
        })).listen(0, "127.0.0.1").await();
        AquatradeConfig config = AquatradeConfig.load(null, List.of("rules.watch=false",
                "rules.watchdog_deadline_ms=500", "state.cluster_name=watchdog-test-" + UUID.randomUUID(),
                "notify.url_env=AQUATRADE_TEST_UNSET_" + ProcessHandle.current().pid(),
                "notify.url=http://127.0.0.1:" + hook.actualPort() + "/hook", "notify.initial_backoff_ms=10"));
        TradingRun run = new TradingRun("replay", config, ExchangeInfo.loadDefault(),
                new RuleSetCompiler().compile(rules), fromMs, "wd-");
        try {
            int port = run.startOps("127.0.0.1", 0);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(2)).build();
            assertThat(http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            assertThat(run.killSwitch.level()).isEqualTo(KillSwitchLevel.ACTIVE);

            run.replay(events.iterator(), 0, fromMs, fromMs, null);

            await().atMost(Duration.ofSeconds(60)).until(() -> run.killSwitch.level() == KillSwitchLevel.HALTED);
            assertThat(run.execution.killSwitchGate().level()).isEqualTo(KillSwitchLevel.HALTED);
            assertThat(run.killSwitch.state().cause()).contains("rule \"hang-after-six-hours\" (rules/zz-hang.drl:4)");
            assertThat(run.killSwitch.state().source()).isEqualTo("rules watchdog");
            assertThat(run.stats.decisionRounds).as("it traded for a while before the rule hung").isPositive();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(503);
                assertThat(r.body()).contains("\"status\":\"DOWN\"").contains("hang-after-six-hours");
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> notices.stream()
                    .anyMatch(n -> n.contains("rules_stuck") && n.contains("rules/zz-hang.drl:4")));
            assertThat(run.registry.get("aquatrade_rules_evaluation_overruns").counter().count()).isEqualTo(1);
            assertThat(run.ruleWatchdog.stuck()).as("still stuck: the pipeline thread is never stopped").isNotNull();
        } finally {
            // the pipeline thread is stuck for good: close on a daemon thread, never wait for it
            Thread closer = new Thread(run::close, "watchdog-test-close");
            closer.setDaemon(true);
            closer.start();
            hookVertx.close();
        }
    }
}
