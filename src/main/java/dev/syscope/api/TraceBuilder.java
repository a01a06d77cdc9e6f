package dev.syscope.api;

import dev.syscope.bpf.Errno;
import dev.syscope.probe.Cgroups;
import dev.syscope.probe.TraceProbe;
import dev.syscope.syscalls.SyscallTable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Builds a trace session: {@code Syscope.trace().syscalls("openat").pid(1234).onEvent(e -> ...).start()}.
 * Unset options mean: every syscall, every process but syscope's own, no result filter, attach AUTO,
 * ring buffer. Bad values throw {@link IllegalArgumentException} naming the problem.
 */
public final class TraceBuilder {
    private final List<String> syscallSpecs = new ArrayList<>();
    private final List<Integer> pids = new ArrayList<>();
    private int tid;
    private int uid = -1;
    private String comm;
    private long cgroupId;
    private String container;
    private boolean failedOnly;
    private int errno;
    private long minLatencyNanos;
    private boolean includeSelf;
    private TraceAttach attach = TraceAttach.AUTO;
    private BufferKind buffer = BufferKind.RING;
    private int ringBufferBytes = TraceOptions.DEFAULT_RING_BYTES;
    private int perfPagesPerCpu = SeedOptions.DEFAULT_PERF_PAGES;
    private int statsEntries;
    private boolean latency;
    private Overload overload = Overload.AGGREGATE;
    private int pollMillis = SeedOptions.DEFAULT_POLL_MILLIS;
    private Consumer<String> log = Syscope.NO_LOG;
    private TraceHandler handler;

    TraceBuilder() {}

    /** Syscall names, {@code all}, strace-style classes ({@code %file}), or comma-separated lists of them. */
    public TraceBuilder syscalls(String... specs) {
        syscallSpecs.addAll(List.of(specs));
        return this;
    }

    /** Only these processes (repeatable, at most {@value TraceOptions#MAX_PIDS} in all). */
    public TraceBuilder pid(int... pid) {
        for (int p : pid) {
            pids.add(p);
        }
        return this;
    }

    public TraceBuilder tid(int t) {
        tid = t;
        return this;
    }

    public TraceBuilder uid(int u) {
        uid = u;
        return this;
    }

    /** Only tasks whose command name (comm, at most 15 bytes) is exactly this. */
    public TraceBuilder comm(String c) {
        comm = c;
        return this;
    }

    /**
     * Only tasks in a container (docker, containerd, CRI-O, podman) whose id starts with
     * {@code idPrefix}: 1 to 64 hex digits, or "" for any container.
     */
    public TraceBuilder container(String idPrefix) {
        container = dev.syscope.container.ContainerFilter.checkPrefix(Objects.requireNonNull(idPrefix));
        requireCgroupV2();
        return this;
    }

    /** Only tasks in some container; {@link #container} narrows it. */
    public TraceBuilder containersOnly() {
        if (container == null) {
            container = "";
        }
        requireCgroupV2();
        return this;
    }

    private static void requireCgroupV2() {
        if (Cgroups.v2Mounts().isEmpty()) {
            throw new IllegalArgumentException("--container and --containers-only need cgroup v2, and no cgroup2 file system is mounted");
        }
    }

    /** Only tasks directly in this cgroup v2: a directory, absolute or relative to the cgroup2 mount. */
    public TraceBuilder cgroup(Path path) {
        cgroupId = Cgroups.id(path);
        return this;
    }

    public TraceBuilder cgroupId(long id) {
        cgroupId = id;
        return this;
    }

    /** Only calls that returned an error. */
    public TraceBuilder failedOnly() {
        failedOnly = true;
        return this;
    }

    /** Only calls that failed with this errno, by name ("ENOENT") or number. */
    public TraceBuilder errno(String nameOrNumber) {
        int e = nameOrNumber.chars().allMatch(Character::isDigit) && !nameOrNumber.isEmpty()
                ? Integer.parseInt(nameOrNumber) : Errno.number(nameOrNumber);
        if (e <= 0 || e >= Errno.LIMIT) {
            throw new IllegalArgumentException("unknown errno '" + nameOrNumber + "' (a name like ENOENT, or 1-4095)");
        }
        errno = e;
        return this;
    }

    public TraceBuilder minLatency(Duration d) {
        minLatencyNanos = d.toNanos();
        return this;
    }

    public TraceBuilder includeSelf(boolean on) {
        includeSelf = on;
        return this;
    }

    public TraceBuilder attach(TraceAttach a) {
        attach = Objects.requireNonNull(a);
        return this;
    }

    public TraceBuilder buffer(BufferKind b) {
        buffer = Objects.requireNonNull(b);
        return this;
    }

    public TraceBuilder ringBufferBytes(int bytes) {
        ringBufferBytes = bytes;
        return this;
    }

    public TraceBuilder perfPagesPerCpu(int pages) {
        perfPagesPerCpu = pages;
        return this;
    }

    /** Trace mode: what to do with events the buffer cannot take (default {@link Overload#AGGREGATE}). */
    public TraceBuilder onOverload(Overload o) {
        overload = Objects.requireNonNull(o);
        return this;
    }

    /**
     * Stats mode: instead of streaming events, count calls, errors and bytes per (process,
     * syscall) in a kernel map of {@code maxEntries} pairs, at syscall exit only; read them with
     * {@link TraceSession#drainStats()}. Add {@link #latency} for latency too.
     */
    public TraceBuilder aggregate(int maxEntries) {
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("--max-entries must be positive: " + maxEntries);
        }
        TraceOptions.checkStatsMemory(maxEntries);
        statsEntries = maxEntries;
        return this;
    }

    /**
     * Stats mode: also measure each call's latency (hooks syscall entry as well: about twice the
     * cost). {@link #minLatency} implies it.
     */
    public TraceBuilder latency(boolean on) {
        latency = on;
        return this;
    }

    public TraceBuilder pollMillis(int ms) {
        pollMillis = ms;
        return this;
    }

    /** Receives libbpf's log and attach decisions. */
    public TraceBuilder log(Consumer<String> l) {
        log = Objects.requireNonNull(l);
        return this;
    }

    /** The handler {@link #start()} delivers events to, on its own thread. */
    public TraceBuilder onEvent(TraceHandler h) {
        handler = Objects.requireNonNull(h);
        return this;
    }

    /** The options as set so far; resolves the syscall names for the running architecture. */
    public TraceOptions options() {
        SyscallTable table = SyscallTable.of(Syscope.arch());
        BitSet set = table.resolve(syscallSpecs.isEmpty() ? List.of("all") : syscallSpecs);
        return new TraceOptions(set, pids, tid, uid, comm, cgroupId, container, failedOnly, errno, minLatencyNanos, includeSelf,
                attach, buffer, ringBufferBytes, perfPagesPerCpu, statsEntries, latency || minLatencyNanos > 0, overload, pollMillis, log);
    }

    /**
     * Loads and attaches; the caller polls.
     *
     * @throws SyscopeException when the environment cannot run it (privileges, kernel features)
     */
    public TraceSession open() {
        return TraceProbe.open(options());
    }

    /**
     * Loads, attaches, and delivers events to the {@link #onEvent} handler on a background thread
     * until {@link TraceSession#close()}, which also delivers what is still buffered.
     */
    public TraceSession start() {
        if (handler == null) {
            throw new IllegalStateException("start() needs onEvent(handler); use open() to poll yourself");
        }
        return new BackgroundTrace(open(), handler);
    }
}
