package io.aquatrade.journal;

import io.aquatrade.model.Fill;
import io.aquatrade.model.Side;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the journal: the trade history for {@code aquatrade journal} and the rows recovery needs.
 * Opens its own connection; reading never blocks the running bot's writer (SQLite: WAL; PostgreSQL: MVCC).
 */
public final class JournalReader implements AutoCloseable {

    private final Connection conn;
    private final String where;

    private JournalReader(Connection conn, String where) {
        this.conn = conn;
        this.where = where;
    }

    /** Opens an existing journal file for reading; it must exist and have the journal's schema. */
    public static JournalReader open(Path file) {
        return open(JournalDatabase.sqlite(file));
    }

    /** Opens an existing journal (SQLite or PostgreSQL) for reading; it must have the journal's schema. */
    public static JournalReader open(JournalDatabase db) {
        Connection c = db.connectReader();
        try (var st = c.createStatement()) {
            st.executeQuery("SELECT client_order_id FROM journal_order WHERE 1 = 0").close();
        } catch (SQLException e) {
            Journal.closeQuietly(c);
            throw new JournalException("journal " + db.where() + ": not an Aquatrade journal (no journal_order table)", e);
        }
        return new JournalReader(c, db.where());
    }

    /** Orders created at or after {@code sinceMs}, oldest first. */
    public List<OrderRecord> orders(long sinceMs) {
        try {
            return orders(conn, " WHERE created_ms >= ? ORDER BY created_ms, run_no, seq", List.of(sinceMs));
        } catch (SQLException e) {
            throw new JournalException("journal " + where + ": reading orders: " + e.getMessage(), e);
        }
    }

    /** A journaled fill with the base asset of its symbol and where it was learnt (stream, reconcile). */
    public record FillRow(Fill fill, String baseAsset, String source) {
    }

    /** Fills at or after {@code sinceMs}, oldest first. */
    public List<FillRow> fills(long sinceMs) {
        try {
            return fills(conn, " WHERE time_ms >= ?", List.of(sinceMs));
        } catch (SQLException e) {
            throw new JournalException("journal " + where + ": reading fills: " + e.getMessage(), e);
        }
    }

    /**
     * Net position of one symbol from its fills: quantity held (a fee paid in the base asset reduces
     * it, as Binance takes it from what it delivers), quote bought and sold, fees paid in the quote, and the price of
     * the latest fill (what a remainder is valued at to tell dust from a position).
     */
    public record PositionRow(String symbol, String baseAsset, BigDecimal qty, BigDecimal boughtQuote,
                              BigDecimal soldQuote, BigDecimal quoteFees, int buys, int sells, long lastFillMs,
                              BigDecimal lastPrice) {
    }

    /** Positions built from every fill; {@code sinceMs} only filters symbols traded since then. */
    public List<PositionRow> positions(long sinceMs) {
        return positionsOf(fills(Long.MIN_VALUE), sinceMs);
    }

    /** Folds fills into net positions (shared with recovery, which compares them with balances). */
    public static List<PositionRow> positionsOf(List<FillRow> fills, long sinceMs) {
        Map<String, PositionRow> acc = new TreeMap<>();
        for (FillRow row : fills) {
            Fill f = row.fill();
            PositionRow p = acc.getOrDefault(f.symbol(), new PositionRow(f.symbol(), row.baseAsset(), BigDecimal.ZERO,
                    BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, 0, 0, Long.MIN_VALUE, null));
            boolean feeInBase = row.baseAsset().equals(f.feeAsset());
            BigDecimal baseFee = feeInBase ? f.fee() : BigDecimal.ZERO;
            // a fee in neither asset (BNB) is paid outside the position; SELL fees are taken from the quote received
            BigDecimal quoteFee = !feeInBase && f.side() == Side.SELL && !"BNB".equals(f.feeAsset()) ? f.fee()
                    : BigDecimal.ZERO;
            boolean buy = f.side() == Side.BUY;
            acc.put(f.symbol(), new PositionRow(f.symbol(), row.baseAsset(),
                    buy ? p.qty().add(f.qty()).subtract(baseFee) : p.qty().subtract(f.qty()).subtract(baseFee),
                    buy ? p.boughtQuote().add(f.quoteQty()) : p.boughtQuote(),
                    buy ? p.soldQuote() : p.soldQuote().add(f.quoteQty()),
                    p.quoteFees().add(quoteFee), p.buys() + (buy ? 1 : 0), p.sells() + (buy ? 0 : 1),
                    Math.max(p.lastFillMs(), f.timeMs()), f.timeMs() >= p.lastFillMs() ? f.price() : p.lastPrice()));
        }
        List<PositionRow> out = new ArrayList<>();
        for (PositionRow p : acc.values()) {
            if (p.lastFillMs() >= sinceMs) {
                out.add(p);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ shared row mapping

    static List<OrderRecord> orders(Connection c, String whereOrder, List<Object> params) throws SQLException {
        List<OrderRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT client_order_id, run_no, seq, symbol, side, order_type,"
                + " quantity, quote_qty, price, stop_price, reference_price, reason, purpose, intent_no, stop_loss_pct,"
                + " take_profit_pct, template_day, recv_window_ms, created_ms, sent_ms, state, exchange_order_id,"
                + " executed_qty, cum_quote_qty, updated_ms, last_error, list_client_order_id FROM journal_order" + whereOrder)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new OrderRecord(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), dec(rs.getString(7)), dec(rs.getString(8)),
                            dec(rs.getString(9)), dec(rs.getString(10)), dec(rs.getString(11)), rs.getString(12),
                            rs.getString(13), longOrNull(rs, 14), dbl(rs.getString(15)), dbl(rs.getString(16)),
                            rs.getString(17), rs.getLong(18), rs.getLong(19), longOrNull(rs, 20), rs.getString(21),
                            longOrNull(rs, 22), dec(rs.getString(23)), dec(rs.getString(24)), rs.getLong(25),
                            rs.getString(26), rs.getString(27)));
                }
            }
        }
        return out;
    }

    static List<FillRow> fills(Connection c, String where, List<Object> params) throws SQLException {
        List<FillRow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT time_ms, symbol, side, price, qty, quote_qty, fee,"
                + " fee_asset, client_order_id, reason, trade_id, base_asset, source FROM journal_fill" + where
                + " ORDER BY time_ms, symbol, trade_id")) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new FillRow(new Fill(rs.getLong(1), rs.getString(2), Side.valueOf(rs.getString(3)),
                            dec(rs.getString(4)), dec(rs.getString(5)), dec(rs.getString(6)), dec(rs.getString(7)),
                            rs.getString(8), rs.getString(9), rs.getString(10), rs.getLong(11)), rs.getString(12),
                            rs.getString(13)));
                }
            }
        }
        return out;
    }

    private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
    }

    private static BigDecimal dec(String s) {
        return s == null ? null : new BigDecimal(s);
    }

    private static Double dbl(String s) {
        return s == null ? null : Double.valueOf(s);
    }

    private static Long longOrNull(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }

    @Override
    public void close() {
        Journal.closeQuietly(conn);
    }
}
