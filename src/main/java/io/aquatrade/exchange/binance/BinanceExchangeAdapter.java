package io.aquatrade.exchange.binance;

import io.aquatrade.exchange.AssetBalance;
import io.aquatrade.exchange.BinanceError;
import io.aquatrade.exchange.ExchangeAdapter;
import io.aquatrade.exchange.ExchangeException;
import io.aquatrade.exchange.ExecutionListener;
import io.aquatrade.exchange.OrderReport;
import io.aquatrade.exchange.OrderRequest;
import io.aquatrade.exchange.OrderStatus;
import io.aquatrade.exchange.OrderThrottle;
import io.aquatrade.exchange.binance.http.BinanceFormatException;
import io.aquatrade.exchange.binance.http.BinanceRestClient;
import io.aquatrade.exchange.binance.http.MyTrade;
import io.aquatrade.exchange.OrderList;
import io.aquatrade.exchange.binance.http.OrderResult;
import io.aquatrade.exchange.binance.http.OutcomeUnknownException;
import io.aquatrade.exchange.binance.http.RequestNotSentException;
import io.aquatrade.exchange.binance.http.TradeFill;
import io.aquatrade.exchange.binance.ws.AccountPosition;
import io.aquatrade.exchange.binance.ws.BalanceUpdate;
import io.aquatrade.exchange.binance.ws.BinanceUserStream;
import io.aquatrade.exchange.binance.ws.ExecutionReport;
import io.aquatrade.exchange.binance.ws.ListStatus;
import io.aquatrade.model.Fill;
import io.aquatrade.model.Side;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The exchange port on Binance spot (live and testnet): orders over signed REST, fills and balances from the
 * WebSocket-API user data stream, REST polling wherever the stream may have missed something.
 *
 * <ul>
 *   <li><b>Orders.</b> MARKET BUY by {@code quoteOrderQty}, MARKET SELL by {@code quantity}, always
 *       {@code newOrderRespType=FULL}. BUYs count as entries and SELLs as exits in the throttle (exits may use
 *       its reserve). Resting LIMIT and STOP_LOSS_LIMIT orders and SELL OCO lists (take-profit LIMIT_MAKER above,
 *       STOP_LOSS_LIMIT below) are placed by {@link #placeLimit}, {@link #placeStopLossLimit}, {@link #placeOco}
 *       and report their fills through the same listener.</li>
 *   <li><b>Fills once, fill by fill.</b> A trade is reported by the FULL answer and again by the stream's
 *       {@code executionReport}; each trade id reaches {@link ExecutionListener#onFill} once, in the order it
 *       arrives, and {@link ExecutionListener#onOrderDone} follows only when the fills delivered add up to the
 *       order's executed quantity (missing ones are fetched with {@code myTrades?orderId=}).</li>
 *   <li><b>Outcomes.</b> An error code from the exchange is a rejection ({@code -1013} filter failure,
 *       {@code -2010} insufficient balance, ...); a request the throttle or a ban held back, or that found no
 *       connection, is a rejection with {@link #NOT_SENT_THROTTLED} or {@link #NOT_SENT_NO_CONNECTION}; a timeout,
 *       5xx or lost (or unreadable) answer is {@link ExecutionListener#onUnknownOutcome}, with the moment the exchange
 *       can no longer accept the signed request (its timestamp plus recvWindow, however long it first waited in the
 *       throttle's queue). The adapter never resends an order: it keeps watching the client order id until then, so a
 *       fill of an order whose answer was lost is still reported.</li>
 *   <li><b>A silent stream is covered.</b> Orders that should have reported (a MARKET order not done after
 *       {@code streamSilenceMs}, any order while the stream is down, everything after a resubscribe) are looked
 *       up with {@code GET /api/v3/order}; resting orders are checked against {@code openOrders} every
 *       {@code restingPollMs}.</li>
 * </ul>
 *
 * <p>Threading: listener callbacks and the completion of returned stages run on {@code pipeline}; the adapter's
 * state is touched only there. It never withdraws or transfers: no such endpoint exists in this package.
 */
public final class BinanceExchangeAdapter implements ExchangeAdapter, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BinanceExchangeAdapter.class);

    /** {@link ExecutionListener#onRejected} code: held back by the throttle or a 429/418 back-off; never sent. */
    public static final int NOT_SENT_THROTTLED = BinanceError.TOO_MANY_REQUESTS;
    /** {@link ExecutionListener#onRejected} code: no connection could be opened; never sent. */
    public static final int NOT_SENT_NO_CONNECTION = 0;

    /**
     * @param name             the venue's name ({@code binance}, {@code binance-testnet})
     * @param orderMaxWaitMs   an entry's validity: how long a new entry order may wait in the throttle's queue before
     *                         it is dropped as not sent (exits wait up to the REST client's {@code maxWaitMs})
     * @param streamSilenceMs  an order with no news for this long is looked up over REST
     * @param pollIntervalMs   how often the adapter checks for such orders
     * @param restingPollMs    how often resting orders are checked against openOrders
     * @param doneRetentionMs  how long a finished order's trade ids are kept to recognise late duplicates
     */
    public record Settings(String name, long orderMaxWaitMs, long streamSilenceMs, long pollIntervalMs,
                           long restingPollMs, long doneRetentionMs) {
        public Settings {
            Objects.requireNonNull(name, "name");
            if (orderMaxWaitMs < 0 || streamSilenceMs < 1 || pollIntervalMs < 1 || restingPollMs < 1 || doneRetentionMs < 0) {
                throw new IllegalArgumentException("adapter settings out of range: wait " + orderMaxWaitMs + " ms, silence "
                        + streamSilenceMs + " ms, poll " + pollIntervalMs + " ms, resting poll " + restingPollMs + " ms");
            }
        }

        public static Settings defaults(String name) {
            return new Settings(name, 2_000, 3_000, 1_000, 30_000, 600_000);
        }

        /** The same settings with entries valid for {@code ms} in the throttle's queue ({@code execution.entry_validity_ms}). */
        public Settings withEntryValidityMs(long ms) {
            return new Settings(name, ms, streamSilenceMs, pollIntervalMs, restingPollMs, doneRetentionMs);
        }
    }

    /** Account-side news that is not about one order: balances as the exchange now reports them. */
    public interface AccountListener {
        /** {@code outboundAccountPosition}: the current balances of the assets that changed. */
        void onBalances(List<AssetBalance> changed, long eventTimeMs);

        /** {@code balanceUpdate}: a deposit, withdrawal or transfer the bot did not make. */
        void onBalanceUpdate(String asset, BigDecimal delta, long eventTimeMs);
    }

    /** An order the adapter follows. */
    private static final class Tracked {
        final OrderRequest request;
        final boolean market;
        long orderId = -1;
        boolean acked;
        boolean done;
        boolean unknown;
        /** Its placement request has not been answered yet (it may still wait in the throttle's queue, unsent). */
        boolean placing;
        /** When its outcome was lost: the local wall time after which the exchange can no longer accept its request. */
        long acceptDeadlineWallMs = Long.MAX_VALUE;
        long lastNewsWallMs;
        long doneWallMs;
        BigDecimal deliveredQty = BigDecimal.ZERO;
        final Set<Long> tradeIds = new HashSet<>();
        boolean fetchingTrades;

        Tracked(OrderRequest request, boolean market) {
            this.request = request;
            this.market = market;
        }
    }

    private final Vertx vertx;
    private final BinanceRestClient rest;
    private final Executor pipeline;
    private final Settings settings;
    private final BinanceUserStream stream;
    private ExecutionListener listener;
    private AccountListener accountListener;
    private Consumer<ExecutionReport> foreignOrders = r -> { };
    // pipeline-confined state
    private final Map<String, Tracked> byClientId = new LinkedHashMap<>();
    private final Map<Long, String> clientIdByOrderId = new HashMap<>();
    private final Map<String, AssetBalance> balances = new TreeMap<>();
    private long lastRestingPollWallMs;
    private long pollTimer = -1;
    private volatile long infoTimer = -1;
    private volatile boolean closed;
    private volatile long polls;
    private final String keyType;

    /**
     * @param streamSettings null to run without a user data stream (polling alone): for tests and degraded runs
     */
    public BinanceExchangeAdapter(Vertx vertx, BinanceRestClient rest, BinanceCredentials credentials,
                                  BinanceUserStream.Settings streamSettings, Executor pipeline, Settings settings,
                                  BinanceMetrics metrics) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.rest = Objects.requireNonNull(rest, "rest");
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.settings = Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(credentials, "credentials: trading on Binance needs an API key");
        this.keyType = credentials.keyType().name();
        this.stream = streamSettings == null ? null : new BinanceUserStream(vertx, streamSettings, credentials,
                rest.http()::serverNowMs, metrics, new StreamListener());
        if (stream != null) {
            stream.setClockResync(() -> rest.http().syncTime().mapEmpty());
        }
    }

    /**
     * Syncs the server-time offset, subscribes to the user data stream and starts the REST safety net. Completes
     * once the stream is subscribed (or at once without a stream).
     */
    public Future<Void> start() {
        Future<Long> time = rest.http().syncTime();
        return time.compose(offset -> stream == null ? Future.<Void>succeededFuture() : stream.start()).onSuccess(v -> {
            pollTimer = vertx.setPeriodic(settings.pollIntervalMs(), id -> pipeline.execute(this::poll));
        });
    }

    /**
     * Fetches exchangeInfo now and then every {@code periodMs} (Binance: start and hourly), handing each document to
     * {@code onRefresh} on the pipeline; its {@code rateLimits} go to the throttle. A failed refresh keeps the last
     * document and is logged; the first fetch's failure fails the returned future.
     */
    public Future<io.aquatrade.exchange.ExchangeInfo> refreshExchangeInfo(long periodMs,
                                                                         Consumer<io.aquatrade.exchange.ExchangeInfo> onRefresh) {
        Objects.requireNonNull(onRefresh, "onRefresh");
        if (periodMs < 60_000) {
            throw new IllegalArgumentException("exchangeInfo refresh period must be at least a minute (weight 20), got " + periodMs + " ms");
        }
        return rest.exchangeInfo().onSuccess(first -> {
            pipeline.execute(() -> onRefresh.accept(first));
            infoTimer = vertx.setPeriodic(periodMs, id -> rest.exchangeInfo().onComplete(ar -> {
                if (ar.succeeded()) {
                    pipeline.execute(() -> onRefresh.accept(ar.result()));
                } else {
                    log.warn("exchangeInfo refresh failed, keeping the last one: {}", ar.cause().getMessage());
                }
            }));
        });
    }

    @Override
    public String name() {
        return settings.name();
    }

    /** The REST client's throttle and waiting queue own the order budget: execution does not count orders again. */
    @Override
    public Optional<OrderThrottle> orderThrottle() {
        return Optional.of(rest.http().throttle());
    }

    @Override
    public void setListener(ExecutionListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    public void setAccountListener(AccountListener accountListener) {
        this.accountListener = accountListener;
    }

    /** Receives execution reports of orders this adapter did not place (placed by hand, or by another bot). */
    public void setForeignOrderHandler(Consumer<ExecutionReport> handler) {
        this.foreignOrders = Objects.requireNonNull(handler, "handler");
    }

    /** True while the user data stream is subscribed (always false without one). */
    public boolean userStreamUp() {
        return stream != null && stream.subscribed();
    }

    public int userStreamReconnects() {
        return stream == null ? 0 : stream.reconnects();
    }

    /** How many REST look-ups the safety net has made (orders the stream did not report in time). */
    public long restPolls() {
        return polls;
    }

    public BinanceRestClient rest() {
        return rest;
    }

    /**
     * The connection as the status page shows it. Holds no key, signature or query.
     *
     * @param weightUsed1m   the exchange's last {@code X-MBX-USED-WEIGHT-1M}
     * @param weightLimit1m  REQUEST_WEIGHT per minute from exchangeInfo (0 when not known)
     * @param bannedUntilMs  wall-clock end of a 418 ban, 0 if none
     * @param pausedUntilMs  wall-clock end of a 429/418 back-off, 0 if none
     */
    public record ConnectionStatus(String venue, String restHost, boolean userStreamUp, int userStreamReconnects,
                                   String lastStreamDisconnect, long weightUsed1m, long weightLimit1m, long bannedUntilMs,
                                   long pausedUntilMs, long serverTimeOffsetMs, long restPolls, String keyType) {
    }

    public ConnectionStatus status() {
        long limit = rest.http().throttle().usage().stream()
                .filter(u -> u.limit().type() == io.aquatrade.exchange.RateLimit.Type.REQUEST_WEIGHT && u.limit().windowMs() == 60_000)
                .mapToLong(u -> u.limit().limit()).findFirst().orElse(0);
        long paused = rest.http().throttle().pausedUntilMs();
        return new ConnectionStatus(settings.name(), java.net.URI.create(rest.http().settings().baseUrl()).getHost(),
                userStreamUp(), userStreamReconnects(), stream == null ? "no user stream" : stream.lastDisconnect(),
                rest.http().usedWeight1m(), limit, rest.http().bannedUntilMs(), paused == Long.MIN_VALUE ? 0 : paused,
                rest.http().serverTimeOffsetMs(), polls, keyType);
    }

    // ------------------------------------------------------------------ orders

    @Override
    public void submit(OrderRequest order) {
        Objects.requireNonNull(order, "order");
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("symbol", order.symbol());
        p.put("side", order.side().name());
        p.put("type", "MARKET");
        if (order.side() == Side.BUY) {
            p.put("quoteOrderQty", requirePositive(order.quoteOrderQty(), "quoteOrderQty", order));
        } else {
            p.put("quantity", requirePositive(order.quantity(), "quantity", order));
        }
        p.put("newClientOrderId", order.clientOrderId());
        p.put("newOrderRespType", "FULL");
        Tracked t = track(order, true);
        OrderThrottle.Kind kind = order.side() == Side.BUY ? OrderThrottle.Kind.ENTRY_ORDER : OrderThrottle.Kind.EXIT_ORDER;
        rest.newOrder(p, kind, maxWait(kind)).onComplete(ar -> pipeline.execute(() -> {
            t.placing = false;
            if (ar.succeeded()) {
                onOrderAnswer(t, ar.result());
            } else {
                onOrderFailure(t, ar.cause());
            }
        }));
    }

    /** A resting LIMIT order (GTC unless given); fills and its end come through the listener. */
    @Override
    public CompletionStage<OrderReport> placeLimit(String clientOrderId, String symbol, Side side, BigDecimal quantity,
                                                   BigDecimal price, String timeInForce, String reason) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("symbol", symbol);
        p.put("side", side.name());
        p.put("type", "LIMIT");
        p.put("timeInForce", timeInForce == null ? "GTC" : timeInForce);
        p.put("quantity", quantity);
        p.put("price", price);
        p.put("newClientOrderId", clientOrderId);
        OrderRequest leg = leg(clientOrderId, symbol, side, quantity, price, null, false, reason);
        return placeResting(leg, p, side == Side.BUY ? OrderThrottle.Kind.ENTRY_ORDER : OrderThrottle.Kind.EXIT_ORDER);
    }

    /** A STOP_LOSS_LIMIT order: a limit at {@code limitPrice} once the market reaches {@code stopPrice}. */
    @Override
    public CompletionStage<OrderReport> placeStopLossLimit(String clientOrderId, String symbol, Side side, BigDecimal quantity,
                                                           BigDecimal stopPrice, BigDecimal limitPrice, String reason) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("symbol", symbol);
        p.put("side", side.name());
        p.put("type", "STOP_LOSS_LIMIT");
        p.put("timeInForce", "GTC");
        p.put("quantity", quantity);
        p.put("price", limitPrice);
        p.put("stopPrice", stopPrice);
        p.put("newClientOrderId", clientOrderId);
        OrderRequest leg = leg(clientOrderId, symbol, side, quantity, limitPrice, stopPrice, true, reason);
        return placeResting(leg, p, OrderThrottle.Kind.EXIT_ORDER);
    }

    /**
     * A SELL OCO protecting a position ({@code POST /api/v3/orderList/oco}): a LIMIT_MAKER take-profit above the market
     * and a STOP_LOSS_LIMIT below it; when one executes the exchange expires the other. Each leg's fills come through
     * the listener as the leg's own order ({@code takeProfitClientOrderId}, {@code stopClientOrderId}).
     */
    @Override
    public CompletionStage<OrderList> placeOco(String listClientOrderId, String takeProfitClientOrderId,
                                                     String stopClientOrderId, String symbol, BigDecimal quantity,
                                                     BigDecimal takeProfitPrice, BigDecimal stopPrice,
                                                     BigDecimal stopLimitPrice, String reason) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("symbol", symbol);
        p.put("side", "SELL");
        p.put("quantity", quantity);
        p.put("listClientOrderId", listClientOrderId);
        p.put("aboveType", "LIMIT_MAKER");
        p.put("aboveClientOrderId", takeProfitClientOrderId);
        p.put("abovePrice", takeProfitPrice);
        p.put("belowType", "STOP_LOSS_LIMIT");
        p.put("belowClientOrderId", stopClientOrderId);
        p.put("belowStopPrice", stopPrice);
        p.put("belowPrice", stopLimitPrice);
        p.put("belowTimeInForce", "GTC");
        CompletableFuture<OrderList> out = new CompletableFuture<>();
        pipeline.execute(() -> {
            Tracked tp = track(leg(takeProfitClientOrderId, symbol, Side.SELL, quantity, takeProfitPrice, null, false,
                    reason + ":take_profit"), false);
            Tracked sl = track(leg(stopClientOrderId, symbol, Side.SELL, quantity, stopLimitPrice, stopPrice, true,
                    reason + ":stop_loss"), false);
            // protection is an exit: it waits in the throttle's queue as long as any exit may, not an entry's validity
            rest.newOco(p, OrderThrottle.Kind.EXIT_ORDER, maxWait(OrderThrottle.Kind.EXIT_ORDER)).onComplete(ar -> pipeline.execute(() -> {
                tp.placing = false;
                sl.placing = false;
                if (ar.failed()) {
                    if (mayExist(ar.cause())) {
                        outcomeLost(tp, ar.cause());
                        outcomeLost(sl, ar.cause());
                    } else {
                        untrack(tp);
                        untrack(sl);
                    }
                    out.completeExceptionally(ar.cause());
                    return;
                }
                reconcileLegs(ar.result());
                out.complete(ar.result());
            }));
        });
        return out;
    }

    @Override
    public void follow(OrderReport order, String reason) {
        Objects.requireNonNull(order, "order");
        if (byClientId.containsKey(order.clientOrderId()) || order.status().isFinal()) {
            return;
        }
        boolean stop = order.stopPrice() != null && order.stopPrice().signum() > 0;
        Tracked t = track(leg(order.clientOrderId(), order.symbol(), order.side(), order.origQty(), order.price(),
                stop ? order.stopPrice() : null, stop, reason), "MARKET".equals(order.type()));
        noteOrderId(t, order.orderId());
        t.placing = false; // no request of ours: it was placed before
        t.acked = true; // the exchange has it: its fills, from the stream or the resting-order check, are reported
    }

    /** Applies what the exchange says of each leg of an order list this adapter tracks. */
    private void reconcileLegs(OrderList list) {
        for (OrderReport r : list.orders()) {
            Tracked t = byClientId.get(r.clientOrderId());
            if (t != null) {
                reconcile(t, r);
            }
        }
    }

    /** Cancels an OCO list by its client id; its legs end (CANCELED) through the listener. */
    @Override
    public CompletionStage<OrderList> cancelOrderList(String symbol, String listClientOrderId) {
        CompletableFuture<OrderList> out = new CompletableFuture<>();
        rest.cancelOrderList(symbol, listClientOrderId).onComplete(ar -> pipeline.execute(() -> {
            if (ar.failed()) {
                out.completeExceptionally(ar.cause());
                return;
            }
            reconcileLegs(ar.result());
            out.complete(ar.result());
        }));
        return out;
    }

    private CompletionStage<OrderReport> placeResting(OrderRequest leg, Map<String, Object> p, OrderThrottle.Kind kind) {
        p.put("newOrderRespType", "FULL");
        CompletableFuture<OrderReport> out = new CompletableFuture<>();
        pipeline.execute(() -> {
            Tracked t = track(leg, false);
            rest.newOrder(p, kind, maxWait(kind)).onComplete(ar -> pipeline.execute(() -> {
                t.placing = false;
                if (ar.failed()) {
                    if (mayExist(ar.cause())) {
                        outcomeLost(t, ar.cause());
                    } else {
                        untrack(t);
                    }
                    out.completeExceptionally(ar.cause());
                    return;
                }
                onOrderAnswer(t, ar.result());
                out.complete(ar.result().order());
            }));
        });
        return out;
    }

    /** An entry waits for a throttle slot at most its validity; an exit as long as the REST client lets any request wait. */
    private long maxWait(OrderThrottle.Kind kind) {
        return kind == OrderThrottle.Kind.ENTRY_ORDER ? settings.orderMaxWaitMs() : rest.http().settings().maxWaitMs();
    }

    private static OrderRequest leg(String clientOrderId, String symbol, Side side, BigDecimal qty, BigDecimal price,
                                    BigDecimal stopPrice, boolean isStop, String reason) {
        return new OrderRequest(clientOrderId, symbol, side, qty, null, price, stopPrice, isStop, reason, System.currentTimeMillis());
    }

    private static BigDecimal requirePositive(BigDecimal v, String what, OrderRequest order) {
        if (v == null || v.signum() <= 0) {
            throw new IllegalArgumentException("order " + order.clientOrderId() + " (" + order.side() + " " + order.symbol()
                    + ") needs a positive " + what + ", got " + v);
        }
        return v;
    }

    private Tracked track(OrderRequest order, boolean market) {
        Tracked t = new Tracked(order, market);
        t.placing = true;
        t.lastNewsWallMs = System.currentTimeMillis();
        byClientId.put(order.clientOrderId(), t);
        return t;
    }

    private void untrack(Tracked t) {
        byClientId.remove(t.request.clientOrderId());
    }

    private void onOrderAnswer(Tracked t, OrderResult r) {
        t.unknown = false;
        OrderReport o = r.order();
        noteOrderId(t, o.orderId());
        ack(t);
        for (TradeFill f : r.fills()) {
            deliver(t, new Fill(o.updateTimeMs(), o.symbol(), o.side(), f.price(), f.qty(), f.price().multiply(f.qty()),
                    f.commission(), f.commissionAsset(), t.request.clientOrderId(), t.request.reason(), f.tradeId()));
        }
        reconcile(t, o);
    }

    private void onOrderFailure(Tracked t, Throwable cause) {
        OrderRequest order = t.request;
        if (cause instanceof ExchangeException e) {
            untrack(t);
            log.warn("order {} {} {} rejected: {}", order.clientOrderId(), order.side(), order.symbol(), e.error());
            listener.onRejected(order, e.error().code(), e.error().msg());
        } else if (cause instanceof RequestNotSentException e) {
            untrack(t);
            boolean throttled = e.getMessage().contains("throttled") || e.getMessage().contains("paused");
            log.warn("order {} not sent: {}", order.clientOrderId(), e.getMessage());
            listener.onRejected(order, throttled ? NOT_SENT_THROTTLED : NOT_SENT_NO_CONNECTION, e.getMessage());
        } else {
            // timeout, 5xx, connection lost after sending, unreadable answer: it may exist; keep watching its id
            outcomeLost(t, cause);
        }
    }

    /** A failed placement may have reached the exchange: its outcome was lost, or its 2xx answer could not be read. */
    private static boolean mayExist(Throwable cause) {
        return cause instanceof OutcomeUnknownException || cause instanceof BinanceFormatException;
    }

    /**
     * Keeps watching an order whose outcome was lost, until the exchange can no longer accept its request, and
     * reports it with that time: the signed request's own deadline; for an answer that came but could not be read,
     * the deadline of a request signed now (it was signed earlier, so this bounds it).
     */
    private void outcomeLost(Tracked t, Throwable cause) {
        if (t.acked || t.done) {
            // the answer was lost but the user stream already told us the order exists: its outcome is known
            log.info("order {}: answer lost ({}), the user stream already reported it", t.request.clientOrderId(),
                    cause.getMessage());
            return;
        }
        t.unknown = true;
        t.acceptDeadlineWallMs = cause instanceof OutcomeUnknownException u ? u.acceptDeadlineWallMs()
                : rest.http().acceptDeadlineWallMs(System.currentTimeMillis());
        log.warn("order {} outcome unknown (the exchange may accept it until {}): {}", t.request.clientOrderId(),
                t.acceptDeadlineWallMs, cause.getMessage());
        listener.onUnknownOutcome(t.request, cause.getMessage(), t.acceptDeadlineWallMs);
    }

    private void noteOrderId(Tracked t, long orderId) {
        if (orderId >= 0) {
            t.orderId = orderId;
            clientIdByOrderId.put(orderId, t.request.clientOrderId());
        }
    }

    private void ack(Tracked t) {
        t.lastNewsWallMs = System.currentTimeMillis();
        if (!t.acked && t.orderId >= 0) {
            t.acked = true;
            listener.onAcknowledged(t.request, t.orderId);
        }
    }

    private void deliver(Tracked t, Fill f) {
        if (!t.tradeIds.add(f.tradeId())) {
            return; // seen already (the FULL answer and the stream both report it)
        }
        t.deliveredQty = t.deliveredQty.add(f.qty());
        t.lastNewsWallMs = System.currentTimeMillis();
        listener.onFill(f);
    }

    /**
     * Brings a tracked order up to the exchange's account of it: acknowledgement, missing fills fetched over REST,
     * the end once every fill is in.
     */
    private void reconcile(Tracked t, OrderReport o) {
        if (t.done) {
            return;
        }
        noteOrderId(t, o.orderId());
        t.unknown = false;
        ack(t);
        if (o.status() == OrderStatus.REJECTED) {
            finish(t, o.status());
            return;
        }
        int cmp = t.deliveredQty.compareTo(o.executedQty());
        if (cmp < 0) {
            fetchMissingTrades(t, o);
            return;
        }
        if (o.status().isFinal()) {
            finish(t, o.status());
        }
    }

    private void fetchMissingTrades(Tracked t, OrderReport o) {
        if (t.fetchingTrades) {
            return;
        }
        t.fetchingTrades = true;
        rest.tradesOfOrder(o.symbol(), o.orderId()).onComplete(ar -> pipeline.execute(() -> {
            t.fetchingTrades = false;
            if (ar.failed()) {
                log.warn("order {}: cannot fetch its trades: {}", t.request.clientOrderId(), ar.cause().getMessage());
                return; // the next poll tries again
            }
            for (MyTrade m : ar.result()) {
                deliver(t, toFill(m, t.request.clientOrderId(), t.request.reason()));
            }
            if (t.deliveredQty.compareTo(o.executedQty()) >= 0 && o.status().isFinal()) {
                finish(t, o.status());
            }
        }));
    }

    private void finish(Tracked t, OrderStatus status) {
        if (t.done) {
            return;
        }
        t.done = true;
        t.doneWallMs = System.currentTimeMillis();
        if (status == OrderStatus.REJECTED) {
            listener.onRejected(t.request, BinanceError.NEW_ORDER_REJECTED, "REJECTED by the exchange");
        } else {
            listener.onOrderDone(t.request, status.name());
        }
    }

    private static Fill toFill(MyTrade m, String clientOrderId, String reason) {
        return new Fill(m.timeMs(), m.symbol(), m.side(), m.price(), m.qty(), m.quoteQty(), m.commission(),
                m.commissionAsset(), clientOrderId, reason, m.id());
    }

    // ------------------------------------------------------------------ user data stream

    private final class StreamListener implements BinanceUserStream.Listener {
        @Override
        public void onExecutionReport(ExecutionReport r) {
            pipeline.execute(() -> onReport(r));
        }

        @Override
        public void onAccountPosition(AccountPosition p) {
            pipeline.execute(() -> {
                for (AssetBalance b : p.balances()) {
                    balances.put(b.asset(), b);
                }
                if (accountListener != null) {
                    accountListener.onBalances(p.balances(), p.eventTimeMs());
                }
            });
        }

        @Override
        public void onBalanceUpdate(BalanceUpdate u) {
            pipeline.execute(() -> {
                log.warn("balance of {} changed by {} outside the bot (deposit, withdrawal or transfer)", u.asset(), u.delta());
                if (accountListener != null) {
                    accountListener.onBalanceUpdate(u.asset(), u.delta(), u.eventTimeMs());
                }
            });
        }

        @Override
        public void onListStatus(ListStatus status) {
            log.info("order list {} {}: {} / {}", status.listClientOrderId(), status.symbol(), status.listStatusType(),
                    status.listOrderStatus());
        }

        @Override
        public void onSubscribed(boolean resubscribed) {
            if (resubscribed) {
                // events may have been missed while the stream was down: look every open order up now
                pipeline.execute(() -> lookUpAll(true));
            }
        }

        @Override
        public void onDisconnected(String reason) {
            log.warn("user data stream down ({}): orders are followed over REST until it is back", reason);
        }
    }

    private void onReport(ExecutionReport r) {
        Tracked t = byClientId.get(r.orderClientId());
        if (t == null) {
            foreignOrders.accept(r);
            return;
        }
        noteOrderId(t, r.orderId());
        t.unknown = false;
        ack(t);
        if (r.isTrade()) {
            String feeAsset = r.commissionAsset() == null ? "" : r.commissionAsset();
            deliver(t, new Fill(r.transactTimeMs(), r.symbol(), r.side(), r.lastPrice(), r.lastQty(), r.lastQuoteQty(),
                    r.commission(), feeAsset, t.request.clientOrderId(), t.request.reason(), r.tradeId()));
        }
        if ("REJECTED".equals(r.executionType())) {
            t.done = true;
            listener.onRejected(t.request, BinanceError.NEW_ORDER_REJECTED, "REJECTED by the exchange: " + r.rejectReason());
            return;
        }
        if (r.orderStatus().isFinal()) {
            reconcile(t, r.toOrderReport());
        }
    }

    // ------------------------------------------------------------------ REST safety net

    private void poll() {
        if (closed || listener == null) {
            return;
        }
        long now = System.currentTimeMillis();
        boolean streamDown = stream == null || !stream.subscribed();
        for (Iterator<Tracked> it = byClientId.values().iterator(); it.hasNext(); ) {
            Tracked t = it.next();
            if (t.done) {
                if (now - t.doneWallMs > settings.doneRetentionMs()) {
                    it.remove();
                }
                continue;
            }
            boolean quiet = now - t.lastNewsWallMs >= settings.streamSilenceMs();
            if (quiet && (t.market || t.unknown || streamDown)) {
                lookUp(t);
            }
        }
        if (now - lastRestingPollWallMs >= settings.restingPollMs()
                && byClientId.values().stream().anyMatch(t -> !t.done && !t.market && t.acked)) {
            lastRestingPollWallMs = now;
            checkResting();
        }
    }

    private void lookUpAll(boolean all) {
        for (Tracked t : List.copyOf(byClientId.values())) {
            if (!t.done && (all || t.market)) {
                lookUp(t);
            }
        }
    }

    private void lookUp(Tracked t) {
        if (t.placing) {
            return; // its own answer (or its loss, then a look-up) will tell; it may not even have left the queue
        }
        polls++;
        t.lastNewsWallMs = System.currentTimeMillis(); // one look-up per silence period, not one per tick
        rest.queryOrder(t.request.symbol(), t.request.clientOrderId()).onComplete(ar -> pipeline.execute(() -> {
            if (ar.failed()) {
                log.warn("order {}: look-up failed: {}", t.request.clientOrderId(), ar.cause().getMessage());
                return;
            }
            Optional<OrderReport> o = ar.result();
            if (o.isPresent()) {
                reconcile(t, o.get());
            } else if (t.unknown && System.currentTimeMillis() > t.acceptDeadlineWallMs) {
                // past its signed timestamp's recvWindow the exchange can no longer accept it: it never reached the book
                log.warn("order {}: not on the exchange after its recvWindow: it was never placed", t.request.clientOrderId());
                untrack(t);
            }
        }));
    }

    private void checkResting() {
        rest.openOrders(null).onComplete(ar -> pipeline.execute(() -> {
            if (ar.failed()) {
                log.warn("open orders check failed: {}", ar.cause().getMessage());
                return;
            }
            Set<String> open = new HashSet<>();
            for (OrderReport o : ar.result()) {
                open.add(o.clientOrderId());
                Tracked t = byClientId.get(o.clientOrderId());
                if (t != null) {
                    reconcile(t, o); // catches partial fills the stream missed
                }
            }
            for (Tracked t : List.copyOf(byClientId.values())) {
                if (!t.done && !t.market && t.acked && !open.contains(t.request.clientOrderId())) {
                    lookUp(t); // no longer open: learn how it ended
                }
            }
        }));
    }

    // ------------------------------------------------------------------ queries

    @Override
    public CompletionStage<OrderReport> cancel(String symbol, String clientOrderId) {
        CompletableFuture<OrderReport> out = new CompletableFuture<>();
        rest.cancelOrder(symbol, clientOrderId).onComplete(ar -> pipeline.execute(() -> {
            if (ar.failed()) {
                out.completeExceptionally(ar.cause());
                return;
            }
            Tracked t = byClientId.get(clientOrderId);
            if (t != null) {
                reconcile(t, ar.result());
            }
            out.complete(ar.result());
        }));
        return out;
    }

    @Override
    public CompletionStage<Optional<OrderReport>> queryOrder(String symbol, String clientOrderId) {
        CompletableFuture<Optional<OrderReport>> out = new CompletableFuture<>();
        rest.queryOrder(symbol, clientOrderId).onComplete(ar -> pipeline.execute(() -> {
            if (ar.failed()) {
                out.completeExceptionally(ar.cause());
                return;
            }
            Tracked t = byClientId.get(clientOrderId);
            if (t != null && ar.result().isPresent()) {
                reconcile(t, ar.result().get());
            }
            out.complete(ar.result());
        }));
        return out;
    }

    @Override
    public CompletionStage<List<OrderReport>> openOrders(String symbol) {
        return onPipeline(rest.openOrders(symbol));
    }

    @Override
    public CompletionStage<Map<String, AssetBalance>> balances() {
        CompletableFuture<Map<String, AssetBalance>> out = new CompletableFuture<>();
        rest.balances().onComplete(ar -> pipeline.execute(() -> {
            if (ar.failed()) {
                out.completeExceptionally(ar.cause());
                return;
            }
            balances.clear();
            balances.putAll(ar.result());
            out.complete(ar.result());
        }));
        return out;
    }

    /** Balances as last reported (REST or the stream's outboundAccountPosition); on the pipeline thread only. */
    @Override
    public Map<String, AssetBalance> lastKnownBalances() {
        return Map.copyOf(balances);
    }

    /** The open of the symbol's one-minute kline at {@code minuteStartMs} (GET /api/v3/klines, limit 1, weight 2). */
    @Override
    public CompletionStage<Optional<java.math.BigDecimal>> priceAt(String symbol, long minuteStartMs) {
        CompletableFuture<Optional<java.math.BigDecimal>> out = new CompletableFuture<>();
        rest.klines(symbol, "1m", minuteStartMs, minuteStartMs + 59_999, 1).onComplete(ar -> pipeline.execute(() -> {
            if (ar.failed()) {
                out.completeExceptionally(ar.cause());
            } else {
                out.complete(ar.result().stream().filter(k -> k.openTimeMs() == minuteStartMs)
                        .map(io.aquatrade.exchange.binance.http.Kline::open).findFirst());
            }
        }));
        return out;
    }

    /**
     * Own trades after a trade id, as fills: the client order id comes from the orders this adapter knows, else
     * from {@code GET /api/v3/order?orderId=} (an order placed before a restart, or by hand).
     */
    @Override
    public CompletionStage<List<Fill>> tradesSince(String symbol, long afterTradeId) {
        CompletableFuture<List<Fill>> out = new CompletableFuture<>();
        rest.myTradesSince(symbol, afterTradeId).onComplete(ar -> pipeline.execute(() -> {
            if (ar.failed()) {
                out.completeExceptionally(ar.cause());
                return;
            }
            List<MyTrade> trades = ar.result();
            Set<Long> unknownOrders = new HashSet<>();
            for (MyTrade m : trades) {
                if (!clientIdByOrderId.containsKey(m.orderId())) {
                    unknownOrders.add(m.orderId());
                }
            }
            List<Future<Optional<OrderReport>>> lookups = new ArrayList<>();
            for (long id : unknownOrders) {
                lookups.add(rest.queryOrderById(symbol, id));
            }
            Future.join(lookups).onComplete(all -> pipeline.execute(() -> {
                for (Future<Optional<OrderReport>> f : lookups) {
                    if (f.succeeded() && f.result().isPresent()) {
                        clientIdByOrderId.put(f.result().get().orderId(), f.result().get().clientOrderId());
                    }
                }
                List<Fill> fills = new ArrayList<>(trades.size());
                for (MyTrade m : trades) {
                    String cid = clientIdByOrderId.getOrDefault(m.orderId(), "order-" + m.orderId());
                    Tracked t = byClientId.get(cid);
                    fills.add(toFill(m, cid, t == null ? "reconciled" : t.request.reason()));
                }
                out.complete(fills);
            }));
        }));
        return out;
    }

    /** The order's own trades ({@code myTrades?orderId=}, paged), as fills of {@code clientOrderId}. */
    @Override
    public CompletionStage<List<Fill>> orderTrades(String symbol, String clientOrderId, long exchangeOrderId) {
        Tracked t = byClientId.get(clientOrderId);
        String reason = t == null ? null : t.request.reason(); // null: the order's owner names it
        return onPipeline(rest.tradesOfOrder(symbol, exchangeOrderId)
                .map(trades -> trades.stream().map(m -> toFill(m, clientOrderId, reason)).toList()));
    }

    private <T> CompletionStage<T> onPipeline(Future<T> f) {
        CompletableFuture<T> out = new CompletableFuture<>();
        f.onComplete(ar -> pipeline.execute(() -> {
            if (ar.succeeded()) {
                out.complete(ar.result());
            } else {
                out.completeExceptionally(ar.cause());
            }
        }));
        return out;
    }

    @Override
    public void close() {
        closed = true;
        if (pollTimer >= 0) {
            vertx.cancelTimer(pollTimer);
        }
        if (infoTimer >= 0) {
            vertx.cancelTimer(infoTimer);
        }
        if (stream != null) {
            stream.close();
        }
    }

    @Override
    public String toString() {
        return "BinanceExchangeAdapter[" + settings.name() + ", " + rest.http().settings().baseUrl() + ", stream "
                + (userStreamUp() ? "up" : "down") + "]";
    }
}
