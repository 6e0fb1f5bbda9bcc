package io.aquatrade.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deployment files agree with each other: dashboards are well-formed Grafana JSON that use the
 * provisioned datasource, the provisioning points where compose mounts the dashboards, the image and
 * the pom carry the same JVM flags, and secrets stay out of git. (The real components check the rest:
 * {@link PrometheusDashboardsTest}, {@link DockerStackIT}.)
 */
class DeploymentFilesTest {

    private final Path repo = Deploy.repo();

    @Test
    void dashboardsAreGrafanaDashboardsOnTheProvisionedDatasource() throws IOException {
        JsonNode ds = Deploy.readYaml(repo.resolve("grafana/provisioning/datasources/prometheus.yaml"));
        assertThat(ds.path("apiVersion").asInt()).isEqualTo(1);
        JsonNode source = ds.path("datasources").get(0);
        assertThat(source.path("type").asText()).isEqualTo("prometheus");
        String uid = source.path("uid").asText();
        assertThat(uid).isNotBlank();

        List<Path> files = dashboards();
        assertThat(files).extracting(p -> p.getFileName().toString()).contains("trading.json", "system.json");
        Set<String> uids = new HashSet<>();
        for (Path f : files) {
            JsonNode d = Deploy.readJson(f);
            String name = f.getFileName().toString();
            assertThat(d.path("schemaVersion").asInt()).as(name + " schemaVersion").isGreaterThanOrEqualTo(36);
            assertThat(d.path("title").asText()).as(name + " title").isNotBlank();
            assertThat(uids.add(d.path("uid").asText())).as(name + " uid is unique and set: " + d.path("uid")).isTrue();
            assertThat(d.path("uid").asText()).isNotBlank();
            List<JsonNode> panels = new ArrayList<>();
            flatten(d.path("panels"), panels);
            assertThat(panels).as(name + " panels").hasSizeGreaterThan(5);
            Set<Integer> ids = new HashSet<>();
            for (JsonNode p : panels) {
                String where = name + " panel \"" + p.path("title").asText() + "\"";
                assertThat(ids.add(p.path("id").asInt())).as(where + " has a unique id").isTrue();
                JsonNode pos = p.path("gridPos");
                assertThat(pos.path("w").asInt() + pos.path("x").asInt()).as(where + " fits the 24-column grid")
                        .isBetween(1, 24);
                assertThat(pos.path("h").asInt()).as(where + " height").isPositive();
                assertThat(p.path("type").asText()).as(where + " type").isNotBlank();
                if ("row".equals(p.path("type").asText())) {
                    continue;
                }
                assertThat(p.path("datasource").path("uid").asText()).as(where + " datasource").isEqualTo(uid);
                assertThat(p.path("targets")).as(where + " targets").isNotEmpty();
                Set<String> refIds = new HashSet<>();
                for (JsonNode t : p.path("targets")) {
                    assertThat(t.path("expr").asText()).as(where + " target expr").isNotBlank();
                    assertThat(refIds.add(t.path("refId").asText())).as(where + " refIds unique").isTrue();
                    assertThat(t.path("datasource").path("uid").asText()).as(where + " target datasource").isEqualTo(uid);
                }
            }
            for (JsonNode a : d.path("annotations").path("list")) {
                if (a.has("expr")) {
                    assertThat(a.path("datasource").path("uid").asText()).as(name + " annotation datasource").isEqualTo(uid);
                }
            }
            for (JsonNode v : d.path("templating").path("list")) {
                if ("query".equals(v.path("type").asText())) {
                    assertThat(v.path("datasource").path("uid").asText()).as(name + " variable datasource").isEqualTo(uid);
                }
            }
        }
    }

    @Test
    void theTradingDashboardShowsWhatTheIssueAsksFor() {
        String trading = Deploy.readJson(repo.resolve("grafana/dashboards/trading.json")).toString();
        for (String metric : List.of("aquatrade_exposure_quote", "aquatrade_exposure_cap_quote",
                "aquatrade_symbol_exposure_quote", "aquatrade_symbol_exposure_cap_quote", "aquatrade_trades_last_minute",
                "aquatrade_trades_per_minute_cap", "aquatrade_today_pnl_quote", "aquatrade_daily_loss_limit_quote",
                "aquatrade_deployable_quote", "aquatrade_open_positions", "aquatrade_order_rejections_total",
                "aquatrade_order_latency_seconds_bucket", "aquatrade_kill_switch_state",
                // why entries stop, as the status page shows it: paused symbols and fills the journal has not written
                "aquatrade_symbol_paused", "aquatrade_journal_unwritten_fills", "aquatrade_journal_write_failures_total")) {
            assertThat(trading).as("trading.json uses " + metric).contains(metric);
        }
        String system = Deploy.readJson(repo.resolve("grafana/dashboards/system.json")).toString();
        for (String metric : List.of("aquatrade_market_events_total", "aquatrade_stream_last_message_age_seconds",
                "aquatrade_stream_reconnects_total", "aquatrade_throttle_usage_ratio", "aquatrade_rules_reload_total",
                "aquatrade_rules_version", "aquatrade_event_loop_lag_seconds", "jvm_memory_used_bytes", "vertx_pool_in_use")) {
            assertThat(system).as("system.json uses " + metric).contains(metric);
        }
    }

    @Test
    void provisioningLoadsTheDashboardsFromWhereComposeMountsThem() {
        JsonNode provider = Deploy.readYaml(repo.resolve("grafana/provisioning/dashboards/aquatrade.yaml"))
                .path("providers").get(0);
        assertThat(provider.path("type").asText()).isEqualTo("file");
        String path = provider.path("options").path("path").asText();
        JsonNode compose = Deploy.readYaml(repo.resolve("docker/docker-compose.yml"));
        List<String> volumes = new ArrayList<>();
        compose.path("services").path("grafana").path("volumes").forEach(v -> volumes.add(v.asText()));
        assertThat(volumes).contains("../grafana/dashboards:" + path + ":ro",
                "../grafana/provisioning:/etc/grafana/provisioning:ro");
        JsonNode ds = Deploy.readYaml(repo.resolve("grafana/provisioning/datasources/prometheus.yaml")).path("datasources").get(0);
        List<String> promArgs = new ArrayList<>();
        compose.path("services").path("prometheus").path("command").forEach(v -> promArgs.add(v.asText()));
        String listen = promArgs.stream().filter(a -> a.startsWith("--web.listen-address=")).findFirst().orElseThrow();
        assertThat(ds.path("url").asText()).isEqualTo("http://" + listen.substring(listen.indexOf('=') + 1));
    }

    @Test
    void theBotServiceRestartsItselfIsHealthCheckedAndMountsRulesAndConfig() {
        JsonNode bot = Deploy.readYaml(repo.resolve("docker/docker-compose.yml")).path("services").path("bot");
        assertThat(bot.path("restart").asText()).isEqualTo("unless-stopped");
        assertThat(bot.path("network_mode").asText()).isEqualTo("host");
        assertThat(bot.path("healthcheck").path("test").toString()).contains("healthcheck.sh");
        List<String> volumes = new ArrayList<>();
        bot.path("volumes").forEach(v -> volumes.add(v.asText()));
        assertThat(volumes).anyMatch(v -> v.endsWith(":/app/rules:ro"))
                .anyMatch(v -> v.endsWith(":/app/config:ro"))
                .anyMatch(v -> v.startsWith("aquatrade-var:/app/var"));
        assertThat(bot.path("env_file").asText()).contains(".env");
    }

    @Test
    void theImageAndTheComposeFileProbeHealthAlikeAndTheProbeEndsInsideItsTimeout() throws IOException {
        JsonNode hc = Deploy.readYaml(repo.resolve("docker/docker-compose.yml")).path("services").path("bot")
                .path("healthcheck");
        String line = Files.readString(repo.resolve("docker/Dockerfile")).lines()
                .filter(l -> l.startsWith("HEALTHCHECK ")).findFirst().orElseThrow();
        for (String opt : List.of("interval", "timeout", "start_period", "retries")) {
            assertThat(line).as("Dockerfile HEALTHCHECK --" + opt.replace('_', '-') + " = compose's " + opt)
                    .contains("--" + opt.replace('_', '-') + "=" + hc.path(opt).asText() + " ");
        }
        // the script's own waits: read -t N on the status line, timeout N on the body
        String script = Files.readString(repo.resolve("docker/healthcheck.sh"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("read -r -t (\\d+) .*\\n(?s:.*)timeout (\\d+) cat")
                .matcher(script);
        assertThat(m.find()).as(script).isTrue();
        int timeout = Integer.parseInt(hc.path("timeout").asText().replace("s", ""));
        assertThat(Integer.parseInt(m.group(1)) + Integer.parseInt(m.group(2))).as("probe waits vs timeout").isLessThan(timeout);
    }

    @Test
    void theImageCarriesThePomsJvmFlagsAndRunsAsNonRoot() throws IOException {
        String dockerfile = Files.readString(repo.resolve("docker/Dockerfile"));
        String flags = dockerfile.lines().filter(l -> l.startsWith("ENV AQUATRADE_JVM_FLAGS=")).findFirst().orElseThrow();
        assertThat(flags).contains(String.join(" ", Deploy.hazelcastOpens()));
        assertThat(dockerfile).containsPattern("(?m)^USER aquatrade")
                .containsPattern("(?m)^HEALTHCHECK .*healthcheck\\.sh")
                .contains("-XX:MaxRAMPercentage=")
                .doesNotContainPattern("(?m)^# *syntax=");
        for (String script : List.of("entrypoint.sh", "healthcheck.sh", "build-base-image.sh", "start-engine.sh")) {
            assertThat(Files.isExecutable(repo.resolve("docker").resolve(script))).as(script + " is executable").isTrue();
        }
    }

    @Test
    void theTradingOverrideRunsTheModeOfTheEnvFileAndNoCommittedFileConfirmsLiveTrading() throws IOException {
        JsonNode bot = Deploy.readYaml(repo.resolve("docker/docker-compose.trading.yml")).path("services").path("bot");
        List<String> command = new ArrayList<>();
        bot.path("command").forEach(a -> command.add(a.asText()));
        assertThat(String.join(" ", command)).startsWith("run --mode ${AQUATRADE_MODE:-paper} --config config/aquatrade.yaml")
                .contains("ops.http_port=${AQUATRADE_HTTP_PORT:-8080}")
                .contains("exchange.live_confirm=${AQUATRADE_LIVE_CONFIRM:-}")
                .doesNotContain("--confirm-live").doesNotContain("I-TRADE-REAL-MONEY");
        assertThat(Files.readString(repo.resolve("docker/.env.example"))).containsPattern("(?m)^AQUATRADE_MODE=paper$")
                .containsPattern("(?m)^AQUATRADE_LIVE_CONFIRM=$");
        // the secret-files override sets the token's file, not a command: it combines with the trading override
        JsonNode secrets = Deploy.readYaml(repo.resolve("docker/docker-compose.secret-files.yml")).path("services").path("bot");
        assertThat(secrets.has("command")).isFalse();
        assertThat(secrets.path("environment").path("AQUATRADE_CONTROL_TOKEN_FILE").asText()).isEqualTo("/run/secrets/control_token");
    }

    @Test
    void secretsStayOutOfGit() throws IOException {
        List<String> ignored = Files.readAllLines(repo.resolve(".gitignore"));
        assertThat(ignored).contains(".env");
        String example = Files.readString(repo.resolve("docker/.env.example"));
        for (String line : example.lines().toList()) {
            if (line.matches("^(BINANCE_API_KEY|BINANCE_API_SECRET|AQUATRADE_CONTROL_TOKEN|AQUATRADE_NOTIFY_URL)=.*")) {
                assertThat(line).as("the example holds no secret value").endsWith("=");
            }
        }
    }

    private List<Path> dashboards() throws IOException {
        try (Stream<Path> s = Files.list(repo.resolve("grafana/dashboards"))) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    private static void flatten(JsonNode panels, List<JsonNode> out) {
        for (JsonNode p : panels) {
            out.add(p);
            if (p.has("panels")) {
                flatten(p.path("panels"), out);
            }
        }
    }
}
