package io.aquatrade.app;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The real bundled demo (13 pairs, one day of real Binance candles, the shipped rules) replayed at full
 * speed through a real {@link TradingRun}, with its ops server on 127.0.0.1 and then kept serving, shared
 * by the ops tests of one JVM. The control token comes from a secret file, as in production; the rules
 * are a copy in a temporary directory so tests may edit them; notices go to a local webhook that
 * records them.
 */
final class DemoRun {

    static final String TOKEN = "test-token-" + Long.toHexString(Double.doubleToLongBits(Math.random())) + "-x";

    private static DemoRun shared;

    final int port;
    final TradingRun run;
    final Path rulesDir;
    final Path tokenFile;
    /** Bodies the run's notifier posted to the local webhook, in arrival order. */
    final List<JsonObject> notices;
    final double startSeconds;
    /** Where the run wrote trades.csv, report.json and report.html. */
    final Path reportDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private DemoRun(int port, TradingRun run, Path rulesDir, Path tokenFile, double startSeconds, List<JsonObject> notices,
                    Path reportDir) {
        this.reportDir = reportDir;
        this.port = port;
        this.run = run;
        this.rulesDir = rulesDir;
        this.tokenFile = tokenFile;
        this.startSeconds = startSeconds;
        this.notices = notices;
    }

    /** Starts the demo once per JVM and waits until it has finished replaying (it keeps serving). */
    static synchronized DemoRun shared() throws Exception {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    private static DemoRun start() throws Exception {
        long t0 = System.nanoTime();
        Path tmp = Files.createTempDirectory("aquatrade-ops-test-");
        Path rules = tmp.resolve("rules");
        copyDir(Path.of("rules"), rules);
        Path tokenFile = tmp.resolve("control-token");
        Files.writeString(tokenFile, TOKEN + "\n");

        // the webhook the run's notifier posts to
        Vertx hookVertx = Vertx.vertx();
        List<JsonObject> notices = new CopyOnWriteArrayList<>();
        HttpServer hook = hookVertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
            notices.add(b.toJsonObject());
            req.response().setStatusCode(204).end();
        })).listen(0, "127.0.0.1").await();

        RunOptions opts = new RunOptions();
        opts.rules = rules;
        opts.overrides.addAll(List.of(
                "state.cluster_name=aq-ops-test-" + ProcessHandle.current().pid(),
                "ops.control_token_env=AQUATRADE_TEST_UNSET_" + ProcessHandle.current().pid(),
                "ops.control_token_file=" + tokenFile,
                "notify.url_env=AQUATRADE_TEST_UNSET_" + ProcessHandle.current().pid(),
                "notify.url=http://127.0.0.1:" + hook.actualPort() + "/hook",
                "notify.initial_backoff_ms=10"));
        ReplaySetup setup = new ReplaySetup(opts, List.of());
        Path data = DemoCommand.extractDemoData();
        AtomicReference<TradingRun> running = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(1);
        CountDownLatch stop = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                setup.run(List.of(data), Set.of(), DemoCommand.TRADING_DAY, DemoCommand.TRADING_DAY, tmp.resolve("out"),
                        0, "127.0.0.1", 0, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        false, r -> {
                            running.set(r);
                            ready.countDown();
                            try {
                                stop.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
            } catch (Throwable e) {
                failure.set(e);
                ready.countDown();
            }
        }, "demo-run");
        t.setDaemon(true);
        t.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                t.join(10_000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            hookVertx.close();
        }, "demo-run-stop"));
        if (!ready.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the demo did not finish within 5 minutes");
        }
        if (failure.get() != null) {
            throw new IllegalStateException("the demo failed: " + failure.get(), failure.get());
        }
        TradingRun r = running.get();
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("DemoRun: demo replayed and serving on 127.0.0.1:%d after %.1f s%n", r.opsPort(), secs);
        return new DemoRun(r.opsPort(), r, rules, tokenFile, secs, notices, tmp.resolve("out"));
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).GET());
    }

    /** POSTs {@code body}; {@code token} null sends no Authorization header. */
    HttpResponse<String> post(String path, String body, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path)))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b);
    }

    private HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return http.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonObject status() {
        return new JsonObject(get("/api/status").body());
    }

    private static void copyDir(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
