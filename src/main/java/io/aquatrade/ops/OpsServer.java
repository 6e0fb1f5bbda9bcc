package io.aquatrade.ops;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The HTTP surface: {@code /} status page, {@code /api/status}, {@code /health}, {@code /metrics}.
 * Binds to the configured host, 127.0.0.1 by default.
 */
public final class OpsServer {

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    private final Vertx vertx;
    private final PrometheusMeterRegistry registry;
    private final Supplier<TradingStatus> status;
    private final String statusPage;
    private HttpServer server;

    public OpsServer(Vertx vertx, PrometheusMeterRegistry registry, Supplier<TradingStatus> status) {
        this.vertx = vertx;
        this.registry = registry;
        this.status = status;
        this.statusPage = resource("/ops/status.html");
    }

    public Future<Integer> start(String host, int port) {
        Router router = Router.router(vertx);
        router.get("/health").handler(this::health);
        router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
        router.get("/api/status").handler(ctx -> json(ctx, status.get()));
        router.get("/").handler(ctx -> ctx.response().putHeader("content-type", "text/html; charset=utf-8")
                .putHeader("cache-control", "no-store").end(statusPage));
        return vertx.createHttpServer().requestHandler(router).listen(port, host).map(s -> {
            server = s;
            return s.actualPort();
        });
    }

    private void health(RoutingContext ctx) {
        TradingStatus s = status.get();
        boolean up = !"failed".equals(s.phase());
        ctx.response().setStatusCode(up ? 200 : 503).putHeader("content-type", "application/json")
                .end("{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"phase\":\"" + s.phase() + "\"}");
    }

    static void json(RoutingContext ctx, Object body) {
        try {
            ctx.response().putHeader("content-type", "application/json").putHeader("cache-control", "no-store")
                    .end(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            ctx.fail(500, e);
        }
    }

    public Future<Void> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    private static String resource(String path) {
        try (InputStream in = OpsServer.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
