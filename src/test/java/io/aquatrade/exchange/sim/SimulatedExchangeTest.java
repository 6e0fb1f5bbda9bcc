package io.aquatrade.exchange.sim;

import io.aquatrade.exchange.ExchangeInfo;
import io.aquatrade.exchange.ExecutionListener;
import io.aquatrade.exchange.OrderRequest;
import io.aquatrade.model.Candle;
import io.aquatrade.model.Decimals;
import io.aquatrade.model.Fill;
import io.aquatrade.model.QuoteTick;
import io.aquatrade.model.Side;
import io.aquatrade.model.TradeTick;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SimulatedExchangeTest {

    private static final ExchangeInfo INFO = ExchangeInfo.loadDefault();
    private final List<Fill> fills = new ArrayList<>();
    private final List<String> rejections = new ArrayList<>();
    private final List<String> done = new ArrayList<>();
    private final List<String> acks = new ArrayList<>();
    private SimulatedExchange ex;

    @BeforeEach
    void setUp() {
        ex = new SimulatedExchange("sim", INFO, new BigDecimal("0.001"), "USDT", new BigDecimal("1000"));
        ex.setListener(new ExecutionListener() {
            @Override
            public void onAcknowledged(OrderRequest order, long exchangeOrderId) {
                acks.add(order.clientOrderId() + ":" + exchangeOrderId);
            }

            @Override
            public void onUnknownOutcome(OrderRequest order, String cause, long acceptDeadlineWallMs) {
                throw new AssertionError("the simulator always knows an order's outcome");
            }

            @Override
            public void onFill(Fill fill) {
                fills.add(fill);
            }

            @Override
            public void onOrderDone(OrderRequest order, String status) {
                done.add(order.clientOrderId() + ":" + status);
            }

            @Override
            public void onRejected(OrderRequest order, int code, String message) {
                rejections.add(order.clientOrderId() + ":" + code + ":" + message);
            }
        });
    }

    private static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    private static OrderRequest buy(String id, String symbol, String quote) {
        return new OrderRequest(id, symbol, Side.BUY, null, d(quote), d("1"), null, false, "test", 0);
    }

    private static OrderRequest sell(String id, String symbol, String qty) {
        return new OrderRequest(id, symbol, Side.SELL, d(qty), null, d("1"), null, false, "test", 0);
    }

    @Test
    void answersThePortsQueriesAsTheExchangeWould() throws Exception {
        ex.submit(buy("b1", "BTCUSDT", "100"));
        ex.submit(buy("b2", "ETHUSDT", "100"));
        assertThat(acks).containsExactly("b1:1", "b2:2");
        assertThat(ex.openOrders(null).toCompletableFuture().get()).extracting(r -> r.clientOrderId())
                .containsExactly("b1", "b2");
        assertThat(ex.openOrders("ETHUSDT").toCompletableFuture().get()).hasSize(1);

        // a waiting order can be cancelled once; a second cancel is Binance's -2011
        assertThat(ex.cancel("ETHUSDT", "b2").toCompletableFuture().get().status())
                .isEqualTo(io.aquatrade.exchange.OrderStatus.CANCELED);
        assertThat(done).containsExactly("b2:CANCELED");
        assertThat(ex.cancel("ETHUSDT", "b2").toCompletableFuture())
                .failsWithin(java.time.Duration.ZERO).withThrowableThat()
                .havingCause().isInstanceOf(io.aquatrade.exchange.ExchangeException.class)
                .withMessageContaining("-2011");
        ex.onMarketEvent(new TradeTick("ETHUSDT", 1, Decimals.parseE8("2000"), Decimals.ONE, false));
        assertThat(fills).isEmpty();

        ex.onMarketEvent(new TradeTick("BTCUSDT", 2, Decimals.parseE8("28000"), Decimals.ONE, false));
        io.aquatrade.exchange.OrderReport b1 = ex.queryOrder("BTCUSDT", "b1").toCompletableFuture().get().orElseThrow();
        assertThat(b1.status()).isEqualTo(io.aquatrade.exchange.OrderStatus.FILLED);
        assertThat(b1.executedQty()).isEqualByComparingTo(fills.get(0).qty());
        assertThat(b1.cumQuoteQty()).isEqualByComparingTo(fills.get(0).quoteQty());
        assertThat(ex.openOrders(null).toCompletableFuture().get()).isEmpty();
        assertThat(ex.tradesSince("BTCUSDT", 0).toCompletableFuture().get()).containsExactly(fills.get(0));
        assertThat(ex.tradesSince("BTCUSDT", fills.get(0).tradeId()).toCompletableFuture().get()).isEmpty();
        assertThat(ex.balances().toCompletableFuture().get().get("BTC").free())
                .isEqualByComparingTo(fills.get(0).qty().subtract(fills.get(0).fee()));

        // a refused order never existed on the exchange
        ex.submit(buy("b3", "NOPEUSDT", "100"));
        assertThat(ex.queryOrder("NOPEUSDT", "b3").toCompletableFuture().get()).isEmpty();
        assertThat(ex.queryOrder("ETHUSDT", "b1").toCompletableFuture().get()).as("another symbol").isEmpty();

        // one order's trades are its own only: the trade of a later order on the symbol is not among them
        ex.submit(buy("b4", "BTCUSDT", "100"));
        ex.onMarketEvent(new TradeTick("BTCUSDT", 3, Decimals.parseE8("28000"), Decimals.ONE, false));
        long b4 = ex.queryOrder("BTCUSDT", "b4").toCompletableFuture().get().orElseThrow().orderId();
        assertThat(ex.orderTrades("BTCUSDT", "b1", b1.orderId()).toCompletableFuture().get()).containsExactly(fills.get(0));
        assertThat(ex.orderTrades("BTCUSDT", "b4", b4).toCompletableFuture().get()).containsExactly(fills.get(1));
    }

    @Test
    void marketBuyFillsAtTheNextTradeWithTheFeeInTheBaseAsset() {
        ex.submit(buy("b1", "BTCUSDT", "100"));
        assertThat(fills).isEmpty();
        ex.onMarketEvent(new TradeTick("ETHUSDT", 1, Decimals.parseE8("2000"), Decimals.ONE, false));
        assertThat(fills).isEmpty(); // another symbol's event does not fill it
        ex.onMarketEvent(new TradeTick("BTCUSDT", 2, Decimals.parseE8("28000"), Decimals.ONE, false));
        assertThat(fills).hasSize(1);
        Fill f = fills.get(0);
        assertThat(f.price()).isEqualByComparingTo("28000");
        assertThat(f.qty()).isEqualByComparingTo("0.00357"); // 100/28000 = 0.0035714 down to the 0.00001 step
        assertThat(f.quoteQty()).isEqualByComparingTo("99.96");
        assertThat(f.fee()).isEqualByComparingTo("0.00000357");
        assertThat(f.feeAsset()).isEqualTo("BTC");
        assertThat(f.timeMs()).isEqualTo(2);
        assertThat(ex.balance("USDT")).isEqualByComparingTo("900.04");
        assertThat(ex.balance("BTC")).isEqualByComparingTo("0.00356643");
        assertThat(done).containsExactly("b1:FILLED");
    }

    @Test
    void sellFillsAtTheBidOfTheNextBookTickerWithTheFeeInQuote() {
        ex.submit(buy("b1", "ETHUSDT", "500"));
        ex.onMarketEvent(Candle.closedMinute("ETHUSDT", 0, Decimals.parseE8("2000"), Decimals.parseE8("2010"),
                Decimals.parseE8("1990"), Decimals.parseE8("2005"), Decimals.ONE));
        assertThat(fills.get(0).price()).isEqualByComparingTo("2000"); // a candle fills at its open
        ex.submit(sell("s1", "ETHUSDT", "0.2"));
        ex.onMarketEvent(new QuoteTick("ETHUSDT", 5, Decimals.parseE8("2100"), Decimals.ONE, Decimals.parseE8("2101"),
                Decimals.ONE));
        Fill s = fills.get(1);
        assertThat(s.price()).isEqualByComparingTo("2100");
        assertThat(s.quoteQty()).isEqualByComparingTo("420");
        assertThat(s.fee()).isEqualByComparingTo("0.42");
        assertThat(s.feeAsset()).isEqualTo("USDT");
    }

    @Test
    void filterFailuresAndUnknownSymbolsAreRejectedWithBinanceCodes() {
        ex.submit(buy("b1", "BTCUSDT", "5")); // below the 10 USDT minimum notional
        ex.onMarketEvent(new TradeTick("BTCUSDT", 1, Decimals.parseE8("28000"), Decimals.ONE, false));
        assertThat(rejections).containsExactly("b1:-1013:Filter failure: MIN_NOTIONAL");
        ex.submit(buy("b2", "NOPEUSDT", "50"));
        assertThat(rejections).contains("b2:-1121:Invalid symbol.");
        assertThat(fills).isEmpty();
    }

    @Test
    void whatTheBalancesCannotPayIsRefused() {
        ex.submit(buy("b1", "BTCUSDT", "2000"));
        ex.onMarketEvent(new TradeTick("BTCUSDT", 1, Decimals.parseE8("28000"), Decimals.ONE, false));
        assertThat(rejections).containsExactly("b1:-2010:Account has insufficient balance for requested action.");
        ex.submit(sell("s1", "BTCUSDT", "0.01"));
        ex.onMarketEvent(new TradeTick("BTCUSDT", 2, Decimals.parseE8("28000"), Decimals.ONE, false));
        assertThat(rejections).hasSize(2);
        assertThat(fills).isEmpty();
    }

    @Test
    void triggeredExitsFillInsideTheCandleThatCrossedTheLevel() {
        ex.submit(buy("b1", "SOLUSDT", "300"));
        ex.onMarketEvent(Candle.closedMinute("SOLUSDT", 0, Decimals.parseE8("20"), Decimals.parseE8("20"),
                Decimals.parseE8("20"), Decimals.parseE8("20"), Decimals.ONE));
        // a stop at 19.5 crossed by a bar opening at 19.9: filled at the stop
        ex.onMarketEvent(Candle.closedMinute("SOLUSDT", 60_000, Decimals.parseE8("19.9"), Decimals.parseE8("20.5"),
                Decimals.parseE8("19.0"), Decimals.parseE8("19.2"), Decimals.ONE));
        ex.submit(new OrderRequest("s1", "SOLUSDT", Side.SELL, d("5"), null, d("19.5"), d("19.5"), true, "stop_loss", 1));
        assertThat(fills.get(1).price()).isEqualByComparingTo("19.5");
        // a stop at 19 when the bar opened at 18.8 (gap down): filled at the open, not the better stop
        ex.onMarketEvent(Candle.closedMinute("SOLUSDT", 120_000, Decimals.parseE8("18.8"), Decimals.parseE8("18.9"),
                Decimals.parseE8("18.5"), Decimals.parseE8("18.6"), Decimals.ONE));
        ex.submit(new OrderRequest("s2", "SOLUSDT", Side.SELL, d("5"), null, d("19"), d("19"), true, "stop_loss", 2));
        assertThat(fills.get(2).price()).isEqualByComparingTo("18.8");
        // a take-profit at 19 reached inside a bar opening at 18.7: filled at the level
        ex.onMarketEvent(Candle.closedMinute("SOLUSDT", 180_000, Decimals.parseE8("18.7"), Decimals.parseE8("19.3"),
                Decimals.parseE8("18.6"), Decimals.parseE8("19.1"), Decimals.ONE));
        ex.submit(new OrderRequest("s3", "SOLUSDT", Side.SELL, d("4"), null, d("19"), d("19"), false, "take_profit", 3));
        assertThat(fills.get(3).price()).isEqualByComparingTo("19");
    }
    @Test
    void paperFillsOnlyAtTheLiveBookAskForBuysBidForSells() {
        SimulatedExchange paper = SimulatedExchange.atBook("paper", INFO, new BigDecimal("0.001"), "USDT",
                new BigDecimal("1000"));
        paper.setListener(new ExecutionListener() {
            @Override
            public void onAcknowledged(OrderRequest order, long exchangeOrderId) {
            }

            @Override
            public void onUnknownOutcome(OrderRequest order, String cause, long acceptDeadlineWallMs) {
                throw new AssertionError(cause);
            }

            @Override
            public void onFill(Fill fill) {
                fills.add(fill);
            }

            @Override
            public void onOrderDone(OrderRequest order, String status) {
            }

            @Override
            public void onRejected(OrderRequest order, int code, String message) {
                rejections.add(order.clientOrderId() + ":" + code + ":" + message);
            }
        });
        paper.submit(buy("p1", "ETHUSDT", "100"));
        // a trade and a candle of the symbol do not fill a paper order: only the book does
        paper.onMarketEvent(new TradeTick("ETHUSDT", 1, Decimals.parseE8("1990"), Decimals.ONE, false));
        paper.onMarketEvent(new Candle("ETHUSDT", 0, 60_000, Decimals.parseE8("1980"), Decimals.parseE8("1995"),
                Decimals.parseE8("1970"), Decimals.parseE8("1990"), Decimals.ONE, true, 59_999));
        assertThat(fills).isEmpty();
        paper.onMarketEvent(new QuoteTick("ETHUSDT", 5, Decimals.parseE8("2000"), Decimals.ONE, Decimals.parseE8("2001"),
                Decimals.ONE));
        assertThat(fills).hasSize(1);
        assertThat(fills.get(0).price()).isEqualByComparingTo("2001");
        assertThat(fills.get(0).side()).isEqualTo(Side.BUY);
        BigDecimal held = paper.balance("ETH");
        paper.submit(new OrderRequest("p2", "ETHUSDT", Side.SELL, held.setScale(4, java.math.RoundingMode.DOWN), null,
                d("1"), d("1500"), true, "stop", 6));
        paper.onMarketEvent(new QuoteTick("ETHUSDT", 7, Decimals.parseE8("1999.5"), Decimals.ONE,
                Decimals.parseE8("2000.5"), Decimals.ONE));
        assertThat(rejections).isEmpty();
        assertThat(fills).hasSize(2);
        assertThat(fills.get(1).price()).isEqualByComparingTo("1999.5");
    }
}
