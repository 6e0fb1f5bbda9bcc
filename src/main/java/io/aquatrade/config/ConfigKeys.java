package io.aquatrade.config;

import io.aquatrade.config.ConfigKey.Type;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every configuration key the bot knows, with its built-in default. {@code config/aquatrade.yaml}
 * repeats these defaults with comments for the operator; a test keeps the two identical.
 */
public final class ConfigKeys {

    private static final Map<String, ConfigKey> KEYS = new LinkedHashMap<>();

    // --- mode and clock
    public static final String MODE = def("mode", Type.STRING, "replay", null, null,
            "replay | paper | testnet | live. live needs this set explicitly plus keys from the environment.");

    // --- capital
    public static final String CAPITAL_START_QUOTE = def("capital.start_quote", Type.DECIMAL, "10000", "0.01", null,
            "Starting capital in the quote asset (USDT).");
    public static final String CAPITAL_BASE_FRACTION = def("capital.base_fraction", Type.DECIMAL, "0.5", "0", "1",
            "Fraction of the starting capital that may be deployed (capital rule: 50%).");
    public static final String CAPITAL_PROFIT_REINVEST_FRACTION = def("capital.profit_reinvest_fraction", Type.DECIMAL,
            "1.0", "0", "1", "Fraction of realised profit added to deployable capital (capital rule: 100%).");
    public static final String CAPITAL_QUOTE_ASSET = def("capital.quote_asset", Type.STRING, "USDT", null, null,
            "Quote asset of the traded pairs and of all accounting.");

    // --- fees
    public static final String FEES_TAKER_RATE = def("fees.taker_rate", Type.DECIMAL, "0.001", "0", "0.01",
            "Taker fee rate charged on market orders, in the asset received (0.001 = 0.1%).");

    // --- hard risk caps (Java-enforced; rules may only tighten)
    public static final String RISK_MAX_POSITION_QUOTE = def("risk.max_position_quote", Type.DECIMAL, "250", "0", null,
            "Hard cap: cost of one position, USDT.");
    public static final String RISK_MAX_SYMBOL_EXPOSURE_QUOTE = def("risk.max_symbol_exposure_quote", Type.DECIMAL,
            "250", "0", null, "Hard cap: exposure in one symbol, USDT.");
    public static final String RISK_MAX_OPEN_POSITIONS = def("risk.max_open_positions", Type.INTEGER, "12", "0", "1000",
            "Hard cap: positions open at once.");
    public static final String RISK_MAX_TOTAL_EXPOSURE_QUOTE = def("risk.max_total_exposure_quote", Type.DECIMAL,
            "3000", "0", null, "Hard cap: total cost of open positions, USDT (the capital rule may be tighter).");
    public static final String RISK_MAX_DAILY_LOSS_QUOTE = def("risk.max_daily_loss_quote", Type.DECIMAL, "300", "0",
            null, "Hard cap: loss of the UTC day (equity vs. day start) that halts new entries until the next UTC day.");
    public static final String RISK_MAX_TRADES_PER_MINUTE = def("risk.max_trades_per_minute", Type.INTEGER, "20", "0",
            "100000", "Hard cap: orders per rolling minute.");
    public static final String RISK_MAX_TRADES_PER_DAY = def("risk.max_trades_per_day", Type.INTEGER, "1000", "0",
            "10000000", "Hard cap: orders per UTC day.");
    public static final String RISK_CIRCUIT_BREAKER_LOSSES = def("risk.circuit_breaker_losses", Type.INTEGER, "4", "1",
            "1000", "Consecutive losing round trips on a symbol that pause its entries.");
    public static final String RISK_CIRCUIT_BREAKER_COOLDOWN_MINUTES = def("risk.circuit_breaker_cooldown_minutes",
            Type.INTEGER, "120", "0", "100000", "How long a tripped symbol stays paused.");
    public static final String RISK_STALE_FEED_SECONDS = def("risk.stale_feed_seconds", Type.INTEGER, "180", "1",
            "86400", "No event for this long marks a symbol's feed stale and pauses its entries.");
    public static final String RISK_KILL_SWITCH_FILE = def("risk.kill_switch_file", Type.STRING, "var/KILL", null, null,
            "Creating this file halts trading (its content REDUCING or HALTED picks the level; empty = HALTED).");
    // --- kill switch persistence
    public static final String RISK_KILL_SWITCH_STATE_FILE = def("risk.kill_switch_state_file", Type.STRING,
            "var/kill-switch.state", null, null,
            "Where the kill switch level is kept across restarts (not read or written in replay mode).");

    // --- strategy thresholds the default rules read (rules/*.drl via the `params` global)
    public static final String STRATEGY_ENTRY_QUOTE = def("strategy.entry_quote", Type.DECIMAL, "100", "0.01", null,
            "USDT spent per entry by the default entry rule.");
    public static final String STRATEGY_MIN_SIMILARITY = def("strategy.min_similarity", Type.DECIMAL, "0.70", "-1", "1",
            "Minimum echo similarity for an entry.");
    public static final String STRATEGY_MIN_ACTIVITY_RATIO = def("strategy.min_activity_ratio", Type.DECIMAL, "0.4",
            "0", null, "Minimum live activity (volume vs typical) for an entry.");
    public static final String STRATEGY_MIN_EXPECTED_MOVE_PCT = def("strategy.min_expected_move_pct", Type.DECIMAL,
            "1.5", "0", null, "Minimum size of the echoed move for an entry, %.");
    public static final String STRATEGY_STOP_LOSS_PCT = def("strategy.stop_loss_pct", Type.DECIMAL, "2.1", "0", "99.9",
            "Protective stop below the entry price, %.");
    public static final String STRATEGY_TAKE_PROFIT_PCT = def("strategy.take_profit_pct", Type.DECIMAL, "2.1", "0",
            "1000", "Take-profit above the entry price, %.");
    public static final String STRATEGY_TRAILING_STOP_PCT = def("strategy.trailing_stop_pct", Type.DECIMAL, "0.9", "0",
            "100", "Trailing stop distance below the peak since entry, %.");
    public static final String STRATEGY_TRAILING_ACTIVATION_PCT = def("strategy.trailing_activation_pct", Type.DECIMAL,
            "0.5", "0", "1000", "Unrealised gain, %, from which the trailing stop follows the peak.");
    public static final String STRATEGY_MAX_HOLD_MINUTES = def("strategy.max_hold_minutes", Type.INTEGER, "90", "1",
            "100000", "Time stop: close a position held this long.");
    public static final String STRATEGY_ECHO_BREAK_SIMILARITY = def("strategy.echo_break_similarity", Type.DECIMAL,
            "0.0", "-1", "1", "Exit when no echo of the entry's template stays at least this similar.");
    public static final String STRATEGY_REENTRY_COOLDOWN_MINUTES = def("strategy.reentry_cooldown_minutes",
            Type.INTEGER, "8", "0", "100000", "Minutes after an exit before the same symbol may be entered again.");

    public static final String STRATEGY_ECHO_BREAK_MIN_MINUTES = def("strategy.echo_break_min_minutes", Type.INTEGER,
            "30", "3", "100000", "Minutes after an entry before the echo-broke exits may judge the position.");
    public static final String STRATEGY_ECHO_BREAK_LAG_PCT = def("strategy.echo_break_lag_pct", Type.DECIMAL, "1.0",
            "0", "1000", "Exit when the live return since entry trails the template's by more than this, %.");
    public static final String STRATEGY_DAILY_LOSS_HALT_FRACTION = def("strategy.daily_loss_halt_fraction",
            Type.DECIMAL, "0.8", "0", "1",
            "The rules halt entries at this fraction of risk.max_daily_loss_quote (the hard cap halts at 1.0).");
    public static final String STRATEGY_TRADE_BUDGET_FRACTION = def("strategy.trade_budget_fraction", Type.DECIMAL,
            "0.8", "0", "1", "Share of the per-minute and per-day order caps that entries may use; the rest is for exits.");

    // --- rules hot reload
    public static final String RULES_WATCH = def("rules.watch", Type.BOOLEAN, "true", null, null,
            "Watch the rules directory and this file's strategy/risk keys; reload on change (a bad edit changes nothing).");
    public static final String RULES_RELOAD_SETTLE_MS = def("rules.reload_settle_ms", Type.INTEGER, "250", "0",
            "60000", "After a change, wait until the files have been quiet this long before compiling.");
    public static final String RULES_POLL_INTERVAL_MS = def("rules.poll_interval_ms", Type.INTEGER, "1000", "100",
            "600000", "Also compare the files' content hashes this often (for mounts that send no change events).");
    public static final String RULES_FIRING_LIMIT = def("rules.firing_limit", Type.INTEGER, "5000", "100",
            "10000000", "Rule firings allowed in one evaluation; a rule that loops is stopped there and reported.");
    public static final String RULES_EVALUATION_DEADLINE_MS = def("rules.evaluation_deadline_ms", Type.INTEGER, "2000",
            "10", "60000", "Longest one rule evaluation may run when rules are validated (rules validate, rules test, compile dry run, hot"
                    + " reload); a consequence that never returns is stopped and the rule set refused with the rule's"
                    + " file:line, the running rules stay.");
    public static final String RULES_WATCHDOG_DEADLINE_MS = def("rules.watchdog_deadline_ms", Type.INTEGER, "5000",
            "50", "600000", "Longest one rule evaluation may run while trading: past it a watchdog thread sets the kill switch HALTED,"
                    + " raises a rules_stuck notice, counts aquatrade_rules_evaluation_overruns_total and makes /health"
                    + " answer 503.");
    public static final String RULES_RELOAD_RUNS_TESTS = def("rules.reload_runs_tests", Type.BOOLEAN, "false", null,
            null, "Before a reload goes live, also run the scenarios in <rules>/tests; a failing one keeps the old rules.");

    // --- echo engine
    public static final String ECHO_LEAD_MINUTES = def("echo.lead_minutes", Type.INTEGER, "60", "10", "720",
            "Length of the lead-in window compared with each template, minutes.");
    public static final String ECHO_MIN_SIMILARITY_FLOOR = def("echo.min_similarity_floor", Type.DECIMAL, "0.5", "-1",
            "1", "Matches below this similarity are not produced as facts at all.");
    public static final String ECHO_MAX_MATCHES_PER_SYMBOL = def("echo.max_matches_per_symbol", Type.INTEGER, "3", "1",
            "100", "At most this many EchoMatch facts per symbol per decision.");

    public static final String ECHO_MOVE_HORIZON_MINUTES = def("echo.move_horizon_minutes", Type.INTEGER, "0", "0",
            "1440", "A template's move is the largest completed within this many minutes of its start (0 = the whole day's swing).");
    public static final String ECHO_VOLUME_WEIGHT = def("echo.volume_weight", Type.DECIMAL, "0", "0", "0.99",
            "Weight of the volume-profile correlation blended into the similarity (0 = price path only).");

    // --- edge report (replay)
    public static final String EDGE_RANDOM_SEEDS = def("edge.random_seeds", Type.INTEGER, "4", "0", "1000",
            "Random-entry baseline sessions a replay runs beside the echo on the same market pass (report.json edge); 0 = none.");
    public static final String EDGE_SEED = def("edge.seed", Type.INTEGER, "1", "0", null,
            "First seed of the random-entry baseline; seed k+1, k+2, ... follow. The same seed gives the same baseline.");

    // --- state
    public static final String STATE_PUBLISH_INTERVAL_MS = def("state.publish_interval_ms", Type.INTEGER, "1000", "0",
            "3600000", "Least wall-clock time between two batched publications of symbol state to Hazelcast.");
    public static final String STATE_CLUSTER_NAME = def("state.cluster_name", Type.STRING, "", null, null,
            "Hazelcast cluster a trading bot joins, with state.members; empty: the bot's state is its own (no cluster)."
                    + " Replay, demo and bench never join one.");
    public static final String STATE_PORT = def("state.port", Type.INTEGER, "5701", "1", "65535",
            "Hazelcast member port (127.0.0.1).");
    public static final String STATE_MEMBERS = def("state.members", Type.STRING, "", null, null,
            "Comma-separated host[:port] list of the Hazelcast members of state.cluster_name (TCP-IP join);"
                    + " empty: no cluster.");

    // --- exchange
    public static final String EXCHANGE_INFO_FILE = def("exchange.info_file", Type.STRING, "", null, null,
            "exchangeInfo JSON to take filters and rate limits from; empty = the bundled real one.");
    public static final String EXCHANGE_LIMIT_FRACTION = def("exchange.limit_fraction", Type.DECIMAL, "0.8", "0.01",
            "1", "Fraction of each exchange rate limit the throttle lets the bot use.");

    public static final String EXCHANGE_REST_URL = def("exchange.rest_url", Type.STRING, "", null, null,
            "REST base URL; empty = the mode's Binance host (live, paper: https://api.binance.com; testnet: https://testnet.binance.vision). http:// only for loopback addresses.");
    public static final String EXCHANGE_STREAM_URL = def("exchange.stream_url", Type.STRING, "", null, null,
            "Market stream base URL, to which /stream?streams=... is appended; empty = the mode's host (live, paper: wss://stream.binance.com:9443; testnet: wss://stream.testnet.binance.vision). ws:// only for loopback addresses.");
    public static final String EXCHANGE_WS_API_URL = def("exchange.ws_api_url", Type.STRING, "", null, null,
            "The full WebSocket API URL (user data stream); empty = the mode's (live: wss://ws-api.binance.com:443/ws-api/v3; testnet: wss://ws-api.testnet.binance.vision/ws-api/v3). ws:// only for loopback addresses.");
    public static final String EXCHANGE_SYMBOLS = def("exchange.symbols", Type.STRING, "", null, null,
            "Comma-separated pairs to trade, e.g. BTCUSDT,ETHUSDT; empty = the universe: the top exchange.universe_size USDT pairs by 24 h quote volume, refreshed daily.");
    public static final String EXCHANGE_UNIVERSE_SIZE = def("exchange.universe_size", Type.INTEGER, "20", "1", "200",
            "How many pairs the universe holds (TRADING USDT pairs, no stablecoins or leveraged tokens).");
    public static final String EXCHANGE_LIVE_CONFIRM = def("exchange.live_confirm", Type.STRING, "", null, null,
            "live mode only: must be the phrase I-TRADE-REAL-MONEY (or pass run --confirm-live); no default or shipped file sets it.");

    // --- history
    public static final String HISTORY_LOOKBACK_DAYS = def("history.lookback_days", Type.INTEGER, "30", "1", "400",
            "Days of one-minute klines each pair loads before it may trade (templates, activity baseline).");
    public static final String HISTORY_CACHE_DIR = def("history.cache_dir", Type.STRING, "var/history", null, null,
            "Where downloaded klines are kept as Binance dump files (SYMBOL-1m-YYYY-MM-DD.csv); a restart fetches only missing days.");

    // --- order journal and execution
    public static final String JOURNAL_PATH = def("journal.path", Type.STRING, "var/journal.db", null, null,
            "SQLite file of the order journal (every intent, order, fill, cancel, kill-switch change); replay writes <out>/journal.db instead.");
    public static final String JOURNAL_URL = def("journal.url", Type.STRING, "", null, null,
            "Empty = the SQLite file at journal.path; jdbc:postgresql://host:port/database = the journal on that PostgreSQL "
                    + "server (same schema, migrated at start; no password in the URL). Replay always keeps its own SQLite file.");
    public static final String JOURNAL_USER = def("journal.user", Type.STRING, "", null, null,
            "PostgreSQL user of journal.url (needed with it).");
    public static final String JOURNAL_PASSWORD_ENV = def("journal.password_env", Type.STRING,
            "AQUATRADE_JOURNAL_PASSWORD", null, null,
            "Environment variable holding journal.user's password (never in a config file); empty = the server asks for none.");
    public static final String EXECUTION_RECV_WINDOW_MS = def("execution.recv_window_ms", Type.INTEGER, "5000", "100",
            "60000", "recvWindow of every signed request (orders over REST, the user data stream's subscribe): once it has passed since the request was signed, a lost request can no longer be accepted and is looked up before any resend.");
    public static final String EXECUTION_ENTRY_VALIDITY_MS = def("execution.entry_validity_ms", Type.INTEGER, "2000", "0",
            "60000", "How long an entry order may wait in the throttle's queue for a slot; past it the entry is dropped and counted, never sent late.");
    public static final String EXECUTION_PROTECTIVE_ORDERS = def("execution.protective_orders", Type.STRING, "", null, null,
            "local | exchange: where a position's stop-loss and take-profit live. exchange rests them on the exchange as an OCO "
                    + "(or a STOP_LOSS_LIMIT alone), so the position stays protected while the bot is down; local watches them "
                    + "in the bot and sends a MARKET exit. Empty = the mode's: exchange in live and testnet, local in replay and paper.");
    public static final String EXECUTION_STOP_LIMIT_OFFSET_PCT = def("execution.stop_limit_offset_pct", Type.DECIMAL, "0.5",
            "0", "10", "With exchange protection: how far (%) below its trigger the stop leg's limit price sits, so a fast fall "
                    + "still fills it; a price already below the limit is sold at market instead.");
    public static final String EXECUTION_PROTECTION_MIN_MOVE_MS = def("execution.protection_min_move_ms", Type.INTEGER,
            "60000", "0", "3600000", "With exchange protection: least time between two moves of the resting protection by "
                    + "the trailing stop (each move is a cancel and a new order list, two orders of the budget).");

    // --- replay
    public static final String REPLAY_SPEED = def("replay.speed", Type.DECIMAL, "0", "0", null,
            "Replay pace as a multiple of real time; 0 = as fast as possible.");

    // --- market data sanity (impossible or implausible data never reaches state, stops or fills)
    public static final String MARKET_MAX_FUTURE_SKEW_MS = def("market.max_future_skew_ms", Type.INTEGER, "60000", "0",
            "86400000", "An event dated more than this after its receive time is malformed (exchange vs local clock skew).");

    public static final String MARKET_SANITY_BAND_PCT = def("market.sanity_band_pct", Type.DECIMAL, "50", "0", "10000",
            "An event priced more than this % from the symbol's last accepted price is held out of state and fills "
                    + "(until 3 in a row agree); 0 = off.");
    public static final String MARKET_SANITY_PAUSE_REJECTIONS = def("market.sanity_pause_rejections", Type.INTEGER, "3",
            "0", "100000", "This many events of one symbol held out by the sanity band within market.sanity_pause_window_ms "
                    + "pause its entries (its feed cannot be believed); 0 = never pause.");
    public static final String MARKET_SANITY_PAUSE_WINDOW_MS = def("market.sanity_pause_window_ms", Type.INTEGER, "600000",
            "1", "86400000", "The window (event time) in which market.sanity_pause_rejections outliers pause a symbol.");
    public static final String MARKET_SANITY_RESUME_AFTER = def("market.sanity_resume_after", Type.INTEGER, "30", "1",
            "1000000", "A paused symbol trades again after this many accepted events in a row.");

    // --- ops
    public static final String OPS_HTTP_HOST = def("ops.http_host", Type.STRING, "127.0.0.1", null, null,
            "Address the status page, control API and /metrics bind to.");
    public static final String OPS_HTTP_PORT = def("ops.http_port", Type.INTEGER, "8080", "0", "65535",
            "Port of the status page, control API and /metrics (0 = any free port).");
    public static final String OPS_ALLOWED_HOSTS = def("ops.allowed_hosts", Type.STRING, "", null, null,
            "Comma-separated host names the ops server answers besides its bound address (and localhost on loopback); "
                    + "requests naming any other Host are refused (DNS rebinding).");
    public static final String OPS_CONTROL_TOKEN_ENV = def("ops.control_token_env", Type.STRING,
            "AQUATRADE_CONTROL_TOKEN", null, null,
            "Environment variable holding the bearer token of the control API (kill, resume, reload); at least 16 characters.");
    public static final String OPS_CONTROL_TOKEN_FILE = def("ops.control_token_file", Type.STRING, "", null, null,
            "File holding the control token (e.g. a Docker secret), read when the variable and its _FILE twin "
                    + "(AQUATRADE_CONTROL_TOKEN_FILE) are unset; empty = none. "
                    + "Without a token the control API refuses every change.");
    public static final String OPS_STUCK_EXIT_AFTER_MS = def("ops.stuck_exit_after_ms", Type.INTEGER, "60000", "0",
            "3600000", "A rule evaluation still stuck this long after the watchdog halted trading makes the process exit "
                    + "with status 70 (the kill switch stays HALTED across the restart); 0 = never exit.");

    // --- notifications
    public static final String NOTIFY_URL_ENV = def("notify.url_env", Type.STRING, "AQUATRADE_NOTIFY_URL", null, null,
            "Environment variable holding the webhook URL (use it when the URL holds a secret, e.g. a Telegram bot token).");
    public static final String NOTIFY_URL = def("notify.url", Type.STRING, "", null, null,
            "Webhook URL for notices, used when the variable is unset; empty = notices are only logged.");
    public static final String NOTIFY_FORMAT = def("notify.format", Type.STRING, "json", null, null,
            "json: {event, severity, text, instance, mode, time, fields}; telegram: Telegram sendMessage {chat_id, text}.");
    public static final String NOTIFY_TELEGRAM_CHAT_ID = def("notify.telegram_chat_id", Type.STRING, "", null, null,
            "chat_id for notify.format telegram.");
    public static final String NOTIFY_INSTANCE = def("notify.instance", Type.STRING, "aquatrade", null, null,
            "The bot's name in notices (several bots may share one channel).");
    public static final String NOTIFY_MAX_ATTEMPTS = def("notify.max_attempts", Type.INTEGER, "6", "1", "100",
            "Delivery attempts per notice before it counts as failed.");
    public static final String NOTIFY_INITIAL_BACKOFF_MS = def("notify.initial_backoff_ms", Type.INTEGER, "1000", "0",
            "3600000", "Wait after the first failed attempt; doubles per attempt.");
    public static final String NOTIFY_MAX_BACKOFF_MS = def("notify.max_backoff_ms", Type.INTEGER, "60000", "0",
            "3600000", "Longest wait between two attempts.");
    public static final String NOTIFY_QUEUE_CAPACITY = def("notify.queue_capacity", Type.INTEGER, "100", "1", "100000",
            "Notices waiting for delivery at most; beyond it the oldest is dropped.");
    public static final String NOTIFY_TIMEOUT_MS = def("notify.timeout_ms", Type.INTEGER, "10000", "1", "600000",
            "Timeout of one delivery attempt.");

    private ConfigKeys() {
    }

    private static String def(String name, Type type, String dflt, String min, String max, String description) {
        ConfigKey k = new ConfigKey(name, type, dflt, min, max, description);
        if (KEYS.put(name, k) != null) {
            throw new IllegalStateException("duplicate config key " + name);
        }
        return name;
    }

    public static Map<String, ConfigKey> all() {
        return Collections.unmodifiableMap(KEYS);
    }
}
