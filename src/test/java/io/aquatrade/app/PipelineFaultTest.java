package io.aquatrade.app;

import io.aquatrade.execution.ExecutionService;
import io.aquatrade.model.Fill;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fault inside the pipeline (here: a consumer of fills that throws on the third fill, as a metrics or journal
 * bug would) costs one event: it is counted with its cause, the order it touched is resolved, the run goes on,
 * and the run says it failed.
 */
class PipelineFaultTest {

    @Test
    void aFailingEventIsCountedWithItsCauseItsOrderIsResolvedAndTheRunSaysItFailed(@TempDir Path tmp) throws Exception {
        RunOptions opts = new RunOptions();
        opts.rules = Path.of("rules");
        ReplaySetup setup = new ReplaySetup(opts, List.of());
        AtomicInteger fills = new AtomicInteger();
        setup.beforeReplay = run -> run.execution.addObserver(new ExecutionService.Observer() {
            @Override
            public void onFill(Fill f) {
                if (fills.incrementAndGet() == 3) {
                    throw new IllegalStateException("injected fault on the fill of " + f.clientOrderId());
                }
            }
        });
        List<String> stuck = new ArrayList<>();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ReplaySetup.Outcome o = setup.run(List.of(DemoCommand.extractDemoData()), Set.of(), DemoCommand.TRADING_DAY,
                DemoCommand.TRADING_DAY, tmp.resolve("out"), 0, "127.0.0.1", null,
                new PrintStream(console, true, StandardCharsets.UTF_8), false,
                run -> run.pipeline.states().keySet().forEach(s -> {
                    if (run.execution.hasOrderInFlight(s)) {
                        stuck.add(s);
                    }
                }));

        @SuppressWarnings("unchecked")
        Map<String, Object> pipeline = (Map<String, Object>) o.summary().get("pipeline");
        assertThat(pipeline.get("failed_events")).isEqualTo(1L);
        assertThat(pipeline.get("price_outliers")).as("the real demo data has no outliers").isEqualTo(0L);
        assertThat((List<?>) pipeline.get("failures")).singleElement().asString()
                .contains("IllegalStateException: injected fault on the fill of");
        assertThat(fills.get()).as("the run went on after the fault").isGreaterThan(10);
        assertThat(stuck).as("no order left in flight").isEmpty();
        assertThat(o.summary().get("orders_pending_at_end")).isEqualTo(0);
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("FAILED       1 event(s) failed");
        assertThat(ReplaySetup.failedEvents(o)).isEqualTo(1);
    }
}
