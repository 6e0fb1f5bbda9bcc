package io.aquatrade.ops;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The webhook notifier against a real local HTTP server on 127.0.0.1 that fails when told to. */
class NotifierTest {

    private Vertx vertx;
    private HttpServer server;
    private final List<JsonObject> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    /** request number (1-based) -> HTTP status to answer */
    private volatile IntUnaryOperator answer = n -> 200;
    private SimpleMeterRegistry registry;

    @BeforeEach
    void startServer() {
        vertx = Vertx.vertx();
        registry = new SimpleMeterRegistry();
        server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
            int n = requests.incrementAndGet();
            int status = answer.applyAsInt(n);
            if (status == 200) {
                JsonObject body = b.toJsonObject();
                body.put("_path", req.path()).put("_contentType", req.getHeader("content-type"));
                received.add(body);
            }
            req.response().setStatusCode(status).end(status == 200 ? "{\"ok\":true}" : "{\"ok\":false}");
        })).listen(0, "127.0.0.1").await();
    }

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    private Notifier notifier(Notifier.Format format, int attempts, int queue) {
        return new Notifier(vertx, registry, new Notifier.Settings("http://127.0.0.1:" + server.actualPort() + "/bot123:ABC/sendMessage",
                format, "-100200300", "bot-a", "paper", attempts, 20, 100, queue, 5_000));
    }

    private double count(String result) {
        return registry.get("aquatrade.notifications").tag("result", result).counter().count();
    }

    @Test
    void retriesWithBackoffUntilTheWebhookTakesIt() {
        answer = n -> n <= 3 ? 500 : 200; // the first three attempts fail
        Notifier notifier = notifier(Notifier.Format.JSON, 6, 10);
        notifier.accept(new Notice("kill_switch", "critical", "Kill switch HALTED (operator: test)",
                Map.of("to", "HALTED", "from", "ACTIVE")));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
        assertThat(requests.get()).isEqualTo(4);
        JsonObject body = received.get(0);
        assertThat(body.getString("event")).isEqualTo("kill_switch");
        assertThat(body.getString("severity")).isEqualTo("critical");
        assertThat(body.getString("text")).isEqualTo("Kill switch HALTED (operator: test)");
        assertThat(body.getString("instance")).isEqualTo("bot-a");
        assertThat(body.getString("mode")).isEqualTo("paper");
        assertThat(body.getJsonObject("fields").getString("to")).isEqualTo("HALTED");
        assertThat(body.getString("time")).isNotBlank();
        assertThat(body.getString("_contentType")).isEqualTo("application/json");
        await().until(() -> count("sent") == 1.0);
        assertThat(count("failed")).isZero();
        assertThat(count("dropped")).isZero();
    }

    @Test
    void givesUpAfterMaxAttemptsAndCountsTheFailureThenDeliversTheNext() {
        answer = n -> n <= 3 ? 503 : 200;
        Notifier notifier = notifier(Notifier.Format.JSON, 3, 10);
        notifier.accept(Notice.info("start", "first"));
        notifier.accept(Notice.info("stop", "second"));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
        assertThat(received.get(0).getString("text")).isEqualTo("second");
        await().until(() -> count("failed") == 1.0 && count("sent") == 1.0);
        assertThat(requests.get()).isEqualTo(4);
    }

    @Test
    void aRequestTheWebhookRefusesIsNotRetried() {
        answer = n -> n == 1 ? 400 : 200;
        Notifier notifier = notifier(Notifier.Format.JSON, 6, 10);
        notifier.accept(Notice.info("start", "bad"));
        notifier.accept(Notice.info("stop", "good"));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
        assertThat(received.get(0).getString("text")).isEqualTo("good");
        assertThat(requests.get()).isEqualTo(2);
        await().until(() -> count("failed") == 1.0);
    }

    @Test
    void telegramFormatPostsSendMessageBody() {
        Notifier notifier = notifier(Notifier.Format.TELEGRAM, 3, 10);
        notifier.accept(new Notice("exchange_ban", "critical", "Binance banned this IP (HTTP 418) for 120 s", Map.of()));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
        JsonObject body = received.get(0);
        assertThat(body.getString("_path")).isEqualTo("/bot123:ABC/sendMessage");
        assertThat(body.getString("chat_id")).isEqualTo("-100200300");
        assertThat(body.getString("text")).isEqualTo("[bot-a · paper] CRITICAL: Binance banned this IP (HTTP 418) for 120 s");
        assertThat(body.fieldNames()).containsExactlyInAnyOrder("chat_id", "text", "disable_web_page_preview", "_path",
                "_contentType");
    }

    @Test
    void aFullQueueDropsTheOldestAndNeverBlocksTheCaller() {
        answer = n -> 500; // the webhook is down: everything waits in the queue
        Notifier notifier = new Notifier(vertx, registry, new Notifier.Settings("http://127.0.0.1:" + server.actualPort()
                + "/hook", Notifier.Format.JSON, "", "bot", "live", 1000, 200, 200, 5, 5_000));
        for (int i = 0; i < 1000; i++) {
            notifier.accept(Notice.info("start", "n" + i));
        }
        // the caller got all 1000 calls back while not one delivery had succeeded: it never waited for the webhook
        assertThat(received).isEmpty();
        // one in flight, five queued, the rest dropped
        await().atMost(Duration.ofSeconds(10)).until(() -> count("dropped") == 994.0);
        answer = n -> 200; // the webhook recovers: what was kept arrives, and it is the newest
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 6);
        List<String> texts = received.stream().map(b -> b.getString("text")).toList();
        assertThat(texts).containsExactly("n0", "n995", "n996", "n997", "n998", "n999");
        // the counter moves once the webhook's answer is in, a moment after the body arrived
        await().atMost(Duration.ofSeconds(10)).until(() -> count("sent") == 6.0);
        assertThat(count("sent")).isEqualTo(6.0);
    }

    @Test
    void closeWaitsForTheQueueToDrain() {
        answer = n -> n == 1 ? 500 : 200;
        Notifier notifier = notifier(Notifier.Format.JSON, 3, 10);
        notifier.accept(Notice.info("stop", "bye"));
        notifier.close(5_000).await();
        assertThat(received).hasSize(1);
        assertThat(count("sent")).isEqualTo(1.0);
        notifier.accept(Notice.info("start", "after close"));
        await().until(() -> count("dropped") == 1.0);
    }

    @Test
    void withoutAUrlNoticesAreOnlyLogged() {
        Notifier notifier = new Notifier(vertx, registry, new Notifier.Settings("", Notifier.Format.JSON, "", "bot",
                "replay", 3, 10, 100, 10, 1000));
        notifier.accept(Notice.info("start", "hello"));
        notifier.close(1000).await();
        assertThat(requests.get()).isZero();
        assertThat(count("sent") + count("failed") + count("dropped")).isZero();
    }

    @Test
    void aMalformedUrlIsRefusedShowingNoMoreThanItsSchemeAndHost() {
        // a Telegram URL holds the bot token in its path; a stray space makes it malformed
        assertThatThrownBy(() -> new Notifier.Settings("https://api.telegram.org/bot123:SECRETTOKEN x/sendMessage",
                Notifier.Format.JSON, "", "b", "m", 3, 1, 2, 1, 1))
                .hasMessageContaining("https://api.telegram.org/").hasMessageNotContaining("SECRETTOKEN")
                .hasMessageNotContaining("bot123").hasMessageNotContaining("sendMessage");
        assertThatThrownBy(() -> new Notifier.Settings("ftp://user:PASSWORD@files.example/bot123:SECRETTOKEN",
                Notifier.Format.JSON, "", "b", "m", 3, 1, 2, 1, 1))
                .hasMessageContaining("ftp://files.example/").hasMessageNotContaining("SECRETTOKEN")
                .hasMessageNotContaining("PASSWORD");
        Notifier.Settings ok = new Notifier.Settings("https://api.telegram.org/bot123:SECRETTOKEN/sendMessage",
                Notifier.Format.TELEGRAM, "-100", "b", "m", 3, 1, 2, 1, 1);
        assertThat(ok.toString()).contains("https://api.telegram.org/").doesNotContain("SECRETTOKEN");
    }

    @Test
    void aFailedDeliveryIsLoggedWithoutTheUrlsPath() {
        // a webhook that takes the request and never answers: the client's timeout names the request it gave up on
        HttpServer silent = vertx.createHttpServer().requestHandler(req -> { }).listen(0, "127.0.0.1").await();
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Notifier.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
                new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            Notifier notifier = new Notifier(vertx, registry, new Notifier.Settings("http://127.0.0.1:"
                    + silent.actualPort() + "/bot123:SECRETTOKEN/sendMessage?key=QUERYSECRET", Notifier.Format.JSON, "",
                    "bot", "live", 1, 10, 10, 10, 300));
            notifier.accept(Notice.info("start", "hello"));
            await().atMost(Duration.ofSeconds(10)).until(() -> count("failed") == 1.0);
            String failure = lines.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.contains("not delivered")).findFirst().orElseThrow();
            assertThat(failure).contains("127.0.0.1").doesNotContain("SECRETTOKEN").doesNotContain("QUERYSECRET");
        } finally {
            logger.detachAppender(lines);
        }
    }

    @Test
    void settingsAreValidated() {
        assertThatThrownBy(() -> new Notifier.Settings("ftp://x/y", Notifier.Format.JSON, "", "b", "m", 3, 1, 2, 1, 1))
                .hasMessageContaining("http(s)");
        assertThatThrownBy(() -> new Notifier.Settings("https://api.telegram.org/botX/sendMessage", Notifier.Format.TELEGRAM,
                "", "b", "m", 3, 1, 2, 1, 1)).hasMessageContaining("notify.telegram_chat_id");
        assertThatThrownBy(() -> Notifier.Format.parse("xml", "notify.format")).hasMessageContaining("notify.format")
                .hasMessageContaining("xml");
        assertThat(Notifier.backoffMs(1, 1000, 60_000)).isEqualTo(1000);
        assertThat(Notifier.backoffMs(3, 1000, 60_000)).isEqualTo(4000);
        assertThat(Notifier.backoffMs(30, 1000, 60_000)).isEqualTo(60_000);
    }
}
