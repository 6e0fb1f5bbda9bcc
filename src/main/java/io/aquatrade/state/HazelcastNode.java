package io.aquatrade.state;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

import java.util.Arrays;

/**
 * Starts the embedded Hazelcast member. Loopback only by default, TCP-IP join to the configured
 * members, no multicast, no phone-home; symbol state keeps one synchronous backup so a member
 * loss loses nothing.
 */
public final class HazelcastNode {

    public static final String SYMBOL_STATE_MAP = "aquatrade.symbol-state";
    private static final java.util.concurrent.atomic.AtomicInteger INSTANCES = new java.util.concurrent.atomic.AtomicInteger();

    private HazelcastNode() {
    }

    /**
     * A member of nobody's cluster, for replays, demos and benches: no join at all and a cluster name
     * unique to this process, so it never joins a running bot and no bot (or other run) joins it.
     */
    public static HazelcastInstance startStandalone(String purpose, int port) {
        String name = "aquatrade-" + purpose + "-" + ProcessHandle.current().pid() + "-"
                + Long.toString(System.nanoTime(), 36);
        Config config = baseConfig(name, port);
        JoinConfig join = config.getNetworkConfig().getJoin();
        join.getTcpIpConfig().setEnabled(false);
        return Hazelcast.newHazelcastInstance(config);
    }

    public static HazelcastInstance start(String clusterName, int port, String members) {
        Config config = baseConfig(clusterName, port);
        JoinConfig join = config.getNetworkConfig().getJoin();
        join.getTcpIpConfig().setEnabled(true);
        Arrays.stream(members.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .forEach(m -> join.getTcpIpConfig().addMember(m));
        return Hazelcast.newHazelcastInstance(config);
    }

    private static Config baseConfig(String clusterName, int port) {
        Config config = new Config();
        config.setClusterName(clusterName);
        config.setInstanceName(clusterName + "-" + port + "-" + ProcessHandle.current().pid() + "-"
                + INSTANCES.incrementAndGet());
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(port).setPortAutoIncrement(true).setPortCount(20);
        network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        config.addMapConfig(new MapConfig(SYMBOL_STATE_MAP).setBackupCount(1));
        return config;
    }
}
