package dev.syscope.probe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * cgroup v2 ids, as bpf_get_current_cgroup_id() returns them: the inode number of the cgroup's
 * directory in the unified hierarchy. That hierarchy is mounted at /sys/fs/cgroup on current
 * systems and at /sys/fs/cgroup/unified on "hybrid" ones (v1 controllers beside it).
 */
public final class Cgroups {
    private Cgroups() {}

    /** Mount points of cgroup2 file systems, from /proc/self/mountinfo (empty if none). */
    public static List<Path> v2Mounts(List<String> mountinfo) {
        List<Path> roots = new ArrayList<>();
        for (String line : mountinfo) {
            // ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER
            int dash = line.indexOf(" - ");
            String[] f = line.split(" ");
            if (dash > 0 && line.substring(dash + 3).startsWith("cgroup2 ") && f.length > 4) {
                roots.add(Path.of(f[4].replace("\\040", " ")));
            }
        }
        return roots;
    }

    /** Mount points of cgroup2 file systems on this system (empty if none, or /proc is unreadable). */
    public static List<Path> v2Mounts() {
        try {
            return v2Mounts(Files.readAllLines(Path.of("/proc/self/mountinfo")));
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * The id of a cgroup v2 directory: absolute, or relative to the unified hierarchy's mount point.
     *
     * @throws IllegalArgumentException if it is not a directory of a cgroup2 file system
     */
    public static long id(Path path) {
        List<Path> roots;
        try {
            roots = v2Mounts(Files.readAllLines(Path.of("/proc/self/mountinfo")));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read /proc/self/mountinfo: " + e.getMessage());
        }
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("--cgroup needs cgroup v2, and no cgroup2 file system is mounted");
        }
        Path p = path.isAbsolute() ? path.normalize() : roots.getFirst().resolve(path).normalize();
        if (roots.stream().noneMatch(p::startsWith) || !Files.isRegularFile(p.resolve("cgroup.procs"))) {
            throw new IllegalArgumentException("not a cgroup v2 directory: " + path + " (cgroup v2 is mounted at "
                    + roots.getFirst() + ")");
        }
        try {
            return ((Number) Files.getAttribute(p, "unix:ino")).longValue();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read cgroup " + p + ": " + e.getMessage());
        }
    }
}
