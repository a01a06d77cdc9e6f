package dev.syscope.container;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The cache and its rescans, on a directory tree shaped like a cgroup2 mount (inodes are the ids). */
class ContainerResolverTest {
    static final String ID = "9ec39b91f3d70e1beff50a308f77067065ea6be0d91a3378375056cd4422cf3d";
    static final String ID2 = "34dc0b5e626f2c5c4c5170e34b10e7654ce36f0fcd532739f4445baabea03376";

    @TempDir
    Path root;

    private static long ino(Path p) throws Exception {
        return ((Number) Files.getAttribute(p, "unix:ino")).longValue();
    }

    @Test
    void scansOnceThenAnswersFromTheCacheAndRescansAtMostOncePerInterval() throws Exception {
        Path docker = Files.createDirectories(root.resolve("system.slice/docker-" + ID + ".scope"));
        Path nested = Files.createDirectories(docker.resolve("init.scope"));
        AtomicLong now = new AtomicLong(1000);
        ContainerResolver r = new ContainerResolver(List.of(root), now::get, 100, 500);

        assertThat(r.resolve(ino(docker))).extracting(Container::id, Container::runtime).containsExactly(ID, "docker");
        assertThat(r.resolve(ino(nested)).id()).isEqualTo(ID);
        assertThat(r.resolve(ino(root.resolve("system.slice"))).isHost()).isTrue();
        assertThat(r.scans()).isEqualTo(1);

        // A cgroup made later: unknown until the rescan interval has passed, then found by one rescan.
        Path later = Files.createDirectories(root.resolve("system.slice/docker-" + ID2 + ".scope"));
        assertThat(r.resolve(ino(later)).isHost()).isTrue();
        assertThat(r.scans()).isEqualTo(1);
        now.addAndGet(100);
        assertThat(r.resolve(ino(later)).id()).isEqualTo(ID2);
        assertThat(r.scans()).isEqualTo(2);

        // An id that is no cgroup: one rescan, then remembered as unknown until it expires.
        now.addAndGet(100);
        assertThat(r.resolve(123_456_789L).isHost()).isTrue();
        assertThat(r.scans()).isEqualTo(3);
        now.addAndGet(200);
        assertThat(r.resolve(123_456_789L).isHost()).isTrue();
        assertThat(r.scans()).as("negative answer cached").isEqualTo(3);
        now.addAndGet(1000);
        assertThat(r.resolve(123_456_789L).isHost()).isTrue();
        assertThat(r.scans()).as("expired: rescanned").isEqualTo(4);
    }

    @Test
    void keepsManyCgroupsApart() throws Exception {
        ContainerResolver r = new ContainerResolver(List.of(root), () -> 0, 1, 1);
        long[] ids = new long[3000];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = ino(Files.createDirectory(root.resolve("c" + i)));
        }
        Path c = Files.createDirectories(root.resolve("docker/" + ID));
        for (long id : ids) {
            assertThat(r.resolve(id).isHost()).isTrue();
        }
        assertThat(r.resolve(ino(c)).id()).isEqualTo(ID);
        assertThat(r.scans()).isEqualTo(1);
    }
}
