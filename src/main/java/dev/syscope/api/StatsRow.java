package dev.syscope.api;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Exact aggregates of one group of syscalls (a process, a syscall, or both), summed over CPUs.
 *
 * @param pid          the process (tgid), or 0 when grouped by syscall only
 * @param comm         its command name, or "" when grouped by syscall only
 * @param syscall      the syscall's name, or "" when grouped by process only
 * @param count        calls
 * @param errors       calls that returned -errno
 * @param bytes        bytes moved by read/write-like calls (their positive return values)
 * @param latencyNanos sum of entry-to-exit times
 * @param histogram    log2 latency buckets: bucket i counts calls of [2^i, 2^(i+1)) ns (bucket 0: 0-1 ns)
 * @param errnos       failed calls per errno number (ascending); drained a moment before the other counts,
 *                     so within one drain its sum can differ from {@code errors} by the calls in between
 * @param cgroupId     the cgroup v2 id of the process when the kernel made the row (its container), or 0
 *                     when grouped by syscall only or not known
 */
public record StatsRow(int pid, String comm, String syscall, long count, long errors, long bytes, long latencyNanos,
                       long[] histogram, Map<Integer, Long> errnos, long cgroupId) {

    public StatsRow {
        histogram = histogram.clone();
        errnos = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(errnos));
    }

    /** A row with no cgroup. */
    public StatsRow(int pid, String comm, String syscall, long count, long errors, long bytes, long latencyNanos,
                    long[] histogram, Map<Integer, Long> errnos) {
        this(pid, comm, syscall, count, errors, bytes, latencyNanos, histogram, errnos, 0);
    }

    /** A row without a per-errno breakdown. */
    public StatsRow(int pid, String comm, String syscall, long count, long errors, long bytes, long latencyNanos,
                    long[] histogram) {
        this(pid, comm, syscall, count, errors, bytes, latencyNanos, histogram, Map.of());
    }

    @Override
    public long[] histogram() {
        return histogram.clone();
    }

    /** Whether the latency of these calls was measured (stats with latency, or trace mode's overload counts). */
    public boolean hasLatency() {
        return Arrays.stream(histogram).sum() > 0;
    }

    /** Mean latency in ns (0 without calls). */
    public long avgLatencyNanos() {
        return count == 0 ? 0 : latencyNanos / count;
    }

    /**
     * The latency at quantile {@code q} (0..1) from the histogram: the upper bound of the bucket that
     * holds it, so within a factor of 2 above the true value.
     */
    public long percentileNanos(double q) {
        long total = Arrays.stream(histogram).sum();
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < histogram.length; i++) {
            seen += histogram[i];
            if (seen >= Math.max(rank, 1)) {
                return (1L << (i + 1)) - 1;
            }
        }
        return (1L << histogram.length) - 1;
    }

    /** This row plus {@code o}'s counts (keeping this row's identity). */
    public StatsRow plus(StatsRow o) {
        long[] h = histogram.clone();
        for (int i = 0; i < h.length && i < o.histogram.length; i++) {
            h[i] += o.histogram[i];
        }
        Map<Integer, Long> e = new TreeMap<>(errnos);
        o.errnos.forEach((k, v) -> e.merge(k, v, Long::sum));
        return new StatsRow(pid, comm.isEmpty() ? o.comm : comm, syscall, count + o.count, errors + o.errors,
                bytes + o.bytes, latencyNanos + o.latencyNanos, h, e, cgroupId != 0 ? cgroupId : o.cgroupId);
    }
}
