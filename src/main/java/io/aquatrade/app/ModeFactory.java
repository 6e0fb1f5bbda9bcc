package io.aquatrade.app;

import com.hazelcast.core.HazelcastInstance;
import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.config.ConfigKeys;
import io.aquatrade.exchange.ExchangeAdapter;
import io.aquatrade.exchange.ExchangeInfo;
import io.aquatrade.exchange.sim.SimulatedExchange;
import io.aquatrade.state.HazelcastNode;

import java.math.BigDecimal;

/**
 * The one place that turns a {@link Mode} into the parts that differ between modes:
 * <ul>
 *   <li>the exchange adapter: the simulator filling at the next market event (replay), the simulator
 *       filling at the live book (paper), Binance's REST and WebSocket API (testnet, live);</li>
 *   <li>the state cluster: a backtest is a Hazelcast cluster of its own, a trading bot joins its peers;</li>
 *   <li>the clock and market source: recorded files on their event time (replay, see {@link ReplaySetup}),
 *       Binance's streams with REST backfill on the wall clock (paper, testnet, live, see {@link LiveRun}).</li>
 * </ul>
 * Everything downstream (pipeline, execution, portfolio) sees only the {@link ExchangeAdapter} port.
 */
final class ModeFactory {

    private ModeFactory() {
    }

    /**
     * Builds a run's venue once its Vert.x instance exists; {@code pipeline} runs tasks on the pipeline's
     * context (where an adapter must report).
     */
    @FunctionalInterface
    interface Venue {
        ExchangeAdapter create(io.vertx.core.Vertx vertx, java.util.concurrent.Executor pipeline,
                               io.micrometer.core.instrument.MeterRegistry registry);
    }

    /** The simulated venues (replay, paper); testnet and live get theirs from {@link LiveRun}. */
    static Venue simulated(Mode mode, AquatradeConfig config, ExchangeInfo info) {
        return (vertx, pipeline, registry) -> adapter(mode, config, info);
    }

    /** The venue orders go to in this mode. */
    static ExchangeAdapter adapter(Mode mode, AquatradeConfig config, ExchangeInfo info) {
        String quote = config.string(ConfigKeys.CAPITAL_QUOTE_ASSET);
        BigDecimal start = config.decimal(ConfigKeys.CAPITAL_START_QUOTE);
        BigDecimal taker = config.decimal(ConfigKeys.FEES_TAKER_RATE);
        switch (mode) {
            case REPLAY:
                return SimulatedExchange.nextEvent("simulated", info, taker, quote, start);
            case PAPER:
                return SimulatedExchange.atBook("paper", info, taker, quote, start);
            default:
                throw new io.aquatrade.config.ConfigException("mode " + mode.key()
                        + " trades through Binance's API: start it with the run command");
        }
    }

    /**
     * The embedded Hazelcast member of a run. A simulated run is a cluster of its own: it never joins a
     * trading bot's state, nor lets one join it. A trading bot joins only the cluster the operator named,
     * with the members the operator listed; with neither it keeps its state to itself, so two bots on one
     * machine never merge by accident.
     */
    static HazelcastInstance state(Mode mode, AquatradeConfig config) {
        int port = config.integer(ConfigKeys.STATE_PORT);
        if (mode.isolated()) {
            return HazelcastNode.startStandalone(mode.key(), port);
        }
        String name = config.string(ConfigKeys.STATE_CLUSTER_NAME).trim();
        String members = config.string(ConfigKeys.STATE_MEMBERS).trim();
        if (name.isEmpty() && members.isEmpty()) {
            return HazelcastNode.startStandalone("bot-" + mode.key(), port);
        }
        if (name.isEmpty() || members.isEmpty()) {
            String set = name.isEmpty() ? ConfigKeys.STATE_MEMBERS : ConfigKeys.STATE_CLUSTER_NAME;
            String missing = name.isEmpty() ? ConfigKeys.STATE_CLUSTER_NAME : ConfigKeys.STATE_MEMBERS;
            throw new io.aquatrade.config.ConfigException(set + " is set (" + config.where(set) + ") but " + missing
                    + " is empty: a bot joins a Hazelcast cluster only when both its name and its members are configured;"
                    + " set " + missing + ", or clear " + set + " to run without a cluster");
        }
        return HazelcastNode.start(name, port, members);
    }
}
