package io.aquatrade.app;

import io.aquatrade.journal.JournalReader;
import io.aquatrade.journal.OrderRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo day (13 real pairs, 2023-04-19) replayed with {@code execution.protective_orders=exchange}: each entry's
 * stop-loss and take-profit rest on the simulated exchange as an OCO, journaled before they leave, and the
 * simulator's resting-order matching closes the positions. Checked from the outside, on trades.csv and journal.db.
 */
class ProtectiveOrdersReplayTest {

    @TempDir
    static Path tmp;
    static List<String[]> trades;
    static Map<String, OrderRecord> orders;

    @BeforeAll
    static void replayWithProtectionOnTheExchange() throws Exception {
        Path data = DemoCommand.extractDemoData();
        RunOptions opts = new RunOptions();
        opts.rules = Path.of("rules");
        opts.overrides.addAll(List.of("execution.protective_orders=exchange", "state.port=5813",
                "state.cluster_name=test-protect-" + ProcessHandle.current().pid()));
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Path out = tmp.resolve("exchange");
        new ReplaySetup(opts, List.of()).run(List.of(data), Set.of(), DemoCommand.TRADING_DAY, DemoCommand.TRADING_DAY,
                out, 0, "127.0.0.1", null, quiet, false, null);
        trades = Files.readAllLines(out.resolve("trades.csv")).stream().skip(1).map(l -> l.split(",", -1)).toList();
        try (JournalReader r = JournalReader.open(out.resolve("journal.db"))) {
            orders = r.orders(0).stream().collect(Collectors.toMap(OrderRecord::clientOrderId, o -> o));
        }
    }

    private static OrderRecord orderOf(String[] trade) {
        return orders.get(trade[8]);
    }

    @Test
    void everyEntryIsProtectedByAnOcoJournaledBeforeItLeft() {
        List<String[]> buys = trades.stream().filter(t -> t[2].equals("BUY")).toList();
        assertThat(buys).hasSizeGreaterThan(20);
        Map<String, List<OrderRecord>> lists = orders.values().stream().filter(o -> o.purpose().equals("PROTECT"))
                .collect(Collectors.groupingBy(o -> String.valueOf(o.listClientOrderId())));
        assertThat(lists).isNotEmpty().doesNotContainKey("null");
        for (List<OrderRecord> legs : lists.values()) {
            assertThat(legs).extracting(OrderRecord::orderType).containsExactlyInAnyOrder("LIMIT_MAKER", "STOP_LOSS_LIMIT");
            OrderRecord stop = legs.stream().filter(o -> o.orderType().equals("STOP_LOSS_LIMIT")).findFirst().orElseThrow();
            OrderRecord tp = legs.stream().filter(o -> o.orderType().equals("LIMIT_MAKER")).findFirst().orElseThrow();
            // the stop leg's limit sits under its trigger, the take-profit above both; same quantity on both legs
            assertThat(stop.price()).isLessThan(stop.stopPrice());
            assertThat(tp.price()).isGreaterThan(stop.stopPrice());
            assertThat(tp.quantity()).isEqualByComparingTo(stop.quantity());
        }
        // one protection per entry fill at least (each entry fills whole in the simulator)
        assertThat(lists).hasSizeGreaterThanOrEqualTo(buys.size());
    }

    @Test
    void theExitsAtTheLevelsComeFromTheRestingLegsNeverFromALocalTrigger() {
        Map<String, Integer> byType = new HashMap<>();
        for (String[] t : trades) {
            if (!t[2].equals("SELL")) {
                continue;
            }
            OrderRecord o = orderOf(t);
            assertThat(o).as("journal row of the order of " + String.join(",", t)).isNotNull();
            if (o.purpose().equals("PROTECT")) {
                byType.merge(o.orderType(), 1, Integer::sum);
                assertThat(t[9]).as("reason of a leg's fill").isIn("take_profit", "stop_loss", "exit-trailing-stop");
            } else {
                // a MARKET exit: a rule's (time stop, echo broke) or a stop leg the market gapped through, never the
                // locally watched levels of an OCO
                assertThat(o.purpose()).isEqualTo("EXIT");
                assertThat(t[9]).isNotIn("stop_loss", "take_profit", "exit-trailing-stop");
            }
        }
        assertThat(byType.getOrDefault("STOP_LOSS_LIMIT", 0)).as("stop legs filled").isPositive();
        assertThat(byType.getOrDefault("LIMIT_MAKER", 0)).as("take-profit legs filled").isPositive();
    }

    @Test
    void noPositionIsSoldTwice() {
        Map<String, BigDecimal> held = new HashMap<>();
        for (String[] t : trades) {
            BigDecimal qty = new BigDecimal(t[4]);
            BigDecimal after = held.merge(t[1], t[2].equals("BUY") ? qty.subtract(feeInBase(t)) : qty.negate(),
                    BigDecimal::add);
            assertThat(after.signum()).as("holding of " + t[1] + " after " + String.join(",", t)).isGreaterThanOrEqualTo(0);
            assertThat(new BigDecimal(t[12])).as("position_after of " + String.join(",", t)).isEqualByComparingTo(after);
        }
    }

    private static BigDecimal feeInBase(String[] t) {
        return t[7].equals("USDT") ? BigDecimal.ZERO : new BigDecimal(t[6]);
    }
}
