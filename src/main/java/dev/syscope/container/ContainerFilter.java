package dev.syscope.container;

import dev.syscope.probe.Cgroups;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The cgroups of the containers selected by {@code --container PREFIX} or {@code --containers-only}
 * (prefix ""), kept up to date for the kernel's filter map: a scan of the cgroup2 mounts now, then
 * one per {@link #REFRESH_MILLIS} on a daemon thread. A container's nested cgroups are selected
 * with it (they name it in their path). So a container started, or a cgroup created in one,
 * after the last scan is not traced until the next: up to {@value #REFRESH_MILLIS} ms plus the
 * scan's time.
 */
public final class ContainerFilter implements AutoCloseable {
    public static final long REFRESH_MILLIS = 1000;

    private final String prefix;
    private final List<Path> roots;
    private final Consumer<Set<Long>> sync;
    private final Consumer<String> log;
    private Thread refresher;
    private volatile boolean closed;

    /**
     * @param prefix the id prefix, "" for any container
     * @param sync   receives the selected cgroup ids after every scan (sc_cgroups is made to hold exactly them)
     */
    public ContainerFilter(String prefix, List<Path> roots, Consumer<Set<Long>> sync, Consumer<String> log) {
        this.prefix = checkPrefix(prefix);
        this.roots = List.copyOf(roots);
        this.sync = sync;
        this.log = log;
    }

    public static ContainerFilter system(String prefix, Consumer<Set<Long>> sync, Consumer<String> log) {
        List<Path> roots = Cgroups.v2Mounts();
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("--container and --containers-only need cgroup v2, and no cgroup2 file system is mounted");
        }
        return new ContainerFilter(prefix, roots, sync, log);
    }

    /** A container id prefix: 1 to 64 lowercase hex digits, or "" for any container. */
    public static String checkPrefix(String prefix) {
        if (prefix.length() > 64 || !prefix.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
            throw new IllegalArgumentException("--container takes a container id or its prefix (1 to 64 hex digits, as docker ps shows): '"
                    + prefix + "'");
        }
        return prefix;
    }

    /** The ids of the cgroups in {@code cgroups} whose container is selected by {@code prefix}. */
    public static Set<Long> selected(Map<Long, Container> cgroups, String prefix) {
        Set<Long> ids = new HashSet<>();
        cgroups.forEach((id, c) -> {
            if (!c.isHost() && c.id().startsWith(prefix)) {
                ids.add(id);
            }
        });
        return ids;
    }

    /** Scans and syncs now (so the filter holds before the programs attach), then every second. */
    public void start() {
        refresh();
        refresher = Thread.ofPlatform().daemon().name("syscope-containers").start(() -> {
            while (!closed) {
                try {
                    Thread.sleep(REFRESH_MILLIS);
                    refresh();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    log.accept("containers: refresh of the container filter failed: " + e.getMessage() + "; retrying in 1 s");
                }
            }
        });
    }

    private void refresh() {
        if (!closed) {
            sync.accept(selected(ContainerResolver.scan(roots), prefix));
        }
    }

    @Override
    public void close() {
        closed = true;
        Thread t = refresher;
        if (t != null) {
            t.interrupt();
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
