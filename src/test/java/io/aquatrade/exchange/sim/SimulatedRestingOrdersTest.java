package io.aquatrade.exchange.sim;

import io.aquatrade.exchange.ExchangeException;
import io.aquatrade.exchange.ExchangeInfo;
import io.aquatrade.exchange.ExecutionListener;
import io.aquatrade.exchange.OrderReport;
import io.aquatrade.exchange.OrderRequest;
import io.aquatrade.exchange.OrderStatus;
import io.aquatrade.model.Candle;
import io.aquatrade.model.Decimals;
import io.aquatrade.model.Fill;
import io.aquatrade.model.QuoteTick;
import io.aquatrade.model.Side;
import io.aquatrade.model.TradeTick;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Resting LIMIT, STOP_LOSS_LIMIT and OCO orders in the simulator: matched on ticks and candles, stop first. */
class SimulatedRestingOrdersTest {

    private static final ExchangeInfo INFO = ExchangeInfo.loadDefault();
    private final List<Fill> fills = new ArrayList<>();
    private final List<String> done = new ArrayList<>();
    private final List<String> acks = new ArrayList<>();
    private SimulatedExchange ex;

    @BeforeEach
    void setUp() {
        ex = new SimulatedExchange("sim", INFO, new BigDecimal("0.001"), "USDT", new BigDecimal("1000"));
        ex.setListener(new ExecutionListener() {
            @Override public void onAcknowledged(OrderRequest order, long exchangeOrderId) { acks.add(order.clientOrderId()); }
            @Override public void onUnknownOutcome(OrderRequest order, String cause, long acceptDeadlineWallMs) { throw new AssertionError(cause); }
            @Override public void onFill(Fill fill) { fills.add(fill); }
            @Override public void onOrderDone(OrderRequest order, String status) { done.add(order.clientOrderId() + ":" + status); }
            @Override public void onRejected(OrderRequest order, int code, String message) { throw new AssertionError(message); }
        });
    }

    private static long e8(String s) {
        return Decimals.parseE8(s);
    }

    private static Candle bar(long minute, String o, String h, String l, String c) {
        return Candle.closedMinute("SOLUSDT", minute * 60_000, e8(o), e8(h), e8(l), e8(c), e8("100"));
    }

    /** Buys 5 SOL at 20 with a market order, so the account has a position to protect. */
    private void holdFiveSol() {
        ex.onMarketEvent(bar(0, "20", "20", "20", "20"));
        ex.submit(new OrderRequest("entry", "SOLUSDT", Side.BUY, null, new BigDecimal("100"), new BigDecimal("20"),
                null, false, "test", 0));
        ex.onMarketEvent(bar(1, "20", "20.1", "19.9", "20"));
        assertThat(fills).hasSize(1);
        fills.clear();
        done.clear();
    }

    @Test
    void ocoOnACandleThatReachesBothLevelsFillsTheStopAndExpiresTheTakeProfit() throws Exception {
        holdFiveSol();
        BigDecimal qty = new BigDecimal("4.99");
        List<OrderReport> legs = ex.placeOco("L1", "tp", "sl", "SOLUSDT", qty, new BigDecimal("21"),
                new BigDecimal("19"), new BigDecimal("18.9"), "protect").toCompletableFuture().get().orders();
        assertThat(legs).extracting(OrderReport::type).containsExactly("LIMIT_MAKER", "STOP_LOSS_LIMIT");
        assertThat(legs.get(0).orderListId()).isEqualTo(legs.get(1).orderListId()).isPositive();
        // the quantity is locked once for the list
        assertThat(ex.balances().toCompletableFuture().get().get("SOL").locked()).isEqualByComparingTo(qty);
        assertThat(ex.openOrders("SOLUSDT").toCompletableFuture().get()).hasSize(2);

        ex.onMarketEvent(bar(2, "20", "20.5", "19.5", "20.2")); // neither level
        assertThat(fills).isEmpty();

        ex.onMarketEvent(bar(3, "20.2", "21.5", "18.5", "20")); // both: the stop is taken, conservatively
        assertThat(fills).hasSize(1);
        assertThat(fills.get(0).clientOrderId()).isEqualTo("sl");
        assertThat(fills.get(0).price()).isEqualByComparingTo("19");
        assertThat(fills.get(0).timeMs()).isEqualTo(bar(3, "1", "1", "1", "1").timeMs());
        assertThat(done).containsExactly("tp:EXPIRED", "sl:FILLED");
        assertThat(ex.queryOrder("SOLUSDT", "tp").toCompletableFuture().get().orElseThrow().status())
                .isEqualTo(OrderStatus.EXPIRED);
        assertThat(ex.openOrders("SOLUSDT").toCompletableFuture().get()).isEmpty();
        assertThat(ex.balances().toCompletableFuture().get().get("SOL").locked()).isEqualByComparingTo("0");
        assertThat(ex.restingOrders()).isZero();
    }

    @Test
    void ocoTakeProfitFillsAtItsLimitOrAtTheOpenOfABarThatGappedThroughIt() throws Exception {
        holdFiveSol();
        ex.placeOco("L1", "tp", "sl", "SOLUSDT", new BigDecimal("2"), new BigDecimal("21"), new BigDecimal("19"),
                new BigDecimal("18.9"), "protect").toCompletableFuture().get();
        ex.placeOco("L2", "tp2", "sl2", "SOLUSDT", new BigDecimal("2"), new BigDecimal("22"), new BigDecimal("18"),
                new BigDecimal("17.9"), "protect").toCompletableFuture().get();
        ex.onMarketEvent(bar(2, "20", "21.2", "19.6", "21")); // tp reached inside the bar
        assertThat(fills).extracting(Fill::clientOrderId).containsExactly("tp");
        assertThat(fills.get(0).price()).isEqualByComparingTo("21");
        assertThat(done).containsExactly("sl:EXPIRED", "tp:FILLED");
        ex.onMarketEvent(bar(3, "22.5", "23", "22.4", "22.8")); // opened above 22: fills at the open
        assertThat(fills.get(1).clientOrderId()).isEqualTo("tp2");
        assertThat(fills.get(1).price()).isEqualByComparingTo("22.5");
        assertThat(fills.get(1).timeMs()).isEqualTo(3 * 60_000);
    }

    @Test
    void stopLossLimitOnTicksTriggersAtTheStopAndRestsWhenThePriceFellBelowTheLimit() throws Exception {
        holdFiveSol();
        ex.placeStopLossLimit("sl", "SOLUSDT", Side.SELL, new BigDecimal("2"), new BigDecimal("19"),
                new BigDecimal("18.9"), "protect").toCompletableFuture().get();
        ex.placeStopLossLimit("sl2", "SOLUSDT", Side.SELL, new BigDecimal("2"), new BigDecimal("19.5"),
                new BigDecimal("19.4"), "protect").toCompletableFuture().get();
        ex.onMarketEvent(new TradeTick("SOLUSDT", 200_000, e8("19.45"), e8("1"), false)); // sl2 triggers and takes
        assertThat(fills).extracting(Fill::clientOrderId).containsExactly("sl2");
        assertThat(fills.get(0).price()).isEqualByComparingTo("19.45");
        // a book ticker whose bid jumps below the stop and below its limit: triggered, but the limit rests
        ex.onMarketEvent(new QuoteTick("SOLUSDT", 201_000, e8("18.5"), e8("1"), e8("18.6"), e8("1")));
        assertThat(fills).hasSize(1);
        assertThat(ex.queryOrder("SOLUSDT", "sl").toCompletableFuture().get().orElseThrow().isOpen()).isTrue();
        ex.onMarketEvent(new TradeTick("SOLUSDT", 202_000, e8("18.95"), e8("1"), false)); // back at the limit
        assertThat(fills).extracting(Fill::clientOrderId).containsExactly("sl2", "sl");
        assertThat(fills.get(1).price()).isEqualByComparingTo("18.9");
    }

    @Test
    void limitOrdersFillAtTheirPriceOnTicksAndCandlesAndCanBeCancelled() throws Exception {
        ex.onMarketEvent(new TradeTick("SOLUSDT", 1, e8("20"), e8("1"), false));
        ex.placeLimit("b1", "SOLUSDT", Side.BUY, new BigDecimal("2"), new BigDecimal("19.5"), null, "test")
                .toCompletableFuture().get();
        ex.placeLimit("b2", "SOLUSDT", Side.BUY, new BigDecimal("2"), new BigDecimal("19"), null, "test")
                .toCompletableFuture().get();
        assertThat(ex.balance("USDT")).isEqualByComparingTo("923"); // free; the rest is locked by the two orders
        assertThat(ex.balances().toCompletableFuture().get().get("USDT").locked()).isEqualByComparingTo("77");
        ex.onMarketEvent(new TradeTick("SOLUSDT", 2, e8("19.6"), e8("1"), false));
        assertThat(fills).isEmpty();
        ex.onMarketEvent(new TradeTick("SOLUSDT", 3, e8("19.4"), e8("1"), false));
        assertThat(fills).extracting(Fill::clientOrderId).containsExactly("b1");
        assertThat(fills.get(0).price()).isEqualByComparingTo("19.5");
        assertThat(ex.cancel("SOLUSDT", "b2").toCompletableFuture().get().status()).isEqualTo(OrderStatus.CANCELED);
        assertThat(ex.balances().toCompletableFuture().get().get("USDT").locked()).isEqualByComparingTo("0");
        assertThat(ex.balance("USDT")).isEqualByComparingTo("961");
        ex.placeLimit("s1", "SOLUSDT", Side.SELL, new BigDecimal("1"), new BigDecimal("20"), null, "test")
                .toCompletableFuture().get();
        ex.onMarketEvent(Candle.closedMinute("SOLUSDT", 60_000, e8("19.5"), e8("20.1"), e8("19.4"), e8("20"), e8("1")));
        assertThat(fills).extracting(Fill::clientOrderId).containsExactly("b1", "s1");
        assertThat(fills.get(1).price()).isEqualByComparingTo("20");
    }

    @Test
    void cancellingOneLegOfAnOcoCancelsTheListAndFreesTheQuantity() throws Exception {
        holdFiveSol();
        BigDecimal before = ex.balance("SOL");
        ex.placeOco("L1", "tp", "sl", "SOLUSDT", new BigDecimal("4"), new BigDecimal("21"), new BigDecimal("19"),
                new BigDecimal("18.9"), "protect").toCompletableFuture().get();
        assertThat(ex.balance("SOL")).isEqualByComparingTo(before.subtract(new BigDecimal("4")));
        ex.cancel("SOLUSDT", "sl").toCompletableFuture().get();
        assertThat(done).containsExactly("sl:CANCELED", "tp:CANCELED");
        assertThat(ex.balance("SOL")).isEqualByComparingTo(before);
        ex.onMarketEvent(bar(2, "20", "22", "18", "20"));
        assertThat(fills).isEmpty();
        assertThat(ex.cancelOrderList("SOLUSDT", "L1").toCompletableFuture()).failsWithin(Duration.ZERO)
                .withThrowableThat().havingCause().isInstanceOf(ExchangeException.class);
    }

    @Test
    void refusesWhatBinanceRefuses() {
        holdFiveSol();
        // prices in the wrong order, a stop above the market, more than the account holds
        assertThat(ex.placeOco("L1", "tp", "sl", "SOLUSDT", new BigDecimal("1"), new BigDecimal("19"),
                new BigDecimal("21"), new BigDecimal("20.9"), "p").toCompletableFuture()).failsWithin(Duration.ZERO)
                .withThrowableThat().withMessageContaining("-2010");
        assertThat(ex.placeStopLossLimit("s", "SOLUSDT", Side.SELL, new BigDecimal("1"), new BigDecimal("20.5"),
                new BigDecimal("20.4"), "p").toCompletableFuture()).failsWithin(Duration.ZERO)
                .withThrowableThat().withMessageContaining("Stop price would trigger immediately");
        assertThat(ex.placeOco("L2", "tp", "sl", "SOLUSDT", new BigDecimal("50"), new BigDecimal("21"),
                new BigDecimal("19"), new BigDecimal("18.9"), "p").toCompletableFuture()).failsWithin(Duration.ZERO)
                .withThrowableThat().withMessageContaining("insufficient balance");
        assertThat(acks).containsExactly("entry");
        assertThat(ex.restingOrders()).isZero();
    }
}
