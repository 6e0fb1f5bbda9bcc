package io.aquatrade.app;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.config.ConfigException;
import io.aquatrade.config.ConfigKeys;

import java.util.Locale;

/**
 * The four ways the bot runs (config key {@code mode}). What differs between them is decided here and
 * in {@link ModeFactory}, nowhere else: the market source, the clock and the exchange adapter.
 */
public enum Mode {
    /** Recorded files, event-time clock, simulated fills: a backtest of the live code. */
    REPLAY(false, true, false),
    /** Binance's live streams, wall clock, simulated fills at the live book; needs no keys. */
    PAPER(true, true, false),
    /** Binance's spot testnet: its streams, its REST and WebSocket API, testnet keys. */
    TESTNET(true, false, true),
    /** Binance itself with real money: needs keys and an explicit confirmation. */
    LIVE(true, false, true);

    private final boolean liveMarket;
    private final boolean simulatedFills;
    private final boolean needsKeys;

    Mode(boolean liveMarket, boolean simulatedFills, boolean needsKeys) {
        this.liveMarket = liveMarket;
        this.simulatedFills = simulatedFills;
        this.needsKeys = needsKeys;
    }

    /** What the mode does, in the words of the start notice and the console. */
    public String describe() {
        switch (this) {
            case REPLAY:
                return "a backtest on recorded data (simulated fills, no order reaches an exchange)";
            case PAPER:
                return "paper trading on Binance's live prices (simulated fills, no keys)";
            case TESTNET:
                return "trading on Binance's spot testnet (test funds)";
            default:
                return "LIVE trading on Binance with real money";
        }
    }

    /** The config value, e.g. {@code paper}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Market events come from Binance's streams (and REST backfill), on the wall clock. */
    public boolean liveMarket() {
        return liveMarket;
    }

    /** Orders fill in a local simulator (replay at the next event, paper at the live book). */
    public boolean simulatedFills() {
        return simulatedFills;
    }

    /** Orders go to Binance: API keys from the environment are required. */
    public boolean needsKeys() {
        return needsKeys;
    }

    /**
     * A backtest is reproducible and isolated: its own Hazelcast cluster, no kill file or kill-switch
     * state of a running bot read or written, order logs at DEBUG.
     */
    public boolean isolated() {
        return this == REPLAY;
    }

    public static Mode parse(String value, String origin) {
        for (Mode m : values()) {
            if (m.key().equals(value == null ? null : value.trim().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new ConfigException("mode must be one of replay, paper, testnet, live, got '" + value + "' (" + origin + ")");
    }

    public static Mode of(AquatradeConfig config) {
        return parse(config.string(ConfigKeys.MODE), config.where(ConfigKeys.MODE));
    }
}
