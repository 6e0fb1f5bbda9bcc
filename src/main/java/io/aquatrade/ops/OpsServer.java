package io.aquatrade.ops;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquatrade.model.KillSwitchLevel;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The HTTP surface, on a Vert.x Web server bound to 127.0.0.1 unless configured otherwise:
 * <ul>
 *   <li>{@code GET /} the status page ({@code /status.js}, {@code /status.css}: no CDN, works offline)</li>
 *   <li>{@code GET /api/status}, {@code /api/positions}, {@code /api/trades}, {@code /api/rules}</li>
 *   <li>{@code POST /api/kill} {@code {"level":"REDUCING|HALTED","reason":"..."}}, {@code POST /api/resume}
 *       {@code {"reason":"..."}}, {@code POST /api/rules/reload}: each needs {@code Authorization: Bearer <token>};
 *       without a configured token they are refused with 403</li>
 *   <li>{@code GET /health} 200 while the bot runs, 503 when it failed or its status stopped refreshing</li>
 *   <li>{@code GET /metrics} Prometheus</li>
 * </ul>
 */
public final class OpsServer {

    private static final Logger log = LoggerFactory.getLogger(OpsServer.class);
    /**
     * Every endpoint writes a decimal the same way: plain, without trailing zeros (a BUY's realised 0 at the
     * portfolio's scale 14 as 0, a price of 0.41630000 as 0.4163), the value itself exact.
     */
    static final ObjectMapper JSON = new ObjectMapper().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .registerModule(new com.fasterxml.jackson.databind.module.SimpleModule("aquatrade-decimals")
                    .addSerializer(java.math.BigDecimal.class, new com.fasterxml.jackson.databind.ser.std.StdSerializer<>(
                            java.math.BigDecimal.class) {
                        @Override
                        public void serialize(java.math.BigDecimal v, JsonGenerator gen,
                                              com.fasterxml.jackson.databind.SerializerProvider p) throws IOException {
                            gen.writeNumber(v.stripTrailingZeros());
                        }
                    }));
    /** A status not refreshed for this long means the trading thread is stuck: /health answers 503. */
    public static final long STALE_STATUS_MS = 30_000;
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final Vertx vertx;
    private final PrometheusMeterRegistry registry;
    private final Supplier<TradingStatus> status;
    private final ControlPort control;
    private final ControlToken token;
    private final Map<String, String> assets = new LinkedHashMap<>();
    private HttpServer server;
    private java.util.Set<String> allowedHosts = java.util.Set.of();
    /** Largest request body read (kill/resume/reload bodies are a few bytes of JSON). */
    static final int MAX_BODY_BYTES = 16 * 1024;

    public OpsServer(Vertx vertx, PrometheusMeterRegistry registry, Supplier<TradingStatus> status, ControlPort control,
                     ControlToken token) {
        this.vertx = vertx;
        this.registry = registry;
        this.status = status;
        this.control = control;
        this.token = token;
        assets.put("/", resource("/ops/status.html"));
        assets.put("/status.js", resource("/ops/status.js"));
        assets.put("/status.css", resource("/ops/status.css"));
    }

    private volatile Supplier<String> healthProblem = () -> null;

    /**
     * A check of its own for {@code /health}, read on the HTTP event loop (so it must not need the trading
     * thread): a non-null answer is the problem, and {@code /health} answers 503 with it.
     */
    public OpsServer healthProblem(Supplier<String> problem) {
        this.healthProblem = Objects.requireNonNull(problem, "problem");
        return this;
    }

    /**
     * Host names, besides the bound address, that requests may name in their {@code Host} header
     * ({@code ops.allowed_hosts}, e.g. the name a reverse proxy uses); call before {@link #start}.
     */
    public OpsServer allowHosts(java.util.Collection<String> names) {
        java.util.Set<String> s = new java.util.TreeSet<>();
        for (String n : names) {
            if (n != null && !n.isBlank()) {
                s.add(n.trim().toLowerCase(Locale.ROOT));
            }
        }
        allowedHosts = java.util.Set.copyOf(s);
        return this;
    }

    public Future<Integer> start(String host, int port) {
        Router router = Router.router(vertx);
        HostCheck hosts = new HostCheck(host, allowedHosts);
        // First, before anything is read or answered: a page on another site that rebinds its own name to
        // this address sends its name as Host, so only the bound address (and configured names) are served.
        router.route().handler(ctx -> {
            String h = ctx.request().getHeader("host");
            if (!hosts.allows(h)) {
                log.warn("refused {} {} from {}: Host '{}' is not this server's", ctx.request().method(),
                        ctx.request().path(), ctx.request().remoteAddress(), h);
                ctx.response().putHeader("connection", "close");
                error(ctx, 421, "Host '" + (h == null ? "" : h) + "' is not served here (set ops.allowed_hosts to add a name)");
                return;
            }
            ctx.next();
        });
        router.route().handler(ctx -> {
            ctx.response().putHeader("x-content-type-options", "nosniff").putHeader("referrer-policy", "no-referrer");
            ctx.next();
        });
        router.get("/health").handler(this::health);
        router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
        router.get("/api/status").handler(ctx -> json(ctx, 200, statusBody()));
        router.get("/api/positions").handler(this::positions);
        router.get("/api/trades").handler(ctx -> json(ctx, 200, Map.of("trades", status.get().latestTrades())));
        router.get("/api/rules").handler(ctx -> json(ctx, 200, control.rulesDetail()));
        // Authorization before any body handling; the body handler then reads at most a few KB into memory
        // and never writes an upload to disk.
        router.post("/api/*").handler(this::authorize);
        router.post("/api/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES)
                .setDeleteUploadedFilesOnEnd(true));
        router.post("/api/kill").handler(this::kill);
        router.post("/api/resume").handler(this::resume);
        router.post("/api/rules/reload").handler(this::reload);
        asset(router, "/", "text/html; charset=utf-8");
        asset(router, "/status.js", "text/javascript; charset=utf-8");
        asset(router, "/status.css", "text/css; charset=utf-8");
        router.route("/api/*").handler(ctx -> error(ctx, 404, "no such endpoint: " + ctx.request().method() + " "
                + ctx.request().path()));
        // No cleartext HTTP/2 upgrade: Vert.x's h2c upgrade path broke off the ~40 KB /metrics body
        // (curl: HTTP/2 framing error; the JDK HttpClient hung). Scrapers and browsers use HTTP/1.1 here.
        HttpServerOptions options = new HttpServerOptions().setHttp2ClearTextEnabled(false);
        return vertx.createHttpServer(options).requestHandler(router).listen(port, host).map(s -> {
            server = s;
            log.info("ops server on http://{}:{}/ (control API {})", host, s.actualPort(),
                    token.configured() ? "enabled, token from " + token.source().orElse("?") : "disabled: no control token");
            return s.actualPort();
        });
    }

    /** The status, plus whether this server's control API can change anything (the page disables its buttons). */
    private JsonNode statusBody() {
        com.fasterxml.jackson.databind.node.ObjectNode n = JSON.valueToTree(status.get());
        n.put("controlEnabled", token.configured());
        if (!token.configured()) {
            n.put("controlDisabledReason", NO_TOKEN);
        }
        return n;
    }

    private static final String NO_TOKEN = "control API disabled: no control token is configured (set the environment "
            + "variable named by ops.control_token_env, AQUATRADE_CONTROL_TOKEN by default, a file named by its _FILE twin, "
            + "or ops.control_token_file)";

    private void asset(Router router, String path, String type) {
        String body = assets.get(path);
        router.get(path).handler(ctx -> {
            var r = ctx.response().putHeader("content-type", type).putHeader("cache-control", "no-store");
            if (path.equals("/")) {
                r.putHeader("content-security-policy", CSP);
            }
            r.end(body);
        });
    }

    private void health(RoutingContext ctx) {
        TradingStatus s = status.get();
        long age = System.currentTimeMillis() - s.wallMs();
        String extra = healthProblem.get();
        String problem = extra != null ? extra : "failed".equals(s.phase()) ? "the run failed"
                : age > STALE_STATUS_MS ? "status not refreshed for " + age / 1000 + " s (trading thread stuck?)" : null;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", problem == null ? "UP" : "DOWN");
        body.put("phase", s.phase());
        body.put("mode", s.mode());
        body.put("killSwitch", s.killSwitch());
        if (problem != null) {
            body.put("problem", problem);
        }
        json(ctx, problem == null ? 200 : 503, body);
    }

    private void positions(RoutingContext ctx) {
        TradingStatus s = status.get();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("positions", s.positions());
        body.put("exposureBySymbol", s.exposureBySymbol());
        body.put("maxSymbolExposure", s.maxSymbolExposure());
        body.put("maxPositionQuote", s.maxPositionQuote());
        body.put("exposure", s.exposure());
        body.put("maxTotalExposure", s.maxTotalExposure());
        body.put("openPositions", s.openPositions());
        body.put("maxOpenPositions", s.maxOpenPositions());
        json(ctx, 200, body);
    }

    // ------------------------------------------------------------------ control

    private void authorize(RoutingContext ctx) {
        String length = ctx.request().getHeader("content-length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > MAX_BODY_BYTES) {
                    ctx.response().putHeader("connection", "close");
                    error(ctx, 413, "request body larger than " + MAX_BODY_BYTES + " bytes");
                    return;
                }
            } catch (NumberFormatException e) {
                error(ctx, 400, "bad Content-Length");
                return;
            }
        }
        String who = ctx.request().remoteAddress() == null ? "?" : ctx.request().remoteAddress().hostAddress();
        if (!token.configured()) {
            log.warn("refused {} {} from {}: no control token configured", ctx.request().method(), ctx.request().path(), who);
            error(ctx, 403, NO_TOKEN);
            return;
        }
        String h = ctx.request().getHeader("authorization");
        String presented = h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7) : null;
        if (!token.matches(presented)) {
            log.warn("refused {} {} from {}: {}", ctx.request().method(), ctx.request().path(), who,
                    presented == null ? "no bearer token" : "wrong token");
            ctx.response().putHeader("www-authenticate", "Bearer realm=\"aquatrade\"");
            error(ctx, 401, presented == null ? "Authorization: Bearer <token> required" : "wrong token");
            return;
        }
        ctx.next();
    }

    private void kill(RoutingContext ctx) {
        JsonNode body = body(ctx);
        if (body == null) {
            return;
        }
        String levelText = body.path("level").asText("");
        KillSwitchLevel level;
        try {
            level = KillSwitchLevel.valueOf(levelText.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            error(ctx, 400, "level must be REDUCING or HALTED, got '" + levelText + "'");
            return;
        }
        if (level == KillSwitchLevel.ACTIVE) {
            error(ctx, 400, "level ACTIVE: use POST /api/resume");
            return;
        }
        String reason = reason(body);
        log.warn("operator sets kill switch {}: {}", level, reason);
        answer(ctx, control.kill(level, reason), l -> Map.of("killSwitch", l.name()));
    }

    private void resume(RoutingContext ctx) {
        JsonNode body = body(ctx);
        if (body == null) {
            return;
        }
        String reason = reason(body);
        log.warn("operator resumes trading: {}", reason);
        answer(ctx, control.resume(reason), l -> Map.of("killSwitch", l.name()));
    }

    private void reload(RoutingContext ctx) {
        log.info("operator requests a rules reload via API");
        answer(ctx, control.requestRulesReload(), r -> r);
    }

    private <T> void answer(RoutingContext ctx, CompletionStage<T> stage, Function<T, Object> body) {
        stage.whenComplete((v, err) -> {
            Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                    ? err.getCause() : err;
            if (cause instanceof ControlPort.Refused) {
                error(ctx, 409, cause.getMessage());
            } else if (err != null) {
                error(ctx, 500, String.valueOf(cause.getMessage()));
            } else {
                Object b = body.apply(v);
                int code = b instanceof ControlPort.ReloadOutcome r && !r.succeeded() ? 422 : 200;
                json(ctx, code, b);
            }
        });
    }

    /**
     * The cause recorded without a reason: the status and the notices print it after the source ("operator: ..."),
     * so it says how, not who again.
     */
    static final String NO_REASON = "via the control API, no reason given";

    private static String reason(JsonNode body) {
        String r = body.path("reason").asText("").trim();
        if (r.length() > 200) {
            r = r.substring(0, 200);
        }
        return r.isEmpty() ? NO_REASON : r.replaceAll("\\p{Cntrl}", " ");
    }

    /** The JSON body (an empty body reads as {}); null after answering 400. */
    private static JsonNode body(RoutingContext ctx) {
        String text = ctx.body() == null ? null : ctx.body().asString();
        if (text == null || text.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode n = JSON.readTree(text);
            if (n == null || !n.isObject()) {
                error(ctx, 400, "body must be a JSON object");
                return null;
            }
            return n;
        } catch (JsonProcessingException e) {
            error(ctx, 400, "body is not valid JSON: " + e.getOriginalMessage());
            return null;
        }
    }

    /** Which {@code Host} headers this server answers: its bound address, localhost on loopback, configured names. */
    static final class HostCheck {
        private final java.util.Set<String> names = new java.util.HashSet<>();
        private final boolean anyAddress;

        HostCheck(String boundHost, java.util.Set<String> configured) {
            String b = boundHost.trim().toLowerCase(Locale.ROOT);
            anyAddress = b.equals("0.0.0.0") || b.equals("::") || b.equals("[::]");
            names.add(stripBrackets(b));
            if (b.equals("127.0.0.1") || b.equals("::1") || b.equals("[::1]") || b.equals("localhost")) {
                names.add("localhost");
                names.add("127.0.0.1");
                names.add("::1");
            }
            names.addAll(configured);
        }

        boolean allows(String hostHeader) {
            if (hostHeader == null || hostHeader.isBlank()) {
                return false;
            }
            String h = hostHeader.trim().toLowerCase(Locale.ROOT);
            String name;
            if (h.startsWith("[")) { // [v6]:port
                int end = h.indexOf(']');
                if (end < 0) {
                    return false;
                }
                name = h.substring(1, end);
            } else {
                int colon = h.lastIndexOf(':');
                name = colon >= 0 && h.indexOf(':') == colon ? h.substring(0, colon) : h;
            }
            if (names.contains(name)) {
                return true;
            }
            // bound to every interface: an address literal is not a rebinding (that needs a name)
            return anyAddress && isAddressLiteral(name);
        }

        private static boolean isAddressLiteral(String s) {
            return s.matches("\\d{1,3}(\\.\\d{1,3}){3}") || (s.contains(":") && s.matches("[0-9a-f:.]+"));
        }

        private static String stripBrackets(String s) {
            return s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        }
    }

    static void error(RoutingContext ctx, int code, String message) {
        json(ctx, code, Map.of("error", message));
    }

    static void json(RoutingContext ctx, int code, Object body) {
        if (ctx.response().ended()) {
            return;
        }
        try {
            ctx.response().setStatusCode(code).putHeader("content-type", "application/json")
                    .putHeader("cache-control", "no-store").end(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            ctx.fail(500, e);
        }
    }

    public Future<Void> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    /** The routes served, for documentation and tests. */
    public static List<String> routes() {
        return List.of("GET /", "GET /health", "GET /metrics", "GET /api/status", "GET /api/positions", "GET /api/trades",
                "GET /api/rules", "POST /api/kill", "POST /api/resume", "POST /api/rules/reload");
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
