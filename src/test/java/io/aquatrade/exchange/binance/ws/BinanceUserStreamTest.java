package io.aquatrade.exchange.binance.ws;

import io.aquatrade.exchange.binance.BinanceCredentials;
import io.aquatrade.exchange.binance.BinanceMetrics;
import io.aquatrade.exchange.binance.LocalBinance;
import io.aquatrade.exchange.binance.LocalBinanceServer;
import io.aquatrade.exchange.binance.LocalWsApi;
import io.aquatrade.exchange.binance.Secret;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The user data stream over the WebSocket API of the local server: both subscribe flows, events, keep-alive, recovery. */
class BinanceUserStreamTest {

    private static Vertx vertx;
    private LocalBinanceServer server;
    private BinanceUserStream stream;
    private SimpleMeterRegistry registry;
    private final List<Object> events = new CopyOnWriteArrayList<>();
    private final List<Boolean> subscriptions = new CopyOnWriteArrayList<>();

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
        registry = new SimpleMeterRegistry();
    }

    @AfterEach
    void stop() throws Exception {
        if (stream != null) {
            stream.close();
        }
        server.close();
    }

    private BinanceUserStream open(BinanceCredentials credentials, BinanceUserStream.Settings settings) throws Exception {
        stream = new BinanceUserStream(vertx, settings, credentials, server::serverTimeMs, new BinanceMetrics(registry),
                new BinanceUserStream.Listener() {
                    @Override
                    public void onExecutionReport(ExecutionReport report) {
                        events.add(report);
                    }

                    @Override
                    public void onAccountPosition(AccountPosition position) {
                        events.add(position);
                    }

                    @Override
                    public void onBalanceUpdate(BalanceUpdate update) {
                        events.add(update);
                    }

                    @Override
                    public void onSubscribed(boolean resubscribed) {
                        subscriptions.add(resubscribed);
                    }
                });
        stream.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return stream;
    }

    private BinanceUserStream.Settings fast() {
        return new BinanceUserStream.Settings(server.wsApiUrl(), 100, 600, 50, 400, 5000, 2000, 3_600_000);
    }

    private static BinanceCredentials hmac() {
        return BinanceCredentials.hmac(Secret.of(LocalBinance.DOC_API_KEY), Secret.of(LocalBinance.DOC_SECRET));
    }

    @Test
    void anHmacKeySubscribesWithTheSignedSubscribeAndReceivesTypedEvents() throws Exception {
        open(hmac(), fast());
        LocalWsApi.Conn conn = server.wsApi().openConnections().get(0);
        assertThat(conn.received()).hasSize(1);
        assertThat(conn.received().get(0)).contains("\"method\":\"userDataStream.subscribe.signature\"")
                .contains("\"apiKey\":\"" + LocalBinance.DOC_API_KEY + "\"").contains("\"signature\"")
                .doesNotContain("session.logon");
        server.exchange().deposit("USDT", "25.5");
        await().atMost(Duration.ofSeconds(5)).until(() -> events.size() >= 2);
        assertThat(events.get(0)).isInstanceOfSatisfying(BalanceUpdate.class, b -> {
            assertThat(b.asset()).isEqualTo("USDT");
            assertThat(b.delta()).isEqualByComparingTo("25.5");
        });
        assertThat(events.get(1)).isInstanceOfSatisfying(AccountPosition.class,
                p -> assertThat(p.balances()).singleElement().satisfies(ab -> assertThat(ab.free()).isEqualByComparingTo("25.5")));
        assertThat(registry.get("aquatrade.user.stream.events").tag("type", "balanceUpdate").counter().count()).isEqualTo(1.0);
        assertThat(subscriptions).containsExactly(false);
    }

    @Test
    void anEd25519KeyLogsOnThenSubscribes() throws Exception {
        KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(kp.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        server.addEd25519Key("ed-key-1", kp.getPublic());
        BinanceCredentials ed = BinanceCredentials.privateKey(Secret.of("ed-key-1"), Secret.of(pem, "test pem"));
        assertThat(ed.canLogon()).isTrue();
        open(ed, fast());
        List<String> sent = server.wsApi().openConnections().get(0).received();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0)).contains("\"method\":\"session.logon\"");
        assertThat(sent.get(1)).contains("\"method\":\"userDataStream.subscribe\"").doesNotContain("signature");
        server.exchange().deposit("BTC", "0.1");
        await().atMost(Duration.ofSeconds(5)).until(() -> events.size() >= 2);
    }

    @Test
    void aWrongSecretFailsTheStartNamingTheError() {
        BinanceCredentials wrong = BinanceCredentials.hmac(Secret.of(LocalBinance.DOC_API_KEY), Secret.of("CANARYSECRET123"));
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> open(wrong, fast()));
        assertThat(e).hasStackTraceContaining("-1022").hasStackTraceContaining("Signature");
        assertThat(stackTrace(e)).doesNotContain("CANARYSECRET123");
    }

    private static String stackTrace(Throwable t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }

    @Test
    void aDroppedConnectionIsReconnectedAndResubscribed() throws Exception {
        open(hmac(), fast());
        server.wsApi().dropConnections();
        await().atMost(Duration.ofSeconds(5)).until(() -> subscriptions.size() == 2);
        assertThat(subscriptions).containsExactly(false, true);
        assertThat(server.wsApi().subscribedConnections()).isEqualTo(1);
        assertThat(stream.reconnects()).isEqualTo(1);
        assertThat(registry.get("aquatrade.user.stream.reconnects").counter().count()).isEqualTo(1.0);
        server.exchange().deposit("USDT", "1");
        await().atMost(Duration.ofSeconds(5)).until(() -> events.stream().anyMatch(e -> e instanceof BalanceUpdate));
    }

    @Test
    void eventStreamTerminatedAndServerShutdownBothLeadToAFreshSubscription() throws Exception {
        open(hmac(), fast());
        server.wsApi().terminateStreams();
        await().atMost(Duration.ofSeconds(5)).until(() -> subscriptions.size() == 2);
        server.wsApi().serverShutdown(2_000);
        await().atMost(Duration.ofSeconds(5)).until(() -> subscriptions.size() == 3);
        assertThat(server.wsApi().subscribedConnections()).isEqualTo(1);
        assertThat(stream.lastDisconnect()).isEqualTo("serverShutdown");
    }

    @Test
    void aConnectionThatStopsAnsweringPingsIsReplaced() throws Exception {
        open(hmac(), fast());
        LocalWsApi.Conn first = server.wsApi().openConnections().get(0);
        await().atMost(Duration.ofSeconds(3)).until(() -> first.pongs() >= 0 && stream.subscribed());
        server.wsApi().hangOpenConnections();
        await().atMost(Duration.ofSeconds(5)).until(() -> subscriptions.size() == 2);
        assertThat(stream.lastDisconnect()).startsWith("no pong for");
        assertThat(server.wsApi().connections()).hasSizeGreaterThanOrEqualTo(2);
        server.exchange().deposit("USDT", "3");
        await().atMost(Duration.ofSeconds(5)).until(() -> events.stream().anyMatch(e -> e instanceof BalanceUpdate));
    }

    @Test
    void theServersPingFramesAreAnsweredWithPongs() throws Exception {
        open(hmac(), fast());
        server.wsApi().pingEvery(50);
        LocalWsApi.Conn c = server.wsApi().openConnections().get(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> c.pongs() >= 3);
    }

    @Test
    void aSubscribeRefusedForItsTimestampResyncsTheClockAndSucceeds() throws Exception {
        server.clockSkewMs(-30_000);
        io.aquatrade.exchange.binance.http.BinanceHttp http = new io.aquatrade.exchange.binance.http.BinanceHttp(vertx,
                io.aquatrade.exchange.binance.http.BinanceHttp.Settings.defaults(server.restUrl()), hmac(),
                LocalBinance.throttle(), System::currentTimeMillis, null);
        stream = new BinanceUserStream(vertx, fast(), hmac(), http::serverNowMs, null, new BinanceUserStream.Listener() {
            @Override
            public void onExecutionReport(ExecutionReport report) {
            }

            @Override
            public void onAccountPosition(AccountPosition position) {
            }

            @Override
            public void onBalanceUpdate(BalanceUpdate update) {
            }
        });
        stream.setClockResync(() -> http.syncTime().mapEmpty());
        stream.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(http.serverTimeOffsetMs()).isBetween(-30_500L, -29_500L); // within the round trip of the time request
        assertThat(server.wsApi().connections().stream().mapToLong(c -> c.received().size()).sum()).isGreaterThanOrEqualTo(2);
        http.close();
    }

    @Test
    void aConnectionIsReplacedBeforeItsLifetimeEnds() throws Exception {
        open(hmac(), fast().withRotateAfterMs(500));
        await().atMost(Duration.ofSeconds(5)).until(() -> subscriptions.size() >= 2);
        assertThat(stream.lastDisconnect()).isEqualTo("rotation");
        await().atMost(Duration.ofSeconds(5)).until(() -> server.wsApi().openConnections().size() == 1);
    }

    @Test
    void aRateLimitedSubscribeWaitsForTheWebSocketApisRetryAfter() throws Exception {
        open(hmac(), fast());
        long retryAfter = server.serverTimeMs() + 1_500;
        server.wsApi().refuseNextSubscribe(retryAfter);
        server.wsApi().dropConnections();
        await().atMost(Duration.ofSeconds(6)).until(() -> subscriptions.size() == 2);
        assertThat(server.serverTimeMs()).isGreaterThanOrEqualTo(retryAfter);
        // the refused attempt, then nothing until retryAfter: one connection in between, not a burst
        assertThat(server.wsApi().connections()).hasSize(3);
    }

    @Test
    void settingsRefusePlainWsOffLoopback() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BinanceUserStream.Settings.defaults("ws://ws-api.binance.com/ws-api/v3"))
                .hasMessageContaining("loopback");
        assertThat(BinanceUserStream.Settings.defaults("wss://ws-api.binance.com:443/ws-api/v3").url()).contains("ws-api");
    }
}
