package io.aquatrade.exchange.binance;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A local Binance spot server on 127.0.0.1 (port 0) for protocol tests, speaking the documented REST API
 * (rest-api.md; BINANCE-NOTES.md): public market data, signed endpoints with signature and timestamp
 * checks (HMAC-SHA256 and Ed25519), request weights per minute in {@code X-MBX-USED-WEIGHT-1M}, 429 with
 * {@code Retry-After} past the weight limit and 418 for requests sent during that back-off, plus fault
 * injection (a scripted error answer, a dropped answer after the request was executed, a delay, clock skew).
 * The exchange itself (orders, balances, trades; resting LIMIT / LIMIT_MAKER / STOP_LOSS_LIMIT orders and SELL OCO
 * lists matched as Binance matches them, whether or not a client is connected), the WebSocket API and the combined
 * market streams are in {@link LocalExchange}, {@link LocalWsApi} and {@link LocalMarketStreams}.
 *
 * <p>All state is guarded by this object's monitor; handlers run on the server's event loop.
 */
public final class LocalBinanceServer implements AutoCloseable {

    static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    /** A request as the server saw it. */
    public record Recorded(String method, String path, Map<String, String> params, String apiKeyHeader,
                           boolean signatureValid, long serverTimeMs, int status) {
    }

    /** A scripted answer for the next request(s) to a path. */
    private record Fault(String path, int status, int code, String msg, Integer retryAfterSec, boolean drop, long delayMs,
                         boolean executeFirst) {
    }

    private final Vertx vertx;
    private final HttpServer server;
    final LocalExchange exchange;
    private final LocalWsApi wsApi;
    private final LocalMarketStreams marketStreams;
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final Map<String, List<String[]>> klines = new ConcurrentHashMap<>();
    private final Map<String, String> apiKeys = new ConcurrentHashMap<>();
    private final Map<String, byte[]> hmacSecrets = new ConcurrentHashMap<>();
    private final Map<String, PublicKey> publicKeys = new ConcurrentHashMap<>();
    private volatile String exchangeInfoJson;
    private volatile String ticker24hJson = "[]";
    private volatile long clockSkewMs;
    private volatile int weightLimitPerMinute = 6000;
    private volatile int retryAfterSec = 2;
    // weight accounting: Binance's fixed, clock-aligned one-minute window
    private long weightMinute = -1;
    private int weightUsed;
    private long backoffUntilMs;
    private long maxWeightSeenInAMinute;

    private LocalBinanceServer(Vertx vertx) throws Exception {
        this(vertx, 0);
    }

    private LocalBinanceServer(Vertx vertx, int port) throws Exception {
        this.vertx = vertx;
        this.exchange = new LocalExchange(this);
        this.wsApi = new LocalWsApi(this);
        this.marketStreams = new LocalMarketStreams(this);
        this.server = vertx.createHttpServer().requestHandler(this::handle).webSocketHandler(ws -> {
            if ("/stream".equals(ws.path())) {
                marketStreams.accept(ws);
            } else {
                wsApi.accept(ws);
            }
        });
        server.listen(port, "127.0.0.1").await(5, TimeUnit.SECONDS);
    }

    public static LocalBinanceServer start(Vertx vertx) throws Exception {
        return new LocalBinanceServer(vertx);
    }

    public String restUrl() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    public String wsApiUrl() {
        return "ws://127.0.0.1:" + server.actualPort() + "/ws-api/v3";
    }

    /** Base of the combined market streams ({@code <base>/stream?streams=…}): the {@code exchange.stream_url} to use. */
    public String streamUrl() {
        return "ws://127.0.0.1:" + server.actualPort();
    }

    public LocalMarketStreams marketStreams() {
        return marketStreams;
    }

    public int port() {
        return server.actualPort();
    }

    public LocalExchange exchange() {
        return exchange;
    }

    public LocalWsApi wsApi() {
        return wsApi;
    }

    Vertx vertx() {
        return vertx;
    }

    // ------------------------------------------------------------------ configuration

    /** Accounts: an HMAC key. */
    public LocalBinanceServer addHmacKey(String apiKey, String secret) {
        apiKeys.put(apiKey, "HMAC");
        hmacSecrets.put(apiKey, secret.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Accounts: an Ed25519 key (its public half, as Binance stores it). */
    public LocalBinanceServer addEd25519Key(String apiKey, PublicKey publicKey) {
        apiKeys.put(apiKey, "ED25519");
        publicKeys.put(apiKey, publicKey);
        return this;
    }

    /** The exchangeInfo document served (verbatim) by {@code GET /api/v3/exchangeInfo}. */
    public LocalBinanceServer exchangeInfo(String json) {
        this.exchangeInfoJson = json;
        exchange.useExchangeInfo(json);
        return this;
    }

    /** The array served by {@code GET /api/v3/ticker/24hr} (filtered by {@code symbol}/{@code symbols}). */
    public LocalBinanceServer ticker24h(String jsonArray) {
        this.ticker24hJson = jsonArray;
        return this;
    }

    /** Klines rows (Binance dump columns as text) served by {@code GET /api/v3/klines} for a symbol's 1m interval. */
    public LocalBinanceServer klines(String symbol, List<String[]> rows) {
        klines.put(symbol, new ArrayList<>(rows));
        return this;
    }

    /** The server's clock runs this far ahead of the local one (negative: behind). */
    public void clockSkewMs(long skew) {
        this.clockSkewMs = skew;
    }

    /**
     * Moves the server's clock to just past the start of a minute, so a test's requests all fall in one of
     * Binance's fixed one-minute weight windows (unsigned requests only: signed ones would see the skew).
     */
    public void startOfAWeightMinute() {
        long now = System.currentTimeMillis();
        long next = Math.floorDiv(now, 60_000L) * 60_000L + 60_000L;
        clockSkewMs(next + 100 - now);
    }

    public long serverTimeMs() {
        return System.currentTimeMillis() + clockSkewMs;
    }

    public void weightLimitPerMinute(int limit, int retryAfterSec) {
        this.weightLimitPerMinute = limit;
        this.retryAfterSec = retryAfterSec;
    }

    // ------------------------------------------------------------------ fault injection

    /** Weight used this minute by other clients on the same IP (the server counts it, the client cannot see it). */
    public synchronized void chargeWeight(int weight) {
        long minute = Math.floorDiv(serverTimeMs(), 60_000L);
        if (minute != weightMinute) {
            weightMinute = minute;
            weightUsed = 0;
        }
        weightUsed += weight;
    }

    /** The next request to {@code path} gets this error answer, without being executed. */
    public synchronized void failNext(String path, int status, int code, String msg, Integer retryAfterSec) {
        faults.add(new Fault(path, status, code, msg, retryAfterSec, false, 0, false));
    }

    /** The next request to {@code path} is executed, then its connection is closed without an answer. */
    public synchronized void dropNextResponse(String path) {
        faults.add(new Fault(path, 0, 0, null, null, true, 0, true));
    }

    /** The next request to {@code path} is executed, its answer held back for {@code delayMs}. */
    public synchronized void delayNext(String path, long delayMs) {
        faults.add(new Fault(path, 0, 0, null, null, false, delayMs, true));
    }

    /** The next request to {@code path} gets HTTP {@code status} (a 5xx) after being executed. */
    public synchronized void failNextAfterExecuting(String path, int status) {
        faults.add(new Fault(path, status, 0, null, null, false, 0, true));
    }

    /** The next request to {@code path} is executed, then answered HTTP 200 with a body that is not its answer. */
    public synchronized void answerNextUnreadably(String path) {
        faults.add(new Fault(path, 200, 0, null, null, false, 0, true));
    }

    public List<Recorded> requests() {
        return List.copyOf(requests);
    }

    public List<Recorded> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    /**
     * The most requests of {@code method path} the server received in any window of {@code windowMs} (sliding),
     * whatever their outcome: the exchange's own count, not the client's.
     */
    public int maxRequestsInAnyWindow(String method, String path, long windowMs) {
        List<Long> times = requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path))
                .map(Recorded::serverTimeMs).sorted().toList();
        int best = 0;
        int lo = 0;
        for (int hi = 0; hi < times.size(); hi++) {
            while (times.get(hi) - times.get(lo) >= windowMs) {
                lo++;
            }
            best = Math.max(best, hi - lo + 1);
        }
        return best;
    }

    /** The most weight counted in any one clock minute, by this server (not by the client). */
    public synchronized long maxWeightSeenInAMinute() {
        return maxWeightSeenInAMinute;
    }

    // ------------------------------------------------------------------ request handling

    private void handle(HttpServerRequest req) {
        req.body().onComplete(b -> {
            String body = b.succeeded() && b.result() != null ? b.result().toString(StandardCharsets.UTF_8) : "";
            try {
                dispatch(req, body);
            } catch (RuntimeException e) {
                reply(req, 500, error(-1000, "An unknown error occurred while processing the request. " + e), null);
            }
        });
    }

    private void dispatch(HttpServerRequest req, String body) {
        String path = req.path();
        if (path.startsWith("/_local/")) {
            control(req, path, parse(req.query()));
            return;
        }
        String rawQuery = req.query() == null ? "" : req.query();
        Map<String, String> params = parse(rawQuery);
        if (!body.isEmpty() && "application/x-www-form-urlencoded".equals(req.getHeader("content-type"))) {
            params.putAll(parse(body));
        }
        String method = req.method().name();
        long now = serverTimeMs();
        Fault fault;
        int weight = weight(method, path, params);
        synchronized (this) {
            fault = takeFault(path);
            long minute = Math.floorDiv(now, 60_000L);
            if (minute != weightMinute) {
                weightMinute = minute;
                weightUsed = 0;
            }
            if (now < backoffUntilMs) {
                // a request during a 429 back-off: Binance escalates to an IP ban
                weightUsed += weight;
                record(method, path, params, req, false, now, 418);
                replyBanned(req, 418, retryAfterSec * 2);
                return;
            }
            weightUsed += weight;
            maxWeightSeenInAMinute = Math.max(maxWeightSeenInAMinute, weightUsed);
            if (weightUsed > weightLimitPerMinute) {
                backoffUntilMs = now + retryAfterSec * 1000L;
                record(method, path, params, req, false, now, 429);
                replyBanned(req, 429, retryAfterSec);
                return;
            }
        }
        if (fault != null && !fault.executeFirst()) {
            record(method, path, params, req, false, now, fault.status());
            HttpServerResponse resp = req.response().setStatusCode(fault.status());
            if (fault.retryAfterSec() != null) {
                resp.putHeader("Retry-After", String.valueOf(fault.retryAfterSec()));
            }
            if (fault.status() == 429 || fault.status() == 418) {
                synchronized (this) {
                    backoffUntilMs = Math.max(backoffUntilMs, now + (fault.retryAfterSec() == null ? 0 : fault.retryAfterSec()) * 1000L);
                }
            }
            reply(req, fault.status(), error(fault.code(), fault.msg()), null);
            return;
        }
        Route route = route(method, path);
        if (route == null) {
            record(method, path, params, req, false, now, 404);
            reply(req, 404, error(-1000, "unknown endpoint " + method + " " + path), null);
            return;
        }
        boolean signatureOk = true;
        if (route.signed) {
            String problem = verify(req, rawQuery, body, params, now);
            signatureOk = problem == null;
            if (problem != null) {
                int code = problem.startsWith("-1021") ? -1021 : problem.startsWith("-2015") ? -2015
                        : problem.startsWith("-1102") ? -1102 : -1022;
                record(method, path, params, req, false, now, 400);
                reply(req, code == -2015 ? 401 : 400, error(code, problem.substring(problem.indexOf(' ') + 1)), null);
                return;
            }
        }
        Answer a;
        try {
            a = route.handler.answer(params);
        } catch (ExchangeError e) {
            a = new Answer(e.status, error(e.code, e.getMessage()), Map.of());
        }
        record(method, path, params, req, signatureOk, now, a.status);
        Answer answer = a;
        if (fault != null && fault.drop()) {
            req.connection().close();
            return;
        }
        if (fault != null && fault.status() >= 500) {
            reply(req, fault.status(), error(-1000, "An unknown error occurred while processing the request."), null);
            return;
        }
        if (fault != null && fault.status() == 200) {
            reply(req, 200, "{\"symbol\":", null); // cut off: valid HTTP, not JSON
            return;
        }
        if (fault != null && fault.delayMs() > 0) {
            vertx.setTimer(fault.delayMs(), id -> reply(req, answer.status, answer.body, answer.headers));
            return;
        }
        reply(req, answer.status, answer.body, answer.headers);
    }

    /**
     * Test controls over HTTP for a server run as its own process (a crash loop restarts the bot, not the exchange):
     * {@code POST /_local/drop-next-response?path=}, {@code /_local/book?symbol=&bid=&ask=},
     * {@code /_local/trade?symbol=&price=[&qty=]} (someone else's trade: moves the last price, matches resting orders),
     * {@code /_local/silent?on=},
     * {@code GET /_local/orders} (every order: client id, status, executed qty), {@code GET /_local/balances}.
     * Not part of Binance's API; the bot never calls these.
     */
    private void control(HttpServerRequest req, String path, Map<String, String> q) {
        ObjectNode out = JSON.createObjectNode();
        switch (path) {
            case "/_local/drop-next-response" -> dropNextResponse(q.getOrDefault("path", "/api/v3/order"));
            case "/_local/book" -> exchange.setBook(q.get("symbol"), q.get("bid"), q.get("ask"));
            case "/_local/trade" -> exchange.trade(q.get("symbol"), q.get("price"), q.get("qty"));
            case "/_local/silent" -> wsApi.silent(Boolean.parseBoolean(q.getOrDefault("on", "true")));
            case "/_local/orders" -> {
                ArrayNode a = out.putArray("orders");
                for (LocalExchange.Order o : exchange.orders()) {
                    ObjectNode n = a.addObject();
                    n.put("symbol", o.symbol);
                    n.put("clientOrderId", o.clientOrderId);
                    n.put("orderId", o.orderId);
                    n.put("side", o.side);
                    n.put("type", o.type);
                    n.put("status", o.status);
                    n.put("executedQty", o.executedQty.toPlainString());
                }
            }
            case "/_local/balances" -> {
                ObjectNode b = out.putObject("balances");
                for (String asset : exchange.assets()) {
                    b.put(asset, exchange.free(asset).add(exchange.locked(asset)).toPlainString());
                }
            }
            default -> {
                reply(req, 404, error(-1000, "unknown control " + path), null);
                return;
            }
        }
        reply(req, 200, out.toString(), null);
    }

    /**
     * Runs the server on its own, for tests that restart the bot as a process:
     * {@code --port N --api-key K --secret S --balance ASSET=AMOUNT... --book SYMBOL=BID/ASK...}. Prints its URLs
     * (rest, ws-api, stream) on one line and serves until killed.
     */
    public static void main(String[] args) throws Exception {
        int port = 0;
        String key = LocalBinance.DOC_API_KEY;
        String secret = LocalBinance.DOC_SECRET;
        List<String[]> balances = new ArrayList<>();
        List<String[]> books = new ArrayList<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--api-key" -> key = args[i + 1];
                case "--secret" -> secret = args[i + 1];
                case "--balance" -> balances.add(args[i + 1].split("="));
                case "--book" -> books.add(args[i + 1].split("[=/]"));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Vertx vertx = Vertx.vertx();
        LocalBinanceServer s = new LocalBinanceServer(vertx, port).addHmacKey(key, secret).exchangeInfo(LocalBinance.usdtExchangeInfo());
        for (String[] b : balances) {
            s.exchange().setBalance(b[0], b[1]);
        }
        for (String[] b : books) {
            s.exchange().setBook(b[0], b[1], b[2]);
        }
        System.out.println("rest=" + s.restUrl() + " ws-api=" + s.wsApiUrl() + " stream=" + s.streamUrl());
        System.out.flush();
        Thread.currentThread().join();
    }

    private synchronized Fault takeFault(String path) {
        for (var it = faults.iterator(); it.hasNext(); ) {
            Fault f = it.next();
            if (f.path().equals(path)) {
                it.remove();
                return f;
            }
        }
        return null;
    }

    private void record(String method, String path, Map<String, String> params, HttpServerRequest req, boolean sigOk,
                        long now, int status) {
        requests.add(new Recorded(method, path, Map.copyOf(params), req.getHeader("X-MBX-APIKEY"), sigOk, now, status));
    }

    private void replyBanned(HttpServerRequest req, int status, int retryAfter) {
        req.response().putHeader("Retry-After", String.valueOf(retryAfter));
        reply(req, status, error(-1003, status == 418
                ? "Way too much request weight used; IP banned until " + (serverTimeMs() + retryAfter * 1000L)
                + ". Please use WebSocket Streams for live updates to avoid bans."
                : "Too much request weight used; current limit is " + weightLimitPerMinute
                + " request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API."), null);
    }

    private void reply(HttpServerRequest req, int status, String body, Map<String, String> headers) {
        HttpServerResponse resp = req.response();
        if (resp.ended() || resp.closed()) {
            return;
        }
        int used;
        synchronized (this) {
            used = weightUsed;
        }
        resp.setStatusCode(status).putHeader("content-type", "application/json;charset=UTF-8")
                .putHeader("X-MBX-USED-WEIGHT-1M", String.valueOf(used));
        if (headers != null) {
            headers.forEach(resp::putHeader);
        }
        resp.end(body);
    }

    static String error(int code, String msg) {
        ObjectNode n = JSON.createObjectNode();
        n.put("code", code);
        n.put("msg", msg == null ? "" : msg);
        return n.toString();
    }

    /** Checks the API key, the signature over the query string and body, and the timestamp; null when fine. */
    private String verify(HttpServerRequest req, String rawQuery, String body, Map<String, String> params, long now) {
        String key = req.getHeader("X-MBX-APIKEY");
        if (key == null || !apiKeys.containsKey(key)) {
            return "-2015 Invalid API-key, IP, or permissions for action.";
        }
        int at = rawQuery.lastIndexOf("signature=");
        String signature = params.get("signature");
        if (signature == null) {
            return "-1102 Mandatory parameter 'signature' was not sent, was empty/null, or malformed.";
        }
        String signedQuery = at <= 0 ? "" : rawQuery.substring(0, at - 1);
        String payload = signedQuery + body;
        if (!signatureMatches(key, payload, signature)) {
            return "-1022 Signature for this request is not valid.";
        }
        String ts = params.get("timestamp");
        if (ts == null) {
            return "-1102 Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.";
        }
        long timestamp = Long.parseLong(ts);
        long recvWindow = params.containsKey("recvWindow") ? Long.parseLong(params.get("recvWindow")) : 5000;
        if (timestamp >= now + 1000) {
            return "-1021 Timestamp for this request was 1000ms ahead of the server's time.";
        }
        if (now - timestamp > recvWindow) {
            return "-1021 Timestamp for this request is outside of the recvWindow.";
        }
        return null;
    }

    /** True when {@code signature} is the key's signature of {@code payload} (HMAC hex, or Ed25519 base64). */
    boolean signatureMatches(String apiKey, String payload, String signature) {
        try {
            if ("HMAC".equals(apiKeys.get(apiKey))) {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(hmacSecrets.get(apiKey), "HmacSHA256"));
                return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8))).equals(signature);
            }
            if ("ED25519".equals(apiKeys.get(apiKey))) {
                Signature s = Signature.getInstance("Ed25519");
                s.initVerify(publicKeys.get(apiKey));
                s.update(payload.getBytes(StandardCharsets.UTF_8));
                return s.verify(Base64.getDecoder().decode(signature));
            }
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    boolean isEd25519(String apiKey) {
        return "ED25519".equals(apiKeys.get(apiKey));
    }

    boolean knowsKey(String apiKey) {
        return apiKeys.containsKey(apiKey);
    }

    static Map<String, String> parse(String query) {
        Map<String, String> out = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    // ------------------------------------------------------------------ routes

    /** An answer from a route. */
    record Answer(int status, String body, Map<String, String> headers) {
        static Answer ok(String body) {
            return new Answer(200, body, Map.of());
        }
    }

    /** A refusal with Binance's code, as the exchange sends it. */
    static final class ExchangeError extends RuntimeException {
        final int status;
        final int code;

        ExchangeError(int status, int code, String msg) {
            super(msg, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    @FunctionalInterface
    interface Handler {
        Answer answer(Map<String, String> params);
    }

    private record Route(boolean signed, Handler handler) {
    }

    private Route route(String method, String path) {
        return switch (method + " " + path) {
            case "GET /api/v3/ping" -> new Route(false, p -> Answer.ok("{}"));
            case "GET /api/v3/time" -> new Route(false, p -> Answer.ok("{\"serverTime\":" + serverTimeMs() + "}"));
            case "GET /api/v3/exchangeInfo" -> new Route(false, p -> {
                if (exchangeInfoJson == null) {
                    throw new ExchangeError(500, -1000, "no exchangeInfo configured in the test server");
                }
                return Answer.ok(exchangeInfoJson);
            });
            case "GET /api/v3/ticker/24hr" -> new Route(false, this::ticker24h);
            case "GET /api/v3/klines" -> new Route(false, this::klinesAnswer);
            case "POST /api/v3/order" -> new Route(true, exchange::newOrder);
            case "GET /api/v3/order" -> new Route(true, exchange::queryOrder);
            case "DELETE /api/v3/order" -> new Route(true, exchange::cancelOrder);
            case "GET /api/v3/openOrders" -> new Route(true, exchange::openOrders);
            case "POST /api/v3/orderList/oco" -> new Route(true, exchange::newOco);
            case "DELETE /api/v3/orderList" -> new Route(true, exchange::cancelOrderList);
            case "GET /api/v3/account" -> new Route(true, exchange::account);
            case "GET /api/v3/myTrades" -> new Route(true, exchange::myTrades);
            default -> null;
        };
    }

    /** Request weights per rest-api.md (the server's own table, independent of the client's). */
    static int weight(String method, String path, Map<String, String> p) {
        return switch (method + " " + path) {
            case "GET /api/v3/exchangeInfo" -> 20;
            case "GET /api/v3/ticker/24hr" -> p.containsKey("symbol") ? 2 : p.containsKey("symbols")
                    ? symbolCount(p.get("symbols")) <= 20 ? 2 : symbolCount(p.get("symbols")) <= 100 ? 40 : 80 : 80;
            case "GET /api/v3/klines" -> 2;
            case "GET /api/v3/order" -> 4;
            case "GET /api/v3/openOrders" -> p.containsKey("symbol") ? 6 : 80;
            case "GET /api/v3/account" -> 20;
            case "GET /api/v3/myTrades" -> p.containsKey("orderId") ? 5 : 20;
            default -> 1;
        };
    }

    private static int symbolCount(String jsonArray) {
        try {
            return JSON.readTree(jsonArray).size();
        } catch (Exception e) {
            return 1;
        }
    }

    private Answer ticker24h(Map<String, String> p) {
        try {
            ArrayNode all = (ArrayNode) JSON.readTree(ticker24hJson);
            if (p.containsKey("symbol")) {
                for (JsonNode t : all) {
                    if (t.path("symbol").asText().equals(p.get("symbol"))) {
                        return Answer.ok(t.toString());
                    }
                }
                throw new ExchangeError(400, -1121, "Invalid symbol.");
            }
            if (p.containsKey("symbols")) {
                JsonNode wanted = JSON.readTree(p.get("symbols"));
                ArrayNode out = JSON.createArrayNode();
                for (JsonNode t : all) {
                    for (JsonNode w : wanted) {
                        if (w.asText().equals(t.path("symbol").asText())) {
                            out.add(t);
                        }
                    }
                }
                return Answer.ok(out.toString());
            }
            return Answer.ok(all.toString());
        } catch (java.io.IOException e) {
            throw new ExchangeError(400, -1100, "Illegal characters found in parameter 'symbols'");
        }
    }

    private Answer klinesAnswer(Map<String, String> p) {
        String symbol = p.get("symbol");
        if (symbol == null || p.get("interval") == null) {
            throw new ExchangeError(400, -1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
        }
        if (!"1m".equals(p.get("interval"))) {
            throw new ExchangeError(400, -1120, "Invalid interval.");
        }
        List<String[]> rows = klines.get(symbol);
        if (rows == null) {
            throw new ExchangeError(400, -1121, "Invalid symbol.");
        }
        int limit = p.containsKey("limit") ? Integer.parseInt(p.get("limit")) : 500;
        if (limit > 1000) {
            limit = 1000;
        }
        long start = p.containsKey("startTime") ? Long.parseLong(p.get("startTime")) : Long.MIN_VALUE;
        long end = p.containsKey("endTime") ? Long.parseLong(p.get("endTime")) : Long.MAX_VALUE;
        StringBuilder sb = new StringBuilder("[");
        int n = 0;
        for (String[] r : rows) {
            long open = Long.parseLong(r[0]);
            if (open < start || open > end) {
                continue;
            }
            if (n == limit) {
                break;
            }
            if (n++ > 0) {
                sb.append(',');
            }
            sb.append('[').append(r[0]).append(",\"").append(r[1]).append("\",\"").append(r[2]).append("\",\"")
                    .append(r[3]).append("\",\"").append(r[4]).append("\",\"").append(r[5]).append("\",").append(r[6])
                    .append(",\"").append(r[7]).append("\",").append(r[8]).append(",\"").append(r[9]).append("\",\"")
                    .append(r[10]).append("\",\"0\"]");
        }
        return Answer.ok(sb.append(']').toString());
    }

    static BigDecimal dec(Map<String, String> p, String key) {
        String v = p.get(key);
        if (v == null) {
            return null;
        }
        try {
            return new BigDecimal(v);
        } catch (NumberFormatException e) {
            throw new ExchangeError(400, -1100, "Illegal characters found in parameter '" + key + "'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'.");
        }
    }

    @Override
    public void close() throws Exception {
        wsApi.close();
        marketStreams.close();
        server.close().await(5, TimeUnit.SECONDS);
    }
}
