package io.aquatrade.app;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.exchange.ExchangeInfo;
import io.aquatrade.exchange.sim.SimulatedExchange;
import io.aquatrade.execution.ExchangeSymbolRules;
import io.aquatrade.execution.ExecutionService;
import io.aquatrade.execution.Halt;
import io.aquatrade.execution.HardLimits;
import io.aquatrade.execution.KillSwitchControl;
import io.aquatrade.execution.KillSwitchRefusedException;
import io.aquatrade.execution.KillSwitchState;
import io.aquatrade.model.Candle;
import io.aquatrade.model.KillSwitchLevel;
import io.aquatrade.model.OrderIntent;
import io.aquatrade.model.RiskEvent;
import io.aquatrade.portfolio.Portfolio;
import io.aquatrade.rules.RuleSetCompiler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The graded kill switch: set by the control API, the kill file or the rules (which only tighten), enforced by
 * execution (REDUCING: exits only; HALTED: no orders), persisted across restarts, and wired into a run.
 */
class KillSwitchTest {

    private static final ExchangeInfo INFO = ExchangeInfo.loadDefault();
    private static final long T0 = 1_681_862_400_000L; // 2023-04-19T00:00:00Z

    @TempDir
    Path tmp;

    private final ExecutorService pipeline = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-pipeline"));
    private final List<KillSwitchControl> controls = new ArrayList<>();

    @AfterEach
    void tearDown() {
        controls.forEach(KillSwitchControl::close);
        pipeline.shutdownNow();
    }

    /** A real execution service over the bundled exchange rules and the simulated exchange. */
    private static final class Bot {
        final ExchangeSymbolRules symbols = new ExchangeSymbolRules(INFO);
        final Portfolio portfolio = new Portfolio("USDT", new BigDecimal("10000"), new BigDecimal("0.5"), BigDecimal.ONE,
                symbols::baseAsset, symbols::isDust);
        final SimulatedExchange exchange = new SimulatedExchange("sim", INFO, new BigDecimal("0.001"), "USDT",
                new BigDecimal("10000"));
        final ExecutionService execution = new ExecutionService(portfolio, symbols,
                HardLimits.from(AquatradeConfig.defaults()), (now, exit) -> true, "t-");

        Bot() {
            execution.connect(exchange);
            execution.setPriceLookup(s -> new BigDecimal("30000"));
            execution.onClock(T0);
        }

        void minute(long openMs, String price) {
            long p = new BigDecimal(price).movePointRight(8).longValueExact();
            Candle c = Candle.closedMinute("BTCUSDT", openMs, p, p, p, p, 100_00000000L);
            execution.onClock(c.timeMs());
            exchange.onMarketEvent(c);
            portfolio.mark("BTCUSDT", new BigDecimal(price));
        }
    }

    private <T> T onPipeline(Callable<T> c) throws Exception {
        return pipeline.submit(c).get();
    }

    private KillSwitchControl control(Bot bot, Path state, Path killFile) {
        KillSwitchControl c = new KillSwitchControl(bot.execution, pipeline, state, killFile, 20);
        controls.add(c);
        c.start();
        return c;
    }

    @Test
    void theApiKillsAndResumesAndTheLevelSurvivesARestart() throws Exception {
        Path state = tmp.resolve("var/kill-switch.state");
        Bot bot = new Bot();
        KillSwitchControl c = control(bot, state, null);
        assertThat(c.level()).isEqualTo(KillSwitchLevel.ACTIVE);

        KillSwitchState s = c.kill(KillSwitchLevel.HALTED, "exchange incident", "api 127.0.0.1").join();
        assertThat(s.level()).isEqualTo(KillSwitchLevel.HALTED);
        assertThat(s.cause()).isEqualTo("exchange incident");
        assertThat(s.source()).isEqualTo("api 127.0.0.1");
        assertThat(onPipeline(bot.execution::killSwitch)).isEqualTo(KillSwitchLevel.HALTED);
        c.close(); // flushes the state file
        assertThat(Files.readString(state)).contains("level=HALTED").contains("cause=exchange incident");

        // Restart: a new bot restores HALTED with the original cause, before it trades.
        Bot again = new Bot();
        KillSwitchControl c2 = control(again, state, null);
        assertThat(c2.level()).isEqualTo(KillSwitchLevel.HALTED);
        assertThat(c2.state().cause()).isEqualTo("exchange incident");
        assertThat(onPipeline(again.execution::killSwitch)).isEqualTo(KillSwitchLevel.HALTED);
        assertThat(onPipeline(again.execution::halts)).extracting(Halt::kind, Halt::source)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("KILL_HALTED", "start"));

        assertThat(c2.resume("incident over", "api").join().level()).isEqualTo(KillSwitchLevel.ACTIVE);
        c2.close();
        assertThat(Files.readString(state)).contains("level=ACTIVE");
        assertThat(control(new Bot(), state, null).level()).isEqualTo(KillSwitchLevel.ACTIVE);
    }

    /**
     * The pipeline thread is stuck (a rule looping forever): the kill still answers, is persisted before it
     * answers, and is in force at the order gate, so when the stuck round goes on it sends nothing.
     */
    @Test
    void killAnswersAndHoldsAtTheOrderGateWhileThePipelineIsStuck() throws Exception {
        Path state = tmp.resolve("var/kill-switch.state");
        Bot bot = new Bot();
        KillSwitchControl c = control(bot, state, null);
        java.util.concurrent.CountDownLatch stuck = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.Future<?> round = pipeline.submit(() -> {
            stuck.countDown();
            release.await(); // the evaluation that does not end
            bot.execution.handle(List.of(), List.of(), List.of(OrderIntent.enter("BTCUSDT", new BigDecimal("100"),
                    "entry-after-the-hang", 1.0, 2.0, null)));
            return null;
        });
        stuck.await();

        KillSwitchState s = c.kill(KillSwitchLevel.HALTED, "pipeline stuck", "api").get(5, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(s.level()).isEqualTo(KillSwitchLevel.HALTED);
        assertThat(Files.readString(state)).as("persisted before the answer").contains("level=HALTED")
                .contains("cause=pipeline stuck");
        assertThat(bot.execution.killSwitchGate().level()).isEqualTo(KillSwitchLevel.HALTED);
        release.countDown();
        round.get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(bot.execution.ordersSent()).isZero();
        assertThat(bot.execution.refusals()).containsKey("kill_switch_halted");
        assertThat(onPipeline(bot.execution::halts)).extracting(Halt::kind).contains("KILL_HALTED");
    }

    @Test
    void theKillFileSetsTheLevelItNamesAndRemovingItDoesNotResume() throws Exception {
        Path killFile = tmp.resolve("var/KILL");
        Files.createDirectories(killFile.getParent());
        Bot bot = new Bot();
        KillSwitchControl c = control(bot, tmp.resolve("var/state"), killFile);

        Files.writeString(killFile, "");
        await().atMost(Duration.ofSeconds(10)).until(() -> c.level() == KillSwitchLevel.HALTED);
        assertThat(c.state().source()).isEqualTo("kill_file");
        assertThat(c.state().cause()).contains("empty: HALTED");

        Files.writeString(killFile, "REDUCING\nmaintenance, back at 14:00\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> c.level() == KillSwitchLevel.REDUCING);
        assertThat(c.state().killFilePresent()).isTrue();

        assertThatThrownBy(() -> c.resume("try", "api").join()).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(KillSwitchRefusedException.class).hasMessageContaining("remove it first");

        Files.delete(killFile);
        await().atMost(Duration.ofSeconds(10)).until(() -> !c.state().killFilePresent());
        assertThat(c.level()).as("removing the file does not resume").isEqualTo(KillSwitchLevel.REDUCING);
        assertThat(c.resume("maintenance done", "api").join().level()).isEqualTo(KillSwitchLevel.ACTIVE);

        Files.writeString(killFile, "please stop");
        await().atMost(Duration.ofSeconds(10)).until(() -> c.level() == KillSwitchLevel.HALTED);
        assertThat(c.state().cause()).contains("unrecognised content 'please stop': HALTED");
    }

    @Test
    void aKillFileThatExistsAtStartHaltsBeforeTrading() throws Exception {
        Path killFile = tmp.resolve("KILL");
        Files.writeString(killFile, "HALTED");
        Bot bot = new Bot();
        KillSwitchControl c = control(bot, tmp.resolve("state"), killFile);
        assertThat(c.level()).isEqualTo(KillSwitchLevel.HALTED);
        assertThat(onPipeline(bot.execution::killSwitch)).isEqualTo(KillSwitchLevel.HALTED);
    }

    @Test
    void anUnreadableStateFileStartsHalted() throws Exception {
        Path state = tmp.resolve("state");
        Files.writeString(state, "level=SOMETIMES\n");
        Bot bot = new Bot();
        KillSwitchControl c = control(bot, state, null);
        assertThat(c.level()).isEqualTo(KillSwitchLevel.HALTED);
        assertThat(c.state().cause()).contains("unreadable");
        assertThat(onPipeline(bot.execution::killSwitch)).isEqualTo(KillSwitchLevel.HALTED);
    }

    @Test
    void rulesCanTightenTheKillSwitchButNeverLoosenIt() throws Exception {
        Path state = tmp.resolve("state");
        Bot bot = new Bot();
        KillSwitchControl c = control(bot, state, null);

        onPipeline(() -> {
            bot.execution.apply(new RiskEvent(RiskEvent.Kind.KILL_REDUCING, null, "risk-drawdown", 0), "rule");
            return null;
        });
        assertThat(c.level()).isEqualTo(KillSwitchLevel.REDUCING);
        assertThat(c.state().source()).isEqualTo("rule");

        c.kill(KillSwitchLevel.HALTED, "operator", "api").join();
        onPipeline(() -> {
            bot.execution.apply(new RiskEvent(RiskEvent.Kind.KILL_REDUCING, null, "risk-drawdown", 0), "rule");
            return null;
        });
        assertThat(c.level()).as("a rule's REDUCING does not relax HALTED").isEqualTo(KillSwitchLevel.HALTED);
        c.close();
        assertThat(Files.readString(state)).contains("level=HALTED").contains("source=api");
    }

    @Test
    void reducingSendsExitsOnlyAndHaltedSendsNoOrders() throws Exception {
        Bot bot = new Bot();
        KillSwitchControl c = control(bot, null, null);
        long t = T0;
        // Open a position while ACTIVE.
        long sent = onPipeline(() -> {
            bot.execution.handle(List.of(), List.of(), List.of(OrderIntent.enter("BTCUSDT", new BigDecimal("100"), "t",
                    null, null, null)));
            bot.minute(t, "30000");
            return bot.execution.ordersSent();
        });
        assertThat(sent).isEqualTo(1);
        assertThat(onPipeline(() -> bot.portfolio.holding("BTCUSDT").isOpen())).isTrue();

        c.kill(KillSwitchLevel.HALTED, "test", "api").join();
        onPipeline(() -> {
            bot.execution.handle(List.of(), List.of(), List.of(OrderIntent.exitAll("BTCUSDT", "exit"),
                    OrderIntent.enter("ETHUSDT", new BigDecimal("100"), "t", null, null, null)));
            return null;
        });
        assertThat(onPipeline(bot.execution::ordersSent)).as("HALTED: no order at all").isEqualTo(1);
        assertThat(onPipeline(bot.execution::refusals)).containsEntry("kill_switch_halted", 2L);

        c.kill(KillSwitchLevel.REDUCING, "test", "api").join();
        onPipeline(() -> {
            bot.execution.handle(List.of(), List.of(), List.of(OrderIntent.exitAll("BTCUSDT", "exit"),
                    OrderIntent.enter("ETHUSDT", new BigDecimal("100"), "t", null, null, null)));
            bot.minute(t + 60_000, "30100");
            return null;
        });
        assertThat(onPipeline(bot.execution::ordersSent)).as("REDUCING: the exit went out").isEqualTo(2);
        assertThat(onPipeline(bot.execution::refusals)).containsEntry("kill_switch_reducing", 1L);
        assertThat(onPipeline(() -> bot.portfolio.holding("BTCUSDT").isOpen())).isFalse();
    }

    @Test
    void aLiveModeRunRestoresItsKillSwitchAndWatchesTheKillFile() throws Exception {
        Path killFile = tmp.resolve("var/KILL");
        Path state = tmp.resolve("var/kill-switch.state");
        Files.createDirectories(killFile.getParent());
        AquatradeConfig config = AquatradeConfig.load(null, List.of("rules.watch=false",
                "risk.kill_switch_file=" + killFile, "risk.kill_switch_state_file=" + state,
                "journal.path=" + tmp.resolve("var/journal.db")));
        try (TradingRun run = new TradingRun("paper", config, INFO, new RuleSetCompiler().compile(Path.of("rules")), T0,
                "t-")) {
            assertThat(run.killSwitch.level()).isEqualTo(KillSwitchLevel.ACTIVE);
            Files.writeString(killFile, "REDUCING");
            await().atMost(Duration.ofSeconds(10)).until(() -> run.killSwitch.level() == KillSwitchLevel.REDUCING);
            assertThat(java.util.concurrent.CompletableFuture.supplyAsync(run.execution::killSwitch,
                    run.pipelineExecutor()).get()).isEqualTo(KillSwitchLevel.REDUCING);
        }
        Files.delete(killFile);
        try (TradingRun run = new TradingRun("paper", config, INFO, new RuleSetCompiler().compile(Path.of("rules")), T0,
                "t-")) {
            assertThat(run.killSwitch.level()).as("restored after the restart").isEqualTo(KillSwitchLevel.REDUCING);
            assertThat(run.killSwitch.resume("restart test", "api").join().level()).isEqualTo(KillSwitchLevel.ACTIVE);
        }
        assertThat(Files.readString(state)).contains("level=ACTIVE");
    }

    @Test
    void aReplayNeitherReadsNorWritesTheLiveKillSwitchFiles() throws Exception {
        Path killFile = tmp.resolve("KILL");
        Path state = tmp.resolve("kill-switch.state");
        Files.writeString(killFile, "HALTED");
        AquatradeConfig config = AquatradeConfig.load(null, List.of("rules.watch=false",
                "risk.kill_switch_file=" + killFile, "risk.kill_switch_state_file=" + state));
        try (TradingRun run = new TradingRun("replay", config, INFO, new RuleSetCompiler().compile(Path.of("rules")), T0,
                "t-")) {
            assertThat(run.killSwitch.level()).isEqualTo(KillSwitchLevel.ACTIVE);
            run.killSwitch.kill(KillSwitchLevel.HALTED, "backtest", "api").join();
            assertThat(run.killSwitch.state().stateFile()).isNull();
        }
        assertThat(state).doesNotExist();
    }
}
