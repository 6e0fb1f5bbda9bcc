package io.aquatrade.market;

/** The recorded market-data formats this package reads. */
public enum DataFormat {
    /** data.binance.vision klines: zip or CSV, no header, 12 columns, ms or µs times. */
    KLINE_DUMP,
    /** Headed kline CSV / CSV.gz: {@code open_time_ms,open,high,low,close,volume}. */
    HEADED_KLINES,
    /** data.binance.vision spot aggTrades: zip or CSV, no header, 8 columns. */
    AGG_TRADES_DUMP,
    /** data.binance.vision spot trades: zip or CSV, no header, 7 columns. */
    TRADES_DUMP,
    /** Recorded combined-stream websocket messages, one per line after a receive time. */
    WS_CAPTURE;

    public boolean isCandles() {
        return this == KLINE_DUMP || this == HEADED_KLINES;
    }
}
