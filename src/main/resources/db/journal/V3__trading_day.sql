-- The UTC day as the hard daily-loss cap counts it, so a restart the same day continues the day instead of
-- granting a fresh loss budget: the equity of the bot's own trading when the day began (money moved in or out from
-- outside the bot excluded, so it needs no update when that happens) and the halt of new entries, once the day has one.
CREATE TABLE journal_day (
    utc_day               BIGINT       NOT NULL PRIMARY KEY,
    start_trading_equity  VARCHAR(40)  NOT NULL,
    run_no                BIGINT       NOT NULL,
    started_ms            BIGINT       NOT NULL,
    halted_ms             BIGINT,
    halt_cause            VARCHAR(300),
    halt_source           VARCHAR(40)
);
