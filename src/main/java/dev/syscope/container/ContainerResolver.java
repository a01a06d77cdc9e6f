package dev.syscope.container;

import dev.syscope.probe.Cgroups;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Maps cgroup ids (as events carry them: the inode of the cgroup v2 directory) to containers.
 * A miss scans the cgroup2 mounts once, which caches every cgroup found; rescans are at most one
 * per {@code rescanNanos} (a miss in between is answered {@link Container#HOST} and not remembered),
 * and an id that a scan made after the miss did not find is remembered as unknown (host) for
 * {@code negativeNanos}. So a cgroup removed before its first lookup (a container that lived for
 * less than a scan interval) is reported as the host's, and so are the first events of a new
 * container for up to {@code rescanNanos}.
 *
 * <p>{@link #resolve} allocates nothing on a hit; not thread-safe: one resolver per thread.
 */
public final class ContainerResolver {
    /** The cache is dropped and rebuilt when it reaches this many cgroups: bounded memory. */
    static final int MAX_CACHED = 1 << 18;

    private final List<Path> roots;
    private final LongSupplier clock;
    private final long rescanNanos;
    private final long negativeNanos;
    private long[] keys = new long[1024]; // open addressing, linear probing; 0 is empty (no cgroup has id 0)
    private Container[] values = new Container[1024]; // null: not a cgroup at the last scan
    private long[] expires = new long[1024]; // for null values
    private int size;
    private long lastKey;
    private Container lastValue;
    private long lastScan;
    private boolean scanned;
    private int scans;

    public ContainerResolver(List<Path> roots, LongSupplier clock, long rescanNanos, long negativeNanos) {
        this.roots = List.copyOf(roots);
        this.clock = clock;
        this.rescanNanos = rescanNanos;
        this.negativeNanos = negativeNanos;
    }

    /** For this system's cgroup2 mounts: at most one rescan per second, unknown ids remembered for 5 s. */
    public static ContainerResolver system() {
        return new ContainerResolver(Cgroups.v2Mounts(), System::nanoTime, 1_000_000_000L, 5_000_000_000L);
    }

    /** The container of cgroup {@code id}; {@link Container#HOST} for none (or an unknown cgroup). */
    public Container resolve(long id) {
        if (id == lastKey && lastValue != null) {
            return lastValue;
        }
        int slot = slot(id);
        if (keys[slot] == id) {
            Container c = values[slot];
            if (c != null) {
                lastKey = id;
                lastValue = c;
                return c;
            }
            if (clock.getAsLong() - expires[slot] < 0) {
                return Container.HOST;
            }
        }
        long now = clock.getAsLong();
        if (scanned && now - lastScan < rescanNanos) {
            return Container.HOST; // not scanned for: asked again after the interval
        }
        scan();
        slot = slot(id);
        if (keys[slot] == id && values[slot] != null) {
            return values[slot];
        }
        put(id, null, now + negativeNanos); // not there even now: gone, or no cgroup
        return Container.HOST;
    }

    /** Scans the cgroup2 mounts now: every cgroup id with its container (the host's included). */
    public Map<Long, Container> scan() {
        Map<Long, Container> found = scan(roots);
        if (size + found.size() > MAX_CACHED) {
            clear();
        }
        found.forEach((id, c) -> put(id, c, 0));
        lastScan = clock.getAsLong();
        scanned = true;
        scans++;
        return found;
    }

    /** How many scans this resolver made (for tests). */
    int scans() {
        return scans;
    }

    /**
     * Every cgroup under {@code roots} by id, with its container. A cgroup that disappears during
     * the walk is skipped.
     */
    public static Map<Long, Container> scan(List<Path> roots) {
        Map<Long, Container> found = new HashMap<>();
        for (Path root : roots) {
            try {
                Files.walkFileTree(root, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        try {
                            long ino = ((Number) Files.getAttribute(dir, "unix:ino")).longValue();
                            found.putIfAbsent(ino, ContainerPaths.parse("/" + root.relativize(dir)));
                        } catch (IOException | RuntimeException gone) {
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        return FileVisitResult.CONTINUE; // removed meanwhile, or unreadable
                    }
                });
            } catch (IOException e) {
                // an unreadable root: its cgroups stay unknown (host)
            }
        }
        return found;
    }

    private int slot(long id) {
        int mask = keys.length - 1;
        int i = (int) (id * 0x9E3779B97F4A7C15L >>> 40) & mask;
        while (keys[i] != 0 && keys[i] != id) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void put(long id, Container c, long expiresAt) {
        if (id == 0) {
            return;
        }
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int i = slot(id);
        if (keys[i] == 0) {
            keys[i] = id;
            size++;
        }
        values[i] = c;
        expires[i] = expiresAt;
    }

    private void grow() {
        long[] k = keys;
        Container[] v = values;
        long[] e = expires;
        keys = new long[k.length * 2];
        values = new Container[k.length * 2];
        expires = new long[k.length * 2];
        size = 0;
        for (int i = 0; i < k.length; i++) {
            if (k[i] != 0) {
                put(k[i], v[i], e[i]);
            }
        }
    }

    private void clear() {
        keys = new long[1024];
        values = new Container[1024];
        expires = new long[1024];
        size = 0;
        lastKey = 0;
        lastValue = null;
    }
}
