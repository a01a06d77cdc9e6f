package dev.syscope.api;

import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Options of a trace session; build them with {@link Syscope#trace()}. Every filter runs in the
 * kernel. Task filters (pids, tid, uid, comm, cgroup, container) are checked at syscall entry, result
 * filters (failedOnly, errno, minLatencyNanos) at exit.
 *
 * @param syscalls        the selected syscall numbers (never empty)
 * @param pids            only these processes (tgids), at most {@value #MAX_PIDS}; empty for all
 * @param tid             only this thread; 0 for all
 * @param uid             only this uid; -1 for all
 * @param comm            only tasks with this command name (at most 15 bytes); null for all
 * @param cgroupId        only tasks in this cgroup v2 (by id); 0 for all
 * @param container       only tasks in a container whose id starts with this ("": any container); null for all
 * @param failedOnly      only calls that returned an error
 * @param errno           only calls that failed with this errno; 0 for any
 * @param minLatencyNanos only calls at least this slow
 * @param includeSelf     also report syscope's own process
 * @param attach          how to hook in
 * @param buffer          how events reach user space
 * @param ringBufferBytes ring buffer size: a power of two, at least one page
 * @param perfPagesPerCpu perf ring size per CPU, in pages: a power of two
 * @param statsEntries    0: stream events; otherwise aggregate in the kernel (stats mode), in a map
 *                        of this many (process, syscall) pairs
 * @param latency         stats mode: also measure latency (hooks syscall entry too, which costs
 *                        more per call); needed for minLatencyNanos. Trace mode always measures it
 * @param overload        trace mode: what to do with events the buffer cannot take
 * @param pollMillis      longest wait for data before draining
 * @param log             receives diagnostic messages; never null
 */
public record TraceOptions(BitSet syscalls, List<Integer> pids, int tid, int uid, String comm, long cgroupId, String container,
                           boolean failedOnly, int errno, long minLatencyNanos, boolean includeSelf,
                           TraceAttach attach, BufferKind buffer, int ringBufferBytes, int perfPagesPerCpu,
                           int statsEntries, boolean latency, Overload overload, int pollMillis, Consumer<String> log) {

    public static final int MAX_PIDS = 16;
    public static final int COMM_MAX = 15;
    /** AUTO uses per-syscall tracepoints up to this many syscalls, raw_syscalls above (BENCHMARKS.md). */
    public static final int AUTO_TRACEPOINT_LIMIT = 8;
    public static final int DEFAULT_STATS_ENTRIES = 10240;
    /**
     * The trace ring buffer's default size: 64 MiB, ~520,000 records of 128 bytes (a 120-byte event
     * and its header; 384 with a path, as for openat: a third as many), which absorb the
     * JVM's first second (code not yet compiled) under a 3.7M events/s producer. With 16 MiB, 1 of 5
     * rounds of bench/run.sh counted 82,689 events in the kernel instead of streaming them (a backlog
     * of ~27 MiB). It is kernel memory; syscope maps a 1 MiB window of it (RingBufferReader).
     */
    public static final int DEFAULT_RING_BYTES = 64 << 20;

    public TraceOptions {
        syscalls = (BitSet) Objects.requireNonNull(syscalls, "syscalls").clone();
        pids = List.copyOf(pids);
        Objects.requireNonNull(attach, "attach");
        Objects.requireNonNull(buffer, "buffer");
        Objects.requireNonNull(overload, "overload");
        Objects.requireNonNull(log, "log");
        if (syscalls.isEmpty()) {
            throw new IllegalArgumentException("no syscalls selected");
        }
        if (pids.size() > MAX_PIDS) {
            throw new IllegalArgumentException("at most " + MAX_PIDS + " pids can be filtered: " + pids.size());
        }
        for (int p : pids) {
            if (p <= 0) {
                throw new IllegalArgumentException("bad pid: " + p);
            }
        }
        if (tid < 0) {
            throw new IllegalArgumentException("bad tid: " + tid);
        }
        if (uid < -1) {
            throw new IllegalArgumentException("bad uid: " + uid);
        }
        if (comm != null && comm.indexOf('\uFFFD') >= 0) {
            // What the JVM made of bytes that are not valid in the locale's encoding: matching it would never hit.
            throw new IllegalArgumentException("the command name is not valid UTF-8 (or not valid in this locale's encoding); "
                    + "give it as UTF-8 text");
        }
        if (comm != null && (comm.isEmpty() || comm.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > COMM_MAX)) {
            throw new IllegalArgumentException("a command name has 1 to " + COMM_MAX + " bytes (the kernel truncates longer ones): '" + comm + "'");
        }
        if (container != null) {
            dev.syscope.container.ContainerFilter.checkPrefix(container);
        }
        if (failedOnly && errno != 0) {
            throw new IllegalArgumentException("--failed and --errno conflict: --errno already selects failed calls");
        }
        if (errno < 0 || errno >= 4096) {
            throw new IllegalArgumentException("bad errno: " + errno);
        }
        if (minLatencyNanos < 0) {
            throw new IllegalArgumentException("bad minimum latency: " + minLatencyNanos);
        }
        if (ringBufferBytes < 4096 || Integer.bitCount(ringBufferBytes) != 1) {
            throw new IllegalArgumentException("ring buffer size must be a power of two >= 4096: " + ringBufferBytes);
        }
        if (perfPagesPerCpu < 1 || Integer.bitCount(perfPagesPerCpu) != 1) {
            throw new IllegalArgumentException("perf pages per CPU must be a power of two: " + perfPagesPerCpu);
        }
        if (statsEntries < 0) {
            throw new IllegalArgumentException("--max-entries must be positive: " + statsEntries);
        }
        checkStatsMemory(statsEntries);
        if (statsEntries > 0 && minLatencyNanos > 0 && !latency) {
            throw new IllegalArgumentException("a minimum latency needs latency measurement in stats mode");
        }
        if (pollMillis < 1 || pollMillis > 1000) {
            throw new IllegalArgumentException("poll interval must be 1..1000 ms: " + pollMillis);
        }
    }

    /** Stats mode with latency, or trace mode: the entry hook is needed for every selected syscall. */
    public boolean hooksEntry() {
        return statsEntries == 0 || latency;
    }

    @Override
    public BitSet syscalls() {
        return (BitSet) syscalls.clone();
    }

    /** The most kernel memory the stats maps may take: more would risk the host (and the OOM killer). */
    public static final long STATS_MEMORY_MAX = 1L << 30;

    /**
     * Kernel memory of the stats maps for {@code entries}: both are preallocated per-CPU hashes, so
     * each entry costs a value per possible CPU (312 bytes of stats, 8 of errno count) plus ~128
     * bytes of element and key.
     */
    public static long statsMemoryBytes(long entries, int possibleCpus) {
        return entries * ((long) possibleCpus * (312 + 8) + 128);
    }

    /** Refuses a stats map size whose kernel memory would pass {@link #STATS_MEMORY_MAX}. */
    static void checkStatsMemory(int entries) {
        int cpus = possibleCpus();
        long bytes = statsMemoryBytes(entries, cpus);
        if (bytes > STATS_MEMORY_MAX) {
            throw new IllegalArgumentException("--max-entries " + entries + " would take " + (bytes >> 20) + " MiB of kernel memory on "
                    + cpus + " possible CPUs; at most " + STATS_MEMORY_MAX / statsMemoryBytes(1, cpus) + " entries (1 GiB) here");
        }
    }

    /** The number of possible CPUs (/sys/devices/system/cpu/possible, e.g. "0-127"), which sizes per-CPU maps. */
    static int possibleCpus() {
        try {
            int max = 0;
            for (String range : java.nio.file.Files.readString(java.nio.file.Path.of("/sys/devices/system/cpu/possible")).trim().split(",")) {
                String[] ends = range.split("-");
                max = Math.max(max, Integer.parseInt(ends[ends.length - 1]) + 1);
            }
            return max;
        } catch (java.io.IOException | RuntimeException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }
}
