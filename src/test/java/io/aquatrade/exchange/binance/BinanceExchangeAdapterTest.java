package io.aquatrade.exchange.binance;

import io.aquatrade.exchange.AssetBalance;
import io.aquatrade.exchange.ExecutionListener;
import io.aquatrade.exchange.OrderReport;
import io.aquatrade.exchange.OrderRequest;
import io.aquatrade.exchange.OrderStatus;
import io.aquatrade.exchange.binance.http.BinanceHttp;
import io.aquatrade.exchange.binance.http.BinanceRestClient;
import io.aquatrade.exchange.OrderList;
import io.aquatrade.exchange.binance.ws.BinanceUserStream;
import io.aquatrade.model.Fill;
import io.aquatrade.model.Side;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A testnet-like session against the local Binance-protocol server: orders placed over signed REST, filled by the
 * local matching engine, reported by the FULL answer and the WebSocket-API user data stream, accounted once each;
 * rejections, lost answers, a silent stream covered by polling, a stream that drops while an order fills, OCO.
 */
class BinanceExchangeAdapterTest {

    private static Vertx vertx;
    private LocalBinanceServer server;
    private BinanceHttp http;
    private BinanceExchangeAdapter adapter;
    private ExecutorService pipeline;
    private final Recorder events = new Recorder();

    /** Records listener calls, checking each arrives on the pipeline thread. */
    static final class Recorder implements ExecutionListener {
        final List<String> log = new CopyOnWriteArrayList<>();
        final List<Fill> fills = new CopyOnWriteArrayList<>();
        final List<String> wrongThread = new CopyOnWriteArrayList<>();
        /** Each lost outcome's reported deadline, by client order id. */
        final Map<String, Long> acceptDeadlines = new java.util.concurrent.ConcurrentHashMap<>();

        private void check(String what) {
            if (!Thread.currentThread().getName().equals("pipeline")) {
                wrongThread.add(what + " on " + Thread.currentThread().getName());
            }
        }

        @Override
        public void onAcknowledged(OrderRequest order, long exchangeOrderId) {
            check("ack");
            log.add("ack " + order.clientOrderId());
        }

        @Override
        public void onFill(Fill fill) {
            check("fill");
            fills.add(fill);
            log.add("fill " + fill.clientOrderId() + " " + fill.tradeId());
        }

        @Override
        public void onOrderDone(OrderRequest order, String status) {
            check("done");
            log.add("done " + order.clientOrderId() + " " + status);
        }

        @Override
        public void onRejected(OrderRequest order, int code, String message) {
            check("rejected");
            log.add("rejected " + order.clientOrderId() + " " + code + " " + message);
        }

        @Override
        public void onUnknownOutcome(OrderRequest order, String cause, long acceptDeadlineWallMs) {
            check("unknown");
            acceptDeadlines.put(order.clientOrderId(), acceptDeadlineWallMs);
            log.add("unknown " + order.clientOrderId());
        }

        List<Fill> fillsOf(String clientOrderId) {
            return fills.stream().filter(f -> f.clientOrderId().equals(clientOrderId)).toList();
        }
    }

    @BeforeAll
    static void vertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @BeforeEach
    void start() throws Exception {
        server = LocalBinanceServer.start(vertx).addHmacKey(LocalBinance.DOC_API_KEY, LocalBinance.DOC_SECRET)
                .exchangeInfo(LocalBinance.usdtExchangeInfo());
        server.exchange().setBalance("USDT", "1000");
        server.exchange().setBalance("BNB", "1");
        server.exchange().setBook("BTCUSDT", "30000.00", "30000.01");
        pipeline = Executors.newSingleThreadExecutor(r -> new Thread(r, "pipeline"));
    }

    private void connect(boolean withStream) throws Exception {
        // the product's default margins: 80 % of each limit, a fifth of that kept for exits
        connect(withStream, io.aquatrade.exchange.OrderThrottle.fromExchangeInfo(io.aquatrade.exchange.ExchangeInfo.loadDefault(),
                io.aquatrade.exchange.OrderThrottle.DEFAULT_SAFETY_FRACTION,
                io.aquatrade.exchange.OrderThrottle.DEFAULT_EXIT_RESERVE_FRACTION));
    }

    private void connect(boolean withStream, io.aquatrade.exchange.OrderThrottle throttle) throws Exception {
        BinanceCredentials creds = BinanceCredentials.hmac(Secret.of(LocalBinance.DOC_API_KEY), Secret.of(LocalBinance.DOC_SECRET));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        BinanceMetrics metrics = new BinanceMetrics(registry);
        http = new BinanceHttp(vertx, BinanceHttp.Settings.defaults(server.restUrl()), creds, throttle,
                System::currentTimeMillis, metrics);
        BinanceRestClient rest = new BinanceRestClient(vertx, http);
        BinanceUserStream.Settings ss = withStream
                ? new BinanceUserStream.Settings(server.wsApiUrl(), 200, 1_000, 50, 300, 5_000, 2_000, 3_600_000) : null;
        adapter = new BinanceExchangeAdapter(vertx, rest, creds, ss, pipeline,
                new BinanceExchangeAdapter.Settings("binance-testnet", 1_000, 400, 100, 500, 60_000), metrics);
        adapter.setListener(events);
        adapter.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        if (adapter != null) {
            adapter.close();
        }
        if (http != null) {
            http.close();
        }
        server.close();
        pipeline.shutdownNow();
        assertThat(events.wrongThread).isEmpty();
    }

    private static OrderRequest buy(String id, String quote) {
        return new OrderRequest(id, "BTCUSDT", Side.BUY, null, new BigDecimal(quote), new BigDecimal("30000.01"), null, false,
                "entry-echo-up", System.currentTimeMillis());
    }

    private static OrderRequest sell(String id, BigDecimal qty) {
        return new OrderRequest(id, "BTCUSDT", Side.SELL, qty, null, new BigDecimal("30000"), null, false, "exit-rule",
                System.currentTimeMillis());
    }

    private void submit(OrderRequest o) {
        pipeline.execute(() -> adapter.submit(o));
    }

    private static <T> T get(CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void awaitLog(String line) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events.log).contains(line));
    }

    @Test
    void thePriceAtAMinutesStartIsItsOneMinuteKlinesOpenAndEmptyWhenTheExchangeHasNoBarThen() throws Exception {
        long midnight = 19_466 * 86_400_000L;
        server.klines("BTCUSDT", List.of(
                new String[] {String.valueOf(midnight - 60_000), "29990.5", "30001", "29990", "30000.1", "1",
                        String.valueOf(midnight - 1), "30000", "10", "0.5", "15000", "0"},
                new String[] {String.valueOf(midnight), "30000.12", "30010", "29950", "29960", "2",
                        String.valueOf(midnight + 59_999), "60000", "20", "1", "30000", "0"}));
        connect(false);
        assertThat(get(adapter.priceAt("BTCUSDT", midnight))).as("the open of the bar at 00:00, not the one before")
                .hasValueSatisfying(p -> assertThat(p).isEqualByComparingTo("30000.12"));
        assertThat(get(adapter.priceAt("BTCUSDT", midnight + 120_000))).as("no bar in that minute").isEmpty();
    }

    @Test
    void aBuyAndASellArePlacedFilledAndAccountedOnceThroughRestAndTheUserStream() throws Exception {
        connect(true);
        submit(buy("aq-buy-1", "100"));
        awaitLog("done aq-buy-1 FILLED");
        // the stream reports the trade too: give it time to arrive, then count
        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> true);
        List<Fill> buyFills = events.fillsOf("aq-buy-1");
        assertThat(buyFills).hasSize(1);
        Fill f = buyFills.get(0);
        assertThat(f.price()).isEqualByComparingTo("30000.01");
        assertThat(f.qty()).isEqualByComparingTo("0.00333"); // 100 / 30000.01 rounded down to the 0.00001 step
        assertThat(f.feeAsset()).isEqualTo("BTC");
        assertThat(f.reason()).isEqualTo("entry-echo-up");
        assertThat(events.log.indexOf("ack aq-buy-1")).isLessThan(events.log.indexOf("fill aq-buy-1 " + f.tradeId()));
        assertThat(server.exchange().trades()).hasSize(1);

        BigDecimal held = f.qty().subtract(f.fee()).setScale(5, RoundingMode.DOWN);
        submit(sell("aq-sell-1", held));
        awaitLog("done aq-sell-1 FILLED");
        assertThat(events.fillsOf("aq-sell-1")).singleElement().satisfies(s -> {
            assertThat(s.qty()).isEqualByComparingTo(held);
            assertThat(s.feeAsset()).isEqualTo("USDT");
        });
        // a SELL counts as an exit, a BUY as an entry; both were sent by quoteOrderQty / quantity as documented
        List<LocalBinanceServer.Recorded> orders = server.requests("/api/v3/order");
        assertThat(orders.get(0).params()).containsEntry("quoteOrderQty", "100").containsEntry("newOrderRespType", "FULL")
                .doesNotContainKey("quantity");
        assertThat(orders.get(1).params()).containsEntry("quantity", held.toPlainString()).doesNotContainKey("quoteOrderQty");
        // balances and trades read back
        Map<String, AssetBalance> b = get(adapter.balances());
        assertThat(b.get("USDT").free()).isEqualByComparingTo(server.exchange().free("USDT"));
        assertThat(b.get("BTC").free()).isEqualByComparingTo(server.exchange().free("BTC"));
        List<Fill> trades = get(adapter.tradesSince("BTCUSDT", 0));
        assertThat(trades).extracting(Fill::clientOrderId).containsExactly("aq-buy-1", "aq-sell-1");
        assertThat(get(adapter.tradesSince("BTCUSDT", f.tradeId()))).extracting(Fill::clientOrderId).containsExactly("aq-sell-1");
        assertThat(get(adapter.queryOrder("BTCUSDT", "aq-buy-1"))).get().extracting(OrderReport::status).isEqualTo(OrderStatus.FILLED);
    }

    @Test
    void theRealExecutionServiceAndPortfolioTradeThroughTheAdapterAndAgreeWithTheExchangesBalances() throws Exception {
        connect(true);
        server.exchange().nextMarketOrderFillsIn(2);
        io.aquatrade.exchange.ExchangeInfo info = io.aquatrade.exchange.ExchangeInfo.loadDefault();
        io.aquatrade.execution.ExchangeSymbolRules rules = new io.aquatrade.execution.ExchangeSymbolRules(info);
        io.aquatrade.portfolio.Portfolio portfolio = new io.aquatrade.portfolio.Portfolio("USDT", new BigDecimal("1000"),
                new BigDecimal("0.5"), BigDecimal.ONE, rules::baseAsset, rules::isDust);
        io.aquatrade.execution.ExecutionService execution = new io.aquatrade.execution.ExecutionService(portfolio, rules,
                io.aquatrade.execution.HardLimits.from(io.aquatrade.config.AquatradeConfig.defaults()), (now, exit) -> true, "aq-e2e-");
        List<Fill> applied = new CopyOnWriteArrayList<>();
        pipeline.submit(() -> {
            execution.connect(adapter); // the execution service is the adapter's listener now
            execution.setFillSink((f, rt) -> applied.add(f));
            execution.setPriceLookup(sym -> new BigDecimal("30000.01"));
            execution.onClock(System.currentTimeMillis());
            portfolio.mark("BTCUSDT", new BigDecimal("30000.00"));
            execution.handle(List.of(), List.of(), List.of(io.aquatrade.model.OrderIntent.enter("BTCUSDT",
                    new BigDecimal("120"), "entry-e2e", 1.0, 2.0, null)));
        }).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> applied.size() == 2);
        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> true); // late stream duplicates
        assertThat(applied).hasSize(2);
        BigDecimal cash = pipeline.submit(portfolio::cash).get(5, TimeUnit.SECONDS);
        BigDecimal held = pipeline.submit(() -> portfolio.holding("BTCUSDT").qty()).get(5, TimeUnit.SECONDS);
        assertThat(cash).isEqualByComparingTo(server.exchange().free("USDT"));
        assertThat(held).isEqualByComparingTo(server.exchange().free("BTC"));
        // and out again
        pipeline.submit(() -> execution.handle(List.of(), List.of(),
                List.of(io.aquatrade.model.OrderIntent.exitAll("BTCUSDT", "exit-e2e")))).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> applied.size() == 3);
        BigDecimal cashAfter = pipeline.submit(portfolio::cash).get(5, TimeUnit.SECONDS);
        assertThat(cashAfter).isEqualByComparingTo(server.exchange().free("USDT"));
        assertThat(pipeline.submit(portfolio::openPositions).get(5, TimeUnit.SECONDS)).isZero();
        assertThat(pipeline.submit(() -> portfolio.roundTrips().size()).get(5, TimeUnit.SECONDS)).isEqualTo(1);
    }

    @Test
    void partialFillsArriveFillByFillEachOnce() throws Exception {
        connect(true);
        server.exchange().nextMarketOrderFillsIn(3);
        submit(buy("aq-part", "300"));
        awaitLog("done aq-part FILLED");
        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> true);
        List<Fill> fills = events.fillsOf("aq-part");
        assertThat(fills).hasSize(3);
        assertThat(fills).extracting(Fill::tradeId).doesNotHaveDuplicates();
        assertThat(fills.stream().map(Fill::quoteQty).reduce(BigDecimal.ZERO, BigDecimal::add)).isLessThanOrEqualTo(new BigDecimal("300"));
        BigDecimal total = fills.stream().map(Fill::qty).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(total).isEqualByComparingTo(server.exchange().trades().stream().map(LocalExchange.Trade::qty)
                .reduce(BigDecimal.ZERO, BigDecimal::add));
        assertThat(events.log.indexOf("done aq-part FILLED")).isGreaterThan(events.log.indexOf("fill aq-part " + fills.get(2).tradeId()));
    }

    @Test
    void aFilterFailureAndInsufficientBalanceAreRejectionsWithBinancesCodes() throws Exception {
        connect(true);
        submit(buy("aq-small", "5"));          // below MIN_NOTIONAL 10
        submit(buy("aq-big", "5000"));         // the account has 1000 USDT
        awaitLog("rejected aq-small -1013 Filter failure: MIN_NOTIONAL");
        awaitLog("rejected aq-big -2010 Account has insufficient balance for requested action.");
        assertThat(events.log).noneMatch(l -> l.startsWith("ack aq-small") || l.startsWith("ack aq-big"));
        assertThat(server.exchange().orders()).isEmpty();
    }

    @Test
    void aLostAnswerIsAnUnknownOutcomeAndTheStreamStillDeliversTheFillNothingIsResent() throws Exception {
        connect(true);
        server.wsApi().silent(true); // the stream misses it too: only a look-up can tell
        server.dropNextResponse("/api/v3/order");
        submit(buy("aq-lost", "100"));
        awaitLog("unknown aq-lost");
        awaitLog("done aq-lost FILLED");
        assertThat(events.log).containsSubsequence("unknown aq-lost", "ack aq-lost", "done aq-lost FILLED");
        assertThat(events.fillsOf("aq-lost")).hasSize(1);
        assertThat(server.exchange().ordersWithClientId("aq-lost")).isEqualTo(1);
        assertThat(server.requests("/api/v3/order").stream().filter(r -> r.method().equals("POST"))).hasSize(1);

        // when the stream reports the order before the lost answer is noticed, no "unknown" follows its end
        server.wsApi().silent(false);
        server.dropNextResponse("/api/v3/order");
        submit(buy("aq-lost-2", "100"));
        awaitLog("done aq-lost-2 FILLED");
        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> true);
        int done = events.log.indexOf("done aq-lost-2 FILLED");
        assertThat(events.log.subList(done, events.log.size())).doesNotContain("unknown aq-lost-2");
        assertThat(server.exchange().ordersWithClientId("aq-lost-2")).isEqualTo(1);
    }

    /**
     * An exit that waited in the throttle's queue is signed only when it leaves: after a lost answer (5xx) the adapter
     * reports, and watches it until, the moment its signed request can no longer be accepted, so a late execution
     * inside that window is still the bot's own fill, never a foreign order.
     */
    @Test
    void anExitThatWaitedInTheQueueIsWatchedUntilItsSignedRequestCanNoLongerBeAccepted() throws Exception {
        // one order per 7 s, the window already full: the exit waits about 7 s for its slot
        connect(true, new io.aquatrade.exchange.OrderThrottle(List.of(
                new io.aquatrade.exchange.RateLimit(io.aquatrade.exchange.RateLimit.Type.REQUEST_WEIGHT,
                        io.aquatrade.exchange.RateLimit.Interval.MINUTE, 1, 6000),
                new io.aquatrade.exchange.RateLimit(io.aquatrade.exchange.RateLimit.Type.ORDERS,
                        io.aquatrade.exchange.RateLimit.Interval.SECOND, 7, 1)), 1.0, 0.0));
        List<String> foreign = new CopyOnWriteArrayList<>();
        adapter.setForeignOrderHandler(r -> foreign.add(r.orderClientId() + " " + r.executionType()));
        server.exchange().setBalance("BTC", "0.01");
        server.exchange().setBook("BTCUSDT", "30000.00", "30000.01");
        long queuedAt = System.currentTimeMillis();
        assertThat(http.throttle().tryAcquire(queuedAt, 1, io.aquatrade.exchange.OrderThrottle.Kind.EXIT_ORDER).allowed()).isTrue();
        server.failNext("/api/v3/order", 503, -1000, "Service Unavailable.", null);
        submit(sell("aq-queued", new BigDecimal("0.001")));
        await().atMost(Duration.ofSeconds(15)).until(() -> events.log.contains("unknown aq-queued"));

        LocalBinanceServer.Recorded post = server.requests("/api/v3/order").stream()
                .filter(r -> r.method().equals("POST") && "aq-queued".equals(r.params().get("newClientOrderId")))
                .findFirst().orElseThrow();
        long signedTs = Long.parseLong(post.params().get("timestamp"));
        long recvWindow = Long.parseLong(post.params().get("recvWindow"));
        assertThat(signedTs - queuedAt).as("signed when the queue let it go").isGreaterThan(5_000);
        assertThat(events.acceptDeadlines.get("aq-queued")).as("the signed request's own deadline, in local time")
                .isEqualTo(signedTs - http.serverTimeOffsetMs() + recvWindow + BinanceHttp.ACCEPT_MARGIN_MS);

        // the adapter has looked it up (nothing yet); the exchange then executes it late, inside its window
        await().atMost(Duration.ofSeconds(5)).until(() -> server.requests("/api/v3/order").stream()
                .anyMatch(r -> r.method().equals("GET") && "aq-queued".equals(r.params().get("origClientOrderId"))
                        && r.serverTimeMs() > post.serverTimeMs()));
        await().pollDelay(Duration.ofMillis(300)).until(() -> true);
        assertThat(server.serverTimeMs()).as("still inside the signed request's recvWindow").isLessThan(signedTs + recvWindow);
        synchronized (server.exchange()) {
            server.exchange().newOrder(Map.of("symbol", "BTCUSDT", "side", "SELL", "type", "MARKET", "quantity", "0.001",
                    "newClientOrderId", "aq-queued"));
        }
        awaitLog("done aq-queued FILLED");
        assertThat(events.fillsOf("aq-queued")).hasSize(1);
        assertThat(foreign).as("the bot's own exit is never a foreign order").isEmpty();
    }

    @Test
    void aSilentUserStreamIsCoveredByRestPolling() throws Exception {
        connect(true);
        server.wsApi().silent(true);
        server.dropNextResponse("/api/v3/order"); // neither the answer nor the stream will tell
        server.exchange().nextMarketOrderFillsIn(2);
        submit(buy("aq-silent", "200"));
        awaitLog("done aq-silent FILLED");
        assertThat(events.fillsOf("aq-silent")).hasSize(2);
        assertThat(adapter.restPolls()).isPositive();
        assertThat(server.requests("/api/v3/order").stream().filter(r -> r.method().equals("GET"))).isNotEmpty();
        assertThat(server.requests("/api/v3/myTrades")).isNotEmpty()
                .allSatisfy(r -> assertThat(r.params()).containsKey("orderId"));
    }

    @Test
    void withoutAnyStreamOrdersAreFollowedByPollingAlone() throws Exception {
        connect(false);
        server.exchange().nextMarketOrderFillsIn(2);
        server.dropNextResponse("/api/v3/order");
        submit(buy("aq-nostream", "200"));
        awaitLog("done aq-nostream FILLED");
        assertThat(events.fillsOf("aq-nostream")).hasSize(2);
    }

    @Test
    void aRestingOrderThatFillsWhileTheStreamIsDownIsReportedAfterTheResubscribe() throws Exception {
        connect(true);
        server.exchange().setBalance("BTC", "0.01");
        OrderReport placed = get(adapter.placeLimit("aq-tp-1", "BTCUSDT", Side.SELL, new BigDecimal("0.01"),
                new BigDecimal("31000.00"), "GTC", "take_profit"));
        assertThat(placed.status()).isEqualTo(OrderStatus.NEW);
        awaitLog("ack aq-tp-1");
        server.wsApi().silent(true);
        server.wsApi().dropConnections();
        server.exchange().setBook("BTCUSDT", "31000.50", "31000.60"); // fills the limit; no stream to tell
        server.wsApi().silent(false);
        awaitLog("done aq-tp-1 FILLED");
        assertThat(events.fillsOf("aq-tp-1")).singleElement().satisfies(f -> {
            assertThat(f.price()).isEqualByComparingTo("31000.00"); // a resting (maker) order fills at its own price
            assertThat(f.reason()).isEqualTo("take_profit");
        });
        assertThat(adapter.userStreamReconnects()).isEqualTo(1);
    }

    @Test
    void anOcoProtectsAPositionAndTheStopLegFillsWhenTheMarketFalls() throws Exception {
        connect(true);
        server.exchange().setBalance("BTC", "0.02");
        OrderList list = get(adapter.placeOco("aq-oco-1", "aq-oco-1-tp", "aq-oco-1-sl", "BTCUSDT",
                new BigDecimal("0.02"), new BigDecimal("33000.00"), new BigDecimal("29000.00"), new BigDecimal("28900.00"),
                "protect"));
        assertThat(list.orders()).extracting(OrderReport::clientOrderId).containsExactlyInAnyOrder("aq-oco-1-tp", "aq-oco-1-sl");
        assertThat(get(adapter.openOrders("BTCUSDT"))).hasSize(2);
        LocalBinanceServer.Recorded oco = server.requests("/api/v3/orderList/oco").get(0);
        assertThat(oco.params()).containsEntry("aboveType", "LIMIT_MAKER").containsEntry("belowType", "STOP_LOSS_LIMIT")
                .containsEntry("belowStopPrice", "29000.00").containsEntry("belowTimeInForce", "GTC");
        server.exchange().setBook("BTCUSDT", "28950.00", "28950.01"); // through the stop, above its limit
        awaitLog("done aq-oco-1-sl FILLED");
        awaitLog("done aq-oco-1-tp EXPIRED");
        assertThat(events.fillsOf("aq-oco-1-sl")).singleElement()
                .satisfies(f -> assertThat(f.reason()).isEqualTo("protect:stop_loss"));
        assertThat(events.fillsOf("aq-oco-1-tp")).isEmpty();
        assertThat(get(adapter.openOrders(null))).isEmpty();
    }

    @Test
    void cancellingARestingOrderEndsItAndAStopLossLimitRestsUntilTriggered() throws Exception {
        connect(true);
        server.exchange().setBalance("BTC", "0.01");
        get(adapter.placeStopLossLimit("aq-sl-1", "BTCUSDT", Side.SELL, new BigDecimal("0.01"), new BigDecimal("29000.00"),
                new BigDecimal("28900.00"), "stop_loss"));
        assertThat(get(adapter.openOrders("BTCUSDT"))).singleElement().satisfies(o -> {
            assertThat(o.type()).isEqualTo("STOP_LOSS_LIMIT");
            assertThat(o.stopPrice()).isEqualByComparingTo("29000");
        });
        OrderReport cancelled = get(adapter.cancel("BTCUSDT", "aq-sl-1"));
        assertThat(cancelled.status()).isEqualTo(OrderStatus.CANCELED);
        assertThat(cancelled.clientOrderId()).isEqualTo("aq-sl-1");
        awaitLog("done aq-sl-1 CANCELED");
        assertThat(events.log.stream().filter(l -> l.startsWith("done aq-sl-1"))).hasSize(1);
        assertThat(get(adapter.queryOrder("BTCUSDT", "aq-sl-1"))).get().extracting(OrderReport::status)
                .isEqualTo(OrderStatus.CANCELED);
        assertThat(get(adapter.queryOrder("BTCUSDT", "never-sent"))).isEqualTo(Optional.empty());
        assertThat(server.exchange().free("BTC")).isEqualByComparingTo("0.01");
    }

    @Test
    void anOrderStormNeverExceedsTheExchangesOrderLimitCountedByTheServer() throws Exception {
        connect(true);
        server.exchange().setBalance("USDT", "100000");
        int n = 150;
        for (int i = 0; i < n; i++) {
            submit(buy("aq-storm-" + i, "15"));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> events.log.stream()
                .filter(l -> l.startsWith("done aq-storm-") || l.startsWith("rejected aq-storm-")).count() == n);
        int maxIn10s = server.maxRequestsInAnyWindow("POST", "/api/v3/order", 10_000);
        // entries may use 100 x 0.8 (safety) x 0.8 (exit reserve) = 64 per 10 s; the rest waits 1 s, then is refused
        assertThat(maxIn10s).isLessThanOrEqualTo(100).isEqualTo(64);
        assertThat(events.log).noneMatch(l -> l.contains(" -1015 "));
        assertThat(events.log.stream().filter(l -> l.startsWith("rejected aq-storm-")))
                .hasSize(n - 64).allMatch(l -> l.contains(" " + BinanceExchangeAdapter.NOT_SENT_THROTTLED + " "));
    }

    @Test
    void feesPaidInBnbComeThroughAsBnbAndOrdersPlacedByHandGoToTheForeignHandler() throws Exception {
        connect(true);
        List<String> foreign = new CopyOnWriteArrayList<>();
        adapter.setForeignOrderHandler(r -> foreign.add(r.clientOrderId() + " " + r.executionType()));
        server.exchange().commission("0.00075", "BNB", "600");
        submit(buy("aq-bnb", "100"));
        awaitLog("done aq-bnb FILLED");
        assertThat(events.fillsOf("aq-bnb")).singleElement().satisfies(f -> {
            assertThat(f.feeAsset()).isEqualTo("BNB");
            assertThat(f.fee()).isPositive();
        });
        // a trade the operator makes in the Binance app
        synchronized (server.exchange()) {
            server.exchange().newOrder(Map.of("symbol", "BTCUSDT", "side", "BUY", "type", "MARKET", "quoteOrderQty", "50",
                    "newClientOrderId", "web_manual_1"));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> foreign.contains("web_manual_1 TRADE"));
        assertThat(events.log).noneMatch(l -> l.contains("web_manual_1"));
    }

    @Test
    void theExchangeInfoRefreshUpdatesExecutionsFiltersOnThePipelinesThread() throws Exception {
        connect(false);
        io.aquatrade.execution.ExchangeSymbolRules rules =
                new io.aquatrade.execution.ExchangeSymbolRules(io.aquatrade.exchange.ExchangeInfo.loadDefault());
        assertThat(rules.roundQuantityDown("BTCUSDT", new BigDecimal("0.123456789"))).isEqualByComparingTo("0.12345");
        // the exchange coarsens BTCUSDT's lot size: the next refresh must reach execution's rounding
        server.exchangeInfo(LocalBinance.usdtExchangeInfo().replace(
                "\"minQty\":\"0.00001000\",\"maxQty\":\"9000.00000000\",\"stepSize\":\"0.00001000\"",
                "\"minQty\":\"0.00100000\",\"maxQty\":\"9000.00000000\",\"stepSize\":\"0.00100000\""));
        List<String> threads = new CopyOnWriteArrayList<>();
        get(adapter.refreshExchangeInfo(60_000, info -> {
            threads.add(Thread.currentThread().getName());
            rules.update(info);
        }).toCompletionStage());
        await().atMost(Duration.ofSeconds(5)).until(() -> !threads.isEmpty());
        assertThat(threads).containsExactly("pipeline");
        assertThat(get(CompletableFuture.supplyAsync(() -> rules.roundQuantityDown("BTCUSDT",
                new BigDecimal("0.123456789")), pipeline))).isEqualByComparingTo("0.123");
    }
}
