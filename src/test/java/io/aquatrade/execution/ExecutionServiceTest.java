package io.aquatrade.execution;

import io.aquatrade.exchange.ExchangeInfo;
import io.aquatrade.exchange.sim.SimulatedExchange;
import io.aquatrade.model.Candle;
import io.aquatrade.model.Decimals;
import io.aquatrade.model.Fill;
import io.aquatrade.model.KillSwitchLevel;
import io.aquatrade.model.OrderIntent;
import io.aquatrade.model.RiskEvent;
import io.aquatrade.model.StopUpdate;
import io.aquatrade.portfolio.Portfolio;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Execution on the real exchangeInfo and the real simulated exchange, driven by one-minute candles. */
class ExecutionServiceTest {

    private static final ExchangeInfo INFO = ExchangeInfo.loadDefault();
    private static final long MIN = 60_000L;
    private static final long T0 = 19_466 * 86_400_000L; // 2023-04-19 00:00 UTC

    private final SimulatedExchange exchange = new SimulatedExchange("sim", INFO, new BigDecimal("0.001"), "USDT",
            new BigDecimal("10000"));
    private final ExchangeSymbolRules rules = new ExchangeSymbolRules(INFO);
    private final Portfolio portfolio = new Portfolio("USDT", new BigDecimal("10000"), new BigDecimal("0.5"),
            BigDecimal.ONE, rules::baseAsset, rules::isDust);
    private final List<Fill> fills = new ArrayList<>();
    private long minute;

    private ExecutionService service(HardLimits limits) {
        ExecutionService s = new ExecutionService(portfolio, rules, limits, (now, exit) -> true, "t-");
        s.connect(exchange);
        s.setFillSink((f, rt) -> fills.add(f));
        s.setPriceLookup(sym -> new BigDecimal("100"));
        return s;
    }

    private static HardLimits limits(String maxPosition, int maxOpen, String maxTotal, String dailyLoss, int perMinute,
                                     int perDay) {
        return new HardLimits(new BigDecimal(maxPosition), new BigDecimal(maxPosition), maxOpen, new BigDecimal(maxTotal),
                new BigDecimal(dailyLoss), perMinute, perDay);
    }

    /** One closed minute for a symbol: exchange fills first, then the marks and protective levels. */
    private void bar(ExecutionService s, String symbol, String o, String h, String l, String c) {
        Candle candle = Candle.closedMinute(symbol, T0 + minute * MIN, Decimals.parseE8(o), Decimals.parseE8(h),
                Decimals.parseE8(l), Decimals.parseE8(c), Decimals.ONE);
        s.onClock(candle.timeMs());
        exchange.onMarketEvent(candle);
        portfolio.mark(symbol, new BigDecimal(c));
        s.onMarketEvent(candle);
        s.onClock(candle.timeMs()); // the decision round re-checks the daily loss on the new marks
    }

    private static OrderIntent buy(String symbol, String quote) {
        return OrderIntent.enter(symbol, new BigDecimal(quote), "entry-test", 1.0, 2.0, null);
    }

    private void decide(ExecutionService s, OrderIntent... intents) {
        s.handle(List.of(), List.of(), List.of(intents));
    }

    @Test
    void anEntryIsShrunkToTheTightestCapAndTheCapitalRule() {
        ExecutionService s = service(limits("150", 10, "250", "300", 100, 1000));
        bar(s, "LTCUSDT", "100", "100", "100", "100");
        decide(s, buy("LTCUSDT", "400"));
        minute++;
        bar(s, "LTCUSDT", "100", "100.5", "99.8", "100.3");
        assertThat(fills).hasSize(1);
        // 400 asked, 150 the position cap: spent at the next bar's open (100, not its high, low or close)
        // in LTC's 0.001 steps: 1.500 LTC for exactly 150 USDT
        assertThat(fills.get(0).price()).isEqualByComparingTo("100");
        assertThat(fills.get(0).qty()).isEqualByComparingTo("1.5");
        assertThat(fills.get(0).quoteQty()).isEqualByComparingTo("150");
        decide(s, buy("XRPUSDT", "400")); // total cap 250 leaves about 100
        bar(s, "XRPUSDT", "0.5", "0.5", "0.5", "0.5");
        minute++;
        bar(s, "XRPUSDT", "0.5", "0.5", "0.5", "0.5");
        assertThat(portfolio.exposure()).isLessThanOrEqualTo(new BigDecimal("250"));
        assertThat(fills).hasSize(2);
        decide(s, buy("SOLUSDT", "50")); // nothing left under the total cap
        assertThat(s.refusals()).containsKey("caps_exhausted");
    }

    /** One decision round, then the next minute's bar at 100 for LTCUSDT, which fills what it sent. */
    private void roundAt100(ExecutionService s, OrderIntent... intents) {
        decide(s, intents);
        minute++;
        bar(s, "LTCUSDT", "100", "100", "100", "100");
    }

    @Test
    void theDustALastPositionLeftCountsAgainstTheCapsOfTheNextOne() {
        ExecutionService s = service(limits("150", 10, "250", "300", 100, 1000));
        bar(s, "LTCUSDT", "100", "100", "100", "100");
        roundAt100(s, buy("LTCUSDT", "400"));
        roundAt100(s, OrderIntent.exitAll("LTCUSDT", "exit-test"));
        // the fee came out of the LTC bought and the sale is in 0.001 steps: dust is left, at its cost
        assertThat(portfolio.holding("LTCUSDT").isOpen()).isFalse();
        assertThat(portfolio.heldCost("LTCUSDT")).isPositive();

        roundAt100(s, buy("LTCUSDT", "400")); // the new position takes the dust over: it is sized with it
        assertThat(portfolio.exposure("LTCUSDT")).as("the position cap").isGreaterThan(new BigDecimal("149"))
                .isLessThanOrEqualTo(new BigDecimal("150"));

        decide(s, buy("XRPUSDT", "120"));
        roundAt100(s, OrderIntent.exitAll("LTCUSDT", "exit-test"));
        bar(s, "XRPUSDT", "0.5", "0.5", "0.5", "0.5");
        assertThat(portfolio.heldCost("LTCUSDT")).isPositive();
        roundAt100(s, buy("LTCUSDT", "400")); // 130 left under the total cap, less the dust
        assertThat(portfolio.openPositions()).isEqualTo(2);
        assertThat(portfolio.exposure()).as("the total cap").isGreaterThan(new BigDecimal("249"))
                .isLessThanOrEqualTo(new BigDecimal("250"));
    }

    @Test
    void aSymbolWhoseFeedFailsTheSanityBandTakesNoEntryUntilItsFeedIsGoodAgainAndItsExitsStillGo() {
        ExecutionService s = service(limits("150", 10, "1000", "300", 100, 1000));
        bar(s, "LTCUSDT", "100", "100", "100", "100");
        decide(s, buy("LTCUSDT", "100"));
        minute++;
        bar(s, "LTCUSDT", "100", "100", "100", "100");
        assertThat(fills).hasSize(1);

        s.pauseFeed("LTCUSDT", "3 price outliers within 600 s");
        s.pauseFeed("ETHUSDT", "3 price outliers within 600 s");
        s.pauseFeed("LTCUSDT", "again"); // already paused: one halt row, the first cause
        decide(s, buy("LTCUSDT", "100"), buy("ETHUSDT", "100"));
        assertThat(s.refusals()).containsEntry("symbol_paused", 2L);
        assertThat(s.feedPauses()).containsOnlyKeys("LTCUSDT", "ETHUSDT").containsEntry("LTCUSDT", "3 price outliers within 600 s");
        decide(s, OrderIntent.exitAll("LTCUSDT", "exit-test")); // the position may still be sold
        minute++;
        bar(s, "LTCUSDT", "100", "100", "100", "100");
        assertThat(fills).hasSize(2);
        assertThat(fills.get(1).side()).isEqualTo(io.aquatrade.model.Side.SELL);

        s.resumeFeed("LTCUSDT", "30 good events in a row");
        decide(s, buy("LTCUSDT", "100"));
        assertThat(s.refusals()).containsEntry("symbol_paused", 2L);
        assertThat(s.ordersSent()).isEqualTo(3);
        assertThat(s.feedPauses()).containsOnlyKeys("ETHUSDT");
        assertThat(s.halts()).extracting(Halt::kind, Halt::symbol).containsExactly(
                org.assertj.core.groups.Tuple.tuple("PAUSE_FEED", "LTCUSDT"), org.assertj.core.groups.Tuple.tuple("PAUSE_FEED", "ETHUSDT"),
                org.assertj.core.groups.Tuple.tuple("RESUME_FEED", "LTCUSDT"));
    }

    @Test
    void entriesInFlightCountInEveryCapWhenOneRoundEntersManySymbols() {
        // caps of 2 positions and 300 USDT; one decision round asks for 5 entries of 250 before any fills
        ExecutionService s = service(limits("250", 2, "300", "300", 100, 1000));
        List<String> symbols = List.of("LTCUSDT", "ETHUSDT", "SOLUSDT", "BNBUSDT", "XRPUSDT");
        for (String sym : symbols) {
            bar(s, sym, "100", "100", "100", "100");
        }
        decide(s, symbols.stream().map(sym -> buy(sym, "250")).toArray(OrderIntent[]::new));
        assertThat(s.ordersSent()).isEqualTo(2);
        assertThat(s.refusals()).containsEntry("max_open_positions", 3L);
        minute++;
        for (String sym : symbols) {
            bar(s, sym, "100", "100", "100", "100");
        }
        assertThat(portfolio.openPositions()).isEqualTo(2);
        assertThat(portfolio.exposure()).isLessThanOrEqualTo(new BigDecimal("300"));
    }

    @Test
    void entriesInFlightCountAgainstTotalExposureTheCapitalRuleAndCash() {
        ExecutionService s = service(limits("250", 10, "400", "300", 100, 1000));
        List<String> symbols = List.of("LTCUSDT", "ETHUSDT", "SOLUSDT");
        for (String sym : symbols) {
            bar(s, sym, "100", "100", "100", "100");
        }
        decide(s, symbols.stream().map(sym -> buy(sym, "250")).toArray(OrderIntent[]::new));
        // 250 + 150 fill the total cap of 400; the third finds nothing left although nothing has filled
        assertThat(s.ordersSent()).isEqualTo(2);
        assertThat(s.refusals()).containsEntry("caps_exhausted", 1L);

        // capital rule and cash: 50% of 600 = 300 deployable, cash 600
        Portfolio small = new Portfolio("USDT", new BigDecimal("600"), new BigDecimal("0.5"), BigDecimal.ONE,
                rules::baseAsset, rules::isDust);
        SimulatedExchange smallExchange = new SimulatedExchange("sim", INFO, new BigDecimal("0.001"), "USDT",
                new BigDecimal("600"));
        ExecutionService t = new ExecutionService(small, rules, limits("250", 10, "100000", "300", 100, 1000),
                (now, exit) -> true, "u-");
        t.connect(smallExchange);
        t.setPriceLookup(sym -> new BigDecimal("100"));
        List<OrderIntent> intents = symbols.stream().map(sym -> buy(sym, "250")).toList();
        t.handle(List.of(), List.of(), intents);
        assertThat(t.ordersSent()).isEqualTo(2); // 250 + 50 = the deployable 300
        for (String sym : symbols) {
            Candle c = Candle.closedMinute(sym, T0 + MIN, Decimals.parseE8("100"), Decimals.parseE8("100"),
                    Decimals.parseE8("100"), Decimals.parseE8("100"), Decimals.ONE);
            t.onClock(c.timeMs());
            smallExchange.onMarketEvent(c);
        }
        assertThat(small.exposure()).isLessThanOrEqualTo(new BigDecimal("300"));
        assertThat(small.cash()).isGreaterThanOrEqualTo(new BigDecimal("300"));
    }

    @Test
    void openPositionCapRefusesTheNextEntry() {
        ExecutionService s = service(limits("100", 1, "1000", "300", 100, 1000));
        bar(s, "LTCUSDT", "100", "100", "100", "100");
        decide(s, buy("LTCUSDT", "50"));
        minute++;
        bar(s, "LTCUSDT", "100", "100", "100", "100");
        decide(s, buy("XRPUSDT", "50"));
        assertThat(s.refusals()).containsEntry("max_open_positions", 1L);
        assertThat(portfolio.openPositions()).isEqualTo(1);
    }

    @Test
    void tradeCountCapsLeaveRoomForEveryOpenPositionsExit() {
        ExecutionService s = service(limits("100", 10, "1000", "300", 5, 1000));
        for (String sym : List.of("LTCUSDT", "ETHUSDT", "SOLUSDT", "BNBUSDT")) {
            decide(s, buy(sym, "20"));
        }
        // entry 1 needs 1 + 1 reserved, entry 2: 2 + 2 ... so two entries fit in 5 and the third is refused
        assertThat(s.ordersSent()).isEqualTo(2);
        assertThat(s.refusals()).as(s.refusals().toString()).containsEntry("max_trades_per_minute", 2L);
    }

    private static OrderIntent scaleOut(String symbol, String fraction) {
        return new OrderIntent(symbol, io.aquatrade.model.Side.SELL, null, new BigDecimal(fraction), "scale-out", null,
                null, null);
    }

    /**
     * Under a cap of 4 orders a day: entered with 200 USDT, then {@code times} scale-outs of 10 % asked, each at the
     * bar after the last one's fill.
     */
    private ExecutionService scaledOut(int times) {
        ExecutionService s = service(limits("200", 10, "1000", "300", 100, 4));
        bar(s, "LTCUSDT", "100", "100", "100", "100");
        decide(s, buy("LTCUSDT", "200"));
        for (int i = 0; i < times; i++) {
            minute++;
            bar(s, "LTCUSDT", "100", "100", "100", "100");
            decide(s, scaleOut("LTCUSDT", "0.1"));
        }
        minute++;
        bar(s, "LTCUSDT", "100", "100", "100", "100");
        return s;
    }

    @Test
    void partialExitsStayWithinTheDailyOrderCapAndLeaveRoomForTheFullExit() {
        ExecutionService s = scaledOut(8);
        // the entry and two scale-outs: a third would leave no room in 4 for the position's last exit
        assertThat(s.tradesToday()).isEqualTo(3);
        assertThat(s.refusals()).containsEntry("max_trades_per_day", 6L);
        decide(s, OrderIntent.exitAll("LTCUSDT", "exit-test"));
        minute++;
        bar(s, "LTCUSDT", "100", "100", "100", "100");
        assertThat(s.tradesToday()).isEqualTo(4);
        assertThat(portfolio.openPositions()).isZero();
    }

    @Test
    void aPartialExitThatLeavesOnlyDustClosesThePositionAndIsNotHeldToTheDailyOrderCap() {
        ExecutionService s = scaledOut(2);
        assertThat(s.tradesToday()).isEqualTo(3);
        decide(s, scaleOut("LTCUSDT", "0.9999")); // leaves 0.0001 LTC, 0.01 USDT: dust
        minute++;
        bar(s, "LTCUSDT", "100", "100", "100", "100");
        assertThat(s.tradesToday()).isEqualTo(4);
        assertThat(portfolio.openPositions()).isZero();
    }

    @Test
    void aStopLossExitIsNeverHeldToTheDailyOrderCap() {
        ExecutionService s = scaledOut(3);
        assertThat(s.tradesToday()).isEqualTo(3);
        assertThat(s.refusals()).containsEntry("max_trades_per_day", 1L);
        minute++;
        bar(s, "LTCUSDT", "99.5", "99.5", "98", "98.2"); // through the 1 % stop
        assertThat(fills.get(fills.size() - 1).reason()).isEqualTo("stop_loss");
        assertThat(portfolio.openPositions()).isZero();
        assertThat(s.tradesToday()).isEqualTo(4);
    }

    @Test
    void stopTakesPrecedenceWhenOneBarCrossesBothLevels() {
        ExecutionService s = service(limits("200", 10, "1000", "300", 100, 1000));
        bar(s, "LTCUSDT", "100", "100", "100", "100");
        decide(s, buy("LTCUSDT", "100"));
        minute++;
        // fills 1.000 LTC at 100, 0.001 LTC of fee: entry 100 / 0.999 = 100.1001..; stop 1% below, floored to the
        // 0.1 tick: 99.0; target 2% above, raised to the tick: 102.2
        bar(s, "LTCUSDT", "100", "100", "100", "100");
        assertThat(portfolio.holding("LTCUSDT").stopPrice()).isEqualByComparingTo("99.0");
        assertThat(portfolio.holding("LTCUSDT").takeProfitPrice()).isEqualByComparingTo("102.2");
        minute++;
        bar(s, "LTCUSDT", "100", "105", "95", "101");  // crosses both
        assertThat(fills).hasSize(2);
        Fill exit = fills.get(1);
        assertThat(exit.reason()).isEqualTo("stop_loss");
        // the bar opened above the stop, so the stop fills at its level, not at the low (95) nor the target
        assertThat(exit.price()).isEqualByComparingTo("99.0");
        assertThat(exit.qty()).isEqualByComparingTo("0.999");
        assertThat(portfolio.openPositions()).isZero();
    }

    @Test
    void aTrailingStopOnlyRisesAndExitsWithTheRuleAsReason() {
        ExecutionService s = service(limits("200", 10, "1000", "300", 100, 1000));
        bar(s, "LTCUSDT", "100", "100", "100", "100");
        decide(s, buy("LTCUSDT", "100"));
        minute++;
        bar(s, "LTCUSDT", "100", "101", "100", "101");
        s.handle(List.of(), List.of(new StopUpdate("LTCUSDT", new BigDecimal("100.5"), "exit-trailing-stop")), List.of());
        s.handle(List.of(), List.of(new StopUpdate("LTCUSDT", new BigDecimal("99"), "exit-trailing-stop")), List.of());
        assertThat(portfolio.holding("LTCUSDT").stopPrice()).isEqualByComparingTo("100.5");
        minute++;
        bar(s, "LTCUSDT", "101", "101", "100.2", "100.3");
        assertThat(fills.get(fills.size() - 1).reason()).isEqualTo("exit-trailing-stop");
        assertThat(fills.get(fills.size() - 1).price()).isEqualByComparingTo("100.5");
    }

    @Test
    void killSwitchReducingAllowsExitsOnlyAndHaltedSendsNothing() {
        ExecutionService s = service(limits("200", 10, "1000", "300", 100, 1000));
        bar(s, "LTCUSDT", "100", "100", "100", "100");
        decide(s, buy("LTCUSDT", "100"));
        minute++;
        bar(s, "LTCUSDT", "100", "100", "100", "100");
        s.apply(new RiskEvent(RiskEvent.Kind.KILL_REDUCING, null, "test", 0), "rule");
        decide(s, buy("XRPUSDT", "100"));
        assertThat(s.refusals()).containsKey("kill_switch_reducing");
        s.setKillSwitch(KillSwitchLevel.HALTED, "operator says stop", "operator");
        decide(s, OrderIntent.exitAll("LTCUSDT", "exit-test"));
        assertThat(s.refusals()).containsKey("kill_switch_halted");
        s.setKillSwitch(KillSwitchLevel.REDUCING, "operator", "operator");
        decide(s, OrderIntent.exitAll("LTCUSDT", "exit-test"));
        minute++;
        bar(s, "LTCUSDT", "100", "100", "100", "100");
        assertThat(fills.get(fills.size() - 1).reason()).isEqualTo("exit-test");
        assertThat(s.halts()).extracting(Halt::kind).containsExactly("KILL_REDUCING", "KILL_HALTED", "KILL_REDUCING");
    }

    @Test
    void aStalePauseRenewedWhileItRunsIsOnePauseWhoseEndMovesOn() {
        ExecutionService s = service(limits("200", 10, "1000", "300", 100, 1000));
        bar(s, "LTCUSDT", "100", "100", "100", "100");
        long t = s.now(); // the bar's close
        s.apply(RiskEvent.pauseSymbol("LTCUSDT", t + 2_000, "risk-stale-feed-pause"), "rule");
        s.onClock(t + 1_000);
        s.apply(RiskEvent.pauseSymbol("LTCUSDT", t + 3_000, "risk-stale-feed-pause"), "rule");
        s.onClock(t + 2_500);
        decide(s, buy("LTCUSDT", "100"));
        assertThat(s.refusals()).containsEntry("symbol_paused", 1L);
        assertThat(s.symbolRisk("LTCUSDT").pausedUntilMs()).isEqualTo(t + 3_000);
        assertThat(s.halts()).extracting(Halt::kind, Halt::timeMs, Halt::untilMs)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("PAUSE_SYMBOL", t, t + 3_000));

        // a pause naming no symbol (a rule's mistake) pauses nothing
        s.apply(RiskEvent.pauseSymbol(null, t + 9_000, "risk-stale-feed-pause"), "rule");
        assertThat(s.halts()).hasSize(1);

        // once it has run out, the next pause is a new one; so is another cause's pause while it runs
        s.onClock(t + 4_000);
        s.apply(RiskEvent.pauseSymbol("LTCUSDT", t + 6_000, "risk-stale-feed-pause"), "rule");
        s.apply(RiskEvent.pauseSymbol("LTCUSDT", t + 9_000, "risk-circuit-breaker"), "rule");
        assertThat(s.halts()).extracting(Halt::timeMs, Halt::untilMs, Halt::cause).containsExactly(
                org.assertj.core.groups.Tuple.tuple(t, t + 3_000, "risk-stale-feed-pause"),
                org.assertj.core.groups.Tuple.tuple(t + 4_000, t + 6_000, "risk-stale-feed-pause"),
                org.assertj.core.groups.Tuple.tuple(t + 4_000, t + 9_000, "risk-circuit-breaker"));
    }

    @Test
    void dailyLossHaltsEntriesUntilTheNextUtcDay() {
        ExecutionService s = service(limits("1000", 10, "5000", "50", 100, 1000));
        bar(s, "LTCUSDT", "100", "100", "100", "100");
        decide(s, buy("LTCUSDT", "1000"));
        minute++;
        bar(s, "LTCUSDT", "100", "100", "100", "100");
        portfolio.setProtectiveLevels("LTCUSDT", null, null, null);
        minute++;
        bar(s, "LTCUSDT", "94", "94", "94", "94"); // -60 on the day
        assertThat(s.entriesHaltedToday()).isTrue();
        decide(s, buy("XRPUSDT", "100"));
        assertThat(s.refusals()).containsKey("entries_halted_today");
        assertThat(s.halts()).extracting(Halt::source).containsExactly("hard_cap");
        minute = 24 * 60 + 1;
        bar(s, "LTCUSDT", "94", "94", "94", "94");
        assertThat(s.entriesHaltedToday()).isFalse();
    }

    @Test
    void aSecondIntentWhileAnOrderIsInFlightIsNeverSent() {
        ExecutionService s = service(limits("200", 10, "1000", "300", 100, 1000));
        bar(s, "LTCUSDT", "100", "100", "100", "100");
        decide(s, buy("LTCUSDT", "50"), buy("LTCUSDT", "50"));
        assertThat(s.ordersSent()).isEqualTo(1);
        assertThat(s.refusals()).containsEntry("order_in_flight", 1L);
        minute++;
        bar(s, "LTCUSDT", "100", "100", "100", "100");
        assertThat(fills).hasSize(1);
        assertThat(fills.get(0).clientOrderId()).isEqualTo("t-1").matches("^[a-zA-Z0-9-_]{1,36}$");
    }
    /** Every USDT cap is meaningless for a pair quoted in another asset: such an entry is refused and counted. */
    @Test
    void anEntryOnAPairQuotedOutsideTheCapitalsQuoteAssetIsRefused() throws Exception {
        ExchangeInfo all;
        try (var in = getClass().getResourceAsStream("/exchange/exchangeInfo_2021-10-12_all-symbols.json.gz")) {
            all = ExchangeInfo.parse(in, "all-symbols");
        }
        ExchangeSymbolRules allRules = new ExchangeSymbolRules(all);
        Portfolio p = new Portfolio("USDT", new BigDecimal("10000"), new BigDecimal("0.5"), BigDecimal.ONE,
                allRules::baseAsset, allRules::isDust);
        SimulatedExchange ex = new SimulatedExchange("sim", all, new BigDecimal("0.001"), "USDT", new BigDecimal("10000"));
        ExecutionService s = new ExecutionService(p, allRules, limits("300", 2, "300", "300", 100, 1000),
                (now, exit) -> true, "q-");
        s.connect(ex);
        s.setPriceLookup(sym -> sym.equals("ETHBTC") ? new BigDecimal("0.065") : new BigDecimal("100"));
        decide(s, buy("ETHBTC", "0.5"), buy("BNBBTC", "0.5"), buy("ETHUSDT", "50"));
        assertThat(s.refusals()).containsEntry("not_quote_asset", 2L);
        assertThat(s.ordersSent()).isEqualTo(1);
        assertThat(s.hasOrderInFlight("ETHBTC")).isFalse();
        assertThat(s.hasOrderInFlight("ETHUSDT")).isTrue();
    }
    /** At the caps an intent is checked again against the symbol: a stop that rounds to zero is no stop. */
    @Test
    void intentsWhoseLevelsAreUnusableAtTheSymbolsTickAreRefusedAsInvalid() {
        ExecutionService s = service(limits("200", 10, "1000", "300", 100, 1000));
        s.setPriceLookup(sym -> new BigDecimal("0.01")); // BTCUSDT's tick is 0.01: a 50% stop is 0.005 -> 0
        decide(s, OrderIntent.enter("BTCUSDT", new BigDecimal("50"), "entry-test", 50.0, 2.0, null));
        assertThat(s.refusals()).containsEntry("invalid_intent", 1L);
        assertThat(s.ordersSent()).isZero();

        s.setPriceLookup(sym -> new BigDecimal("100"));
        bar(s, "LTCUSDT", "100", "100", "100", "100");
        decide(s, buy("LTCUSDT", "100"));
        minute++;
        bar(s, "LTCUSDT", "100", "100", "100", "100");
        BigDecimal stop = portfolio.holding("LTCUSDT").stopPrice();
        s.handle(List.of(), List.of(new StopUpdate("LTCUSDT", new BigDecimal("0.000001"), "exit-trailing-stop"),
                new StopUpdate("NOSUCHUSDT", new BigDecimal("1"), "exit-trailing-stop")), List.of());
        assertThat(s.refusals()).containsEntry("invalid_intent", 3L);
        assertThat(portfolio.holding("LTCUSDT").stopPrice()).isEqualByComparingTo(stop);
    }
}
