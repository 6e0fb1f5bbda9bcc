-- The order journal: every intent, request, acknowledgement, fill, cancel, kill-switch change and
-- capital base of the bot, in portable SQL (SQLite by default, the same DDL on PostgreSQL).
-- Money and quantities are exact decimal strings (BigDecimal.toPlainString): no floating point.

-- One row per start of the bot: its run number and the client-order-id prefix allocated to it.
CREATE TABLE journal_run (
    run_no       BIGINT       NOT NULL PRIMARY KEY,
    id_prefix    VARCHAR(20)  NOT NULL UNIQUE,
    mode         VARCHAR(16)  NOT NULL,
    started_ms   BIGINT       NOT NULL,
    stopped_ms   BIGINT,
    stop_reason  VARCHAR(200)
);

-- What a rule or guardrail asked for, and what became of it (sent as an order, or refused and why).
CREATE TABLE journal_intent (
    run_no           BIGINT       NOT NULL,
    intent_no        BIGINT       NOT NULL,
    time_ms          BIGINT       NOT NULL,
    symbol           VARCHAR(32)  NOT NULL,
    side             VARCHAR(4)   NOT NULL,
    quote_qty        VARCHAR(40),
    sell_fraction    VARCHAR(40),
    stop_loss_pct    VARCHAR(40),
    take_profit_pct  VARCHAR(40),
    template_day     VARCHAR(16),
    reason           VARCHAR(200) NOT NULL,
    outcome          VARCHAR(80)  NOT NULL,
    client_order_id  VARCHAR(36),
    PRIMARY KEY (run_no, intent_no)
);

-- One row per order, inserted (state NEW) and committed before the request leaves; its state is
-- then kept current by the order manager. The client order id is unique per account forever.
CREATE TABLE journal_order (
    client_order_id    VARCHAR(36)  NOT NULL PRIMARY KEY,
    run_no             BIGINT       NOT NULL,
    seq                BIGINT       NOT NULL,
    symbol             VARCHAR(32)  NOT NULL,
    side               VARCHAR(4)   NOT NULL,
    order_type         VARCHAR(24)  NOT NULL,
    quantity           VARCHAR(40),
    quote_qty          VARCHAR(40),
    price              VARCHAR(40),
    stop_price         VARCHAR(40),
    reference_price    VARCHAR(40),
    reason             VARCHAR(200) NOT NULL,
    purpose            VARCHAR(16)  NOT NULL,
    intent_no          BIGINT,
    stop_loss_pct      VARCHAR(40),
    take_profit_pct    VARCHAR(40),
    template_day       VARCHAR(16),
    recv_window_ms     BIGINT       NOT NULL,
    created_ms         BIGINT       NOT NULL,
    sent_ms            BIGINT,
    state              VARCHAR(20)  NOT NULL,
    exchange_order_id  BIGINT,
    executed_qty       VARCHAR(40)  NOT NULL,
    cum_quote_qty      VARCHAR(40)  NOT NULL,
    updated_ms         BIGINT       NOT NULL,
    last_error         VARCHAR(300),
    UNIQUE (run_no, seq)
);
CREATE INDEX journal_order_state ON journal_order (state);
CREATE INDEX journal_order_symbol ON journal_order (symbol, created_ms);

-- Every change of an order: REQUEST, SENT, ACK, FILL, CANCEL, REJECTED, UNKNOWN, LOOKUP, RESEND, DONE, RECONCILED.
CREATE TABLE journal_order_event (
    client_order_id  VARCHAR(36)  NOT NULL,
    event_no         INTEGER      NOT NULL,
    time_ms          BIGINT       NOT NULL,
    event            VARCHAR(16)  NOT NULL,
    state            VARCHAR(20)  NOT NULL,
    detail           VARCHAR(300),
    PRIMARY KEY (client_order_id, event_no)
);

-- One row per exchange trade: keyed by the exchange's trade id per symbol, so a fill seen twice
-- (response and user-data stream, or again at reconciliation) counts once.
CREATE TABLE journal_fill (
    symbol           VARCHAR(32)  NOT NULL,
    trade_id         BIGINT       NOT NULL,
    client_order_id  VARCHAR(36)  NOT NULL,
    time_ms          BIGINT       NOT NULL,
    side             VARCHAR(4)   NOT NULL,
    price            VARCHAR(40)  NOT NULL,
    qty              VARCHAR(40)  NOT NULL,
    quote_qty        VARCHAR(40)  NOT NULL,
    fee              VARCHAR(40)  NOT NULL,
    fee_asset        VARCHAR(16)  NOT NULL,
    base_asset       VARCHAR(16)  NOT NULL,
    reason           VARCHAR(200) NOT NULL,
    source           VARCHAR(16)  NOT NULL,
    PRIMARY KEY (symbol, trade_id)
);
CREATE INDEX journal_fill_time ON journal_fill (time_ms);
CREATE INDEX journal_fill_order ON journal_fill (client_order_id);

CREATE TABLE journal_kill_switch (
    run_no      BIGINT       NOT NULL,
    change_no   BIGINT       NOT NULL,
    time_ms     BIGINT       NOT NULL,
    from_level  VARCHAR(16)  NOT NULL,
    to_level    VARCHAR(16)  NOT NULL,
    cause       VARCHAR(300),
    source      VARCHAR(40)  NOT NULL,
    PRIMARY KEY (run_no, change_no)
);

-- The capital rule's base as each run started with it (start capital, fractions, quote asset).
CREATE TABLE journal_capital (
    run_no             BIGINT       NOT NULL PRIMARY KEY,
    time_ms            BIGINT       NOT NULL,
    quote_asset        VARCHAR(16)  NOT NULL,
    start_quote        VARCHAR(40)  NOT NULL,
    base_fraction      VARCHAR(40)  NOT NULL,
    reinvest_fraction  VARCHAR(40)  NOT NULL
);

-- What reconciliation at start found and how the exchange's truth was applied.
CREATE TABLE journal_reconcile (
    run_no      BIGINT       NOT NULL,
    item_no     BIGINT       NOT NULL,
    time_ms     BIGINT       NOT NULL,
    kind        VARCHAR(32)  NOT NULL,
    symbol      VARCHAR(32),
    detail      VARCHAR(400) NOT NULL,
    PRIMARY KEY (run_no, item_no)
);
