package dev.syscope.probe;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CgroupsTest {

    @Test
    void findsTheUnifiedHierarchyOnPureAndHybridSystems() {
        assertThat(Cgroups.v2Mounts(List.of(
                "35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate"))).containsExactly(Path.of("/sys/fs/cgroup"));
        assertThat(Cgroups.v2Mounts(List.of(
                "30 24 0:26 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755",
                "31 30 0:27 / /sys/fs/cgroup/unified rw,nosuid - cgroup2 cgroup2 rw",
                "32 30 0:28 / /sys/fs/cgroup/memory rw,nosuid - cgroup cgroup rw,memory"))).containsExactly(Path.of("/sys/fs/cgroup/unified"));
        assertThat(Cgroups.v2Mounts(List.of("30 24 0:26 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu"))).isEmpty();
    }
}
