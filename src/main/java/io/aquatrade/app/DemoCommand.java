package io.aquatrade.app;

import io.aquatrade.config.ConfigKeys;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code demo}: a paced replay of real data bundled in the jar, with status page and metrics. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Watch the bot trade a bundled day of real Binance candles, with its status page.",
                "%nReplays 13 USDT pairs on 2023-04-19 (after a week of warm-up history) at a pace a person can "
                        + "watch, with the status page and /metrics up on 127.0.0.1, then serves until stopped "
                        + "(Ctrl-C)."})
final class DemoCommand implements Callable<Integer> {

    static final LocalDate TRADING_DAY = LocalDate.of(2023, 4, 19);

    @Option(names = "--speed", paramLabel = "X", defaultValue = "600",
            description = "Pace as a multiple of real time (default: ${DEFAULT-VALUE}: the day takes about 2.5 minutes; 0 = full speed).")
    double speed;

    @Option(names = "--http-port", paramLabel = "PORT",
            description = "Port of the status page, control API and /metrics (default: ops.http_port, 8080; 0 = any free port).")
    Integer port;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The demo's old name for --http-port, kept for scripts and compose files written against it. */
    @Option(names = "--port", paramLabel = "PORT", hidden = true, description = "Deprecated: use --http-port.")
    void deprecatedPort(int p) {
        spec.commandLine().getErr().println("warning: --port is deprecated, use --http-port (the same name as replay's)");
        spec.commandLine().getErr().flush();
        port = p;
        portOption = "--port";
    }

    private String portOption = "--http-port";

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/demo",
            description = "Where the demo's report goes (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--exit-when-done", description = "Exit after the replay instead of serving until stopped.")
    boolean exitWhenDone;

    @Mixin
    RunOptions run = new RunOptions();

    @Override
    public Integer call() throws Exception {
        ConsoleLog.forInteractiveRun(run.verbose);
        ReplaySetup setup = new ReplaySetup(run, List.of());
        String host = setup.config.string(ConfigKeys.OPS_HTTP_HOST);
        int httpPort = port != null ? port : setup.config.integer(ConfigKeys.OPS_HTTP_PORT);
        setup.httpPortSource = port != null ? portOption : "ops.http_port, from " + setup.config.where(ConfigKeys.OPS_HTTP_PORT);
        setup.terminal = System.console() != null;
        Path data = extractDemoData();
        setup.run(List.of(data), Set.of(), TRADING_DAY, TRADING_DAY, out, speed, host, httpPort, System.out, true,
                tradingRun -> {
                    if (!exitWhenDone) {
                        System.out.println("Demo finished; still serving the status page and /metrics. Ctrl-C to stop.");
                        awaitShutdown();
                    }
                });
        return 0;
    }

    private static void awaitShutdown() {
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "demo-shutdown"));
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Copies the bundled data out of the jar into a temporary directory the readers can open (see {@link ScratchDir}). */
    static Path extractDemoData() {
        try {
            // owned by this process: removed at exit, and by the next start if this one is killed
            Path dir = ScratchDir.create("aquatrade-demo");
            String index;
            try (InputStream in = DemoCommand.class.getResourceAsStream("/demo/index.txt")) {
                if (in == null) {
                    throw new IllegalStateException("the bundled demo data is missing from the jar (/demo/index.txt)");
                }
                index = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            for (String name : index.split("\\R")) {
                if (name.isBlank()) {
                    continue;
                }
                try (InputStream in = DemoCommand.class.getResourceAsStream("/demo/klines-1m/" + name.trim())) {
                    if (in == null) {
                        throw new IllegalStateException("bundled demo file missing: " + name);
                    }
                    Path f = dir.resolve(name.trim());
                    Files.copy(in, f, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the demo data: " + e.getMessage(), e);
        }
    }
}
