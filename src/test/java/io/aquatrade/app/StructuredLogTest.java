package io.aquatrade.app;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquatrade.exchange.OrderRequest;
import io.aquatrade.model.Fill;
import io.aquatrade.model.Side;
import io.aquatrade.ops.OpsMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped logback.xml: AQUATRADE_LOG_FORMAT=json gives one JSON object per line, and every order
 * event carries its client order id (the per-order correlation id) in the MDC; text mode shows it too.
 */
class StructuredLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void jsonLinesCarryTheClientOrderIdOfEveryOrderEvent() throws Exception {
        String out = logOrderLifecycle("json");
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.split("\\R")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line)); // every line is a JSON object
            }
        }
        List<JsonNode> orders = lines.stream().filter(n -> "io.aquatrade.orders".equals(n.path("loggerName").asText())).toList();
        assertThat(orders).hasSize(2);
        assertThat(orders).allSatisfy(n -> {
            assertThat(n.path("mdc").path("clientOrderId").asText()).isEqualTo("aqtest-1");
            assertThat(n.path("level").asText()).isEqualTo("INFO");
            assertThat(n.path("timestamp").asLong()).isPositive();
        });
        assertThat(orders.get(0).path("formattedMessage").asText()).isEqualTo(
                "order sent BUY BTCUSDT quote=100 reason=entry-echo-up");
        assertThat(orders.get(1).path("formattedMessage").asText()).startsWith("fill BUY BTCUSDT qty=0.00333 price=30000");
        assertThat(MDC.get("clientOrderId")).as("the MDC is cleaned up after each event").isNull();
    }

    @Test
    void textLinesShowTheClientOrderIdToo() throws Exception {
        String out = logOrderLifecycle("text");
        assertThat(out).contains("io.aquatrade.orders [aqtest-1] - order sent BUY BTCUSDT quote=100 reason=entry-echo-up");
        assertThat(out).doesNotContain("[]");
    }

    @Test
    void theShippedConfigurationLoadsWithoutAStatusDump() throws Exception {
        // logback prints its whole status list at start as soon as one entry is a warning (the old unused appender)
        for (String format : new String[] {"text", "json"}) {
            LoggerContext ctx = new LoggerContext();
            System.setProperty("AQUATRADE_LOG_FORMAT", format);
            try {
                JoranConfigurator c = new JoranConfigurator();
                c.setContext(ctx);
                c.doConfigure(StructuredLogTest.class.getResource("/logback.xml"));
                assertThat(new ch.qos.logback.core.status.StatusUtil(ctx).getHighestLevel(0))
                        .as(format + ": " + ctx.getStatusManager().getCopyOfStatusList())
                        .isLessThan(ch.qos.logback.core.status.Status.WARN);
            } finally {
                System.clearProperty("AQUATRADE_LOG_FORMAT");
                ctx.stop();
            }
        }
    }

    @Test
    void httpRequestsToAVertxServerWithMicrometerLogNoGaugeWarning() throws Exception {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        io.vertx.core.Vertx vertx = null;
        try {
            configure(ctx);
            var registry = new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                    io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
            vertx = io.vertx.core.Vertx.builder().with(new io.vertx.core.VertxOptions().setMetricsOptions(
                            new io.vertx.micrometer.MicrometerMetricsOptions().setEnabled(true)))
                    .withMetrics(new io.vertx.micrometer.MicrometerMetricsFactory(registry)).build();
            int port = vertx.createHttpServer().requestHandler(r -> r.response().end("ok")).listen(0, "127.0.0.1")
                    .await().actualPort();
            for (int i = 0; i < 3; i++) { // a new client each time: a new connection, a new gauge registration
                java.net.http.HttpClient c = java.net.http.HttpClient.newHttpClient();
                assertThat(c.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/"))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("ok");
            }
            assertThat(registry.find("vertx.http.server.active.connections").gauges()).isNotEmpty();
        } finally {
            if (vertx != null) {
                vertx.close().await();
            }
            configure(ctx);
            System.setErr(err);
        }
        assertThat(buf.toString(StandardCharsets.UTF_8)).doesNotContain("already registered");
    }

    @Test
    void onlyTheChosenFormatWrites() throws Exception {
        String json = logOrderLifecycle("json");
        assertThat(json.lines().filter(l -> !l.isBlank())).allSatisfy(l -> assertThat(l).startsWith("{"));
        String text = logOrderLifecycle("text");
        assertThat(text).isNotBlank().doesNotContain("{\"");
    }

    /** Configures logging from the shipped logback.xml in {@code format}, logs an order's events, returns stderr. */
    private static String logOrderLifecycle(String format) throws Exception {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        System.setProperty("AQUATRADE_LOG_FORMAT", format);
        try {
            configure(ctx);
            RunObserver observer = new RunObserver(new OpsMetrics(new SimpleMeterRegistry(), "test"), n -> { }, true);
            observer.onOrderSent(new OrderRequest("aqtest-1", "BTCUSDT", Side.BUY, null, new BigDecimal("100"),
                    new BigDecimal("30000"), null, false, "entry-echo-up", 1_681_862_400_000L));
            observer.onFill(new Fill(1_681_862_401_000L, "BTCUSDT", Side.BUY, new BigDecimal("30000"),
                    new BigDecimal("0.00333"), new BigDecimal("99.9"), new BigDecimal("0.00000333"), "BTC", "aqtest-1",
                    "entry-echo-up", 42));
        } finally {
            System.clearProperty("AQUATRADE_LOG_FORMAT");
            configure(ctx);
            System.setErr(err);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    private static void configure(LoggerContext ctx) throws Exception {
        ctx.reset();
        JoranConfigurator c = new JoranConfigurator();
        c.setContext(ctx);
        c.doConfigure(StructuredLogTest.class.getResource("/logback.xml"));
    }
}
