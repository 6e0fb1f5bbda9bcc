package io.aquatrade.exchange.binance.http;

import io.aquatrade.exchange.AssetBalance;
import io.aquatrade.exchange.ExchangeException;
import io.aquatrade.exchange.ExchangeInfo;
import io.aquatrade.exchange.OrderThrottle;
import io.aquatrade.exchange.RateLimit;
import io.aquatrade.exchange.binance.BinanceCredentials;
import io.aquatrade.exchange.binance.BinanceMetrics;
import io.aquatrade.exchange.binance.LocalBinance;
import io.aquatrade.exchange.binance.LocalBinanceServer;
import io.aquatrade.exchange.binance.Secret;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The REST client against the local Binance-protocol server: public data, signing, time, weights, 429/418, failures. */
class BinanceRestClientTest {

    private static Vertx vertx;
    private LocalBinanceServer server;
    private BinanceHttp http;
    private BinanceRestClient rest;
    private SimpleMeterRegistry registry;
    private final List<String> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void vertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void closeVertx() {
        await(vertx.close());
    }

    @BeforeEach
    void start() throws Exception {
        server = LocalBinanceServer.start(vertx).addHmacKey(LocalBinance.DOC_API_KEY, LocalBinance.DOC_SECRET)
                .exchangeInfo(LocalBinance.usdtExchangeInfo());
        registry = new SimpleMeterRegistry();
        http = client(BinanceHttp.Settings.defaults(server.restUrl()));
        rest = new BinanceRestClient(vertx, http);
    }

    private BinanceHttp client(BinanceHttp.Settings settings) {
        BinanceHttp h = new BinanceHttp(vertx, settings,
                BinanceCredentials.hmac(Secret.of(LocalBinance.DOC_API_KEY), Secret.of(LocalBinance.DOC_SECRET)),
                LocalBinance.throttle(), System::currentTimeMillis, new BinanceMetrics(registry));
        h.setEvents(new BinanceHttp.Events() {
            @Override
            public void onHttpStatus(int status, long retryAfterMs) {
                events.add("status " + status + " " + retryAfterMs);
            }

            @Override
            public void onBanned(long untilWallMs, String message) {
                events.add("banned " + message);
            }

            @Override
            public void onRateLimited(long untilWallMs, String message) {
                events.add("rate limited");
            }

            @Override
            public void onOrderHalt(io.aquatrade.exchange.BinanceError error) {
                events.add("halt " + error.code());
            }
        });
        return h;
    }

    @AfterEach
    void stop() throws Exception {
        http.close();
        server.close();
    }

    /** A MARKET SELL of {@code qty} BTCUSDT under {@code clientOrderId}, as {@link BinanceRestClient#newOrder} takes it. */
    private static Map<String, Object> marketSell(String qty, String clientOrderId) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("symbol", "BTCUSDT");
        p.put("side", "SELL");
        p.put("type", "MARKET");
        p.put("quantity", new BigDecimal(qty));
        p.put("newClientOrderId", clientOrderId);
        return p;
    }

    static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("failed: " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new AssertionError("no answer in time", e);
        }
    }

    private static Throwable failure(Future<?> f) {
        try {
            f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("no answer in time", e);
        }
        throw new AssertionError("expected a failure, got success");
    }

    @Test
    void serverTimeOffsetIsMeasuredAndUsedForTimestamps() {
        server.clockSkewMs(7_000);
        long offset = await(http.syncTime());
        assertThat(offset).isBetween(6_500L, 7_500L);
        assertThat(http.serverNowMs() - System.currentTimeMillis()).isBetween(6_500L, 7_500L);
        // a signed call now carries a timestamp the skewed server accepts
        assertThat(await(rest.balances())).isEmpty();
        LocalBinanceServer.Recorded account = server.requests("/api/v3/account").get(0);
        assertThat(account.signatureValid()).isTrue();
        assertThat(Long.parseLong(account.params().get("timestamp"))).isCloseTo(account.serverTimeMs(),
                org.assertj.core.data.Offset.offset(1_000L));
        assertThat(account.params()).containsEntry("recvWindow", "5000");
        assertThat(account.apiKeyHeader()).isEqualTo(LocalBinance.DOC_API_KEY);
    }

    @Test
    void aSkewedClockGetsMinus1021ThenResyncsAndSucceedsOnce() {
        server.clockSkewMs(-20_000); // the exchange is 20 s behind: our timestamp is "ahead of the server's time"
        server.exchange().setBalance("USDT", "150.5");
        Map<String, AssetBalance> b = await(rest.balances());
        assertThat(b.get("USDT").free()).isEqualByComparingTo("150.5");
        List<LocalBinanceServer.Recorded> account = server.requests("/api/v3/account");
        assertThat(account).hasSize(2);
        assertThat(account.get(0).status()).isEqualTo(400);
        assertThat(account.get(1).status()).isEqualTo(200);
        assertThat(server.requests("/api/v3/time")).hasSize(1);
        assertThat(http.serverTimeOffsetMs()).isBetween(-20_500L, -19_500L);
    }

    @Test
    void aSignedRequestOnTheWireCarriesTheDocumentedSignatureOfBinancesExample() {
        long docTimestamp = 1499827319559L; // rest-api.md's example: the client's clock reads exactly this
        server.clockSkewMs(docTimestamp - System.currentTimeMillis());
        BinanceHttp docClock = new BinanceHttp(vertx, BinanceHttp.Settings.defaults(server.restUrl()),
                BinanceCredentials.hmac(Secret.of(LocalBinance.DOC_API_KEY), Secret.of(LocalBinance.DOC_SECRET)),
                LocalBinance.throttle(), () -> docTimestamp, null);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("symbol", "LTCBTC");
        p.put("side", "BUY");
        p.put("type", "LIMIT");
        p.put("timeInForce", "GTC");
        p.put("quantity", 1);
        p.put("price", new BigDecimal("0.1"));
        failure(docClock.call(BinanceEndpoint.NEW_ORDER, p, OrderThrottle.Kind.ENTRY_ORDER, 0)); // LTCBTC is not listed here
        LocalBinanceServer.Recorded r = server.requests("/api/v3/order").get(0);
        assertThat(r.signatureValid()).isTrue();
        assertThat(r.params()).containsEntry("recvWindow", "5000").containsEntry("timestamp", String.valueOf(docTimestamp))
                .containsEntry("signature", "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71");
        docClock.close();
    }

    @Test
    void anEd25519KeySignsRestRequestsTheServerVerifies() throws Exception {
        java.security.KeyPair kp = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(kp.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        server.addEd25519Key("ed-rest-key", kp.getPublic());
        server.exchange().setBalance("BTC", "0.5");
        BinanceHttp ed = new BinanceHttp(vertx, BinanceHttp.Settings.defaults(server.restUrl()),
                BinanceCredentials.privateKey(Secret.of("ed-rest-key"), Secret.of(pem)), LocalBinance.throttle(),
                System::currentTimeMillis, null);
        Map<String, AssetBalance> b = await(new BinanceRestClient(vertx, ed).balances());
        assertThat(b.get("BTC").free()).isEqualByComparingTo("0.5");
        LocalBinanceServer.Recorded r = server.requests("/api/v3/account").get(0);
        assertThat(r.signatureValid()).isTrue();
        assertThat(java.util.Base64.getDecoder().decode(r.params().get("signature"))).hasSize(64);
        ed.close();
    }

    @Test
    void aBadSignatureIsRefusedByTheServerWithMinus1022() {
        BinanceHttp wrong = new BinanceHttp(vertx, BinanceHttp.Settings.defaults(server.restUrl()),
                BinanceCredentials.hmac(Secret.of(LocalBinance.DOC_API_KEY), Secret.of("not-the-secret")),
                LocalBinance.throttle(), System::currentTimeMillis, null);
        Throwable t = failure(new BinanceRestClient(vertx, wrong).balances());
        assertThat(t).isInstanceOf(ExchangeException.class);
        assertThat(((ExchangeException) t).error().code()).isEqualTo(-1022);
        wrong.close();
    }

    @Test
    void exchangeInfoIsParsedWithBothFilterGenerationsAndItsRateLimitsGoToTheThrottle() {
        ExchangeInfo usdt = await(rest.exchangeInfo());
        assertThat(usdt.size()).isEqualTo(315);
        assertThat(usdt.filters("BTCUSDT").orElseThrow().minNotional(io.aquatrade.exchange.OrderType.MARKET))
                .isEqualByComparingTo("10");
        server.exchangeInfo(LocalBinance.ethbtc2025ExchangeInfo());
        ExchangeInfo ethbtc = await(rest.exchangeInfo(List.of("ETHBTC")));
        assertThat(ethbtc.filters("ETHBTC").orElseThrow().minNotional(io.aquatrade.exchange.OrderType.LIMIT))
                .isEqualByComparingTo("0.0001");
        assertThat(server.requests("/api/v3/exchangeInfo").get(1).params()).containsEntry("symbol", "ETHBTC");
        assertThat(http.throttle().usage()).extracting(u -> u.limit().type() + " " + u.limit().limit())
                .contains("REQUEST_WEIGHT 6000", "ORDERS 100", "ORDERS 200000");
        assertThat(registry.get("aquatrade.exchange.rest.weight.limit").gauge().value()).isEqualTo(6000.0);
    }

    @Test
    void ticker24hReadsQuoteVolumesAsDecimalsAndChargesTheDocumentedWeight() {
        server.ticker24h("""
                [{"symbol":"BTCUSDT","priceChange":"-94.99","priceChangePercent":"-0.095","weightedAvgPrice":"0.29628482",
                  "prevClosePrice":"0.10002000","lastPrice":"99800.01","lastQty":"200.00000000","bidPrice":"4.00000000",
                  "bidQty":"100.00000000","askPrice":"4.00000200","askQty":"100.00000000","openPrice":"99.00000000",
                  "highPrice":"100.00000000","lowPrice":"0.10000000","volume":"8913.30000000",
                  "quoteVolume":"15.30000000","openTime":1499783499040,"closeTime":1499869899040,"firstId":28385,
                  "lastId":28460,"count":76},
                 {"symbol":"PEPEUSDT","priceChange":"0","priceChangePercent":"1.5","weightedAvgPrice":"0.00001",
                  "prevClosePrice":"0.00001","lastPrice":"0.00001012","lastQty":"1","bidPrice":"0.00001011","bidQty":"1",
                  "askPrice":"0.00001012","askQty":"1","openPrice":"0.00001","highPrice":"0.00001","lowPrice":"0.00001",
                  "volume":"12345678901234567.89","quoteVolume":"987654321.12","openTime":1,"closeTime":2,"firstId":1,
                  "lastId":2,"count":123456789}]""");
        server.startOfAWeightMinute();
        List<Ticker24h> all = await(rest.ticker24h());
        assertThat(all).hasSize(2);
        assertThat(all.get(1).volume()).isEqualByComparingTo("12345678901234567.89");
        assertThat(all.get(1).quoteVolume()).isEqualByComparingTo("987654321.12");
        assertThat(all.get(1).count()).isEqualTo(123456789L);
        List<Ticker24h> one = await(rest.ticker24h(List.of("BTCUSDT")));
        assertThat(one).extracting(Ticker24h::symbol).containsExactly("BTCUSDT");
        assertThat(http.usedWeight1m()).isEqualTo(80 + 2);
    }

    @Test
    void klinesArePagedInThousandsAndReturnTheDumpRowsExactly() {
        List<String[]> rows = new ArrayList<>(LocalBinance.klineDump("/market/dumps/BTCUSDT-1m-2024-12-31.zip"));
        server.klines("BTCUSDT", rows);
        long start = Long.parseLong(rows.get(0)[0]);
        long end = Long.parseLong(rows.get(rows.size() - 1)[0]);
        List<Kline> got = new ArrayList<>();
        List<Integer> pages = new ArrayList<>();
        long n = await(rest.klinesPaged("BTCUSDT", "1m", start, end, page -> {
            pages.add(page.size());
            got.addAll(page);
        }));
        assertThat(n).isEqualTo(1440);
        assertThat(pages).containsExactly(1000, 440);
        for (int i = 0; i < rows.size(); i++) {
            assertThat(got.get(i).toDumpLine()).isEqualTo(String.join(",", rows.get(i)));
        }
        assertThat(server.requests("/api/v3/klines")).hasSize(2)
                .allSatisfy(r -> assertThat(r.params()).containsEntry("limit", "1000").containsEntry("interval", "1m"));
        assertThat(BinanceRestClient.intervalMs("1m")).isEqualTo(60_000L);
    }

    @Test
    void http429PausesEveryRequestUntilRetryAfterAndNothingIsSentMeanwhile() {
        server.weightLimitPerMinute(10_000, 2);
        server.failNext("/api/v3/time", 429, -1003, "Too much request weight used; current limit is 6000 request weight per 1 MINUTE.", 2);
        Throwable t = failure(rest.serverTime());
        assertThat(t).isInstanceOf(ExchangeException.class);
        assertThat(((ExchangeException) t).httpStatus()).isEqualTo(429);
        long pausedAt = System.currentTimeMillis();
        int before = server.requests().size();
        // while paused: not sent, fails at once when the caller cannot wait
        Throwable notSent = failure(http.call(BinanceEndpoint.TIME, Map.of(), OrderThrottle.Kind.REQUEST, 0));
        assertThat(notSent).isInstanceOf(RequestNotSentException.class).hasMessageContaining("paused");
        assertThat(server.requests()).hasSize(before);
        // a caller that can wait is sent once Retry-After has passed, and the server saw no 418
        long time = await(http.call(BinanceEndpoint.TIME, Map.of(), OrderThrottle.Kind.REQUEST, 10_000)).json()
                .get("serverTime").asLong();
        assertThat(time).isPositive();
        LocalBinanceServer.Recorded after = server.requests().get(server.requests().size() - 1);
        assertThat(after.serverTimeMs() - pausedAt).isGreaterThanOrEqualTo(1_900L);
        assertThat(server.requests()).noneMatch(r -> r.status() == 418);
        assertThat(events).contains("status 429 2000", "rate limited");
    }

    @Test
    void exceedingTheServersWeightLimitGets429AndTheClientStopsSoNo418Follows() {
        server.startOfAWeightMinute();
        server.weightLimitPerMinute(50, 30);
        BinanceRestClient noWaiting = new BinanceRestClient(vertx, client(new BinanceHttp.Settings(server.restUrl(), 5000, 5000, 10_000, 0)));
        List<Throwable> failures = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            try {
                await(noWaiting.exchangeInfo());
            } catch (AssertionError e) {
                failures.add(e.getCause());
            }
        }
        // 20 + 20 fit, the third passes 50: a 429; the next two are held by the client (not sent)
        assertThat(server.requests("/api/v3/exchangeInfo")).extracting(LocalBinanceServer.Recorded::status)
                .containsExactly(200, 200, 429);
        assertThat(failures).hasSize(3);
        assertThat(failures.get(0)).isInstanceOf(ExchangeException.class);
        assertThat(failures.subList(1, 3)).allMatch(e -> e instanceof RequestNotSentException);
        noWaiting.http().close();
    }

    @Test
    void http418ReportsTheBanAndBlocksAllRequestsUntilItEnds() {
        server.failNext("/api/v3/account", 418, -1003, "Way too much request weight used; IP banned until 1700000000000.", 120);
        Throwable t = failure(rest.balances());
        assertThat(t).isInstanceOf(ExchangeException.class);
        assertThat(((ExchangeException) t).httpStatus()).isEqualTo(418);
        assertThat(events).anyMatch(e -> e.startsWith("banned ") && e.contains("120 s"));
        assertThat(http.bannedUntilMs()).isGreaterThan(System.currentTimeMillis() + 100_000);
        int before = server.requests().size();
        assertThat(failure(rest.serverTime())).isInstanceOf(RequestNotSentException.class);
        assertThat(server.requests()).hasSize(before);
    }

    @Test
    void anOrderWhoseAnswerIsLostAfterExecutionIsAnUnknownOutcomeNotARefusal() {
        server.exchange().setBalance("USDT", "1000");
        server.exchange().setBook("BTCUSDT", "30000.00", "30000.01");
        server.dropNextResponse("/api/v3/order");
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("symbol", "BTCUSDT");
        p.put("side", "BUY");
        p.put("type", "MARKET");
        p.put("quoteOrderQty", new BigDecimal("100"));
        p.put("newClientOrderId", "aq-lost-1");
        Throwable t = failure(rest.newOrder(p, OrderThrottle.Kind.ENTRY_ORDER, 0));
        assertThat(t).isInstanceOf(OutcomeUnknownException.class);
        assertThat(server.exchange().ordersWithClientId("aq-lost-1")).isEqualTo(1); // it did execute
        assertThat(await(rest.queryOrder("BTCUSDT", "aq-lost-1"))).get()
                .satisfies(o -> assertThat(o.status()).isEqualTo(io.aquatrade.exchange.OrderStatus.FILLED));
        server.failNextAfterExecuting("/api/v3/order", 503);
        p.put("newClientOrderId", "aq-503");
        Throwable t503 = failure(rest.newOrder(p, OrderThrottle.Kind.ENTRY_ORDER, 0));
        assertThat(t503).isInstanceOf(OutcomeUnknownException.class);
        assertThat(((OutcomeUnknownException) t503).httpStatus()).isEqualTo(503);
        LocalBinanceServer.Recorded signed = server.requests("/api/v3/order").stream()
                .filter(r -> "aq-503".equals(r.params().get("newClientOrderId"))).findFirst().orElseThrow();
        assertThat(((OutcomeUnknownException) t503).acceptDeadlineWallMs())
                .as("from the signed timestamp and the recvWindow it carried, in local time, with the margin")
                .isEqualTo(Long.parseLong(signed.params().get("timestamp")) - http.serverTimeOffsetMs()
                        + Long.parseLong(signed.params().get("recvWindow")) + BinanceHttp.ACCEPT_MARGIN_MS);
        assertThat(await(rest.queryOrder("BTCUSDT", "never-placed"))).isEmpty();
        assertThat(registry.get("aquatrade.exchange.rest.requests").tag("result", "unknown").counter().count()).isEqualTo(2.0);
    }

    /** A request whose signing fails never leaves: it fails as not sent (safe to retry), never as an unknown outcome. */
    @Test
    void aRequestThatCannotBeSignedIsNotSentNeverAnUnknownOutcome() {
        BinanceHttp unsignable = new BinanceHttp(vertx, BinanceHttp.Settings.defaults(server.restUrl()),
                new BinanceCredentials(Secret.of(LocalBinance.DOC_API_KEY), new io.aquatrade.exchange.binance.RequestSigner() {
                    @Override
                    public String sign(String payload) {
                        throw new IllegalStateException("the signing key is unavailable");
                    }

                    @Override
                    public KeyType keyType() {
                        return KeyType.ED25519;
                    }
                }), LocalBinance.throttle(), System::currentTimeMillis, null);
        int before = server.requests().size();
        Throwable t = failure(new BinanceRestClient(vertx, unsignable).newOrder(marketSell("0.001", "aq-unsigned"),
                OrderThrottle.Kind.EXIT_ORDER, 0));
        assertThat(t).isInstanceOf(RequestNotSentException.class).hasMessageContaining("could not be prepared");
        assertThat(server.requests()).hasSize(before);
        unsignable.close();
    }

    /**
     * The trades of one order are read by its order id in pages of 1000 (Binance's default page is 500) until all are
     * in: an order that filled against 1200 makers has 1200 trades, and none of another order's.
     */
    @Test
    void theTradesOfAnOrderAreReadInFullPagesOfAThousandHoweverManyThereAre() {
        server.exchange().setBalance("BTC", "2");
        server.exchange().setBook("BTCUSDT", "30000.00", "30000.01");
        server.exchange().nextMarketOrderFillsIn(1_200);
        long orderId = await(rest.newOrder(marketSell("1.2", "aq-many"), OrderThrottle.Kind.EXIT_ORDER, 0)).order().orderId();
        server.exchange().nextMarketOrderFillsIn(3);
        await(rest.newOrder(marketSell("0.003", "aq-other"), OrderThrottle.Kind.EXIT_ORDER, 0));
        int before = server.requests("/api/v3/myTrades").size();

        List<MyTrade> trades = await(rest.tradesOfOrder("BTCUSDT", orderId));
        assertThat(trades).hasSize(1_200).allSatisfy(t -> assertThat(t.orderId()).isEqualTo(orderId));
        assertThat(trades).extracting(MyTrade::id).doesNotHaveDuplicates().isSorted();
        assertThat(trades.stream().map(MyTrade::qty).reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualByComparingTo("1.2");
        List<LocalBinanceServer.Recorded> pages = server.requests("/api/v3/myTrades");
        assertThat(pages.subList(before, pages.size())).hasSize(2).allSatisfy(r -> {
            assertThat(r.params()).containsEntry("orderId", String.valueOf(orderId)).containsEntry("limit", "1000");
        });
    }

    @Test
    void anAnswerThatNeverComesIsUnknownAndAClosedPortIsNotSent() throws Exception {
        BinanceHttp impatient = client(new BinanceHttp.Settings(server.restUrl(), 5000, 2000, 300, 0));
        server.delayNext("/api/v3/time", 3_000);
        Throwable t = failure(new BinanceRestClient(vertx, impatient).serverTime());
        assertThat(t).isInstanceOf(OutcomeUnknownException.class);
        impatient.close();
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        BinanceHttp nowhere = client(BinanceHttp.Settings.defaults("http://127.0.0.1:" + port));
        Throwable refused = failure(new BinanceRestClient(vertx, nowhere).serverTime());
        assertThat(refused).isInstanceOf(RequestNotSentException.class).hasMessageContaining("no connection");
        nowhere.close();
    }

    @Test
    void theExchangesWeightHeaderCorrectsTheThrottleUpwards() {
        // another client on the same IP used 900 weight this minute: the server counts it, we learn it from the header
        server.startOfAWeightMinute();
        server.chargeWeight(900);
        await(rest.serverTime());
        assertThat(http.usedWeight1m()).isEqualTo(901);
        await(rest.exchangeInfo());
        assertThat(http.usedWeight1m()).isEqualTo(921);
        RateLimit weight = http.throttle().usage().stream().map(OrderThrottle.Usage::limit)
                .filter(l -> l.type() == RateLimit.Type.REQUEST_WEIGHT).findFirst().orElseThrow();
        long counted = http.throttle().usage().stream().filter(u -> u.limit().equals(weight)).findFirst().orElseThrow().used();
        assertThat(counted).isGreaterThanOrEqualTo(921);
        assertThat(registry.get("aquatrade.exchange.rest.weight.used").gauge().value()).isEqualTo(921.0);
        assertThat(registry.get("aquatrade.exchange.rest.latency").tag("endpoint", "exchange_info").timer().count()).isEqualTo(1);
    }

    @Test
    void tooManyNewOrdersHoldsNewOrdersOnlyUntilTheWindowFrees() {
        server.exchange().setBalance("USDT", "10000");
        server.exchange().setBook("BTCUSDT", "30000.00", "30000.01");
        server.exchange().ordersPer10s(2);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("symbol", "BTCUSDT");
        p.put("side", "BUY");
        p.put("type", "MARKET");
        p.put("quoteOrderQty", new BigDecimal("20"));
        for (int i = 0; i < 2; i++) {
            p.put("newClientOrderId", "aq-rate-" + i);
            await(rest.newOrder(p, OrderThrottle.Kind.ENTRY_ORDER, 0));
        }
        p.put("newClientOrderId", "aq-rate-2");
        Throwable t = failure(rest.newOrder(p, OrderThrottle.Kind.ENTRY_ORDER, 0));
        assertThat(t).isInstanceOf(ExchangeException.class);
        assertThat(((ExchangeException) t).error().code()).isEqualTo(-1015);
        p.put("newClientOrderId", "aq-rate-3");
        assertThat(failure(rest.newOrder(p, OrderThrottle.Kind.EXIT_ORDER, 0))).isInstanceOf(RequestNotSentException.class);
        // queries and cancels are not orders: they still go
        assertThat(await(rest.queryOrder("BTCUSDT", "aq-rate-0"))).isPresent();
        assertThat(server.requests("/api/v3/order").stream().filter(r -> r.method().equals("POST"))).hasSize(3);
    }

    private static Map<String, Object> marketBuy(String clientOrderId) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("symbol", "BTCUSDT");
        p.put("side", "BUY");
        p.put("type", "MARKET");
        p.put("quoteOrderQty", new BigDecimal("20"));
        p.put("newClientOrderId", clientOrderId);
        return p;
    }

    private double orderErrors(int code, String outcome) {
        var c = registry.find("aquatrade.order.errors").tag("code", Integer.toString(code)).tag("outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void orderErrorsAreCountedByCodeAndOutcomeAndAKeyThatCannotTradeHalts() {
        server.exchange().setBalance("USDT", "1000");
        server.exchange().setBook("BTCUSDT", "30000.00", "30000.01");
        server.failNext("/api/v3/order", 400, -1013, "Filter failure: NOTIONAL", null);
        assertThat(failure(rest.newOrder(marketBuy("aq-err-1"), OrderThrottle.Kind.ENTRY_ORDER, 0)))
                .isInstanceOf(ExchangeException.class);
        server.failNext("/api/v3/order", 400, -2010, "Account has insufficient balance for requested action.", null);
        failure(rest.newOrder(marketBuy("aq-err-2"), OrderThrottle.Kind.ENTRY_ORDER, 0));
        server.failNext("/api/v3/order", 400, -2010, "Account has insufficient balance for requested action.", null);
        failure(rest.newOrder(marketBuy("aq-err-3"), OrderThrottle.Kind.ENTRY_ORDER, 0));
        assertThat(events).noneMatch(e -> e.startsWith("halt"));
        // "Duplicate order sent.": an order with this id may be open: looked up, never taken as refused
        server.failNext("/api/v3/order", 400, -2010, "Duplicate order sent.", null);
        assertThat(failure(rest.newOrder(marketBuy("aq-err-4"), OrderThrottle.Kind.ENTRY_ORDER, 0)))
                .isInstanceOf(OutcomeUnknownException.class);
        server.failNext("/api/v3/order", 401, -2015, "Invalid API-key, IP, or permissions for action.", null);
        failure(rest.newOrder(marketBuy("aq-err-5"), OrderThrottle.Kind.EXIT_ORDER, 0));
        // a query's error is not an order error
        server.failNext("/api/v3/account", 401, -2015, "Invalid API-key, IP, or permissions for action.", null);
        failure(rest.balances());

        assertThat(orderErrors(-1013, "drop")).isEqualTo(1.0);
        assertThat(orderErrors(-2010, "drop")).isEqualTo(2.0);
        assertThat(orderErrors(-2010, "look_up")).isEqualTo(1.0);
        assertThat(orderErrors(-2015, "halt")).isEqualTo(1.0);
        assertThat(events.stream().filter(e -> e.startsWith("halt"))).containsExactly("halt -2015");
    }

    @Test
    void whileThrottledAnExitGoesBeforeWaitingEntriesAndAnEntryPastItsValidityIsDroppedUnsent() {
        server.exchange().setBalance("USDT", "10000");
        server.exchange().setBalance("BTC", "1");
        server.exchange().setBook("BTCUSDT", "30000.00", "30000.01");
        // 10 orders per second, full safety, no exit reserve: the 11th order of a second waits for the next one
        BinanceHttp tight = new BinanceHttp(vertx, BinanceHttp.Settings.defaults(server.restUrl()),
                BinanceCredentials.hmac(Secret.of(LocalBinance.DOC_API_KEY), Secret.of(LocalBinance.DOC_SECRET)),
                new OrderThrottle(List.of(new RateLimit(RateLimit.Type.ORDERS, RateLimit.Interval.SECOND, 1, 10),
                        new RateLimit(RateLimit.Type.REQUEST_WEIGHT, RateLimit.Interval.MINUTE, 1, 6000)), 1.0, 0.0),
                System::currentTimeMillis, new BinanceMetrics(registry));
        BinanceRestClient r = new BinanceRestClient(vertx, tight);
        List<String> sentOrder = new CopyOnWriteArrayList<>();
        List<Future<?>> all = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            all.add(r.newOrder(marketBuy("aq-q-fill-" + i), OrderThrottle.Kind.ENTRY_ORDER, 5_000));
        }
        all.add(r.newOrder(marketBuy("aq-q-entry-late"), OrderThrottle.Kind.ENTRY_ORDER, 5_000)
                .onSuccess(x -> sentOrder.add("entry-late")));
        Future<?> stale = r.newOrder(marketBuy("aq-q-entry-stale"), OrderThrottle.Kind.ENTRY_ORDER, 300);
        Map<String, Object> sell = marketBuy("aq-q-exit");
        sell.put("side", "SELL");
        sell.remove("quoteOrderQty");
        sell.put("quantity", new BigDecimal("0.001"));
        all.add(r.newOrder(sell, OrderThrottle.Kind.EXIT_ORDER, 5_000).onSuccess(x -> sentOrder.add("exit")));
        assertThat(tight.waitingCount()).isEqualTo(3);
        for (Future<?> f : all) {
            await(f);
        }
        assertThat(failure(stale)).isInstanceOf(RequestNotSentException.class).hasMessageContaining("validity");
        assertThat(sentOrder).containsExactly("exit", "entry-late");
        assertThat(server.exchange().ordersWithClientId("aq-q-entry-stale")).isZero();
        assertThat(registry.get("aquatrade.order.dropped").tag("kind", "entry_order").tag("reason", "validity_expired")
                .counter().count()).isEqualTo(1.0);
        // the server saw the 11 orders it executed, the stale one never
        assertThat(server.requests("/api/v3/order").stream().filter(x -> x.method().equals("POST"))).hasSize(12);
        tight.close();
    }

    @Test
    void plainHttpIsRefusedForAnythingButLoopback() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BinanceHttp.Settings.defaults("http://api.binance.com"))
                .hasMessageContaining("loopback");
        assertThat(BinanceHttp.Settings.defaults("https://api.binance.com/").baseUrl()).isEqualTo("https://api.binance.com");
    }
}
