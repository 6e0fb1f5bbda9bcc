-- The equity of the bot's own trading (outside money excluded, as start_trading_equity) as the bot last valued it on
-- the day, and when (written once a minute): a restart on a later UTC day that cannot price every position at
-- midnight starts that day no lower than it, so a fall between that valuation and the restart counts against the day.
ALTER TABLE journal_day ADD COLUMN last_trading_equity VARCHAR(40);
ALTER TABLE journal_day ADD COLUMN last_equity_ms BIGINT;
