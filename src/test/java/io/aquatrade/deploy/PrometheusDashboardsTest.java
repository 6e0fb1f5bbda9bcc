package io.aquatrade.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proof with the real component: Debian's {@code prometheus} scrapes a running bot (the demo replay,
 * started from the build's classes as its own JVM, exactly as {@code java -jar aquatrade.jar demo} would),
 * and every PromQL expression of every dashboard panel, annotation and variable and of every alert rule
 * is evaluated through Prometheus's HTTP API ({@code /api/v1/query}):
 * <ul>
 *   <li>a dashboard expression must parse and return data (a non-empty result; NaN counts as data, it is
 *       what a latency quantile shows before the first fill);</li>
 *   <li>an alert expression must parse; as it is normally empty (nothing is wrong), each of its
 *       {@linkplain Promql#dataOperands data operands} must return data instead;</li>
 *   <li>then two alerts are made to happen for real: the kill switch is tripped through the control API
 *       and its alert is seen firing; the bot is killed and the "bot down" alert is seen pending.</li>
 * </ul>
 * Plus {@code promtool check config}, {@code check rules}, {@code test rules} (the alerts' unit tests) and
 * {@code check metrics} on the bot's own /metrics output.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusDashboardsTest {

    /** The bot's control token in this test (the bot reads it from AQUATRADE_CONTROL_TOKEN). */
    private static final String TOKEN = "prometheus-test-" + Long.toHexString(System.nanoTime());

    private final Path repo = Deploy.repo();
    private final Path promDir = repo.resolve("docker/prometheus");
    private String promtool;
    private Path work;
    private Process bot;
    private Process prometheus;
    private int botPort;
    private int promPort;
    /** When Prometheus started scraping (epoch seconds): the start of the range the panels are read over. */
    private long promStartedSec;

    @BeforeAll
    void startBotAndPrometheus() throws IOException {
        promtool = Deploy.require("promtool", "prometheus");
        String prometheusBin = Deploy.require("prometheus", "prometheus");
        work = Files.createTempDirectory("aquatrade-prom-test-");
        botPort = Deploy.freePort();
        promPort = Deploy.freePort();

        bot = startBot();
        // If this JVM is ended before @AfterAll (a CI timeout), neither the bot nor Prometheus may run on.
        Runtime.getRuntime().addShutdownHook(killOnExit);
        Deploy.await("the bot's /health on port " + botPort, Duration.ofSeconds(90),
                () -> {
                    assertThat(bot.isAlive()).as("bot process alive; log:\n" + Deploy.tail(work.resolve("bot.log"), 40)).isTrue();
                    return Deploy.get("http://127.0.0.1:" + botPort + "/health").status() == 200;
                },
                () -> Deploy.tail(work.resolve("bot.log"), 20));

        // The committed prometheus.yml with a 1 s scrape and evaluation interval, this run's ports and
        // the committed alert rules; the scrape job and its labels stay as committed.
        Path config = work.resolve("prometheus.yml");
        String committed = Files.readString(promDir.resolve("prometheus.yml"));
        String testConfig = committed
                .replace("scrape_interval: 15s", "scrape_interval: 1s")
                .replace("scrape_timeout: 10s", "scrape_timeout: 1s")
                .replace("evaluation_interval: 15s", "evaluation_interval: 1s")
                .replace("- alerts.yml", "- " + promDir.resolve("alerts.yml"))
                .replace("127.0.0.1:8080", "127.0.0.1:" + botPort)
                .replace("127.0.0.1:9090", "127.0.0.1:" + promPort);
        assertThat(testConfig).as("the committed prometheus.yml still has the lines this test adapts")
                .contains("scrape_interval: 1s", "evaluation_interval: 1s", "127.0.0.1:" + botPort, promDir.resolve("alerts.yml").toString());
        Files.writeString(config, testConfig);
        Deploy.run(work, Map.of(), Duration.ofSeconds(30), promtool, "check", "config", config.toString()).ok("promtool check config (test copy)");

        promStartedSec = System.currentTimeMillis() / 1000;
        prometheus = new ProcessBuilder(prometheusBin, "--config.file=" + config, "--storage.tsdb.path=" + work.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + promPort, "--storage.tsdb.retention.time=1h", "--log.level=warn")
                .directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("prometheus.log").toFile()).start();

        // Enough scrapes that every rate()/increase() window holds several samples, and the demo has
        // traded (so fill counters and the latency histogram have samples).
        Deploy.await("Prometheus to scrape the bot 8 times with fills in the data", Duration.ofSeconds(120),
                () -> {
                    assertThat(prometheus.isAlive()).as("prometheus alive; log:\n" + Deploy.tail(work.resolve("prometheus.log"), 20)).isTrue();
                    return Deploy.get("http://127.0.0.1:" + promPort + "/-/ready").status() == 200
                            && scalar("count_over_time(up{job=\"aquatrade\"}[1m])") >= 8
                            && scalar("sum(up{job=\"aquatrade\"})") == 1
                            && scalar("sum(aquatrade_fills_total)") > 0;
                },
                () -> Deploy.promQuery(promPort, "up").toString() + "\nbot: " + Deploy.tail(work.resolve("bot.log"), 5));
    }

    private Process startBot() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx768m", "-XX:+UseSerialGC"));
        cmd.addAll(Deploy.hazelcastOpens());
        cmd.addAll(List.of("-Dhazelcast.logging.type=slf4j", "-Dhazelcast.phone.home.enabled=false",
                "-cp", classpath, "io.aquatrade.app.Main", "demo",
                "--http-port", Integer.toString(botPort), "--speed", "1200", "--out", work.resolve("out").toString(),
                "--rules", repo.resolve("rules").toString(), "--config", repo.resolve("config/aquatrade.yaml").toString(),
                // Its own Hazelcast cluster: never join another bot or test on this machine.
                "--set", "state.cluster_name=aquatrade-promtest-" + ProcessHandle.current().pid()));
        Files.writeString(work.resolve("bot.cmd"), String.join(" ", cmd));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("bot.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("AQUATRADE_CONTROL_TOKEN", TOKEN);
        return pb.start();
    }

    private final Thread killOnExit = new Thread(() -> {
        for (Process p : new Process[] {prometheus, bot}) {
            if (p != null) {
                p.destroyForcibly();
            }
        }
    }, "prometheus-test-kill");

    @AfterAll
    void stop() throws InterruptedException {
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running already
        }
        for (Process p : new Process[] {prometheus, bot}) {
            if (p != null && p.isAlive()) {
                p.destroy();
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
        Deploy.deleteTree(work);
    }

    @Test
    @Order(1)
    void promtoolAcceptsTheConfigTheRulesAndTheirUnitTests() {
        Deploy.run(promDir, Map.of(), Duration.ofSeconds(30), promtool, "check", "config", "prometheus.yml")
                .ok("promtool check config docker/prometheus/prometheus.yml");
        Deploy.Result rules = Deploy.run(promDir, Map.of(), Duration.ofSeconds(30), promtool, "check", "rules", "alerts.yml")
                .ok("promtool check rules docker/prometheus/alerts.yml");
        assertThat(rules.output()).contains("SUCCESS");
        Deploy.run(promDir, Map.of(), Duration.ofSeconds(60), promtool, "test", "rules", "alerts_test.yml")
                .ok("promtool test rules docker/prometheus/alerts_test.yml");
    }

    @Test
    @Order(2)
    void promtoolAcceptsTheBotsMetrics() {
        Deploy.Http metrics = Deploy.get("http://127.0.0.1:" + botPort + "/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("aquatrade_equity_quote");
        Deploy.runWithInput(work, Map.of(), Duration.ofSeconds(30), metrics.body(), promtool, "check", "metrics")
                .ok("promtool check metrics < the bot's /metrics");
    }

    @Test
    @Order(3)
    void everyDashboardExpressionReturnsData() throws IOException {
        List<Promql.Query> queries = new ArrayList<>();
        try (Stream<Path> files = Files.list(repo.resolve("grafana/dashboards"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                queries.addAll(Promql.dashboardQueries(f, Deploy.readJson(f)));
            }
        }
        assertThat(queries).hasSizeGreaterThan(50);
        List<String> failures = new ArrayList<>();
        for (Promql.Query q : queries) {
            if (q.condition()) {
                checkParses(q.where(), q.expr(), failures);
                for (String operand : Promql.dataOperands(q.expr())) {
                    checkReturnsData(q.where() + " operand", operand, failures);
                }
            } else {
                checkReturnsData(q.where(), q.expr(), failures);
            }
        }
        assertThat(failures).as(failures.size() + " of " + queries.size() + " dashboard queries failed:\n"
                + String.join("\n", failures)).isEmpty();
    }

    /**
     * Panels whose series may be NaN all through a demo run, each with why. Every other panel target must show a
     * number at some point of the run: a series that exists but is only ever NaN (a quantile of a histogram nothing
     * observes, a mean of nothing) is an empty panel in Grafana, which the instant check above accepts as data.
     */
    private static final Map<String, String> MAY_STAY_NAN = Map.of(
            "panel \"Worker pool queue time (mean)\" target A",
            "the demo runs no task on a Vert.x worker pool: its mean queue time is 0/0 (the max beside it shows 0)");

    @Test
    @Order(4)
    void everyDashboardPanelShowsANumberDuringTheRun() throws IOException {
        List<Promql.Query> queries = new ArrayList<>();
        try (Stream<Path> files = Files.list(repo.resolve("grafana/dashboards"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                queries.addAll(Promql.dashboardQueries(f, Deploy.readJson(f)));
            }
        }
        long end = System.currentTimeMillis() / 1000;
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Promql.Query q : queries) {
            if (q.condition() || q.where().contains(" variable ") || MAY_STAY_NAN.keySet().stream().anyMatch(q.where()::contains)) {
                continue;
            }
            checked++;
            JsonNode r = Deploy.promQueryRange(promPort, q.expr(), promStartedSec, end, 1);
            boolean number = false;
            for (JsonNode series : r.path("data").path("result")) {
                for (JsonNode v : series.path("values")) {
                    double d = Double.parseDouble(v.get(1).asText());
                    number |= Double.isFinite(d);
                }
            }
            if (!number) {
                failures.add(q.where() + ": no number from " + java.time.Instant.ofEpochSecond(promStartedSec) + " to "
                        + java.time.Instant.ofEpochSecond(end) + " (" + r.path("data").path("result").size()
                        + " series, all NaN or empty)\n    " + q.expr());
            }
        }
        assertThat(checked).isGreaterThan(50);
        assertThat(failures).as(failures.size() + " of " + checked + " dashboard panels never showed a number:\n"
                + String.join("\n", failures)).isEmpty();
    }

    @Test
    @Order(5)
    void everyAlertRuleParsesAndItsOperandsReturnData() {
        List<Promql.Rule> rules = Promql.alertRules(promDir.resolve("alerts.yml"), Deploy.readYaml(promDir.resolve("alerts.yml")));
        assertThat(rules).extracting(Promql.Rule::name).contains("AquatradeDown", "AquatradeKillSwitchTripped",
                "AquatradeDailyLossNearLimit", "AquatradeStaleFeed", "AquatradeExchangeBanned", "AquatradeRuleReloadFailed",
                "AquatradeRuleEvaluationErrors", "AquatradeJournalFailing");
        List<String> failures = new ArrayList<>();
        for (Promql.Rule r : rules) {
            checkParses(r.where(), r.expr(), failures);
            List<String> operands = Promql.dataOperands(r.expr());
            if (operands.isEmpty()) {
                failures.add(r.where() + ": no operand that could return data in " + r.expr());
            }
            for (String operand : operands) {
                checkReturnsData(r.where() + " operand", operand, failures);
            }
        }
        // Prometheus loaded the same rules and evaluates them without errors.
        JsonNode groups = json("/api/v1/rules").path("data").path("groups");
        List<String> names = new ArrayList<>();
        for (JsonNode g : groups) {
            for (JsonNode r : g.path("rules")) {
                names.add(r.path("name").asText());
                if (!"ok".equals(r.path("health").asText())) {
                    failures.add("Prometheus evaluates rule " + r.path("name").asText() + " with health "
                            + r.path("health").asText() + ": " + r.path("lastError").asText());
                }
            }
        }
        assertThat(names).containsExactlyInAnyOrderElementsOf(rules.stream().map(Promql.Rule::name).toList());
        assertThat(failures).as(String.join("\n", failures)).isEmpty();
    }

    @Test
    @Order(6)
    void whenTheOperatorTripsTheKillSwitchItsAlertFires() {
        assertThat(firingOrPending("AquatradeKillSwitchTripped")).isEmpty();
        Deploy.Http kill = Deploy.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + botPort + "/api/kill"))
                .timeout(Duration.ofSeconds(5)).header("authorization", "Bearer " + TOKEN)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"level\":\"HALTED\",\"reason\":\"prometheus test\"}")).build());
        assertThat(kill.status()).as(kill.body()).isEqualTo(200);
        Deploy.await("AquatradeKillSwitchTripped firing", Duration.ofSeconds(30),
                () -> firingOrPending("AquatradeKillSwitchTripped").stream().anyMatch(a -> "firing".equals(a.path("state").asText())),
                () -> json("/api/v1/alerts").toString());
        JsonNode alert = firingOrPending("AquatradeKillSwitchTripped").get(0);
        assertThat(alert.path("annotations").path("summary").asText()).isEqualTo("Kill switch is HALTED (no orders)");
        assertThat(alert.path("labels").path("severity").asText()).isEqualTo("page");
    }

    @Test
    @Order(7)
    void whenTheBotDiesTheDownAlertGoesPending() throws InterruptedException {
        assertThat(firingOrPending("AquatradeDown")).isEmpty();
        bot.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        Deploy.await("up{job=\"aquatrade\"} == 0 and AquatradeDown pending or firing", Duration.ofSeconds(30),
                () -> !firingOrPending("AquatradeDown").isEmpty(), () -> json("/api/v1/alerts").toString());
        assertThat(firingOrPending("AquatradeDown").get(0).path("labels").path("severity").asText()).isEqualTo("page");
    }

    private List<JsonNode> firingOrPending(String alertname) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode a : json("/api/v1/alerts").path("data").path("alerts")) {
            if (alertname.equals(a.path("labels").path("alertname").asText())) {
                out.add(a);
            }
        }
        return out;
    }

    private void checkParses(String where, String expr, List<String> failures) {
        JsonNode r = Deploy.promQuery(promPort, expr);
        if (!"success".equals(r.path("status").asText())) {
            failures.add(where + ": " + r.path("errorType").asText() + ": " + r.path("error").asText() + "\n    " + expr);
        }
    }

    private void checkReturnsData(String where, String expr, List<String> failures) {
        JsonNode r = Deploy.promQuery(promPort, expr);
        if (!"success".equals(r.path("status").asText())) {
            failures.add(where + ": " + r.path("errorType").asText() + ": " + r.path("error").asText() + "\n    " + expr);
        } else if (r.path("data").path("result").isEmpty()) {
            failures.add(where + ": no data\n    " + expr);
        }
    }

    private double scalar(String expr) {
        JsonNode r = Deploy.promQuery(promPort, expr).path("data").path("result");
        return r.isEmpty() ? Double.NaN : Double.parseDouble(r.get(0).path("value").get(1).asText());
    }

    private JsonNode json(String path) {
        Deploy.Http r = Deploy.get("http://127.0.0.1:" + promPort + path);
        try {
            return Deploy.JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError(path + " answered " + r.status() + ": " + r.body());
        }
    }
}
