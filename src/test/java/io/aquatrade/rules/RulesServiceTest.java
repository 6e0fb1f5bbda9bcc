package io.aquatrade.rules;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.model.Clock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import static io.aquatrade.rules.Fixtures.up;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hot reload around a running engine: a good edit goes live on the pipeline thread with the facts carried over;
 * every kind of bad edit (rules or config) leaves the running rules in place and says where the problem is; the
 * watcher notices saves (also through a rename) and ignores editor files; status and metrics follow.
 */
class RulesServiceTest {

    @TempDir
    Path tmp;

    private Path rules;
    private ExecutorService pipeline;
    private final List<String> pipelineThreads = new CopyOnWriteArrayList<>();
    private RuleEngine engine;
    private RulesService service;
    private SimpleMeterRegistry registry;

    @BeforeEach
    void setUp() throws IOException {
        rules = tmp.resolve("rules");
        Files.createDirectories(rules);
        try (Stream<Path> files = Files.list(Fixtures.rulesDir())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".drl")).toList()) {
                Files.copy(f, rules.resolve(f.getFileName()));
            }
        }
        pipeline = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-pipeline"));
        engine = Fixtures.engine(new RuleSetCompiler().compile(rules), Fixtures.params(), Fixtures.limits());
        Fixtures.watch(engine, "BTCUSDT", up("BTCUSDT", 0.95, Fixtures.TEMPLATE));
        registry = new SimpleMeterRegistry();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (service != null) {
            service.close();
        }
        onPipeline(() -> {
            engine.close();
            return null;
        });
        pipeline.shutdown();
    }

    private RulesService service(ParamsSource params, RulesService.Options options) {
        service = new RulesService(engine, pipeline, params, new RuleParams(Fixtures.params(), Fixtures.limits(),
                AquatradeConfig.defaults()), options);
        service.bindMetrics(registry);
        service.addSwapListener((r, p) -> pipelineThreads.add(Thread.currentThread().getName()));
        return service;
    }

    private RulesService requestOnly() {
        return service(null, new RulesService.Options(false, 50, 1000, false));
    }

    private <T> T onPipeline(Callable<T> c) throws Exception {
        return pipeline.submit(c).get();
    }

    private Decisions fire(long atMs) throws Exception {
        return onPipeline(() -> {
            engine.setClock(Clock.at(atMs));
            Decisions d = engine.fire();
            service.onDecisions(d);
            return d;
        });
    }

    private double reloads(String result) {
        return registry.get("aquatrade.rules.reload").tag("result", result).counter().count();
    }

    private static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }

    private void edit(String file, String from, String to) throws IOException {
        Path f = rules.resolve(file);
        String text = Files.readString(f);
        assertThat(text).contains(from);
        Files.writeString(f, text.replace(from, to));
    }

    @Test
    void aReloadRequestedWhileTheWatcherSwapsTheSameSaveAnswersThatSwapNotUnchanged() throws Exception {
        RulesService s = requestOnly();
        String before = s.activeVersion();
        edit("entries.drl", "similarity >= params.minSimilarity,", "similarity >= 0.99,");
        // the pipeline busy with an event: the first attempt (the watcher's, say) compiles and waits to swap
        java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
        pipeline.execute(() -> {
            try {
                busy.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        CompletableFuture<ReloadResult> watcher = s.requestReload("watcher: entries.drl");
        CompletableFuture<ReloadResult> api = s.requestReload("api 127.0.0.1"); // made while `before` runs
        busy.countDown();
        ReloadResult first = watcher.get(60, TimeUnit.SECONDS);
        ReloadResult answer = api.get(60, TimeUnit.SECONDS);
        assertThat(first.outcome()).isEqualTo(ReloadOutcome.SUCCESS);
        assertThat(answer.outcome()).as("the save the request was about went live").isEqualTo(ReloadOutcome.SUCCESS);
        assertThat(answer.previousVersion()).isEqualTo(before);
        assertThat(answer.activeVersion()).isEqualTo(first.activeVersion()).isEqualTo(s.activeVersion());
        assertThat(reloads("success")).as("one swap, counted once").isEqualTo(1);
        // asked again, with nothing changed since the request: unchanged
        assertThat(s.requestReload("api 127.0.0.1").get(60, TimeUnit.SECONDS).outcome()).isEqualTo(ReloadOutcome.UNCHANGED);
    }

    @Test
    void aValidEditGoesLiveOnThePipelineWithEveryFactCarriedOver() throws Exception {
        RulesService s = requestOnly();
        String before = s.activeVersion();
        long buildBefore = s.status().build();
        long factsBefore = onPipeline(() -> engine.factCount());
        assertThat(fire(Fixtures.NOW).entries()).as("the old rules enter at 0.95").hasSize(1);

        edit("entries.drl", "similarity >= params.minSimilarity,", "similarity >= 0.99,");
        ReloadResult r = s.requestReload("test").get();

        assertThat(r.outcome()).isEqualTo(ReloadOutcome.SUCCESS);
        assertThat(r.previousVersion()).isEqualTo(before);
        assertThat(r.activeVersion()).isEqualTo(r.candidateVersion()).isNotEqualTo(before);
        assertThat(r.rulesChanged()).isTrue();
        assertThat(r.paramsChanged()).isFalse();
        assertThat(r.errors()).isEmpty();
        assertThat(r.factsCarried()).isEqualTo((int) factsBefore);
        assertThat(r.files()).extracting(RuleFileStatus::path)
                .containsExactly("rules/entries.drl", "rules/exits.drl", "rules/risk.drl");
        assertThat(r.files().get(0).sha256()).isEqualTo(sha256(rules.resolve("entries.drl")));
        assertThat(pipelineThreads).containsExactly("test-pipeline");

        Decisions after = fire(Fixtures.NOW + 60_000);
        assertThat(after.ruleSetVersion()).isEqualTo(r.activeVersion());
        assertThat(after.entries()).as("the new rules need 0.99, and decide on the carried facts").isEmpty();

        RulesStatus st = s.status();
        assertThat(st.version()).isEqualTo(r.activeVersion());
        assertThat(st.build()).isGreaterThan(buildBefore);
        assertThat(st.failing()).isFalse();
        assertThat(st.lastReload()).isEqualTo(r);
        assertThat(st.lastError()).isNull();
        assertThat(st.reloads()).containsEntry("success", 1L).containsEntry("compile_error", 0L);
        assertThat(st.firstDecisionAtMs()).isPositive();
        assertThat(st.files().get(0).sha256()).isEqualTo(sha256(rules.resolve("entries.drl")));
        assertThat(reloads("success")).isEqualTo(1);
        assertThat(registry.get("aquatrade.rules.version").gauge().value()).isEqualTo(st.build());
        assertThat(registry.get("aquatrade.rules.info").tag("version", st.version()).gauge().value()).isEqualTo(1);
        assertThat(registry.get("aquatrade.rules.swap.pause").timer().count()).isEqualTo(1);
    }

    @Test
    void nothingChangedMeansNothingHappens() throws Exception {
        RulesService s = requestOnly();
        String before = s.activeVersion();
        ReloadResult r = s.requestReload("test").get();
        assertThat(r.outcome()).isEqualTo(ReloadOutcome.UNCHANGED);
        assertThat(r.activeVersion()).isEqualTo(before);
        assertThat(pipelineThreads).isEmpty();
        assertThat(onPipeline(() -> engine.version())).isEqualTo(before);
    }

    /** One broken edit: the new file's name and text, the outcome and the {@code file:line} it must be reported at. */
    private record BrokenEdit(String what, String text, ReloadOutcome outcome, String at, String message) {
    }

    private static final String HEAD = """
            package aquatrade;
            import io.aquatrade.model.Clock;
            import io.aquatrade.model.EchoMatch;
            import io.aquatrade.model.MarketSnapshot;
            import io.aquatrade.model.OrderIntent;
            """;

    @Test
    void everyKindOfBrokenEditLeavesTheRunningRulesAndSaysWhere() throws Exception {
        RulesService s = requestOnly();
        String running = s.activeVersion();
        List<BrokenEdit> edits = List.of(
                new BrokenEdit("syntax error", HEAD + "rule \"x\"\nwhen\n    Clock( nowMs > )\nthen\nend\n",
                        ReloadOutcome.COMPILE_ERROR, "rules/zz.drl:8: ", "no viable alternative"),
                new BrokenEdit("unknown field", HEAD + "rule \"x\"\nwhen\n    MarketSnapshot( lastPrise > 0 )\nthen\nend\n",
                        ReloadOutcome.COMPILE_ERROR, "rules/zz.drl:8: ", "lastPrise"),
                new BrokenEdit("type error", HEAD + "rule \"x\"\nwhen\n    EchoMatch( similarity == true )\nthen\nend\n",
                        ReloadOutcome.COMPILE_ERROR, "rules/zz.drl:8: ", "compatible types"),
                new BrokenEdit("consequence does not compile", HEAD
                        + "rule \"x\"\nwhen\n    $m : EchoMatch( )\nthen\n    String d = $m.getSimilarity();\nend\n",
                        ReloadOutcome.COMPILE_ERROR, "rules/zz.drl:6: ", "does not compile"),
                new BrokenEdit("a rule that loops", HEAD + "rule \"spin\"\nwhen\n    $c : Clock( )\nthen\n    update( $c );\nend\n",
                        ReloadOutcome.VERIFY_ERROR, "rules/zz.drl:6: ", "a rule loops"),
                new BrokenEdit("a consequence that throws", HEAD
                        + "rule \"npe\"\nwhen\n    MarketSnapshot( )\nthen\n    String s = null; s.length();\nend\n",
                        ReloadOutcome.VERIFY_ERROR, "rules/zz.drl:6: ", "NullPointerException"),
                new BrokenEdit("duplicate rule name", HEAD.replace("package aquatrade;", "package other;")
                        + "rule \"entry-echo-up\"\nwhen\n    Clock( )\nthen\nend\n",
                        ReloadOutcome.VERIFY_ERROR, "rules/zz.drl:6: ", "duplicate rule name"),
                new BrokenEdit("unknown global", HEAD + "global java.util.List out;\n",
                        ReloadOutcome.VERIFY_ERROR, "rules/zz.drl:6: ", "unknown global 'out'"));

        for (BrokenEdit e : edits) {
            Files.writeString(rules.resolve("zz.drl"), e.text());
            ReloadResult r = s.requestReload("edit: " + e.what()).get();

            assertThat(r.outcome()).as(e.what()).isEqualTo(e.outcome());
            assertThat(r.activeVersion()).as(e.what()).isEqualTo(running);
            assertThat(r.errors()).as(e.what()).anySatisfy(m -> assertThat(m).startsWith(e.at()).contains(e.message()));
            assertThat(onPipeline(() -> engine.version())).as(e.what()).isEqualTo(running);
            RulesStatus st = s.status();
            assertThat(st.failing()).as(e.what()).isTrue();
            assertThat(st.lastError()).as(e.what()).isEqualTo(r);
            assertThat(st.version()).as(e.what()).isEqualTo(running);
            // still trading on the old rules
            assertThat(fire(Fixtures.NOW).errors()).as(e.what()).isEmpty();
        }
        assertThat(pipelineThreads).as("no swap happened").isEmpty();
        // What GET /api/rules serves: plain JSON, the error with its file and line included.
        String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(s.status());
        assertThat(json).contains("\"failing\":true").contains("\"outcome\":\"VERIFY_ERROR\"")
                .contains("rules/zz.drl:6: ").contains("\"reloads\":{\"compile_error\":4");
        assertThat(reloads("compile_error")).isEqualTo(4);
        assertThat(reloads("verify_error")).isEqualTo(4);
        assertThat(registry.get("aquatrade.rules.reload.failing").gauge().value()).isEqualTo(1);

        // The operator removes the bad file: what is on disk is what runs again.
        Files.delete(rules.resolve("zz.drl"));
        ReloadResult back = s.requestReload("fixed").get();
        assertThat(back.outcome()).isEqualTo(ReloadOutcome.UNCHANGED);
        assertThat(s.status().failing()).isFalse();
        assertThat(s.status().lastError().outcome()).isEqualTo(ReloadOutcome.VERIFY_ERROR);
        assertThat(registry.get("aquatrade.rules.reload.failing").gauge().value()).isZero();
    }

    @Test
    void aConsequenceThatNeverReturnsIsRefusedInBoundedTimeAndTheRunningRulesStay() throws Exception {
        RulesService s = requestOnly();
        String running = s.activeVersion();
        Files.writeString(rules.resolve("zz.drl"), HEAD
                + "rule \"spin-forever\"\nwhen\n    Clock( )\nthen\n    while (true) { }\nend\n");
        ReloadResult r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30),
                () -> s.requestReload("edit: while(true)").get());

        assertThat(r.outcome()).isEqualTo(ReloadOutcome.VERIFY_ERROR);
        assertThat(r.activeVersion()).isEqualTo(running);
        assertThat(r.errors()).anySatisfy(m -> assertThat(m).startsWith("rules/zz.drl:6: ")
                .contains("rule \"spin-forever\"").contains("did not finish within 2000 ms").contains("stopped"));
        assertThat(onPipeline(() -> engine.version())).isEqualTo(running);
        assertThat(fire(Fixtures.NOW).errors()).isEmpty();
        // the validation thread was stopped, not left spinning
        await().atMost(java.time.Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("rules-validation-")));
    }

    @Test
    void theConfigsRuleParametersReloadAndABadValueChangesNothing() throws Exception {
        Path config = tmp.resolve("aquatrade.yaml");
        Files.writeString(config, "strategy:\n  min_similarity: 0.7\n"); // the default: the engine starts with it
        RulesService s = service(new ParamsSource(config, List.of("strategy.entry_quote=50")),
                new RulesService.Options(false, 50, 1000, false));
        String version = s.activeVersion();

        Files.writeString(config, "strategy:\n  min_similarity: 0.97\n");
        ReloadResult r = s.requestReload("config").get();
        assertThat(r.outcome()).isEqualTo(ReloadOutcome.SUCCESS);
        assertThat(r.paramsChanged()).isTrue();
        assertThat(r.rulesChanged()).isFalse();
        assertThat(r.activeVersion()).as("same rule files, same compiled set").isEqualTo(version);
        assertThat(r.paramChanges()).containsEntry("strategy.min_similarity", "0.7 -> 0.97")
                .containsEntry("strategy.entry_quote", "100 -> 50");
        assertThat(onPipeline(() -> engine.params().getMinSimilarity())).isEqualTo(0.97);
        assertThat(onPipeline(() -> engine.params().getEntryQuote())).as("--set keeps winning").isEqualByComparingTo("50");
        assertThat(fire(Fixtures.NOW).entries()).as("0.95 < 0.97").isEmpty();
        assertThat(s.status().params()).containsEntry("min_similarity", "0.97");

        Files.writeString(config, "strategy:\n  min_similarity: 1.5\n");
        ReloadResult bad = s.requestReload("config").get();
        assertThat(bad.outcome()).isEqualTo(ReloadOutcome.CONFIG_ERROR);
        assertThat(bad.errors()).singleElement().asString().contains("strategy.min_similarity").contains("1.5")
                .contains(config.toString());
        assertThat(onPipeline(() -> engine.params().getMinSimilarity())).isEqualTo(0.97);

        Files.writeString(config, "strategy:\n  min_similarity: 0.97\necho:\n  lead_minutes: 90\n");
        ReloadResult other = s.requestReload("config").get();
        assertThat(other.outcome()).isEqualTo(ReloadOutcome.UNCHANGED);
        assertThat(other.warnings()).singleElement().asString().contains("echo.lead_minutes").contains("restart");
        assertThat(reloads("config_error")).isEqualTo(1);

        // a webhook URL holds its secret in the path: the warning names the key, never the values
        Files.writeString(config, "strategy:\n  min_similarity: 0.97\nnotify:\n  url: https://api.telegram.org/bot1:SECRET/x\n");
        ReloadResult url = s.requestReload("config").get();
        assertThat(url.warnings()).anyMatch(w -> w.contains("notify.url") && w.contains("restart"))
                .noneMatch(w -> w.contains("SECRET"));
    }

    @Test
    void aBrokenRuleFileAndAGoodConfigChangeTogetherChangeNothing() throws Exception {
        Path config = tmp.resolve("aquatrade.yaml");
        Files.writeString(config, "strategy:\n  min_similarity: 0.7\n"); // the default: the engine starts with it
        RulesService s = service(new ParamsSource(config, List.of()), new RulesService.Options(false, 50, 1000, false));
        Files.writeString(config, "strategy:\n  min_similarity: 0.97\n");
        edit("entries.drl", "salience 9000", "salience nine");

        ReloadResult r = s.requestReload("both").get();
        assertThat(r.outcome()).isEqualTo(ReloadOutcome.COMPILE_ERROR);
        assertThat(r.errors()).anySatisfy(m -> assertThat(m).startsWith("rules/entries.drl:"));
        assertThat(onPipeline(() -> engine.params().getMinSimilarity())).isEqualTo(0.7);
    }

    @Test
    void aRefusedScenarioKeepsTheRunningRulesWhenReloadsRunTheTests() throws Exception {
        Path tests = rules.resolve("tests");
        Files.createDirectories(tests);
        Files.writeString(tests.resolve("entry.yaml"), """
                scenarios:
                  - name: a 0.95 echo enters
                    given: { symbols: { BTCUSDT: { matches: [ { similarity: 0.95 } ] } } }
                    expect: { orders: [ { side: BUY, symbol: BTCUSDT } ] }
                """);
        RulesService s = service(null, new RulesService.Options(false, 50, 1000, true));
        String running = s.activeVersion();

        edit("entries.drl", "similarity >= params.minSimilarity,", "similarity >= 0.99,");
        ReloadResult r = s.requestReload("test").get();
        assertThat(r.outcome()).isEqualTo(ReloadOutcome.TESTS_FAILED);
        assertThat(r.errors()).anySatisfy(m -> assertThat(m).contains("rules/tests/entry.yaml:2: scenario failed: a 0.95 echo enters"));
        assertThat(onPipeline(() -> engine.version())).isEqualTo(running);

        edit("entries.drl", "similarity >= 0.99,", "similarity >= 0.9,");
        assertThat(s.requestReload("test").get().outcome()).isEqualTo(ReloadOutcome.SUCCESS);
    }

    @Test
    void savingAFileReloadsAfterTheWritesSettleAndEditorFilesAreIgnored() throws Exception {
        RulesService s = service(null, new RulesService.Options(true, 100, 60_000, false)).start();
        String running = s.activeVersion();
        // Queued behind the start-up check: once it answers, the watcher is the only one left to notice edits.
        assertThat(s.requestReload("sync").get().outcome()).isEqualTo(ReloadOutcome.UNCHANGED);

        // Editor noise: swap, backup and hidden files; none of it is a rule file.
        Files.writeString(rules.resolve(".entries.drl.swp"), "garbage");
        Files.writeString(rules.resolve("entries.drl~"), "garbage");
        Files.writeString(rules.resolve("notes.txt"), "garbage");
        // A save the way many editors do it: write a temporary file, then rename it over the original.
        String text = Files.readString(rules.resolve("entries.drl"))
                .replace("similarity >= params.minSimilarity,", "similarity >= 0.99,");
        Path temp = rules.resolve(".entries.drl.tmp");
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        Files.move(temp, rules.resolve("entries.drl"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        await().atMost(Duration.ofSeconds(20)).until(() -> !s.activeVersion().equals(running));
        ReloadResult r = s.status().lastReload();
        assertThat(r.outcome()).isEqualTo(ReloadOutcome.SUCCESS);
        assertThat(r.trigger()).isEqualTo("file change: rules/entries.drl");
        assertThat(s.history()).extracting(ReloadResult::outcome)
                .containsExactly(ReloadOutcome.UNCHANGED, ReloadOutcome.SUCCESS);
        assertThat(s.status().watching()).isTrue();

        // A broken save is refused the same way, and reported.
        Files.writeString(rules.resolve("exits.drl"), "rule \"half a rule\"\nwhen\n");
        await().atMost(Duration.ofSeconds(20)).until(() -> s.status().failing());
        assertThat(s.status().lastError().errors()).anySatisfy(m -> assertThat(m).startsWith("rules/exits.drl:"));
        assertThat(s.activeVersion()).isEqualTo(r.activeVersion());
    }

    @Test
    void theContentCheckAloneNoticesAnEditAndReportsItOnceSettled() throws Exception {
        // Without change notifications (network or container mounts), the periodic content-hash check finds the edit.
        java.util.concurrent.ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        List<String> triggers = new CopyOnWriteArrayList<>();
        Path config = tmp.resolve("aquatrade.yaml");
        Files.writeString(config, "strategy:\n  min_similarity: 0.7\n"); // the default: the engine starts with it
        try (RulesWatcher w = new RulesWatcher(rules, config, 50, 100, scheduler, triggers::add, false)) {
            w.start();
            assertThat(w.notificationsActive()).isFalse();
            edit("exits.drl", "salience 5300", "salience 5301");
            Files.writeString(config, "strategy:\n  min_similarity: 0.9\n");
            Files.writeString(rules.resolve(".hidden.drl"), "ignored");
            await().atMost(Duration.ofSeconds(20)).until(() -> !triggers.isEmpty());
            assertThat(triggers.get(0)).startsWith("file change: ").contains("rules/exits.drl")
                    .doesNotContain("hidden");
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void runawayRulesAndEvaluationErrorsAreCountedAndShown() throws Exception {
        Path loopDir = tmp.resolve("loopy");
        Files.createDirectories(loopDir);
        // Loops only for one symbol the dry run does not use: it gets past verification, the firing limit stops it.
        Files.writeString(loopDir.resolve("a.drl"), HEAD + """
                rule "spin-on-x"
                when
                    $m : MarketSnapshot( symbol == "XUSDT" )
                then
                    update( $m );
                end
                """);
        onPipeline(() -> {
            engine.swap(new RuleSetCompiler().compile(loopDir));
            return null;
        });
        RulesService s = requestOnly();
        onPipeline(() -> {
            engine.updateSymbol(Fixtures.snapshot("XUSDT"), List.of(), null, null, Fixtures.calm("XUSDT"));
            return null;
        });
        Decisions d = fire(Fixtures.NOW);
        assertThat(d.firingLimitReached()).isTrue();

        RulesStatus st = s.status();
        assertThat(st.runawayEvaluations()).isEqualTo(1);
        assertThat(st.lastRunaway()).contains("\"spin-on-x\"").contains("firing limit");
        assertThat(st.lastRunawayAtMs()).isEqualTo(Fixtures.NOW);
        assertThat(st.evaluationErrors()).isEqualTo(1);
        assertThat(registry.get("aquatrade.rules.runaway.evaluations").counter().count()).isEqualTo(1);
        assertThat(registry.get("aquatrade.rule.firings").tag("rule", "spin-on-x").counter().count())
                .isGreaterThanOrEqualTo(RuleEngine.DEFAULT_FIRING_LIMIT / 10.0);
    }
}
