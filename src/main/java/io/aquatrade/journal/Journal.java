package io.aquatrade.journal;

import io.aquatrade.model.Fill;
import io.aquatrade.model.Side;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The order journal database. Every write goes through one dedicated writer thread that takes all
 * writes waiting in its queue, runs them in one transaction and commits once: a burst of N rows
 * pays one fsync (group commit), and the caller never blocks on the disk. Each write returns a
 * future completed after its transaction is durable.
 *
 * <p>An order's request row can also be written by the caller itself ({@link #insertOrderWritten}):
 * committed into the WAL in this process before the request leaves, so it survives a kill -9, an OOM
 * or a container restart (the OS holds it), while its fsync follows at once in the writer's next group
 * commit, never on the caller's path. Only a power cut inside that window can lose the row; recovery
 * then recognises the order on the exchange by its client order id's run prefix, which is itself
 * fsynced before the run's first order ({@link #runPrefixes}).
 *
 * <p>SQLite by default ({@code jdbc:sqlite:<file>}, {@code journal_mode=WAL}, and a commit durable once
 * the writer has fsynced the WAL: {@code synchronous=NORMAL} plus that explicit fsync after every commit
 * is what {@code synchronous=FULL} does, but outside the connection's lock, so a caller's write never
 * waits for another batch's fsync. Checkpoints run on a second connection, off the write path. A torn
 * last write after a crash is rolled back by SQLite's own recovery at the next open). The schema is
 * versioned by Flyway ({@code db/journal/V*__*.sql}) in portable SQL. Everything that differs between
 * SQLite and PostgreSQL (the pragmas, the WAL's fsync and checkpoints, the file) is in {@link JournalDatabase};
 * on PostgreSQL ({@code journal.url}) the same schema and statements run, and a commit is durable by itself.
 */
public final class Journal implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Journal.class);
    /** Rows per group commit: a caller's own write waits at most for one batch (about a millisecond). */
    private static final int MAX_BATCH = 64;

    /** One unit of work on the writer's connection, inside the current batch's transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Writer w) throws SQLException;
    }

    private record Op(Work<?> work, CompletableFuture<Object> done) { }

    private final JournalDatabase db;
    private final String where;
    private final Connection conn;
    private final BlockingQueue<Op> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final Writer w;
    private final long runNo;
    private final String idPrefix;
    private final AtomicLong intentSeq = new AtomicLong();
    private final AtomicLong orderSeq = new AtomicLong();
    private final AtomicLong killSeq = new AtomicLong();
    private final AtomicLong reconcileSeq = new AtomicLong();
    private final Histogram commitNanos = new Histogram(3_600_000_000_000L, 3);
    /** Guards the connection: the writer's batches and callers' own writes take turns; no fsync is done under it. */
    private final java.util.concurrent.locks.ReentrantLock connLock = new java.util.concurrent.locks.ReentrantLock(true); // fair: the writer and callers alternate, none starves
    /** What the writer runs after each commit (SQLite: the WAL's fsync; PostgreSQL: nothing, a commit is durable). */
    private final JournalDatabase.Durability durability;
    private final Histogram syncNanos = new Histogram(3_600_000_000_000L, 3);
    /** A row written by its caller until its fsync completed: the window a power cut could lose it in. */
    private final Histogram undurableNanos = new Histogram(3_600_000_000_000L, 3);
    /** A caller's own write: waiting for the connection, then the insert and commit. */
    private final Histogram callerWaitNanos = new Histogram(3_600_000_000_000L, 3);
    private final Histogram callerWriteNanos = new Histogram(3_600_000_000_000L, 3);
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong rows = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean closed;

    private Journal(JournalDatabase db, Connection conn, long runNo, String idPrefix) {
        this.db = db;
        this.where = db.where();
        this.conn = conn;
        this.durability = db.durability();
        this.w = new Writer(conn);
        this.runNo = runNo;
        this.idPrefix = idPrefix;
        this.writer = new Thread(this::writeLoop, "journal-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Opens (creating and migrating as needed) the journal at {@code file} and registers a new run.
     *
     * @param fixedPrefix the client-order-id prefix of this run, or null to allocate a new one that no
     *                    earlier run of this journal (nor of a lost journal, since it carries the start
     *                    time) has used. A simulated run passes its own reproducible prefix.
     */
    public static Journal open(Path file, String mode, long startedMs, String fixedPrefix) {
        return open(JournalDatabase.sqlite(file), mode, startedMs, fixedPrefix);
    }

    /** Opens the journal in {@code db} (SQLite or PostgreSQL), migrates it and registers a new run. */
    public static Journal open(JournalDatabase db, String mode, long startedMs, String fixedPrefix) {
        String where = db.where();
        db.migrate();
        Connection c = db.connectWriter();
        try {
            long run;
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(run_no), 0) FROM journal_run")) {
                rs.next();
                run = rs.getLong(1) + 1;
            }
            String prefix = fixedPrefix != null ? fixedPrefix : newPrefix(startedMs, run);
            ClientOrderIds.requireValidPrefix(prefix);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO journal_run (run_no, id_prefix, mode, started_ms) VALUES (?, ?, ?, ?)")) {
                ps.setLong(1, run);
                ps.setString(2, prefix);
                ps.setString(3, mode);
                ps.setLong(4, startedMs);
                ps.executeUpdate();
            } catch (SQLException e) {
                throw new JournalException("journal " + where + ": the client order id prefix '" + prefix
                        + "' was already used by an earlier run; ids must be unique per account forever", e);
            }
            c.commit();
            Journal j = new Journal(db, c, run, prefix);
            try {
                // the run's prefix is durable before its first order: after a power cut, recovery still knows it
                j.sync(true);
            } catch (java.io.IOException e) {
                j.close();
                throw new JournalException("journal " + where + ": cannot fsync the run's row: " + e.getMessage(), e);
            }
            log.info("journal {} opened: run {} (client order ids {}<n>)", where, run, prefix);
            return j;
        } catch (SQLException e) {
            closeQuietly(c);
            throw new JournalException("journal " + where + ": cannot register the run: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /** A run's prefix: the start time and run number make it new even if the journal file was lost. */
    static String newPrefix(long startedMs, long run) {
        return "aq" + Long.toString(startedMs, 36) + Long.toString(run, 36) + "-";
    }

    public long runNo() {
        return runNo;
    }

    /** The client-order-id prefix allocated to this run. */
    public String idPrefix() {
        return idPrefix;
    }

    /** The next sequence number for a client order id of this run (starts at 1). */
    public long nextOrderSeq() {
        return orderSeq.incrementAndGet();
    }

    public long nextIntentNo() {
        return intentSeq.incrementAndGet();
    }

    public String where() {
        return where;
    }

    /** The database this journal lives in. */
    public JournalDatabase database() {
        return db;
    }

    // ------------------------------------------------------------------ writes (all asynchronous, group-committed)

    public CompletableFuture<Void> recordIntent(IntentRecord r) {
        return submit(w -> {
            PreparedStatement ps = w.ps("INSERT INTO journal_intent (run_no, intent_no, time_ms, symbol, side, quote_qty,"
                    + " sell_fraction, stop_loss_pct, take_profit_pct, template_day, reason, outcome, client_order_id)"
                    + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
            ps.setLong(1, r.runNo());
            ps.setLong(2, r.intentNo());
            ps.setLong(3, r.timeMs());
            ps.setString(4, r.symbol());
            ps.setString(5, r.side());
            setDecimal(ps, 6, r.quoteQty());
            setDecimal(ps, 7, r.sellFraction());
            setDouble(ps, 8, r.stopLossPct());
            setDouble(ps, 9, r.takeProfitPct());
            ps.setString(10, r.templateDay());
            ps.setString(11, clip(r.reason(), 200));
            ps.setString(12, clip(r.outcome(), 80));
            ps.setString(13, r.clientOrderId());
            ps.executeUpdate();
            return null;
        });
    }

    /** Inserts a new order's row together with its REQUEST event; complete = durable. */
    public CompletableFuture<Void> insertOrder(OrderRecord r) {
        return submit(w -> {
            insertOrderRow(w, r);
            w.event(r.clientOrderId(), r.createdMs(), "REQUEST", r.state(), r.reason());
            return null;
        });
    }

    /**
     * Writes a new order's row and its REQUEST event now, on the caller's thread: when this returns the row is
     * committed into the database in this process (SQLite: in the WAL, held by the OS), so it survives the
     * process dying. The fsync follows in the writer's next group commit; the returned future completes once
     * the row is durable against a power cut too. The caller waits for the connection only while a batch of
     * other rows is being written, never for an fsync.
     *
     * @throws JournalException when the row could not be written (then the request must not be sent)
     */
    public CompletableFuture<Void> insertOrderWritten(OrderRecord r) {
        if (closed) {
            throw new JournalException("journal " + where + " is closed");
        }
        long t0 = System.nanoTime();
        connLock.lock();
        long t1 = System.nanoTime();
        try {
            insertOrderRow(w, r); // the row recovery needs; its REQUEST event line follows in the group commit
            conn.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            failures.incrementAndGet();
            throw new JournalException("journal " + where + ": order " + r.clientOrderId() + " not written: "
                    + e.getMessage(), e);
        } finally {
            connLock.unlock();
        }
        rows.incrementAndGet();
        long written = System.nanoTime();
        synchronized (commitNanos) {
            callerWaitNanos.recordValue(Math.min(t1 - t0, callerWaitNanos.getHighestTrackableValue()));
            callerWriteNanos.recordValue(Math.min(written - t1, callerWriteNanos.getHighestTrackableValue()));
        }
        CompletableFuture<Void> durable = submit(w -> { // the writer's next batch fsyncs it
            w.event(r.clientOrderId(), r.createdMs(), "REQUEST", r.state(), r.reason());
            return null;
        });
        durable.whenComplete((v, err) -> {
            synchronized (commitNanos) {
                undurableNanos.recordValue(Math.min(System.nanoTime() - written, undurableNanos.getHighestTrackableValue()));
            }
        });
        return durable;
    }

    private static void insertOrderRow(Writer w, OrderRecord r) throws SQLException {
        PreparedStatement ps = w.ps("INSERT INTO journal_order (client_order_id, run_no, seq, symbol, side, order_type,"
                + " quantity, quote_qty, price, stop_price, reference_price, reason, purpose, intent_no, stop_loss_pct,"
                + " take_profit_pct, template_day, recv_window_ms, created_ms, sent_ms, state, exchange_order_id,"
                + " executed_qty, cum_quote_qty, updated_ms, last_error, list_client_order_id)"
                + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        ps.setString(1, r.clientOrderId());
        ps.setLong(2, r.runNo());
        ps.setLong(3, r.seq());
        ps.setString(4, r.symbol());
        ps.setString(5, r.side());
        ps.setString(6, r.orderType());
        setDecimal(ps, 7, r.quantity());
        setDecimal(ps, 8, r.quoteQty());
        setDecimal(ps, 9, r.price());
        setDecimal(ps, 10, r.stopPrice());
        setDecimal(ps, 11, r.referencePrice());
        ps.setString(12, clip(r.reason(), 200));
        ps.setString(13, r.purpose());
        setLong(ps, 14, r.intentNo());
        setDouble(ps, 15, r.stopLossPct());
        setDouble(ps, 16, r.takeProfitPct());
        ps.setString(17, r.templateDay());
        ps.setLong(18, r.recvWindowMs());
        ps.setLong(19, r.createdMs());
        setLong(ps, 20, r.sentMs());
        ps.setString(21, r.state());
        setLong(ps, 22, r.exchangeOrderId());
        ps.setString(23, plain(r.executedQty()));
        ps.setString(24, plain(r.cumQuoteQty()));
        ps.setLong(25, r.updatedMs());
        ps.setString(26, clip(r.lastError(), 300));
        ps.setString(27, r.listClientOrderId());
        ps.executeUpdate();
    }

    /**
     * Records a change of an order's state: the row's state and figures, and an event line.
     *
     * @param exchangeOrderId null to keep the known one
     * @param sentMs          null to keep the known one
     */
    public CompletableFuture<Void> updateOrder(String clientOrderId, long timeMs, String event, String state,
                                               Long exchangeOrderId, BigDecimal executedQty, BigDecimal cumQuoteQty,
                                               Long sentMs, String detail) {
        return submit(w -> {
            PreparedStatement ps = w.ps("UPDATE journal_order SET state = ?, updated_ms = ?,"
                    + " exchange_order_id = COALESCE(?, exchange_order_id), sent_ms = COALESCE(?, sent_ms),"
                    + " executed_qty = COALESCE(?, executed_qty), cum_quote_qty = COALESCE(?, cum_quote_qty),"
                    + " last_error = COALESCE(?, last_error) WHERE client_order_id = ?");
            ps.setString(1, state);
            ps.setLong(2, timeMs);
            setLong(ps, 3, exchangeOrderId);
            setLong(ps, 4, sentMs);
            setDecimal(ps, 5, executedQty);
            setDecimal(ps, 6, cumQuoteQty);
            ps.setString(7, "REJECTED".equals(event) || "UNKNOWN".equals(event) ? clip(detail, 300) : null);
            ps.setString(8, clientOrderId);
            int n = ps.executeUpdate();
            if (n != 1) {
                throw new SQLException("no journal_order row for client order id " + clientOrderId);
            }
            w.event(clientOrderId, timeMs, event, state, detail);
            return null;
        });
    }

    /**
     * Records one exchange trade. Completes with true when it is new, false when this symbol's trade
     * id was already journaled (a fill seen twice counts once).
     */
    public CompletableFuture<Boolean> recordFill(Fill f, String baseAsset, String source) {
        return submit(w -> {
            PreparedStatement ps = w.ps("INSERT INTO journal_fill (symbol, trade_id, client_order_id, time_ms, side, price,"
                    + " qty, quote_qty, fee, fee_asset, base_asset, reason, source) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"
                    + " ON CONFLICT (symbol, trade_id) DO NOTHING");
            ps.setString(1, f.symbol());
            ps.setLong(2, f.tradeId());
            ps.setString(3, f.clientOrderId());
            ps.setLong(4, f.timeMs());
            ps.setString(5, f.side().name());
            ps.setString(6, plain(f.price()));
            ps.setString(7, plain(f.qty()));
            ps.setString(8, plain(f.quoteQty()));
            ps.setString(9, plain(f.fee()));
            ps.setString(10, f.feeAsset());
            ps.setString(11, baseAsset);
            ps.setString(12, clip(f.reason() == null ? "" : f.reason(), 200));
            ps.setString(13, source);
            return ps.executeUpdate() == 1;
        });
    }

    public CompletableFuture<Void> recordKillSwitch(long timeMs, String from, String to, String cause, String source) {
        long n = killSeq.incrementAndGet();
        return submit(w -> {
            PreparedStatement ps = w.ps("INSERT INTO journal_kill_switch (run_no, change_no, time_ms, from_level, to_level,"
                    + " cause, source) VALUES (?,?,?,?,?,?,?)");
            ps.setLong(1, runNo);
            ps.setLong(2, n);
            ps.setLong(3, timeMs);
            ps.setString(4, from);
            ps.setString(5, to);
            ps.setString(6, clip(cause, 300));
            ps.setString(7, source);
            ps.executeUpdate();
            return null;
        });
    }

    public CompletableFuture<Void> recordCapital(long timeMs, String quoteAsset, BigDecimal startQuote,
                                                 BigDecimal baseFraction, BigDecimal reinvestFraction) {
        return submit(w -> {
            PreparedStatement ps = w.ps("INSERT INTO journal_capital (run_no, time_ms, quote_asset, start_quote,"
                    + " base_fraction, reinvest_fraction) VALUES (?,?,?,?,?,?)");
            ps.setLong(1, runNo);
            ps.setLong(2, timeMs);
            ps.setString(3, quoteAsset);
            ps.setString(4, plain(startQuote));
            ps.setString(5, plain(baseFraction));
            ps.setString(6, plain(reinvestFraction));
            ps.executeUpdate();
            return null;
        });
    }

    /**
     * The start of a UTC day: the equity of the bot's own trading then (see {@link TradingDay}). Written again by a
     * run that starts the day afresh, it replaces the day's start and keeps a halt already recorded.
     */
    public CompletableFuture<Void> recordDayStart(long utcDay, BigDecimal startTradingEquity, long timeMs) {
        return submit(w -> {
            PreparedStatement ps = w.ps("INSERT INTO journal_day (utc_day, start_trading_equity, run_no, started_ms)"
                    + " VALUES (?,?,?,?) ON CONFLICT (utc_day) DO UPDATE SET start_trading_equity ="
                    + " excluded.start_trading_equity, run_no = excluded.run_no, started_ms = excluded.started_ms");
            bindDay(ps, utcDay, startTradingEquity, timeMs);
            ps.executeUpdate();
            return null;
        });
    }

    /**
     * The equity of the bot's own trading as valued now, the latest of the day (a restart on a later day that cannot
     * price its positions at midnight starts no lower). Writes the day's row with {@code startTradingEquity} if it has
     * none; an existing row keeps its start and its halt.
     */
    public CompletableFuture<Void> recordDayEquity(long utcDay, BigDecimal startTradingEquity, BigDecimal tradingEquity,
                                                   long timeMs) {
        return submit(w -> {
            PreparedStatement ps = w.ps("INSERT INTO journal_day (utc_day, start_trading_equity, run_no, started_ms,"
                    + " last_trading_equity, last_equity_ms) VALUES (?,?,?,?,?,?) ON CONFLICT (utc_day) DO UPDATE SET"
                    + " last_trading_equity = excluded.last_trading_equity, last_equity_ms = excluded.last_equity_ms");
            bindDay(ps, utcDay, startTradingEquity, timeMs);
            ps.setString(5, plain(tradingEquity));
            ps.setLong(6, timeMs);
            ps.executeUpdate();
            return null;
        });
    }

    /** New entries halted for the rest of a UTC day; the day's first halt is the one kept. */
    public CompletableFuture<Void> recordDayHalt(long utcDay, BigDecimal startTradingEquity, long timeMs, String cause,
                                                 String source) {
        return submit(w -> {
            PreparedStatement ps = w.ps("INSERT INTO journal_day (utc_day, start_trading_equity, run_no, started_ms,"
                    + " halted_ms, halt_cause, halt_source) VALUES (?,?,?,?,?,?,?) ON CONFLICT (utc_day) DO UPDATE SET"
                    + " halted_ms = COALESCE(journal_day.halted_ms, excluded.halted_ms),"
                    + " halt_cause = COALESCE(journal_day.halt_cause, excluded.halt_cause),"
                    + " halt_source = COALESCE(journal_day.halt_source, excluded.halt_source)");
            bindDay(ps, utcDay, startTradingEquity, timeMs);
            ps.setLong(5, timeMs);
            ps.setString(6, clip(cause, 300));
            ps.setString(7, clip(source, 40));
            ps.executeUpdate();
            return null;
        });
    }

    private void bindDay(PreparedStatement ps, long utcDay, BigDecimal startTradingEquity, long timeMs)
            throws SQLException {
        ps.setLong(1, utcDay);
        ps.setString(2, plain(startTradingEquity));
        ps.setLong(3, runNo);
        ps.setLong(4, timeMs);
    }

    /** One finding of reconciliation (a disagreement and how the exchange's truth was applied). */
    public CompletableFuture<Void> recordReconcile(long timeMs, String kind, String symbol, String detail) {
        long n = reconcileSeq.incrementAndGet();
        return submit(w -> {
            PreparedStatement ps = w.ps("INSERT INTO journal_reconcile (run_no, item_no, time_ms, kind, symbol, detail)"
                    + " VALUES (?,?,?,?,?,?)");
            ps.setLong(1, runNo);
            ps.setLong(2, n);
            ps.setLong(3, timeMs);
            ps.setString(4, kind);
            ps.setString(5, symbol);
            ps.setString(6, clip(detail, 400));
            ps.executeUpdate();
            return null;
        });
    }

    /** Marks this run stopped (graceful stop); complete = durable. */
    public CompletableFuture<Void> recordStop(long timeMs, String reason) {
        return submit(w -> {
            PreparedStatement ps = w.ps("UPDATE journal_run SET stopped_ms = ?, stop_reason = ? WHERE run_no = ?");
            ps.setLong(1, timeMs);
            ps.setString(2, clip(reason, 200));
            ps.setLong(3, runNo);
            ps.executeUpdate();
            return null;
        });
    }

    // ------------------------------------------------------------------ reads (on the writer, after what was queued before)

    /** Orders whose last recorded state is not final (what recovery must resolve with the exchange). */
    public CompletableFuture<List<OrderRecord>> unfinishedOrders() {
        return submit(w -> JournalReader.orders(w.conn,
                " WHERE state NOT IN ('FILLED','CANCELED','EXPIRED','REJECTED') ORDER BY created_ms, client_order_id",
                List.of()));
    }

    /**
     * The client-order-id prefix of every run of this journal, with its run number: an order on the exchange
     * under one of them is the bot's own even when its row was lost (a power cut before the row's fsync).
     */
    public CompletableFuture<Map<String, Long>> runPrefixes() {
        return submit(w -> {
            Map<String, Long> out = new TreeMap<>();
            try (Statement st = w.conn.createStatement();
                 ResultSet rs = st.executeQuery("SELECT id_prefix, run_no FROM journal_run")) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
            return out;
        });
    }

    /** Every journaled order, oldest first (recovery tells the bot's own orders from foreign ones). */
    public CompletableFuture<List<OrderRecord>> allOrders() {
        return submit(w -> JournalReader.orders(w.conn, " ORDER BY created_ms, client_order_id", List.of()));
    }

    /** The highest journaled trade id of each symbol (recovery asks the exchange for the trades after it). */
    public CompletableFuture<Map<String, Long>> lastTradeIds() {
        return submit(w -> {
            Map<String, Long> out = new TreeMap<>();
            try (Statement st = w.conn.createStatement();
                 ResultSet rs = st.executeQuery("SELECT symbol, MAX(trade_id) FROM journal_fill GROUP BY symbol")) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
            return out;
        });
    }

    /** The latest UTC day journaled (recovery continues it when the restart falls on it), if any. */
    public CompletableFuture<java.util.Optional<TradingDay>> lastDay() {
        return submit(w -> {
            try (Statement st = w.conn.createStatement();
                 ResultSet rs = st.executeQuery("SELECT utc_day, start_trading_equity, run_no, started_ms, halted_ms,"
                         + " halt_cause, halt_source, last_trading_equity, last_equity_ms FROM journal_day"
                         + " ORDER BY utc_day DESC LIMIT 1")) {
                if (!rs.next()) {
                    return java.util.Optional.<TradingDay>empty();
                }
                long halted = rs.getLong(5);
                Long haltedMs = rs.wasNull() ? null : halted;
                String last = rs.getString(8);
                long lastMs = rs.getLong(9);
                Long lastEquityMs = rs.wasNull() ? null : lastMs;
                return java.util.Optional.of(new TradingDay(rs.getLong(1), new BigDecimal(rs.getString(2)), rs.getLong(3),
                        rs.getLong(4), haltedMs, rs.getString(6), rs.getString(7), last == null ? null : new BigDecimal(last),
                        lastEquityMs));
            }
        });
    }

    /** Every journaled fill, oldest first (recovery rebuilds the portfolio from them). */
    public CompletableFuture<List<JournalReader.FillRow>> fills() {
        return submit(w -> JournalReader.fills(w.conn, "", List.of()));
    }

    /** The order with this client order id, if journaled. */
    public CompletableFuture<java.util.Optional<OrderRecord>> order(String clientOrderId) {
        return submit(w -> JournalReader.orders(w.conn, " WHERE client_order_id = ?", List.of(clientOrderId))
                .stream().findFirst());
    }

    /** True once {@link #close} was called: every write fails from then on. */
    public boolean isClosed() {
        return closed;
    }

    /** Runs {@code work} on the writer's connection, in order with the writes queued before it. */
    <T> CompletableFuture<T> submit(Work<T> work) {
        CompletableFuture<Object> done = new CompletableFuture<>();
        if (closed) {
            done.completeExceptionally(new JournalException("journal " + where + " is closed"));
        } else {
            queue.add(new Op(work, done));
        }
        @SuppressWarnings("unchecked")
        CompletableFuture<T> typed = (CompletableFuture<T>) (CompletableFuture<?>) done;
        return typed;
    }

    // ------------------------------------------------------------------ the writer

    private static final Op STOP = new Op(w -> null, new CompletableFuture<>());

    private void writeLoop() {
        List<Op> batch = new ArrayList<>(MAX_BATCH);
        List<Object> results = new ArrayList<>(MAX_BATCH);
        boolean stop = false;
        while (!stop) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            if (batch.remove(STOP)) {
                stop = true;
            }
            if (!batch.isEmpty()) {
                runBatch(batch, results);
            }
            batch.clear();
            results.clear();
        }
        durability.close();
        closeQuietly(conn);
    }

    private void runBatch(List<Op> batch, List<Object> results) {
        long t0 = System.nanoTime();
        Exception failure = null;
        connLock.lock(); // released before the fsync, whatever is thrown: a caller's own write never waits for it
        try {
            for (Op op : batch) {
                results.add(op.work().run(w));
            }
            conn.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            failure = e;
        } finally {
            connLock.unlock();
        }
        if (failure != null) {
            // one bad write must not fail the rest of its batch: run each alone to find and fail only it
            if (batch.size() > 1) {
                for (Op op : batch) {
                    List<Object> one = new ArrayList<>(1);
                    runBatch(List.of(op), one);
                }
                return;
            }
            failures.incrementAndGet();
            log.error("journal {}: write failed: {}", where, failure.getMessage());
            batch.get(0).done().completeExceptionally(
                    new JournalException("journal " + where + ": write failed: " + failure.getMessage(), failure));
            return;
        }
        try {
            sync(false); // this batch and every caller's row written before it
        } catch (java.io.IOException e) {
            failures.incrementAndGet();
            log.error("journal {}: fsync failed: {}", where, e.getMessage());
            JournalException fail = new JournalException("journal " + where + ": fsync failed: " + e.getMessage(), e);
            batch.forEach(op -> op.done().completeExceptionally(fail));
            return;
        }
        long nanos = System.nanoTime() - t0;
        synchronized (commitNanos) {
            commitNanos.recordValue(Math.min(nanos, commitNanos.getHighestTrackableValue()));
        }
        commits.incrementAndGet();
        rows.addAndGet(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).done().complete(results.get(i));
        }
    }

    /**
     * Makes every commit so far durable (SQLite: fsyncs the WAL, and checkpoints it now and then; PostgreSQL: its
     * commit already was). On the writer thread, or at open before the writer has work.
     */
    private void sync(boolean withFolder) throws java.io.IOException {
        long t0 = System.nanoTime();
        if (durability.sync(withFolder, rows.get())) {
            long nanos = System.nanoTime() - t0;
            synchronized (commitNanos) {
                syncNanos.recordValue(Math.min(nanos, syncNanos.getHighestTrackableValue()));
            }
        }
    }

    private void rollbackQuietly() {
        try {
            conn.rollback();
        } catch (SQLException e) {
            log.warn("journal {}: rollback failed: {}", where, e.getMessage());
        }
    }

    /** Figures of the writer: commits, rows, write failures and the commit (fsync) time distribution. */
    public record Stats(long commits, long rows, long failures, long commitP50Nanos, long commitP99Nanos,
                        long commitMaxNanos, long syncP50Nanos, long syncP99Nanos, long undurableP50Nanos,
                        long undurableP99Nanos, long undurableMaxNanos, long callerWaitP99Nanos, long callerWriteP50Nanos,
                        long callerWriteP99Nanos) {
        public double rowsPerCommit() {
            return commits == 0 ? 0 : rows / (double) commits;
        }
    }

    public Stats stats() {
        synchronized (commitNanos) {
            return new Stats(commits.get(), rows.get(), failures.get(), commitNanos.getValueAtPercentile(50),
                    commitNanos.getValueAtPercentile(99), commitNanos.getMaxValue(), syncNanos.getValueAtPercentile(50),
                    syncNanos.getValueAtPercentile(99), undurableNanos.getValueAtPercentile(50),
                    undurableNanos.getValueAtPercentile(99), undurableNanos.getMaxValue(),
                    callerWaitNanos.getValueAtPercentile(99), callerWriteNanos.getValueAtPercentile(50),
                    callerWriteNanos.getValueAtPercentile(99));
        }
    }

    /** Waits until everything queued so far is durable (bounded). */
    public boolean flush(long timeoutMs) {
        try {
            submit(w -> null).get(timeoutMs, TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Writes what is queued, then closes the database (the writer thread ends). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.add(STOP);
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            log.error("journal {}: the writer did not finish within 10 s", where);
        }
    }

    /** The writer's connection and its prepared statements (one per SQL text). */
    static final class Writer {
        final Connection conn;
        private final Map<String, PreparedStatement> statements = new HashMap<>();
        private final Map<String, Integer> eventNo = new HashMap<>();

        Writer(Connection conn) {
            this.conn = conn;
        }

        PreparedStatement ps(String sql) throws SQLException {
            PreparedStatement ps = statements.get(sql);
            if (ps == null) {
                ps = conn.prepareStatement(sql);
                statements.put(sql, ps);
            }
            return ps;
        }

        void event(String clientOrderId, long timeMs, String event, String state, String detail) throws SQLException {
            Integer known = eventNo.get(clientOrderId);
            int next;
            if (known == null) {
                try (PreparedStatement q = conn.prepareStatement(
                        "SELECT COALESCE(MAX(event_no), 0) FROM journal_order_event WHERE client_order_id = ?")) {
                    q.setString(1, clientOrderId);
                    try (ResultSet rs = q.executeQuery()) {
                        rs.next();
                        next = rs.getInt(1) + 1;
                    }
                }
            } else {
                next = known + 1;
            }
            PreparedStatement ps = ps("INSERT INTO journal_order_event (client_order_id, event_no, time_ms, event, state,"
                    + " detail) VALUES (?,?,?,?,?,?)");
            ps.setString(1, clientOrderId);
            ps.setInt(2, next);
            ps.setLong(3, timeMs);
            ps.setString(4, event);
            ps.setString(5, state);
            ps.setString(6, clip(detail, 300));
            ps.executeUpdate();
            eventNo.put(clientOrderId, next);
        }
    }

    // ------------------------------------------------------------------ helpers

    static String plain(BigDecimal d) {
        return d == null ? null : d.stripTrailingZeros().toPlainString();
    }

    private static void setDecimal(PreparedStatement ps, int i, BigDecimal d) throws SQLException {
        if (d == null) {
            ps.setNull(i, Types.VARCHAR);
        } else {
            ps.setString(i, plain(d));
        }
    }

    private static void setDouble(PreparedStatement ps, int i, Double d) throws SQLException {
        if (d == null) {
            ps.setNull(i, Types.VARCHAR);
        } else {
            ps.setString(i, BigDecimal.valueOf(d).toPlainString());
        }
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }

    static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing after a failure: the original error is what matters
        }
    }

    static Side side(String s) {
        return Side.valueOf(s);
    }
}
