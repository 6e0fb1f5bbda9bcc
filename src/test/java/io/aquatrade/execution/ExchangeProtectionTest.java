package io.aquatrade.execution;

import io.aquatrade.exchange.ExchangeInfo;
import io.aquatrade.exchange.OrderList;
import io.aquatrade.exchange.OrderReport;
import io.aquatrade.exchange.sim.SimulatedExchange;
import io.aquatrade.model.Candle;
import io.aquatrade.model.Decimals;
import io.aquatrade.model.Fill;
import io.aquatrade.model.KillSwitchLevel;
import io.aquatrade.model.OrderIntent;
import io.aquatrade.model.Side;
import io.aquatrade.model.StopUpdate;
import io.aquatrade.portfolio.Portfolio;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code execution.protective_orders=exchange} on the real exchangeInfo and the real simulated exchange, driven by
 * one-minute candles: protection placed after the entry's fill, moved by the trailing stop, cancelled before a rule
 * exit, kept by HALTED; never a second sell.
 */
class ExchangeProtectionTest {

    private static final ExchangeInfo INFO = ExchangeInfo.loadDefault();
    private static final long MIN = 60_000L;
    private static final long T0 = 19_466 * 86_400_000L; // 2023-04-19 00:00 UTC
    private static final String LTC = "LTCUSDT";

    private final SimulatedExchange venue = new SimulatedExchange("sim", INFO, new BigDecimal("0.001"), "USDT",
            new BigDecimal("10000"));
    private final ExchangeSymbolRules rules = new ExchangeSymbolRules(INFO);
    private final Portfolio portfolio = new Portfolio("USDT", new BigDecimal("10000"), new BigDecimal("0.5"),
            BigDecimal.ONE, rules::baseAsset, rules::isDust);
    private final List<Fill> fills = new ArrayList<>();
    private final List<OrderIntent> refused = new ArrayList<>();
    private final List<String> refusedWhy = new ArrayList<>();
    private long minute;

    private ExecutionService service(io.aquatrade.exchange.ExchangeAdapter exchange, SymbolRules symbolRules,
                                     OrderRateLimiter limiter) {
        return service(exchange, symbolRules, limiter, ExchangeProtection.STOP_LIMIT_OFFSET_PCT,
                ExchangeProtection.MIN_MOVE_INTERVAL_MS);
    }

    private ExecutionService service(io.aquatrade.exchange.ExchangeAdapter exchange, SymbolRules symbolRules,
                                     OrderRateLimiter limiter, BigDecimal stopLimitOffsetPct, long minMoveMs) {
        ExecutionService s = new ExecutionService(portfolio, symbolRules, new HardLimits(new BigDecimal("200"),
                new BigDecimal("200"), 10, new BigDecimal("1000"), new BigDecimal("300"), 100, 1000), limiter, "p-");
        s.connect(exchange);
        s.protectOnExchange(stopLimitOffsetPct, minMoveMs);
        s.setFillSink((f, rt) -> fills.add(f));
        s.setPriceLookup(sym -> new BigDecimal("100"));
        s.addObserver(new ExecutionService.Observer() {
            @Override
            public void onRefused(String reason, OrderIntent intent) {
                refusedWhy.add(reason);
                refused.add(intent);
            }
        });
        return s;
    }

    private ExecutionService service() {
        return service(venue, rules, (now, exit) -> true);
    }

    /** One closed minute: the venue matches first (resting legs included), then the marks and protective levels. */
    private void bar(ExecutionService s, String o, String h, String l, String c) {
        Candle candle = Candle.closedMinute(LTC, T0 + minute * MIN, Decimals.parseE8(o), Decimals.parseE8(h),
                Decimals.parseE8(l), Decimals.parseE8(c), Decimals.ONE);
        s.onClock(candle.timeMs());
        venue.onMarketEvent(candle);
        portfolio.mark(LTC, new BigDecimal(c));
        s.onMarketEvent(candle);
        minute++;
    }

    /** Entered at 100 (1.000 LTC, 0.001 fee): stop 99.0, take-profit 102.2, as the local levels have them. */
    private void enter(ExecutionService s) {
        bar(s, "100", "100", "100", "100");
        s.handle(List.of(), List.of(), List.of(OrderIntent.enter(LTC, new BigDecimal("100"), "entry-test", 1.0, 2.0, null)));
        bar(s, "100", "100", "100", "100");
        assertThat(fills).hasSize(1);
    }

    /** The orders resting on the venue (open orders but the MARKET ones waiting for their next event). */
    private List<OrderReport> resting() {
        return venue.openOrders(LTC).toCompletableFuture().join().stream().filter(r -> !r.type().equals("MARKET")).toList();
    }

    @Test
    void theStopLegsLimitSitsTheConfiguredOffsetUnderItsTrigger() {
        ExecutionService s = service(venue, rules, (now, exit) -> true, new BigDecimal("2"), 0);
        enter(s);
        Protection p = s.protection(LTC);
        assertThat(p.stopPrice()).isEqualByComparingTo("99.0");
        assertThat(p.stopLimitPrice()).isEqualByComparingTo("97.0"); // 2 % under 99.0 is 97.02, down to LTCUSDT's 0.1 tick
        assertThat(resting()).filteredOn(r -> r.type().equals("STOP_LOSS_LIMIT")).extracting(OrderReport::price)
                .singleElement().satisfies(price -> assertThat(price).isEqualByComparingTo("97.0"));
    }

    @Test
    void anEntryFillPlacesAnOcoAndTheStopLegSellsOnceWhenABarCrossesBothLevels() {
        ExecutionService s = service();
        enter(s);
        Protection p = s.protection(LTC);
        assertThat(p).isNotNull();
        assertThat(p.state()).isEqualTo(Protection.State.RESTING);
        assertThat(p.isOco()).isTrue();
        assertThat(resting()).extracting(OrderReport::type).containsExactly("LIMIT_MAKER", "STOP_LOSS_LIMIT");
        assertThat(resting()).extracting(OrderReport::origQty).allSatisfy(q -> assertThat(q).isEqualByComparingTo("0.999"));
        assertThat(p.stopPrice()).isEqualByComparingTo("99.0");
        assertThat(p.stopLimitPrice()).isEqualByComparingTo("98.5"); // 0.5 % under the trigger, down to the tick
        assertThat(p.takeProfitPrice()).isEqualByComparingTo("102.2");
        assertThat(s.protectionLine(LTC)).isEqualTo("exchange OCO stop 99 tp 102.2");
        assertThat(s.protectionKind(LTC)).isEqualTo("OCO");
        // the legs are the order manager's, under the journal's ids, each its own order
        assertThat(p.legs()).extracting(ManagedOrder::purpose).containsOnly(ManagedOrder.Purpose.PROTECT);
        assertThat(p.legs()).extracting(ManagedOrder::clientOrderId).allMatch(id -> id.startsWith("p-"));

        bar(s, "100", "105", "95", "101"); // reaches both: the stop first, at its level
        assertThat(fills).hasSize(2);
        Fill exit = fills.get(1);
        assertThat(exit.side()).isEqualTo(Side.SELL);
        assertThat(exit.reason()).isEqualTo("stop_loss");
        assertThat(exit.price()).isEqualByComparingTo("99.0");
        assertThat(exit.clientOrderId()).isEqualTo(p.stopLeg().clientOrderId());
        assertThat(p.takeProfitLeg().state()).isEqualTo(OrderState.EXPIRED);
        assertThat(portfolio.openPositions()).isZero();
        assertThat(resting()).isEmpty();
        assertThat(s.protection(LTC)).isNull();
        // no local trigger sold it a second time, on this bar or the next
        bar(s, "95", "96", "90", "91");
        assertThat(fills).hasSize(2);
        assertThat(s.ordersSent()).isEqualTo(1);
    }

    @Test
    void aStopLegTheMarketGappedThroughIsCancelledAndThePositionSoldAtMarket() {
        ExecutionService s = service();
        enter(s);
        Protection p = s.protection(LTC);
        // opens below the stop (99) and its limit (98.5): the triggered leg rests as a limit nobody takes
        bar(s, "98", "98.2", "97", "97.5");
        assertThat(p.takeProfitLeg().state()).isEqualTo(OrderState.EXPIRED);
        assertThat(p.stopLeg().state()).isEqualTo(OrderState.CANCELED);
        assertThat(resting()).isEmpty();
        assertThat(s.exitInFlight(LTC)).isTrue();
        bar(s, "97.4", "97.6", "97.2", "97.5");
        assertThat(fills).hasSize(2);
        assertThat(fills.get(1).reason()).isEqualTo("stop_loss_gap");
        assertThat(fills.get(1).price()).isEqualByComparingTo("97.4");
        assertThat(portfolio.openPositions()).isZero();
    }

    @Test
    void whereOcoIsNotAllowedAStopLossLimitRestsAndTheTakeProfitIsWatchedLocallyCancellingTheStopFirst() {
        SymbolRules noOco = new DelegatingRules(rules) {
            @Override
            public boolean ocoAllowed(String symbol) {
                return false;
            }
        };
        ExecutionService s = service(venue, noOco, (now, exit) -> true);
        enter(s);
        assertThat(resting()).extracting(OrderReport::type).containsExactly("STOP_LOSS_LIMIT");
        assertThat(s.protectionLine(LTC)).isEqualTo("exchange STOP_LOSS_LIMIT stop 99, tp 102.2 local");
        bar(s, "101", "103", "101", "102.5"); // through the take-profit: the stop is cancelled, then a MARKET sell
        assertThat(resting()).isEmpty();
        bar(s, "102.4", "102.6", "102.3", "102.5");
        assertThat(fills).hasSize(2);
        assertThat(fills.get(1).reason()).isEqualTo("take_profit");
        assertThat(portfolio.openPositions()).isZero();
    }

    @Test
    void anOcoTheExchangeRefusesFallsBackToAStopLossLimitAlone() {
        ExecutionService s = service();
        bar(s, "100", "100", "100", "103"); // the last price the venue knows is 103, above the take-profit to come
        s.handle(List.of(), List.of(), List.of(OrderIntent.enter(LTC, new BigDecimal("100"), "entry-test", 1.0, 2.0, null)));
        bar(s, "100", "100", "100", "100");
        assertThat(fills).hasSize(1);
        // a LIMIT_MAKER at 102.2 would take against 103: -2010, so the stop rests alone
        assertThat(resting()).extracting(OrderReport::type).containsExactly("STOP_LOSS_LIMIT");
        assertThat(s.protectionKind(LTC)).isEqualTo("STOP_LOSS_LIMIT");
        assertThat(s.protectionLine(LTC)).endsWith(", tp 102.2 local");
    }

    @Test
    void theTrailingStopMovesTheOcoByCancelReplaceOnlyByATickAndAfterTheMinimumInterval() {
        ExecutionService s = service();
        enter(s);
        Protection first = s.protection(LTC);
        trail(s, "100.5"); // within a minute of the placement: not yet
        assertThat(s.protection(LTC)).isSameAs(first);
        assertThat(s.protectionMoves()).isZero();
        bar(s, "100.6", "100.8", "100.5", "100.7");
        trail(s, "100.5");
        Protection moved = s.protection(LTC);
        assertThat(moved).isNotSameAs(first);
        assertThat(moved.stopPrice()).isEqualByComparingTo("100.5");
        assertThat(moved.takeProfitPrice()).isEqualByComparingTo("102.2");
        assertThat(first.legs()).extracting(ManagedOrder::state).containsOnly(OrderState.CANCELED);
        assertThat(resting()).hasSize(2).extracting(OrderReport::stopPrice)
                .anySatisfy(p -> assertThat(p).isEqualByComparingTo("100.5"));
        assertThat(s.protectionMoves()).isEqualTo(1);
        bar(s, "100.7", "100.8", "100.6", "100.7");
        bar(s, "100.7", "100.8", "100.6", "100.7");
        trail(s, "100.54"); // rounds down to 100.5: less than a tick higher
        assertThat(s.protection(LTC)).isSameAs(moved);
        assertThat(s.protectionMoves()).isEqualTo(1);
        // the moved stop is what sells
        bar(s, "100.6", "100.6", "100.2", "100.3");
        assertThat(fills).hasSize(2);
        assertThat(fills.get(1).price()).isEqualByComparingTo("100.5");
        assertThat(fills.get(1).reason()).isEqualTo("exit-trailing-stop");
    }

    @Test
    void aMoveWaitsWhenTheOrderBudgetHasNoRoomForTheReplacementAndTheRestingOcoStays() {
        AtomicInteger slots = new AtomicInteger(4); // the entry, the OCO's two orders, and one more
        ExecutionService s = service(venue, rules, (now, exit) -> slots.getAndDecrement() > 0);
        enter(s);
        Protection first = s.protection(LTC);
        bar(s, "100.6", "100.8", "100.5", "100.7");
        trail(s, "100.5");
        assertThat(s.protection(LTC)).isSameAs(first);
        assertThat(first.state()).isEqualTo(Protection.State.RESTING);
        assertThat(resting()).hasSize(2);
        assertThat(s.protectionMoves()).isZero();
    }

    @Test
    void aRuleExitCancelsTheProtectionFirstAndSellsOnlyAfterTheCancelIsConfirmed() {
        ExecutionService s = service();
        enter(s);
        Protection p = s.protection(LTC);
        s.handle(List.of(), List.of(), List.of(OrderIntent.exitAll(LTC, "exit-time-stop")));
        assertThat(p.legs()).extracting(ManagedOrder::state).containsOnly(OrderState.CANCELED);
        assertThat(resting()).isEmpty();
        assertThat(s.exitInFlight(LTC)).isTrue();
        bar(s, "100.2", "100.3", "100.1", "100.2");
        assertThat(fills).hasSize(2);
        assertThat(fills.get(1).reason()).isEqualTo("exit-time-stop");
        assertThat(fills.get(1).qty()).isEqualByComparingTo("0.999");
        assertThat(portfolio.openPositions()).isZero();
        assertThat(resting()).isEmpty(); // no protection placed again for a closed position
    }

    @Test
    void aRuleExitWhoseCancelFindsTheStopAlreadyFilledSellsNothingMore() {
        // the venue fills the stop leg just before the cancel arrives (the market fell meanwhile)
        DelegatingExchange racing = new DelegatingExchange(venue) {
            @Override
            public CompletionStage<OrderList> cancelOrderList(String symbol, String listClientOrderId) {
                venue.onMarketEvent(Candle.closedMinute(LTC, T0 + minute * MIN, Decimals.parseE8("99.5"),
                        Decimals.parseE8("99.5"), Decimals.parseE8("98.9"), Decimals.parseE8("99"), Decimals.ONE));
                return venue.cancelOrderList(symbol, listClientOrderId);
            }
        };
        ExecutionService s = service(racing, rules, (now, exit) -> true);
        enter(s);
        s.handle(List.of(), List.of(), List.of(OrderIntent.exitAll(LTC, "exit-echo-broke")));
        assertThat(fills).hasSize(2);
        assertThat(fills.get(1).reason()).isEqualTo("stop_loss");
        assertThat(portfolio.openPositions()).isZero();
        assertThat(refusedWhy).containsExactly("protection_filled");
        bar(s, "99", "99", "99", "99");
        assertThat(fills).hasSize(2);
        assertThat(s.ordersSent()).isEqualTo(1); // the entry; the legs went as protection, no MARKET sell at all
    }

    @Test
    void haltedCancelsEntriesInFlightAndKeepsTheRestingProtectionWhichStillSells() {
        ExecutionService s = service();
        enter(s);
        Protection p = s.protection(LTC);
        s.handle(List.of(), List.of(), List.of(OrderIntent.enter("ETHUSDT", new BigDecimal("100"), "entry-test", 1.0,
                2.0, null)));
        assertThat(venue.pendingOrders()).isEqualTo(1); // the ETH entry waits for its next event
        s.setKillSwitch(KillSwitchLevel.HALTED, "operator", "test");
        assertThat(venue.pendingOrders()).isZero();
        assertThat(s.orders().inFlight("ETHUSDT")).isNull();
        assertThat(resting()).hasSize(2);
        assertThat(s.protection(LTC)).isSameAs(p);
        // HALTED sends nothing new: the trailing stop does not move the resting OCO
        bar(s, "100.6", "100.8", "100.5", "100.7");
        bar(s, "100.6", "100.8", "100.5", "100.7");
        trail(s, "100.5");
        assertThat(s.protection(LTC)).isSameAs(p);
        // but what rests on the exchange protects the position while halted
        bar(s, "99.5", "99.6", "98", "98.2");
        assertThat(fills).hasSize(2);
        assertThat(fills.get(1).reason()).isEqualTo("stop_loss");
        assertThat(portfolio.openPositions()).isZero();
    }

    @Test
    void withNoOrderBudgetNothingRestsAndTheLevelsAreWatchedLocally() {
        AtomicInteger slots = new AtomicInteger(1); // the entry only
        ExecutionService s = service(venue, rules, (now, exit) -> exit ? slots.get() > 100 : slots.getAndDecrement() > 0);
        enter(s);
        assertThat(resting()).isEmpty();
        assertThat(s.protection(LTC)).isNull();
        assertThat(s.protectionLine(LTC)).isEqualTo("local (nothing rests on the exchange)");
        assertThat(s.protectionKind(LTC)).isEqualTo("local");
    }

    /**
     * The venue behind an OCO placement whose request and answer travel only when the test says so: it lands and is
     * answered, lands with its answer lost (and, {@code deaf}, the user stream's acknowledgements too), never arrives,
     * or is refused. Counts the MARKET sells that leave while a placement is still unanswered.
     */
    private final class SlowOco extends DelegatingExchange {
        private record Placing(java.util.function.Supplier<CompletionStage<OrderList>> request,
                               CompletableFuture<OrderList> answer) {
        }

        private final List<Placing> placing = new ArrayList<>();
        final List<io.aquatrade.exchange.OrderRequest> sells = new ArrayList<>();
        int sellsWhilePlacing;
        boolean deaf;

        SlowOco() {
            super(venue);
        }

        @Override
        public void setListener(io.aquatrade.exchange.ExecutionListener l) {
            inner.setListener(new io.aquatrade.exchange.ExecutionListener() {
                @Override public void onAcknowledged(io.aquatrade.exchange.OrderRequest o, long id) {
                    if (!deaf) {
                        l.onAcknowledged(o, id);
                    }
                }
                @Override public void onFill(Fill f) { l.onFill(f); }
                @Override public void onOrderDone(io.aquatrade.exchange.OrderRequest o, String st) { l.onOrderDone(o, st); }
                @Override public void onRejected(io.aquatrade.exchange.OrderRequest o, int c, String m) { l.onRejected(o, c, m); }
                @Override public void onUnknownOutcome(io.aquatrade.exchange.OrderRequest o, String c, long deadline) {
                    l.onUnknownOutcome(o, c, deadline);
                }
            });
        }

        @Override
        public CompletionStage<OrderList> placeOco(String list, String tp, String sl, String symbol, BigDecimal qty,
                                                   BigDecimal tpPrice, BigDecimal stop, BigDecimal stopLimit, String reason) {
            CompletableFuture<OrderList> answer = new CompletableFuture<>();
            placing.add(new Placing(() -> inner.placeOco(list, tp, sl, symbol, qty, tpPrice, stop, stopLimit, reason), answer));
            return answer;
        }

        @Override
        public void submit(io.aquatrade.exchange.OrderRequest order) {
            if (order.side() == Side.SELL) {
                sells.add(order);
                sellsWhilePlacing += placing.isEmpty() ? 0 : 1;
            }
            super.submit(order);
        }

        /** The placements reach the venue; {@code answered}: their answers come back, else they are lost. */
        void land(boolean answered) {
            for (Placing p : take()) {
                CompletionStage<OrderList> r = p.request.get();
                if (answered) {
                    r.whenComplete((list, err) -> {
                        if (err != null) {
                            p.answer.completeExceptionally(err);
                        } else {
                            p.answer.complete(list);
                        }
                    });
                } else {
                    p.answer.completeExceptionally(new java.io.IOException("connection reset while reading the answer"));
                }
            }
        }

        /** The placements reach the venue, which rests them, and the bot hears of it neither by answer nor stream. */
        void landUnheard() {
            deaf = true;
            land(false);
            deaf = false;
        }

        /** The placements never reach the venue: a timeout, outcome unknown. */
        void lose() {
            take().forEach(p -> p.answer.completeExceptionally(new java.net.SocketTimeoutException("no answer in 10 s")));
        }

        void refuse() {
            take().forEach(p -> p.answer.completeExceptionally(new io.aquatrade.exchange.ExchangeException(
                    io.aquatrade.exchange.BinanceError.newOrderRejected("Account has insufficient balance."), 400)));
        }

        private List<Placing> take() {
            List<Placing> out = new ArrayList<>(placing);
            placing.clear();
            return out;
        }
    }

    private final SlowOco slow = new SlowOco();
    private final List<Runnable> timers = new ArrayList<>();
    /** The service over {@link #slow}, whose unknown outcomes are looked up when {@link #runTimers} says. */
    private ExecutionService bot;

    /** The recvWindow passes: the lookups (and their retries) run. */
    private void runTimers() {
        for (int i = 0; i < 20 && !timers.isEmpty(); i++) {
            List<Runnable> due = new ArrayList<>(timers);
            timers.clear();
            due.forEach(Runnable::run);
        }
    }

    /** Entered; its OCO is requested and not yet answered. */
    private Protection placing() {
        bot = service(slow, rules, (now, exit) -> true);
        bot.attachJournal(null, OrderManager.SendPolicy.IMMEDIATE, Runnable::run, (delay, task) -> timers.add(task),
                () -> 1_000_000L, 5_000);
        enter(bot);
        Protection p = bot.protection(LTC);
        assertThat(p.state()).isEqualTo(Protection.State.PLACING);
        return p;
    }

    /** {@link #placing}, then a rule exit of the whole position. */
    private Protection exitWhilePlacing() {
        Protection p = placing();
        bot.handle(List.of(), List.of(), List.of(OrderIntent.exitAll(LTC, "exit-echo-broke")));
        assertThat(slow.sells).isEmpty();
        assertThat(bot.exitInFlight(LTC)).as("the exit waits, and says so to the rules").isTrue();
        assertThat(p.legs()).extracting(ManagedOrder::state).doesNotContain(OrderState.CANCELED);
        return p;
    }

    /** The exit's MARKET sell filled at the next bar, once: the position is closed and nothing rests for it. */
    private void soldOnceByTheExit() {
        bar(bot, "100.2", "100.3", "100.1", "100.2");
        assertThat(slow.sellsWhilePlacing).as("a sell left while a placement was unanswered").isZero();
        assertThat(slow.sells).hasSize(1);
        assertThat(fills).hasSize(2);
        assertThat(fills.get(1).reason()).isEqualTo("exit-echo-broke");
        assertThat(portfolio.openPositions()).isZero();
        assertThat(resting()).isEmpty();
        assertThat(refusedWhy).isEmpty();
    }

    @Test
    void anExitWhileTheOcoIsStillBeingPlacedWaitsForItsAnswerThenCancelsItAndSells() {
        Protection p = exitWhilePlacing();
        slow.land(true); // answered: cancelled at once, then sold
        assertThat(p.legs()).extracting(ManagedOrder::state).containsOnly(OrderState.CANCELED);
        assertThat(bot.protection(LTC)).isNull();
        soldOnceByTheExit();
    }

    @Test
    void anExitWaitsForTheLookupOfAnOcoWhoseAnswerWasLostThenCancelsWhatItFoundAndSells() {
        Protection p = exitWhilePlacing();
        slow.landUnheard();
        assertThat(p.legs()).extracting(ManagedOrder::state).containsOnly(OrderState.UNKNOWN);
        assertThat(resting()).hasSize(2);
        assertThat(slow.sells).isEmpty();
        runTimers(); // after the recvWindow the lookups find both legs resting
        assertThat(p.legs()).extracting(ManagedOrder::state).containsOnly(OrderState.CANCELED);
        soldOnceByTheExit();
    }

    @Test
    void anExitWhoseOcoAnswerWasLostButTheStreamReportedTheLegsGoesOnAtOnce() {
        Protection p = exitWhilePlacing();
        slow.land(false);
        assertThat(p.legs()).extracting(ManagedOrder::state).containsOnly(OrderState.CANCELED);
        assertThat(timers).isEmpty();
        soldOnceByTheExit();
    }

    @Test
    void anExitWaitingForAnOcoThatNeverArrivedSellsOnceTheLookupFindsNothingAndPlacesNoProtection() {
        Protection p = exitWhilePlacing();
        slow.lose();
        assertThat(slow.sells).isEmpty();
        runTimers();
        assertThat(p.legs()).extracting(ManagedOrder::state).containsOnly(OrderState.REJECTED);
        soldOnceByTheExit();
    }

    @Test
    void anExitWaitingForAnOcoTheExchangeRefusesSellsAtOnceWithoutAStopInItsPlace() {
        Protection p = exitWhilePlacing();
        slow.refuse();
        assertThat(p.legs()).extracting(ManagedOrder::state).containsOnly(OrderState.REJECTED);
        assertThat(bot.exchangeProtection().placements()).isEqualTo(1); // no STOP_LOSS_LIMIT for a position being sold
        soldOnceByTheExit();
    }

    @Test
    void theOcoStillProtectsWhileAnExitWaitsForItsLookupAndWhenItsStopSellsTheExitSellsNothingMore() {
        exitWhilePlacing();
        slow.landUnheard();
        bar(bot, "99.5", "99.6", "98", "98.2"); // through the resting stop before the lookups
        assertThat(fills).hasSize(2);
        assertThat(fills.get(1).reason()).isEqualTo("stop_loss");
        assertThat(portfolio.openPositions()).isZero();
        assertThat(refusedWhy).containsExactly("protection_filled");
        runTimers();
        bar(bot, "98", "98", "98", "98");
        assertThat(slow.sells).isEmpty();
        assertThat(fills).hasSize(2);
        assertThat(resting()).isEmpty();
    }

    @Test
    void aCancelWhileThePlacementIsUnansweredNeverClosesItsLegsAndTheProtectionStaysTracked() {
        Protection p = placing();
        ExecutionService s = bot;
        List<String> failed = new ArrayList<>();
        boolean[] ran = {false};
        s.exchangeProtection().cancelThen(LTC, () -> ran[0] = true, failed::add); // the venue has no such list yet
        assertThat(ran[0]).isFalse();
        assertThat(failed).containsExactly("protection_cancel_failed");
        assertThat(p.legs()).extracting(ManagedOrder::state).containsOnly(OrderState.SENT);
        slow.land(true);
        assertThat(s.protection(LTC)).isSameAs(p);
        assertThat(p.state()).isEqualTo(Protection.State.RESTING);
        assertThat(resting()).hasSize(2);
    }

    private void trail(ExecutionService s, String stop) {
        s.handle(List.of(), List.of(new StopUpdate(LTC, new BigDecimal(stop), "exit-trailing-stop")), List.of());
    }

    /** Passes every rule to the real ones; tests override what they change. */
    private static class DelegatingRules implements SymbolRules {
        private final SymbolRules inner;

        DelegatingRules(SymbolRules inner) {
            this.inner = inner;
        }

        @Override public boolean knows(String symbol) { return inner.knows(symbol); }
        @Override public String baseAsset(String symbol) { return inner.baseAsset(symbol); }
        @Override public String quoteAsset(String symbol) { return inner.quoteAsset(symbol); }
        @Override public BigDecimal roundQuantityDown(String symbol, BigDecimal qty) { return inner.roundQuantityDown(symbol, qty); }
        @Override public BigDecimal roundQuoteDown(String symbol, BigDecimal quote) { return inner.roundQuoteDown(symbol, quote); }
        @Override public BigDecimal roundPrice(String symbol, BigDecimal price, boolean up) { return inner.roundPrice(symbol, price, up); }
        @Override public Rejection checkMarketOrder(String symbol, Side side, BigDecimal qty, BigDecimal quote, BigDecimal ref) {
            return inner.checkMarketOrder(symbol, side, qty, quote, ref);
        }
        @Override public boolean ocoAllowed(String symbol) { return inner.ocoAllowed(symbol); }
        @Override public boolean isDust(String symbol, BigDecimal qty, BigDecimal price) { return inner.isDust(symbol, qty, price); }
    }
}
