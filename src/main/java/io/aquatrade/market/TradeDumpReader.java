package io.aquatrade.market;

import io.aquatrade.model.MarketEvent;
import io.aquatrade.model.TradeTick;

import java.nio.file.Path;

/**
 * data.binance.vision spot trade dumps, zip or CSV, no header:
 * <ul>
 * <li>{@code aggTrades}: {@code aggTradeId,price,quantity,firstTradeId,lastTradeId,timestamp,isBuyerMaker,isBestMatch}</li>
 * <li>{@code trades}: {@code tradeId,price,qty,quoteQty,time,isBuyerMaker,isBestMatch}</li>
 * </ul>
 * Times in ms before 2025-01-01 and µs after, detected per row; flags are {@code True}/{@code False}.
 * Each row becomes a {@link TradeTick} at the trade time.
 */
public final class TradeDumpReader extends CsvSeriesReader {

    /** The two layouts. */
    public enum Kind {
        AGG_TRADES(8, 1, 2, 5, 6),
        TRADES(7, 1, 2, 4, 5);

        final int columns;
        final int price;
        final int qty;
        final int time;
        final int buyerMaker;

        Kind(int columns, int price, int qty, int time, int buyerMaker) {
            this.columns = columns;
            this.price = price;
            this.qty = qty;
            this.time = time;
            this.buyerMaker = buyerMaker;
        }
    }

    private final Kind kind;

    public TradeDumpReader(Path path, String symbol, Kind kind, int maxIssues) {
        super(path, symbol, maxIssues);
        this.kind = kind;
    }

    public TradeDumpReader(Path path, String symbol, Kind kind) {
        this(path, symbol, kind, ReadReport.DEFAULT_MAX_ISSUES);
    }

    @Override
    protected MarketEvent parseRow(int fields, long line) throws RowError {
        if (line == 1 && looksLikeHeader()) { // Binance's spot dumps have none, its futures dumps do
            report.header();
            return null;
        }
        if (fields != kind.columns) {
            throw new RowError("expected " + kind.columns + " columns, found " + fields);
        }
        id(0, kind == Kind.AGG_TRADES ? "aggTradeId" : "tradeId");
        long price = positiveE8(kind.price, "price");
        String qtyColumn = kind == Kind.AGG_TRADES ? "quantity" : "qty";
        double qty = volumeE8(kind.qty, qtyColumn);
        if (!(qty > 0)) {
            throw new RowError("column '" + qtyColumn + "' must be positive: '" + text(kind.qty) + "'");
        }
        long time = epochMs(kind.time, kind == Kind.AGG_TRADES ? "timestamp" : "time");
        boolean buyerMaker = flag(kind.buyerMaker, "isBuyerMaker");
        return new TradeTick(symbol, time, price, qty, buyerMaker);
    }
}
