package io.aquatrade.deploy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** DockerStackIT's clean-up of earlier runs removes only what a dead run left, never a live run's stack. */
class DockerStackLeftoversTest {

    @Test
    void aStackOfALiveRunIsKeptAndOneOfADeadRunIsRemoved() throws Exception {
        long live = ProcessHandle.current().pid();
        assertThat(DockerStackIT.leftOverByADeadRun("aqtit" + live + "p1a2b3c4d", "aqtit")).isFalse();
        assertThat(DockerStackIT.leftOverByADeadRun("aqtit" + live + "p1a2b3c4d_var", "aqtit")).isFalse();
        assertThat(DockerStackIT.leftOverByADeadRun("aquatrade:it-" + live + "p1a2b3c4d", "aquatrade:it-")).isFalse();
        long dead = deadPid();
        assertThat(DockerStackIT.leftOverByADeadRun("aqtit" + dead + "p1a2b3c4d", "aqtit")).isTrue();
        assertThat(DockerStackIT.leftOverByADeadRun("aquatrade:it-" + dead + "p1a2b3c4d", "aquatrade:it-")).isTrue();
    }

    @Test
    void namesOfOlderRunsWithoutAnOwnerAreLeftoversAndOtherNamesAreNotOurs() {
        assertThat(DockerStackIT.leftOverByADeadRun("aqtit1a2b3c4d", "aqtit")).isTrue();
        assertThat(DockerStackIT.leftOverByADeadRun("prometheus_data", "aqtit")).isFalse();
        assertThat(DockerStackIT.leftOverByADeadRun("aquatrade:latest", "aquatrade:it-")).isFalse();
    }

    /** A pid no process has: a finished (reaped) child's; another child if the system gave that pid out again. */
    private static long deadPid() throws Exception {
        for (int attempt = 0; attempt < 10; attempt++) {
            Process p = new ProcessBuilder("true").start();
            p.waitFor();
            if (ProcessHandle.of(p.pid()).isEmpty()) {
                return p.pid();
            }
        }
        throw new IllegalStateException("every finished child's pid was in use again");
    }
}
