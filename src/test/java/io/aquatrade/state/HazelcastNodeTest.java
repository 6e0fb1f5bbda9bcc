package io.aquatrade.state;

import com.hazelcast.core.HazelcastInstance;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Simulated runs are standalone members: they never join a running bot's cluster, nor it theirs. */
class HazelcastNodeTest {

    @Test
    void aReplayMemberAndABotOnOneMachineStayInClustersOfTheirOwn() {
        int port = 5801;
        HazelcastInstance bot = HazelcastNode.start("aquatrade", port, "127.0.0.1:" + port + ",127.0.0.1:" + (port + 1));
        HazelcastInstance replay = HazelcastNode.startStandalone("replay", port);
        HazelcastInstance otherReplay = HazelcastNode.startStandalone("replay", port);
        try {
            assertThat(bot.getCluster().getMembers()).hasSize(1);
            assertThat(replay.getCluster().getMembers()).hasSize(1);
            assertThat(otherReplay.getCluster().getMembers()).hasSize(1);
            assertThat(replay.getConfig().getClusterName()).isNotEqualTo(otherReplay.getConfig().getClusterName())
                    .startsWith("aquatrade-replay-");
            // a second bot with the same configured name and members does join: that is the operator's choice
            HazelcastInstance secondBot = HazelcastNode.start("aquatrade", port,
                    "127.0.0.1:" + port + ",127.0.0.1:" + (port + 1) + ",127.0.0.1:" + (port + 2)
                            + ",127.0.0.1:" + (port + 3));
            try {
                assertThat(secondBot.getCluster().getMembers()).hasSize(2);
                assertThat(replay.getCluster().getMembers()).hasSize(1);
            } finally {
                secondBot.shutdown();
            }
        } finally {
            otherReplay.shutdown();
            replay.shutdown();
            bot.shutdown();
        }
    }
}
