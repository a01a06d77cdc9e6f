package dev.syscope.kernel;

import dev.syscope.probe.Cgroups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Cgroups a test makes under the cgroup2 mount, named like containers', and removes (rmdir,
 * deepest first) when closed: only the directories it made, once the processes in them are gone.
 */
final class TestCgroups implements AutoCloseable {
    private final Path root = Cgroups.v2Mounts().stream().findFirst().orElseThrow(() -> new AssertionError("no cgroup2 mount"));
    private final List<Path> made = new ArrayList<>();

    /** A fresh random container id (64 hex digits), or {@code bytes} random bytes as hex. */
    static String hex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** {@code /system.slice/docker-<id>.scope}, as docker's systemd cgroup driver names it. */
    Path docker(String id) throws IOException {
        return make(root, "system.slice/docker-" + id + ".scope");
    }

    /** A burstable pod's containerd container, as the kubelet's systemd driver names it. */
    Path kubepods(String podUid, String id) throws IOException {
        return make(root, "kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + podUid.replace('-', '_')
                + ".slice/cri-containerd-" + id + ".scope");
    }

    /** Makes {@code relative} under {@code base} (any cgroup hierarchy), recording each directory it creates. */
    Path make(Path base, String relative) throws IOException {
        Path p = base;
        for (Path part : Path.of(relative)) {
            p = p.resolve(part);
            if (!Files.isDirectory(p)) {
                made.add(Files.createDirectory(p));
            }
        }
        return p;
    }

    /** Moves process {@code pid} (all its threads) into {@code cgroup}. */
    static void move(long pid, Path cgroup) throws IOException {
        Files.writeString(cgroup.resolve("cgroup.procs"), Long.toString(pid));
    }

    @Override
    public void close() throws IOException {
        for (int i = made.size() - 1; i >= 0; i--) {
            Files.delete(made.get(i));
        }
        made.clear();
    }
}
