package io.aquatrade.ops;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The event-driven meters as Prometheus scrapes them. */
class OpsMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final OpsMetrics metrics = new OpsMetrics(registry, "1.2.3");
    private final AtomicLong wall = new AtomicLong(1_700_000_000_000L);

    private double value(String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(registry.scrape());
        assertThat(m.find()).as(series).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void knownLabelValuesExistAtZeroAndNewOnesAppearWhenSeen() {
        assertThat(value("aquatrade_orders_total{outcome=\"rejected\",side=\"SELL\"}")).isZero();
        assertThat(value("aquatrade_order_rejections_total{code=\"-2010\"}")).isZero();
        assertThat(value("aquatrade_intents_refused_total{reason=\"kill_switch_halted\"}")).isZero();
        assertThat(value("aquatrade_build_info{version=\"1.2.3\"}")).isEqualTo(1.0);
        metrics.orders("SELL", "rejected").increment();
        metrics.rejection(-1111).increment();
        metrics.refusal("max_open_positions").increment(3);
        assertThat(value("aquatrade_orders_total{outcome=\"rejected\",side=\"SELL\"}")).isEqualTo(1.0);
        assertThat(value("aquatrade_order_rejections_total{code=\"-1111\"}")).isEqualTo(1.0);
        assertThat(value("aquatrade_intents_refused_total{reason=\"max_open_positions\"}")).isEqualTo(3.0);
        assertThat(metrics.orders("BUY", "sent")).isSameAs(metrics.orders("BUY", "sent"));
        assertThatThrownBy(() -> metrics.orders("SHORT", "sent")).hasMessageContaining("SHORT");
        assertThatThrownBy(() -> metrics.websocketEvents("depth")).hasMessageContaining("depth");
    }

    @Test
    void histogramsPublishBuckets() {
        metrics.orderLatency().record(Duration.ofMillis(3));
        metrics.decisionTime().record(Duration.ofNanos(200_000));
        String text = registry.scrape();
        assertThat(text).contains("# TYPE aquatrade_order_latency_seconds histogram")
                .contains("aquatrade_order_latency_seconds_bucket{le=\"+Inf\"} 1")
                .contains("aquatrade_decision_seconds_bucket{le=\"+Inf\"} 1");
        assertThat(value("aquatrade_order_latency_seconds_sum")).isEqualTo(0.003);
    }

    @Test
    void a418BanShowsInTheGaugeAndNotifiesOncePerBan() {
        List<String> notices = new ArrayList<>();
        ExchangeHealth health = new ExchangeHealth(metrics, wall::get, notices::add);
        assertThat(value("aquatrade_exchange_banned")).isZero();
        health.onHttpStatus(429, 0);
        health.onHttpStatus(503, 0);
        health.onHttpStatus(404, 0);
        health.onHttpStatus(200, 0);
        assertThat(value("aquatrade_exchange_http_errors_total{status=\"429\"}")).isEqualTo(1.0);
        assertThat(value("aquatrade_exchange_http_errors_total{status=\"5xx\"}")).isEqualTo(1.0);
        assertThat(value("aquatrade_exchange_http_errors_total{status=\"418\"}")).isZero();
        health.onHttpStatus(418, 120_000);
        health.onHttpStatus(418, 60_000);
        assertThat(value("aquatrade_exchange_banned")).isEqualTo(1.0);
        assertThat(value("aquatrade_exchange_http_errors_total{status=\"418\"}")).isEqualTo(2.0);
        assertThat(notices).containsExactly("Binance banned this IP (HTTP 418) for 120 s");
        wall.addAndGet(119_000);
        assertThat(health.banned()).isTrue();
        wall.addAndGet(1_000);
        assertThat(value("aquatrade_exchange_banned")).isZero();
        health.onHttpStatus(418, 5_000);
        assertThat(notices).hasSize(2);
    }

    @Test
    void streamAgeCountsFromStartUntilTheFirstMessageThenFromTheLast() {
        StreamHealth streams = new StreamHealth(registry, wall::get);
        StreamHealth.Stream s = streams.stream("btcusdt@aggTrade");
        wall.addAndGet(5_000);
        assertThat(value("aquatrade_stream_last_message_age_seconds{stream=\"btcusdt@aggTrade\"}")).isEqualTo(5.0);
        s.onMessages(10);
        wall.addAndGet(1_500);
        assertThat(value("aquatrade_stream_last_message_age_seconds{stream=\"btcusdt@aggTrade\"}")).isEqualTo(1.5);
        s.onReconnect();
        assertThat(value("aquatrade_stream_reconnects_total{stream=\"btcusdt@aggTrade\"}")).isEqualTo(1.0);
        assertThat(streams.stream("btcusdt@aggTrade")).isSameAs(s);
        StreamHealth.StreamRow row = streams.rows().get(0);
        assertThat(row.messages()).isEqualTo(10);
        assertThat(row.reconnects()).isEqualTo(1);
        assertThat(row.ageSeconds()).isEqualTo(1.5);
    }

    @Test
    void eventLoopsReportLagAndQueueLength() {
        Vertx vertx = Vertx.vertx();
        try {
            EventLoopMetrics m = EventLoopMetrics.bind(vertx, registry, 50);
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.scrape().contains("aquatrade_event_loop_lag_seconds{loop=\"0\"}")
                    && value("aquatrade_event_loop_lag_seconds{loop=\"0\"}") > 0);
            assertThat(registry.scrape()).contains("aquatrade_event_loop_pending_tasks{loop=\"0\"}");
            m.stop();
        } finally {
            vertx.close().await();
        }
    }
}
