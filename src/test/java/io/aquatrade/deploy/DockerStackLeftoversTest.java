package io.aquatrade.deploy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** DockerStackIT's clean-up of earlier runs removes only what a dead run left, never a live run's stack. */
class DockerStackLeftoversTest {

    @Test
    void aStackOfALiveRunIsKeptAndOneOfADeadRunIsRemoved() {
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

    /** A pid no process has: a finished child's. */
    private static long deadPid() {
        try {
            Process p = new ProcessBuilder("true").start();
            p.waitFor();
            long pid = p.pid();
            while (ProcessHandle.of(pid).isPresent()) {
                Thread.sleep(10);
            }
            return pid;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
