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

    private HazelcastNode() {
    }

    public static HazelcastInstance start(String clusterName, int port, String members) {
        Config config = new Config();
        config.setClusterName(clusterName);
        config.setInstanceName(clusterName + "-" + port + "-" + ProcessHandle.current().pid());
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
        join.getTcpIpConfig().setEnabled(true);
        Arrays.stream(members.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .forEach(m -> join.getTcpIpConfig().addMember(m));
        config.addMapConfig(new MapConfig(SYMBOL_STATE_MAP).setBackupCount(1));
        return Hazelcast.newHazelcastInstance(config);
    }
}
