package io.aquatrade.app;

import com.hazelcast.core.HazelcastInstance;
import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModeFactoryTest {

    @Test
    void twoBotsOnOneMachineWithTheDefaultsKeepTheirStateApart() {
        AquatradeConfig config = AquatradeConfig.load(null, List.of("mode=paper"));
        HazelcastInstance a = ModeFactory.state(Mode.PAPER, config);
        HazelcastInstance b = ModeFactory.state(Mode.PAPER, config);
        try {
            assertThat(a.getCluster().getMembers()).hasSize(1);
            assertThat(b.getCluster().getMembers()).hasSize(1);
            assertThat(a.getConfig().getClusterName()).isNotEqualTo(b.getConfig().getClusterName());
            assertThat(a.getConfig().getNetworkConfig().getJoin().getTcpIpConfig().isEnabled()).isFalse();
        } finally {
            a.shutdown();
            b.shutdown();
        }
    }

    @Test
    void aBotJoinsOnlyWhenTheOperatorNamedTheClusterAndItsMembers() {
        AquatradeConfig membersOnly = AquatradeConfig.load(null, List.of("mode=paper", "state.members=127.0.0.1"));
        assertThatThrownBy(() -> ModeFactory.state(Mode.PAPER, membersOnly)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("state.members is set").hasMessageContaining("state.cluster_name is empty");
        AquatradeConfig nameOnly = AquatradeConfig.load(null, List.of("mode=paper", "state.cluster_name=desk"));
        assertThatThrownBy(() -> ModeFactory.state(Mode.PAPER, nameOnly)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("state.cluster_name is set").hasMessageContaining("state.members is empty");

        String name = "desk-" + UUID.randomUUID();
        AquatradeConfig both = AquatradeConfig.load(null, List.of("mode=paper", "state.cluster_name=" + name,
                "state.members=127.0.0.1"));
        HazelcastInstance a = ModeFactory.state(Mode.PAPER, both);
        try {
            assertThat(a.getConfig().getClusterName()).isEqualTo(name);
            assertThat(a.getConfig().getNetworkConfig().getJoin().getTcpIpConfig().getMembers()).containsExactly("127.0.0.1");
        } finally {
            a.shutdown();
        }
    }
}
