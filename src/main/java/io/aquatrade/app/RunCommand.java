package io.aquatrade.app;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.exchange.binance.BinanceCredentials;
import io.aquatrade.rules.CompiledRuleSet;
import io.aquatrade.rules.RuleSetCompiler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code run}: trade on Binance, around the clock, through the same pipeline as replay. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trade on Binance (paper, testnet or live) until stopped by SIGTERM or SIGINT (Ctrl-C).",
                "Serves the status page, control API and /metrics on ops.http_host:ops.http_port (0 = any free port; "
                        + "the URLs are printed). Modes:",
                "  paper    live Binance prices, simulated fills at the live book (ask for BUY,",
                "           bid for SELL), fees and filters; starting balance",
                "           capital.start_quote; needs no keys",
                "  testnet  Binance's spot testnet; needs testnet keys",
                "  live     real money; needs keys AND --confirm-live",
                "           (or exchange.live_confirm=I-TRADE-REAL-MONEY)",
                "Keys only from the environment: BINANCE_API_KEY with BINANCE_API_SECRET (HMAC) or "
                        + "BINANCE_PRIVATE_KEY_FILE (Ed25519 PEM), or their *_FILE variants (Docker secrets)."})
final class RunCommand implements Callable<Integer> {

    @Option(names = "--mode", paramLabel = "MODE",
            description = "paper, testnet or live; the same as --set mode=MODE (default: the config's mode).")
    String mode;

    @Option(names = "--confirm-live",
            description = "Confirms that a live run trades real money (required for --mode live; no default sets it).")
    boolean confirmLive;

    @Mixin
    RunOptions run = new RunOptions();

    @Override
    public Integer call() throws Exception {
        ConsoleLog.forInteractiveRun(run.verbose);
        List<String> overrides = new ArrayList<>();
        if (mode != null) {
            overrides.add("mode=" + mode);
        }
        overrides.addAll(run.overrides);
        AquatradeConfig config = AquatradeConfig.load(run.configFile(), overrides);
        Mode m = Mode.of(config);
        Optional<BinanceCredentials> keys = LiveRun.checkStart(m, config, confirmLive, System.getenv());
        CompiledRuleSet rules = new RuleSetCompiler().compile(run.rules);
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        // the JVM halts once its shutdown hooks return: this one waits for the run to close cleanly
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                closed.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "run-shutdown"));
        try (LiveRun live = new LiveRun(m, config, rules, keys, System.out)) {
            live.start();
            stop.await();
            System.out.println("Stopping the " + m.key() + " run");
        } finally {
            closed.countDown();
        }
        return 0;
    }
}
