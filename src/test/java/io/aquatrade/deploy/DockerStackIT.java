package io.aquatrade.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.aquatrade.exchange.binance.LocalBinance;
import io.aquatrade.exchange.binance.LocalBinanceServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proof with the real component: the image is built and the compose stack ({@code docker/docker-compose.yml},
 * services bot and prometheus; Grafana's image cannot be had here) runs on a real Docker engine (Debian's
 * dockerd, started by {@code docker/start-engine.sh} if none runs; base images are the stand-ins of
 * {@code docker/build-base-image.sh}). Host networking on 127.0.0.1 as committed; only ports, the
 * Hazelcast cluster name and a copy of rules/ are changed, through an override file and the variables the
 * compose file offers, so the test neither collides with a stack the user runs nor edits the working tree.
 * <ol>
 *   <li>the bot comes up healthy (Docker's HEALTHCHECK on /health), as a non-root user, with the container
 *       JVM flags, and the stack's Prometheus scrapes it;</li>
 *   <li>its java process is SIGKILLed from the host, as a crash would end it; the restart policy brings it
 *       back, healthy, and Prometheus sees the new process start;</li>
 *   <li>a rule file is edited on the host, in the mounted directory; the bot inside the container reports
 *       a new active rule version;</li>
 *   <li>with {@code docker/docker-compose.trading.yml} the same service trades: {@code run --mode testnet} against a
 *       server speaking Binance's protocol on the host's loopback, signed with the keys of the env file (which no log
 *       shows), and the starting capital of the capital rule is kept in the var volume across a SIGKILL.</li>
 * </ol>
 * Runs in the integration-test phase (maven-failsafe): it needs target/aquatrade.jar.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerStackIT {

    private static final String TOKEN = "docker-it-" + Long.toHexString(System.nanoTime()) + "-token";

    private final Path repo = Deploy.repo();
    // the JVM's pid in every name, so a run removes what dead runs left and never another live run's stack
    private static final String OWNER_MARK = "p";
    private final String suffix = ProcessHandle.current().pid() + OWNER_MARK
            + Long.toHexString(System.currentTimeMillis()).substring(4);
    private final String project = "aqtit" + suffix;
    private final String image = "aquatrade:it-" + suffix;
    private final Map<String, String> env = new HashMap<>();
    private String docker;
    private String compose;
    private Path work;
    private Path override;
    private int botPort;
    private int promPort;
    private String botContainer;
    private boolean up;

    @BeforeAll
    void buildAndStartTheStack() throws IOException {
        docker = Files.isExecutable(Path.of("/usr/bin/docker")) ? "/usr/bin/docker" : Deploy.require("docker", "docker.io");
        compose = Deploy.require("docker-compose", "docker-compose");
        Deploy.require("dockerd", "docker.io");
        assertThat(repo.resolve("target/aquatrade.jar")).as("the image copies target/aquatrade.jar: run after `mvn package`")
                .isRegularFile();
        env.put("DOCKER", docker);
        env.put("DOCKER_BUILDKIT", "0");
        env.put("COMPOSE_DOCKER_CLI_BUILD", "0");
        Deploy.run(repo, env, Duration.ofSeconds(90), "docker/start-engine.sh").ok("docker/start-engine.sh");
        Deploy.run(repo, env, Duration.ofMinutes(15), "docker/build-base-image.sh").ok("docker/build-base-image.sh");

        removeLeftoversOfEarlierRuns();
        work = Files.createTempDirectory("aquatrade-docker-it-");
        botPort = Deploy.freePort();
        promPort = Deploy.freePort();
        Deploy.copyTree(repo.resolve("rules"), work.resolve("rules"));
        Path envFile = work.resolve("bot.env");
        Files.writeString(envFile, "AQUATRADE_CONTROL_TOKEN=" + TOKEN + "\n");
        String promConfig = Files.readString(repo.resolve("docker/prometheus/prometheus.yml"))
                .replace("scrape_interval: 15s", "scrape_interval: 2s")
                .replace("scrape_timeout: 10s", "scrape_timeout: 2s")
                .replace("evaluation_interval: 15s", "evaluation_interval: 2s")
                .replace("127.0.0.1:8080", "127.0.0.1:" + botPort)
                .replace("127.0.0.1:9090", "127.0.0.1:" + promPort);
        Files.writeString(work.resolve("prometheus.yml"), promConfig);
        override = work.resolve("docker-compose.it.yml");
        Files.writeString(override, String.join("\n",
                "# DockerStackIT: this run's image tag, ports and Hazelcast cluster; everything else as committed.",
                "services:",
                "  bot:",
                "    image: " + image,
                "    command: [\"demo\", \"--http-port\", \"" + botPort + "\", \"--out\", \"var/demo\",",
                "              \"--set\", \"state.cluster_name=" + project + "\"]",
                "  prometheus:",
                "    command: [\"--config.file=/etc/prometheus/prometheus.yml\", \"--storage.tsdb.path=/prometheus\",",
                "              \"--web.listen-address=127.0.0.1:" + promPort + "\"]",
                "    volumes:",
                "      - " + work.resolve("prometheus.yml") + ":/etc/prometheus/prometheus.yml:ro",
                ""));
        env.put("AQUATRADE_ENV_FILE", envFile.toString());
        env.put("AQUATRADE_HTTP_PORT", Integer.toString(botPort));
        env.put("AQUATRADE_RULES_DIR", work.resolve("rules").toString());

        compose(Duration.ofSeconds(60), "config", "-q").ok("docker-compose config (committed file + test override)");
        // If this JVM is ended before @AfterAll (a CI timeout), the stack must not run on: restart
        // unless-stopped would keep it up for good.
        Runtime.getRuntime().addShutdownHook(downOnExit);
        compose(Duration.ofMinutes(5), "build", "bot").ok("docker-compose build bot");
        up = true;
        compose(Duration.ofMinutes(3), "up", "-d", "--no-build", "bot", "prometheus").ok("docker-compose up -d bot prometheus");
        botContainer = compose(Duration.ofSeconds(30), "ps", "-q", "bot").ok("docker-compose ps").output().trim();
        assertThat(botContainer).as("the bot's container id").isNotBlank();
    }

    private final Thread downOnExit = new Thread(this::down, "docker-stack-it-down");

    private void down() {
        compose(Duration.ofMinutes(2), "down", "-v", "-t", "10");
        Deploy.run(repo, env, Duration.ofSeconds(60), docker, "rmi", image);
    }

    /**
     * True for a name ({@code prefix} + pid + {@link #OWNER_MARK} + ...) this test gave its stack in a JVM that is
     * gone: a killed earlier run's leftover. A run still going (another checkout's suite) keeps its stack.
     */
    static boolean leftOverByADeadRun(String name, String prefix) {
        if (!name.startsWith(prefix)) {
            return false;
        }
        String rest = name.substring(prefix.length());
        int mark = rest.indexOf(OWNER_MARK);
        if (mark <= 0) {
            return true; // named before names carried their owner
        }
        try {
            long pid = Long.parseLong(rest.substring(0, mark));
            return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
        } catch (NumberFormatException notOurs) {
            return true;
        }
    }

    /** Stacks, volumes and images a killed earlier run of this test left behind (project names aqtit*). */
    private void removeLeftoversOfEarlierRuns() {
        String ps = Deploy.run(repo, env, Duration.ofSeconds(30), docker, "ps", "-a", "--format",
                "{{.ID}} {{.Label \"com.docker.compose.project\"}}").ok("docker ps").output();
        for (String line : ps.lines().toList()) {
            String[] f = line.trim().split(" ");
            if (f.length == 2 && leftOverByADeadRun(f[1], "aqtit")) {
                Deploy.run(repo, env, Duration.ofSeconds(60), docker, "rm", "-f", "-v", f[0]);
            }
        }
        String volumes = Deploy.run(repo, env, Duration.ofSeconds(30), docker, "volume", "ls", "-q").ok("docker volume ls").output();
        for (String v : volumes.lines().map(String::trim).filter(v -> leftOverByADeadRun(v, "aqtit")).toList()) {
            Deploy.run(repo, env, Duration.ofSeconds(30), docker, "volume", "rm", v);
        }
        String images = Deploy.run(repo, env, Duration.ofSeconds(30), docker, "images", "--format", "{{.Repository}}:{{.Tag}}")
                .ok("docker images").output();
        for (String i : images.lines().map(String::trim).filter(i -> leftOverByADeadRun(i, "aquatrade:it-")).toList()) {
            Deploy.run(repo, env, Duration.ofSeconds(30), docker, "rmi", i);
        }
    }

    @AfterAll
    void tearDown() throws IOException {
        if (up) {
            Path logs = repo.resolve("target/docker-stack-it.log");
            Files.createDirectories(logs.getParent());
            Files.writeString(logs, compose(Duration.ofSeconds(60), "logs", "--no-color", "--tail", "300").output());
            System.out.println("DockerStackIT: container logs in " + logs);
            down();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(downOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running already
        }
        Deploy.deleteTree(work);
    }

    @Test
    @Order(1)
    void theBotComesUpHealthyAsNonRootAndPrometheusScrapesIt() {
        awaitHealthy("the first start");
        assertThat(Deploy.get("http://127.0.0.1:" + botPort + "/health").body()).contains("\"UP\"");

        JsonNode c = inspect();
        assertThat(c.path("Config").path("User").asText()).isEqualTo("aquatrade:aquatrade");
        assertThat(c.path("HostConfig").path("RestartPolicy").path("Name").asText()).isEqualTo("unless-stopped");
        assertThat(c.path("HostConfig").path("NetworkMode").asText()).isEqualTo("host");
        assertThat(c.path("HostConfig").path("Memory").asLong()).as("a memory limit the JVM sizes itself from").isPositive();
        List<String> mounts = new ArrayList<>();
        c.path("Mounts").forEach(m -> mounts.add(m.path("Destination").asText() + (m.path("RW").asBoolean() ? " rw" : " ro")));
        assertThat(mounts).contains("/app/rules ro", "/app/config ro", "/app/var rw");

        ProcessHandle java = botJava();
        assertThat(Deploy.run(repo, env, Duration.ofSeconds(30), docker, "exec", botContainer, "id", "-u").ok("id -u").output().trim())
                .isEqualTo("10001");
        String cmdline = readCmdline(java.pid());
        assertThat(cmdline).contains("-XX:MaxRAMPercentage=", "--add-opens java.base/java.lang=ALL-UNNAMED", "-jar /app/aquatrade.jar demo");

        awaitProm("the stack's Prometheus to scrape the bot", "sum(up{job=\"aquatrade\"}) == 1");
    }

    @Test
    @Order(2)
    void aSigkilledBotIsRestartedByThePolicyAndIsHealthyAgain() {
        long restartsBefore = inspect().path("RestartCount").asLong();
        ProcessHandle java = botJava();
        long oldPid = java.pid();
        assertThat(java.destroyForcibly()).as("SIGKILL sent to java pid " + oldPid).isTrue();

        Deploy.await("Docker to restart the bot", Duration.ofSeconds(60),
                () -> inspect().path("RestartCount").asLong() > restartsBefore, () -> inspect().path("State").toString());
        JsonNode state = inspect().path("State");
        awaitHealthy("the restart");
        assertThat(botJava().pid()).isNotEqualTo(oldPid);
        assertThat(Deploy.get("http://127.0.0.1:" + botPort + "/health").status()).isEqualTo(200);
        assertThat(state.path("OOMKilled").asBoolean()).isFalse();
        // Prometheus saw the scrape target restart: the process start time changed.
        awaitProm("Prometheus to see the restarted process",
                "changes(process_start_time_seconds{job=\"aquatrade\"}[10m]) >= 1 and on() sum(up{job=\"aquatrade\"}) == 1");
    }

    @Test
    @Order(3)
    void aRuleFileEditedOnTheHostIsLoadedInsideTheContainer() throws IOException {
        awaitHealthy("the rules check");
        String before = rulesVersion();
        assertThat(before).isNotBlank();
        Path risk = work.resolve("rules/risk.drl");
        // A real change (a new rule), harmless: its condition never holds.
        Files.writeString(risk, String.join("\n", "",
                "// added by DockerStackIT to prove hot reload through the bind mount",
                "rule \"deploy-it-marker\"",
                "when",
                "    eval( false )",
                "then",
                "end", ""), StandardOpenOption.APPEND);
        String sha = sha256(risk);
        // The edit is visible inside the container at once (the bind mount), ...
        String inside = Deploy.run(repo, env, Duration.ofSeconds(30), docker, "exec", botContainer, "sha256sum",
                "/app/rules/risk.drl").ok("sha256sum in the container").output();
        assertThat(inside).startsWith(sha);
        // ... and the bot reloads it by itself: a new active version, built from the edited file.
        Deploy.await("the bot in the container to hot-reload the edited rules (rulesVersion other than " + before
                        + "; the edited file is visible in the container, so a timeout here means no hot reload)",
                Duration.ofSeconds(60), () -> {
                    String now = rulesVersion();
                    return now != null && !now.equals(before);
                }, () -> "rulesVersion " + rulesVersion() + "; /api/rules " + Deploy.get("http://127.0.0.1:" + botPort + "/api/rules").body());
        JsonNode rules = Deploy.readJsonText(Deploy.get("http://127.0.0.1:" + botPort + "/api/rules").body());
        List<String> loaded = new ArrayList<>();
        rules.path("files").forEach(f -> loaded.add(f.path("file").asText() + " " + f.path("sha256").asText()));
        assertThat(loaded).as("/api/rules lists the edited file's content hash").contains("rules/risk.drl " + sha);
        assertThat(Deploy.get("http://127.0.0.1:" + botPort + "/health").status()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void theTradingOverrideRunsATestnetBotWithKeysFromTheEnvFileThatKeepsItsCapitalAcrossARestart() throws Exception {
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try (LocalBinanceServer exchange = LocalBinanceServer
                .start(vertx)) {
            exchange.addHmacKey(LocalBinance.DOC_API_KEY,
                    LocalBinance.DOC_SECRET)
                    .exchangeInfo(LocalBinance.usdtExchangeInfo());
            exchange.exchange().setBalance("USDT", "500.00000000");
            exchange.exchange().setBook("BTCUSDT", "93500.00", "93500.20");
            exchange.klines("BTCUSDT", LocalBinance.recordedDayUpToTheLastClosedMinute());
            // the operator's files: docker/.env with the mode and the keys, a config directory pointing at the exchange
            Path tradingEnv = work.resolve("trading.env");
            Files.writeString(tradingEnv, String.join("\n", "AQUATRADE_CONTROL_TOKEN=" + TOKEN, "AQUATRADE_MODE=testnet",
                    "BINANCE_API_KEY=" + LocalBinance.DOC_API_KEY,
                    "BINANCE_API_SECRET=" + LocalBinance.DOC_SECRET, ""));
            Path config = Files.createDirectories(work.resolve("trading-config"));
            Files.writeString(config.resolve("aquatrade.yaml"), String.join("\n",
                    "# DockerStackIT: the exchange is a local server speaking Binance's protocol on the host's loopback",
                    "exchange:",
                    "  rest_url: \"" + exchange.restUrl() + "\"",
                    "  stream_url: \"" + exchange.streamUrl() + "\"",
                    "  ws_api_url: \"" + exchange.wsApiUrl() + "\"",
                    "  symbols: \"BTCUSDT\"",
                    "history:",
                    "  lookback_days: 1",
                    ""));
            Path tradingOverride = work.resolve("docker-compose.it-trading.yml");
            Files.writeString(tradingOverride, String.join("\n",
                    "# DockerStackIT: this run's image tag; the command is docker-compose.trading.yml's, as committed.",
                    "services:",
                    "  bot:",
                    "    image: " + image,
                    ""));
            Map<String, String> tradingEnvVars = new HashMap<>(env);
            tradingEnvVars.put("AQUATRADE_ENV_FILE", tradingEnv.toString());
            tradingEnvVars.put("AQUATRADE_MODE", "testnet");
            tradingEnvVars.put("AQUATRADE_CONFIG_DIR", config.toString());
            List<Path> files = List.of(repo.resolve("docker/docker-compose.yml"),
                    repo.resolve("docker/docker-compose.trading.yml"), tradingOverride);
            compose(tradingEnvVars, files, Duration.ofMinutes(3), "up", "-d", "--no-build", "bot")
                    .ok("docker-compose -f docker-compose.yml -f docker-compose.trading.yml up -d bot");
            botContainer = compose(tradingEnvVars, files, Duration.ofSeconds(30), "ps", "-q", "bot").ok("docker-compose ps")
                    .output().trim();
            awaitHealthy("the switch to the trading override");
            assertThat(readCmdline(botJava().pid())).contains("-jar /app/aquatrade.jar run --mode testnet --config config/aquatrade.yaml");
            JsonNode status = Deploy.readJsonText(Deploy.get("http://127.0.0.1:" + botPort + "/api/status").body());
            assertThat(status.path("mode").asText()).isEqualTo("testnet");
            // the account was read with the env file's key, correctly signed
            Deploy.await("the bot to read its testnet account", Duration.ofSeconds(30),
                    () -> exchange.requests("/api/v3/account").stream().anyMatch(r -> r.signatureValid()
                            && LocalBinance.DOC_API_KEY.equals(r.apiKeyHeader())),
                    () -> exchange.requests().toString());
            String firstStart = compose(tradingEnvVars, files, Duration.ofSeconds(60), "logs", "--no-color", "bot").output();
            assertThat(firstStart).contains("Capital: 500 USDT (account free 500.00000000");

            // the account grows while the bot is down; the capital rule's base stays what the first start found
            exchange.exchange().setBalance("USDT", "800.00000000");
            long restartsBefore = inspect().path("RestartCount").asLong();
            assertThat(botJava().destroyForcibly()).isTrue();
            Deploy.await("Docker to restart the testnet bot", Duration.ofSeconds(60),
                    () -> inspect().path("RestartCount").asLong() > restartsBefore, () -> inspect().path("State").toString());
            awaitHealthy("the testnet bot's restart");
            Deploy.await("the restarted bot to report its kept starting capital", Duration.ofSeconds(60),
                    () -> compose(tradingEnvVars, files, Duration.ofSeconds(60), "logs", "--no-color", "bot").output()
                            .contains("account free 800.00000000"),
                    () -> compose(tradingEnvVars, files, Duration.ofSeconds(60), "logs", "--no-color", "--tail", "20", "bot").output());
            String logs = compose(tradingEnvVars, files, Duration.ofSeconds(60), "logs", "--no-color", "bot").output();
            assertThat(logs).contains("Capital: 500 USDT (account free 800.00000000")
                    .doesNotContain(LocalBinance.DOC_SECRET).doesNotContain(TOKEN);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    private static String sha256(Path file) throws IOException {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
            return java.util.HexFormat.of().formatHex(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String rulesVersion() {
        Deploy.Http r = Deploy.get("http://127.0.0.1:" + botPort + "/api/status");
        if (r.status() != 200) {
            return null;
        }
        try {
            return Deploy.JSON.readTree(r.body()).path("rulesVersion").asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    private void awaitHealthy(String when) {
        Deploy.await("the bot container to be healthy after " + when, Duration.ofSeconds(150), () -> {
            JsonNode s = inspect().path("State");
            return s.path("Running").asBoolean() && "healthy".equals(s.path("Health").path("Status").asText());
        }, () -> inspect().path("State").toString() + "\n" + compose(Duration.ofSeconds(30), "logs", "--no-color", "--tail", "15", "bot").output());
    }

    private void awaitProm(String what, String expr) {
        Deploy.await(what, Duration.ofSeconds(90), () -> {
            if (Deploy.get("http://127.0.0.1:" + promPort + "/-/ready").status() != 200) {
                return false;
            }
            return !Deploy.promQuery(promPort, expr).path("data").path("result").isEmpty();
        }, () -> Deploy.get("http://127.0.0.1:" + promPort + "/api/v1/targets").body());
    }

    /** The bot's java process on the host: the child of the container's init (compose's init: true). */
    private ProcessHandle botJava() {
        long initPid = inspect().path("State").path("Pid").asLong();
        ProcessHandle init = ProcessHandle.of(initPid).orElseThrow(() -> new AssertionError("no process " + initPid));
        if (readCmdline(initPid).startsWith("java ") || readCmdline(initPid).contains("/java ")) {
            return init;
        }
        Optional<ProcessHandle> java = init.children().filter(p -> readCmdline(p.pid()).contains("aquatrade.jar")).findFirst();
        return java.orElseThrow(() -> new AssertionError("no java child of the container's init " + initPid));
    }

    private static String readCmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"))).replace('\0', ' ').trim();
        } catch (IOException e) {
            return "";
        }
    }

    private JsonNode inspect() {
        String out = Deploy.run(repo, env, Duration.ofSeconds(30), docker, "inspect", botContainer).ok("docker inspect").output();
        try {
            return Deploy.JSON.readTree(out).get(0);
        } catch (IOException e) {
            throw new AssertionError("docker inspect printed no JSON: " + out);
        }
    }

    private Deploy.Result compose(Duration timeout, String... args) {
        return compose(env, List.of(repo.resolve("docker/docker-compose.yml"), override), timeout, args);
    }

    /** docker-compose of this run's project with these compose files, in order, and these variables. */
    private Deploy.Result compose(Map<String, String> vars, List<Path> files, Duration timeout, String... args) {
        List<String> cmd = new ArrayList<>(List.of(compose, "-p", project));
        for (Path f : files) {
            cmd.addAll(List.of("-f", f.toString()));
        }
        cmd.addAll(List.of(args));
        return Deploy.run(repo, vars, timeout, cmd.toArray(String[]::new));
    }
}
