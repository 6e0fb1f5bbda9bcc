package io.aquatrade.exchange.binance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aquatrade.exchange.AssetBalance;
import io.aquatrade.exchange.BinanceError;
import io.aquatrade.exchange.ExchangeException;
import io.aquatrade.exchange.OrderReport;
import io.aquatrade.exchange.OrderStatus;
import io.aquatrade.exchange.OrderThrottle;
import io.aquatrade.exchange.binance.BinanceExchangeAdapterTest.Recorder;
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
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Protective orders resting on Binance, placed through {@link BinanceExchangeAdapter} against the local
 * Binance-protocol server: a SELL OCO (LIMIT_MAKER above, STOP_LOSS_LIMIT below) rests and locks its quantity once;
 * real captured BTCUSDT trades replayed into the exchange fill the stop when the price falls (the take-profit
 * EXPIRES) and the take-profit, in parts at its own price, when it rises (the stop EXPIRES); each trade reaches
 * the listener once; Binance's refusals come back typed; a fill while the bot is down is found after a restart.
 */
class BinanceRestingOrdersTest {

    private static final String CAPTURE = "/market-live/btcusdt_ws-capture_2023-04-05_head5000.txt.gz";
    private static List<LocalMarketStreams.Captured> capture;
    private static Vertx vertx;
    private LocalBinanceServer server;
    private final List<BinanceHttp> https = new java.util.ArrayList<>();
    private final List<BinanceExchangeAdapter> adapters = new java.util.ArrayList<>();
    private BinanceExchangeAdapter adapter;
    private ExecutorService pipeline;
    private Recorder events = new Recorder();

    @BeforeAll
    static void vertx() {
        vertx = Vertx.vertx();
        capture = LocalMarketStreams.readCapture(CAPTURE);
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
        server.exchange().setBalance("BTC", "0.02");
        pipeline = Executors.newSingleThreadExecutor(r -> new Thread(r, "pipeline"));
    }

    /** A fresh adapter (a bot start): its own REST client, user data stream and listener. */
    private BinanceExchangeAdapter connect() throws Exception {
        BinanceCredentials creds = BinanceCredentials.hmac(Secret.of(LocalBinance.DOC_API_KEY), Secret.of(LocalBinance.DOC_SECRET));
        BinanceMetrics metrics = new BinanceMetrics(new SimpleMeterRegistry());
        BinanceHttp http = new BinanceHttp(vertx, BinanceHttp.Settings.defaults(server.restUrl()), creds,
                OrderThrottle.fromExchangeInfo(io.aquatrade.exchange.ExchangeInfo.loadDefault(),
                        OrderThrottle.DEFAULT_SAFETY_FRACTION, OrderThrottle.DEFAULT_EXIT_RESERVE_FRACTION),
                System::currentTimeMillis, metrics);
        https.add(http);
        BinanceUserStream.Settings ss = new BinanceUserStream.Settings(server.wsApiUrl(), 200, 1_000, 50, 300, 5_000, 2_000, 3_600_000);
        events = new Recorder();
        adapter = new BinanceExchangeAdapter(vertx, new BinanceRestClient(vertx, http), creds, ss, pipeline,
                new BinanceExchangeAdapter.Settings("binance-testnet", 1_000, 400, 100, 500, 60_000), metrics);
        adapters.add(adapter);
        adapter.setListener(events);
        adapter.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return adapter;
    }

    @AfterEach
    void stop() throws Exception {
        adapters.forEach(BinanceExchangeAdapter::close);
        https.forEach(BinanceHttp::close);
        server.close();
        pipeline.shutdownNow();
        assertThat(events.wrongThread).isEmpty();
    }

    private static <T> T get(CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static BinanceError refusal(CompletionStage<?> s) {
        Throwable[] cause = new Throwable[1];
        assertThatThrownBy(() -> s.toCompletableFuture().get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .satisfies(e -> cause[0] = e.getCause());
        assertThat(cause[0]).isInstanceOf(ExchangeException.class);
        return ((ExchangeException) cause[0]).error();
    }

    private void awaitLog(String line) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events.log).contains(line));
    }

    private CompletionStage<OrderList> oco(String id, String qty, String takeProfit, String stop, String stopLimit) {
        return adapter.placeOco(id, id + "-tp", id + "-sl", "BTCUSDT", new BigDecimal(qty), new BigDecimal(takeProfit),
                new BigDecimal(stop), new BigDecimal(stopLimit), "protect");
    }

    /** A connected adapter, the book at 30000.00/30000.01, and a SELL OCO of 0.02 BTC (33000 / stop 29000, limit 28900) resting. */
    private OrderList protectedAt30000(String id) throws Exception {
        connect();
        server.exchange().setBook("BTCUSDT", "30000.00", "30000.01");
        OrderList list = get(oco(id, "0.02", "33000.00", "29000.00", "28900.00"));
        awaitLog("ack " + id + "-tp");
        awaitLog("ack " + id + "-sl");
        return list;
    }

    /** The listener's fills of an order are the exchange's trades of it, each once (by trade id). */
    private void assertFillsAreTheExchangesTradesOnce(String clientOrderId) {
        long orderId = server.exchange().order(clientOrderId).orderId;
        List<Long> exchangeTrades = server.exchange().trades().stream().filter(t -> t.orderId() == orderId)
                .map(LocalExchange.Trade::id).toList();
        assertThat(exchangeTrades).isNotEmpty();
        assertThat(events.fillsOf(clientOrderId)).extracting(Fill::tradeId).containsExactlyElementsOf(exchangeTrades);
    }

    private List<ObjectNode> listStatuses(long listId) {
        return server.exchange().userEvents("listStatus").stream().filter(e -> e.path("g").asLong() == listId).toList();
    }

    private static BigDecimal sum(List<Fill> fills) {
        return fills.stream().map(Fill::qty).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    // ------------------------------------------------------------------ resting

    /** Binance counts both orders of an OCO against each ORDERS limit, and a list cancel against none. */
    @Test
    void anOcoCountsAsTwoOrdersInTheThrottleAndItsCancelAsNone() throws Exception {
        protectedAt30000("aq-n1");
        OrderThrottle throttle = adapter.orderThrottle().orElseThrow();
        assertThat(ordersUsed(throttle)).isEqualTo(2);
        get(adapter.cancelOrderList("BTCUSDT", "aq-n1"));
        assertThat(ordersUsed(throttle)).isEqualTo(2);
    }

    private static long ordersUsed(OrderThrottle throttle) {
        return throttle.usage().stream().filter(u -> u.limit().type() == io.aquatrade.exchange.RateLimit.Type.ORDERS)
                .mapToLong(OrderThrottle.Usage::used).min().orElseThrow();
    }

    @Test
    void anOcoRestsShowsInOpenOrdersAndLocksItsQuantityOnce() throws Exception {
        OrderList list = protectedAt30000("aq-p1");
        assertThat(list.listStatusType()).isEqualTo("EXEC_STARTED");
        assertThat(get(adapter.openOrders("BTCUSDT"))).extracting(OrderReport::clientOrderId, OrderReport::type, OrderReport::orderListId)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("aq-p1-tp", "LIMIT_MAKER", list.orderListId()),
                        org.assertj.core.groups.Tuple.tuple("aq-p1-sl", "STOP_LOSS_LIMIT", list.orderListId()));
        assertThat(get(adapter.queryOrder("BTCUSDT", "aq-p1-sl"))).get().satisfies(o -> {
            assertThat(o.status()).isEqualTo(OrderStatus.NEW);
            assertThat(o.stopPrice()).isEqualByComparingTo("29000");
            assertThat(o.price()).isEqualByComparingTo("28900");
        });
        // the stop is not on the book until triggered; the take-profit is
        assertThat(server.exchange().order("aq-p1-sl").working()).isFalse();
        assertThat(server.exchange().order("aq-p1-tp").working()).isTrue();
        // 0.02 BTC locked once for both legs, in the account and on the stream
        AssetBalance btc = get(adapter.balances()).get("BTC");
        assertThat(btc.free()).isEqualByComparingTo("0");
        assertThat(btc.locked()).isEqualByComparingTo("0.02");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            CompletionStage<Map<String, AssetBalance>> last = java.util.concurrent.CompletableFuture.supplyAsync(
                    adapter::lastKnownBalances, pipeline);
            assertThat(get(last).get("BTC").locked()).isEqualByComparingTo("0.02");
        });
        assertThat(server.exchange().locked("BTC")).isEqualByComparingTo("0.02");
        assertThat(server.exchange().free("BTC")).isEqualByComparingTo("0");
        assertThat(listStatuses(list.orderListId())).extracting(e -> e.path("l").asText()).containsExactly("EXEC_STARTED");
        assertThat(events.fills).isEmpty();
    }

    /**
     * An OCO the exchange placed but whose 200 answer could not be read may exist: both legs are reported as unknown
     * outcomes (with a deadline no earlier than the signed request's) and stay watched, so the stop leg's later fill is
     * the bot's own, never a foreign order.
     */
    @Test
    void anOcoWhoseAnswerCannotBeReadIsAnUnknownOutcomeAndBothLegsStayWatched() throws Exception {
        connect();
        List<String> foreign = new java.util.concurrent.CopyOnWriteArrayList<>();
        adapter.setForeignOrderHandler(r -> foreign.add(r.orderClientId() + " " + r.executionType()));
        server.exchange().setBook("BTCUSDT", "30000.00", "30000.01");
        server.wsApi().silent(true); // the legs' NEW reports do not arrive before the answer
        server.answerNextUnreadably("/api/v3/orderList/oco");
        assertThatThrownBy(() -> get(oco("aq-u1", "0.02", "33000.00", "29000.00", "28900.00")))
                .hasCauseInstanceOf(io.aquatrade.exchange.binance.http.BinanceFormatException.class);
        awaitLog("unknown aq-u1-tp");
        awaitLog("unknown aq-u1-sl");
        LocalBinanceServer.Recorded post = server.requests("/api/v3/orderList/oco").get(0);
        long signedDeadline = Long.parseLong(post.params().get("timestamp")) - https.get(0).serverTimeOffsetMs()
                + Long.parseLong(post.params().get("recvWindow")) + BinanceHttp.ACCEPT_MARGIN_MS;
        assertThat(events.acceptDeadlines.get("aq-u1-sl")).isGreaterThanOrEqualTo(signedDeadline);

        server.wsApi().silent(false);
        server.exchange().setBook("BTCUSDT", "28950.00", "28950.01"); // through the stop, above its limit
        awaitLog("done aq-u1-sl FILLED");
        awaitLog("done aq-u1-tp EXPIRED");
        assertFillsAreTheExchangesTradesOnce("aq-u1-sl");
        assertThat(foreign).isEmpty();
    }

    @Test
    void whenTheCapturedPriceFallsTheStopLegFillsOnceAndTheTakeProfitExpires() throws Exception {
        connect();
        server.exchange().replay(capture.subList(0, 2)); // the first trade (28165.47) and book
        OrderList list = get(oco("aq-f1", "0.02", "28170.00", "28157.00", "28156.00"));
        awaitLog("ack aq-f1-sl");
        server.exchange().replay(capture.subList(2, capture.size())); // up to 28167.91, then down to 28155.21
        awaitLog("done aq-f1-sl FILLED");
        awaitLog("done aq-f1-tp EXPIRED");
        // the first captured trade at or below the stop (28156.92) triggered it, above its limit: it took there
        assertThat(events.fillsOf("aq-f1-sl")).singleElement().satisfies(f -> {
            assertThat(f.price()).isEqualByComparingTo("28156.92");
            assertThat(f.qty()).isEqualByComparingTo("0.02");
            assertThat(f.side()).isEqualTo(Side.SELL);
            assertThat(f.reason()).isEqualTo("protect:stop_loss");
        });
        assertFillsAreTheExchangesTradesOnce("aq-f1-sl");
        assertThat(events.fillsOf("aq-f1-tp")).isEmpty();
        assertThat(events.log.stream().filter(l -> l.startsWith("done aq-f1-"))).hasSize(2);
        assertThat(listStatuses(list.orderListId())).extracting(e -> e.path("l").asText() + "/" + e.path("L").asText())
                .containsExactly("EXEC_STARTED/EXECUTING", "ALL_DONE/ALL_DONE");
        assertThat(server.exchange().userEvents("executionReport")).filteredOn(e -> e.path("c").asText().equals("aq-f1-tp"))
                .extracting(e -> e.path("x").asText()).containsExactly("NEW", "EXPIRED");
        // balances: the BTC sold came out of the lock, the quote (less 0.1 % fee) is free
        assertThat(server.exchange().free("BTC")).isEqualByComparingTo("0");
        assertThat(server.exchange().locked("BTC")).isEqualByComparingTo("0");
        BigDecimal proceeds = new BigDecimal("28156.92").multiply(new BigDecimal("0.02"));
        assertThat(server.exchange().free("USDT")).isEqualByComparingTo(new BigDecimal("1000").add(proceeds)
                .subtract(proceeds.multiply(new BigDecimal("0.001"))));
        assertThat(get(adapter.openOrders(null))).isEmpty();
    }

    @Test
    void whenTheCapturedPriceRisesTheTakeProfitFillsInPartsAtItsPriceAndTheStopExpires() throws Exception {
        connect();
        server.exchange().replay(capture.subList(0, 2));
        OrderList list = get(oco("aq-r1", "0.02", "28166.50", "28150.00", "28149.00"));
        awaitLog("ack aq-r1-tp");
        server.exchange().replay(capture.subList(2, capture.size()));
        awaitLog("done aq-r1-tp FILLED");
        awaitLog("done aq-r1-sl EXPIRED");
        List<Fill> fills = events.fillsOf("aq-r1-tp");
        // the real trades at or above 28166.50 were small (0.00047 to 0.00949 BTC): the maker order filled in
        // several parts, each at its own price
        assertThat(fills).hasSizeGreaterThan(1).allSatisfy(f -> assertThat(f.price()).isEqualByComparingTo("28166.50"));
        assertThat(sum(fills)).isEqualByComparingTo("0.02");
        assertFillsAreTheExchangesTradesOnce("aq-r1-tp");
        assertThat(server.exchange().trades()).allSatisfy(t -> {
            assertThat(t.isMaker()).isTrue();
            assertThat(t.orderListId()).isEqualTo(list.orderListId());
        });
        // the stop leg expired at the first partial fill, not at the end
        List<String> reports = server.exchange().userEvents("executionReport").stream()
                .map(e -> e.path("c").asText() + " " + e.path("x").asText() + " " + e.path("X").asText()).toList();
        assertThat(reports.indexOf("aq-r1-sl EXPIRED EXPIRED")).isEqualTo(reports.indexOf("aq-r1-tp TRADE PARTIALLY_FILLED") + 1);
        assertThat(events.fillsOf("aq-r1-sl")).isEmpty();
        assertThat(listStatuses(list.orderListId())).extracting(e -> e.path("l").asText()).containsExactly("EXEC_STARTED", "ALL_DONE");
        assertThat(server.exchange().locked("BTC")).isEqualByComparingTo("0");
        assertThat(get(adapter.balances())).doesNotContainKey("BTC");
        // myTrades carries the list id, and trades since 0 are exactly the listener's fills
        assertThat(get(adapter.tradesSince("BTCUSDT", 0))).extracting(Fill::tradeId)
                .containsExactlyElementsOf(fills.stream().map(Fill::tradeId).toList());
    }

    @Test
    void fillsThatRestPollingFoundAndTheStreamThenDeliversLateReachTheListenerOncePerTradeId() throws Exception {
        connect();
        List<String> deposits = new java.util.concurrent.CopyOnWriteArrayList<>();
        adapter.setAccountListener(new BinanceExchangeAdapter.AccountListener() {
            @Override
            public void onBalances(List<AssetBalance> changed, long eventTimeMs) {
            }

            @Override
            public void onBalanceUpdate(String asset, BigDecimal delta, long eventTimeMs) {
                deposits.add(asset + " " + delta.toPlainString());
            }
        });
        server.exchange().replay(capture.subList(0, 2));
        get(oco("aq-l1", "0.02", "28166.50", "28150.00", "28149.00"));
        awaitLog("ack aq-l1-tp");
        awaitLog("ack aq-l1-sl");
        server.wsApi().silent(true); // the stream stalls (still connected): the fills are not pushed
        server.exchange().replay(capture.subList(2, capture.size()));
        // the resting-order check (openOrders, then the order and its trades) finds both legs ended
        awaitLog("done aq-l1-tp FILLED");
        awaitLog("done aq-l1-sl EXPIRED");
        assertThat(adapter.restPolls()).isPositive();
        List<Fill> polled = List.copyOf(events.fillsOf("aq-l1-tp"));
        assertThat(polled).hasSizeGreaterThan(1);
        // the stream catches up: every TRADE report again, then a deposit that marks the end of the late events
        server.wsApi().releaseWithheld();
        server.exchange().deposit("USDT", "1");
        await().atMost(Duration.ofSeconds(10)).until(() -> deposits.contains("USDT 1"));
        assertThat(server.exchange().userEvents("executionReport")).filteredOn(e -> e.path("x").asText().equals("TRADE"))
                .hasSize(polled.size());
        assertFillsAreTheExchangesTradesOnce("aq-l1-tp");
        assertThat(events.fillsOf("aq-l1-tp")).isEqualTo(polled);
        assertThat(events.log.stream().filter(l -> l.startsWith("done aq-l1-"))).hasSize(2);
    }

    @Test
    void aBarThroughBothLegsFillsTheStopAtItsPriceAndTheTakeProfitExpires() throws Exception {
        protectedAt30000("aq-b1");
        // a candle whose path is unknown reaches 34000 and 28000: the fall is taken first
        server.exchange().bar("BTCUSDT", "30000.00", "34000.00", "28000.00", "31000.00");
        awaitLog("done aq-b1-sl FILLED");
        awaitLog("done aq-b1-tp EXPIRED");
        assertThat(events.fillsOf("aq-b1-sl")).singleElement().satisfies(f -> assertThat(f.price()).isEqualByComparingTo("29000.00"));
        assertThat(events.fillsOf("aq-b1-tp")).isEmpty();
    }

    @Test
    void aStopThatGapsBelowItsLimitRestsAsALimitAndFillsWhenThePriceComesBack() throws Exception {
        connect();
        server.exchange().setBook("BTCUSDT", "30000.00", "30000.01");
        get(adapter.placeStopLossLimit("aq-g1", "BTCUSDT", Side.SELL, new BigDecimal("0.01"), new BigDecimal("29000.00"),
                new BigDecimal("28900.00"), "stop_loss"));
        awaitLog("ack aq-g1");
        server.exchange().setBook("BTCUSDT", "28800.00", "28800.01"); // trades at 28800: triggered, but below the limit
        assertThat(server.exchange().order("aq-g1").working()).isTrue();
        assertThat(server.exchange().order("aq-g1").status).isEqualTo("NEW");
        assertThat(events.fillsOf("aq-g1")).isEmpty();
        server.exchange().trade("BTCUSDT", "28950.00", "0.004"); // back through the limit: 0.004 of it fills
        awaitLog("fill aq-g1 " + server.exchange().trades().get(0).id());
        assertThat(server.exchange().order("aq-g1").status).isEqualTo("PARTIALLY_FILLED");
        server.exchange().setBook("BTCUSDT", "28900.00", "28900.01");
        awaitLog("done aq-g1 FILLED");
        assertThat(events.fillsOf("aq-g1")).extracting(Fill::qty).usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("0.004"), new BigDecimal("0.006"));
        assertThat(events.fillsOf("aq-g1")).allSatisfy(f -> assertThat(f.price()).isEqualByComparingTo("28900.00"));
        assertFillsAreTheExchangesTradesOnce("aq-g1");
        assertThat(server.exchange().free("BTC")).isEqualByComparingTo("0.01");
        assertThat(server.exchange().locked("BTC")).isEqualByComparingTo("0");
    }

    // ------------------------------------------------------------------ refusals, typed

    @Test
    void aLimitMakerThatWouldCrossIsRefusedWithMinus2010AndLocksNothing() throws Exception {
        connect();
        server.exchange().setBook("BTCUSDT", "30000.00", "30000.01");
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("symbol", "BTCUSDT");
        p.put("side", "SELL");
        p.put("type", "LIMIT_MAKER");
        p.put("quantity", "0.01");
        p.put("price", "29999.99");
        p.put("newClientOrderId", "aq-m1");
        BinanceError e = refusal(adapter.rest().newOrder(p, OrderThrottle.Kind.EXIT_ORDER, 1_000).toCompletionStage());
        assertThat(e).isEqualTo(new BinanceError(-2010, "Order would immediately match and take."));
        assertThat(server.exchange().orders()).isEmpty();
        assertThat(server.exchange().locked("BTC")).isEqualByComparingTo("0");
        p.put("price", "30000.02"); // above the ask: rests as a maker
        assertThat(get(adapter.rest().newOrder(p, OrderThrottle.Kind.EXIT_ORDER, 1_000).toCompletionStage()).order().status())
                .isEqualTo(OrderStatus.NEW);
        assertThat(server.exchange().locked("BTC")).isEqualByComparingTo("0.01");
    }

    @Test
    void anOcoWithItsPricesInTheWrongOrderOrOffTheTickIsRefusedTypedAndNothingRests() throws Exception {
        connect();
        server.exchange().setBook("BTCUSDT", "30000.00", "30000.01");
        // the take-profit must be above the last traded price (30000.00), the stop below it
        assertThat(refusal(oco("aq-x1", "0.02", "29990.00", "29000.00", "28900.00")))
                .isEqualTo(new BinanceError(-2010, "The relationship of the prices for the orders is not correct."));
        assertThat(refusal(oco("aq-x2", "0.02", "33000.00", "30000.00", "29900.00")).code()).isEqualTo(-2010);
        assertThat(refusal(oco("aq-x3", "0.02", "33000.005", "29000.00", "28900.00")))
                .isEqualTo(new BinanceError(-1013, "Filter failure: PRICE_FILTER"));
        assertThat(refusal(oco("aq-x4", "0.03", "33000.00", "29000.00", "28900.00")))
                .isEqualTo(new BinanceError(-2010, "Account has insufficient balance for requested action."));
        assertThat(server.exchange().orders()).isEmpty();
        assertThat(server.exchange().locked("BTC")).isEqualByComparingTo("0");
        // the refused legs are not followed: a later order reusing an id is the adapter's own again
        get(oco("aq-x1", "0.02", "33000.00", "29000.00", "28900.00"));
        awaitLog("ack aq-x1-tp");
        assertThat(events.log).noneMatch(l -> l.startsWith("done aq-x") || l.startsWith("rejected aq-x"));
    }

    @Test
    void aStopThatWouldTriggerAtOnceIsRefused() throws Exception {
        connect();
        server.exchange().setBook("BTCUSDT", "30000.00", "30000.01");
        assertThat(refusal(adapter.placeStopLossLimit("aq-s1", "BTCUSDT", Side.SELL, new BigDecimal("0.01"),
                new BigDecimal("30000.00"), new BigDecimal("29900.00"), "stop_loss")))
                .isEqualTo(new BinanceError(-2010, "Order would trigger immediately."));
        assertThat(server.exchange().orders()).isEmpty();
    }

    @Test
    void aSymbolWhoseExchangeInfoRefusesOcoRefusesTheList() throws Exception {
        String info = LocalBinance.usdtExchangeInfo();
        String yes = "\"ocoAllowed\":true";
        int flag = info.indexOf(yes, info.indexOf("{\"symbol\":\"BTCUSDT\""));
        String refusing = info.substring(0, flag) + "\"ocoAllowed\":false" + info.substring(flag + yes.length());
        assertThat(io.aquatrade.exchange.ExchangeInfo.parse(refusing, "test").symbol("BTCUSDT").orElseThrow().ocoAllowed()).isFalse();
        server.exchangeInfo(refusing);
        connect();
        server.exchange().setBook("BTCUSDT", "30000.00", "30000.01");
        assertThat(refusal(oco("aq-o1", "0.02", "33000.00", "29000.00", "28900.00")))
                .isEqualTo(new BinanceError(-2010, "OCO orders are not supported for this symbol."));
    }

    // ------------------------------------------------------------------ cancels

    @Test
    void cancellingTheListEndsBothLegsOnceFreesTheLockAndASecondCancelIsATypedMinus2011() throws Exception {
        OrderList placed = protectedAt30000("aq-c1");
        OrderList cancelled = get(adapter.cancelOrderList("BTCUSDT", "aq-c1"));
        assertThat(cancelled.listStatusType()).isEqualTo("ALL_DONE");
        assertThat(cancelled.orders()).extracting(OrderReport::status).containsOnly(OrderStatus.CANCELED);
        awaitLog("done aq-c1-tp CANCELED");
        awaitLog("done aq-c1-sl CANCELED");
        assertThat(server.exchange().free("BTC")).isEqualByComparingTo("0.02");
        assertThat(server.exchange().locked("BTC")).isEqualByComparingTo("0");
        assertThat(get(adapter.balances()).get("BTC").locked()).isEqualByComparingTo("0");
        assertThat(listStatuses(placed.orderListId())).extracting(e -> e.path("l").asText()).containsExactly("EXEC_STARTED", "ALL_DONE");
        assertThat(refusal(adapter.cancelOrderList("BTCUSDT", "aq-c1"))).isEqualTo(new BinanceError(-2011, "Unknown order sent."));
        assertThat(refusal(adapter.cancelOrderList("BTCUSDT", "never-placed")).code()).isEqualTo(-2011);
        assertThat(server.requests("/api/v3/orderList")).hasSize(3);
        assertThat(events.log.stream().filter(l -> l.startsWith("done aq-c1-"))).hasSize(2);
    }

    @Test
    void cancellingOneLegCancelsTheWholeList() throws Exception {
        OrderList placed = protectedAt30000("aq-c2");
        assertThat(get(adapter.cancel("BTCUSDT", "aq-c2-tp")).status()).isEqualTo(OrderStatus.CANCELED);
        awaitLog("done aq-c2-tp CANCELED");
        awaitLog("done aq-c2-sl CANCELED");
        assertThat(listStatuses(placed.orderListId())).extracting(e -> e.path("L").asText()).containsExactly("EXECUTING", "ALL_DONE");
        assertThat(server.exchange().free("BTC")).isEqualByComparingTo("0.02");
    }

    // ------------------------------------------------------------------ the bot is down

    @Test
    void aFillWhileTheAdapterIsClosedIsFoundAfterTheRestartThroughMyTradesAndTheOrderQuery() throws Exception {
        protectedAt30000("aq-d1");
        adapters.get(0).close();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.wsApi().subscribedConnections() == 0);
        // the market falls while no client is connected: the orders rest on and the stop fills
        server.exchange().setBook("BTCUSDT", "28950.00", "28950.01");
        assertThat(server.exchange().order("aq-d1-sl").status).isEqualTo("FILLED");
        long tradeId = server.exchange().trades().get(0).id();

        connect(); // the bot again: it knows none of these orders
        List<Fill> since = get(adapter.tradesSince("BTCUSDT", tradeId - 1));
        assertThat(since).singleElement().satisfies(f -> {
            assertThat(f.tradeId()).isEqualTo(tradeId);
            assertThat(f.clientOrderId()).isEqualTo("aq-d1-sl"); // learnt from GET /api/v3/order?orderId=
            assertThat(f.price()).isEqualByComparingTo("28950.00");
            assertThat(f.qty()).isEqualByComparingTo("0.02");
        });
        assertThat(get(adapter.queryOrder("BTCUSDT", "aq-d1-sl"))).get().extracting(OrderReport::status).isEqualTo(OrderStatus.FILLED);
        assertThat(get(adapter.queryOrder("BTCUSDT", "aq-d1-tp"))).get().extracting(OrderReport::status).isEqualTo(OrderStatus.EXPIRED);
        assertThat(get(adapter.openOrders(null))).isEmpty();
        assertThat(get(adapter.balances())).doesNotContainKey("BTC");
        assertThat(events.fills).isEmpty(); // the new adapter reports nothing it did not place: Recovery journals these
    }
}
