package dev.syscope.metrics;

import dev.syscope.api.StatsRow;
import dev.syscope.bpf.Errno;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The stats rows drained from the kernel, summed since start and exposed as Prometheus metrics:
 * calls, failures per errno and bytes per (syscall, comm), latency per syscall, and syscope's own
 * loss counters. No pid label; {@link CommLabels} bounds the comm label. With a container label
 * (serve --label container), the calls, failures and bytes series also carry {@code container}:
 * the short container id, or {@value #HOST} for processes in no container, bounded like comm to
 * {@value #CONTAINER_LIMIT} values besides "other".
 *
 * <p>{@link #add} runs on the draining thread and {@link #collect} on the HTTP server's; they share
 * one lock, taken once per drain and once per scrape.
 */
public final class SyscallMetrics implements MultiCollector {
    /** Kernel log2 buckets below 2^FIRST_BOUND ns (about 1 µs) are merged into the first bucket. */
    static final int FIRST_BOUND = 10;
    /** The kernel's last bucket is open-ended, so the last finite bound is 2^LAST_BOUND ns (about 2.1 s). */
    static final int LAST_BOUND = 31;
    private static final double[] BOUNDS = bounds();

    /** The container label of processes in no container. */
    public static final String HOST = "host";
    /** At most this many container label values (a node runs up to 110 pods by default) besides "other". */
    public static final int CONTAINER_LIMIT = 256;

    private record Series(String syscall, String comm, String container) {}

    private record ErrnoSeries(String syscall, String comm, String container, String errno) {}

    private static final class Latency {
        final long[] buckets = new long[BOUNDS.length];
        long count;
        long sumNanos;
    }

    private final CommLabels comms;
    private final LongFunction<String> containerOf; // cgroup id to label value; null: no container label
    private final CommLabels containers;
    private final Predicate<String> transfersBytes;
    private final LongSupplier lost;
    private final LongSupplier statsMapFull;
    private final LongSupplier errnoMapFull;
    private final Map<Series, long[]> calls = new HashMap<>(); // {calls, bytes}
    private final Map<ErrnoSeries, Long> failures = new HashMap<>();
    private final Map<String, Latency> latency = new TreeMap<>();

    /**
     * @param transfersBytes which syscalls (by name) get a bytes series
     * @param lost           events lost so far
     * @param statsMapFull   calls not counted because the stats map was full
     * @param errnoMapFull   failures left out of the errno breakdown because its map was full
     */
    public SyscallMetrics(CommLabels comms, Predicate<String> transfersBytes, LongSupplier lost,
                          LongSupplier statsMapFull, LongSupplier errnoMapFull) {
        this(comms, transfersBytes, lost, statsMapFull, errnoMapFull, null);
    }

    /** @param containerOf the container label value of a cgroup id ({@value #HOST} for none); null for no container label */
    public SyscallMetrics(CommLabels comms, Predicate<String> transfersBytes, LongSupplier lost,
                          LongSupplier statsMapFull, LongSupplier errnoMapFull, LongFunction<String> containerOf) {
        this.comms = comms;
        this.containerOf = containerOf;
        this.containers = new CommLabels(CONTAINER_LIMIT, 60);
        this.transfersBytes = transfersBytes;
        this.lost = lost;
        this.statsMapFull = statsMapFull;
        this.errnoMapFull = errnoMapFull;
    }

    /** Adds one drain's rows (per process and syscall, as the kernel keeps them). */
    public synchronized void add(List<StatsRow> drained) {
        Map<String, Long> byComm = new HashMap<>();
        Map<String, Long> byContainer = new HashMap<>();
        String[] containerOfRow = new String[drained.size()];
        for (int i = 0; i < drained.size(); i++) {
            StatsRow r = drained.get(i);
            byComm.merge(r.comm(), r.count(), Long::sum);
            if (containerOf != null) {
                containerOfRow[i] = containerOf.apply(r.cgroupId());
                byContainer.merge(containerOfRow[i], r.count(), Long::sum);
            }
        }
        Set<String> evicted = comms.update(byComm);
        Set<String> evictedContainers = containerOf != null ? containers.update(byContainer) : new java.util.HashSet<>(); // takes null
        calls.keySet().removeIf(s -> evicted.contains(s.comm()) || evictedContainers.contains(s.container()));
        failures.keySet().removeIf(s -> evicted.contains(s.comm()) || evictedContainers.contains(s.container()));
        for (int row = 0; row < drained.size(); row++) {
            StatsRow r = drained.get(row);
            String comm = comms.label(r.comm());
            String container = containerOf != null ? containers.label(containerOfRow[row]) : null;
            long[] c = calls.computeIfAbsent(new Series(r.syscall(), comm, container), s -> new long[2]);
            c[0] += r.count();
            c[1] += r.bytes();
            r.errnos().forEach((errno, n) -> failures.merge(new ErrnoSeries(r.syscall(), comm, container, Errno.label(errno)), n, Long::sum));
            if (r.hasLatency()) {
                Latency l = latency.computeIfAbsent(r.syscall(), s -> new Latency());
                long[] h = r.histogram();
                for (int i = 0; i < h.length; i++) {
                    l.buckets[bucket(i)] += h[i];
                }
                l.count += r.count();
                l.sumNanos += r.latencyNanos();
            }
        }
    }

    private static Labels withContainer(Labels labels, String container) {
        return container != null ? labels.add("container", container) : labels;
    }

    /** The exported bucket of kernel log2 bucket {@code i} ([2^i, 2^(i+1)) ns). */
    static int bucket(int i) {
        return Math.min(Math.max(i + 1 - FIRST_BOUND, 0), BOUNDS.length - 1);
    }

    private static double[] bounds() {
        double[] b = new double[LAST_BOUND - FIRST_BOUND + 2];
        for (int k = FIRST_BOUND; k <= LAST_BOUND; k++) {
            b[k - FIRST_BOUND] = (1L << k) / 1e9;
        }
        b[b.length - 1] = Double.POSITIVE_INFINITY;
        return b;
    }

    @Override
    public synchronized MetricSnapshots collect() {
        CounterSnapshot.Builder total = CounterSnapshot.builder().name("syscope_syscalls")
                .help("System calls completed (exit and exit_group: entered), per syscall and command");
        CounterSnapshot.Builder bytes = CounterSnapshot.builder().name("syscope_syscall_bytes")
                .help("Bytes moved by read/write-like system calls (their positive return values)").unit(Unit.BYTES);
        calls.forEach((s, c) -> {
            Labels labels = withContainer(Labels.of("syscall", s.syscall(), "comm", s.comm()), s.container());
            total.dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(c[0]).build());
            if (transfersBytes.test(s.syscall())) {
                bytes.dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(c[1]).build());
            }
        });
        CounterSnapshot.Builder errors = CounterSnapshot.builder().name("syscope_syscall_errors")
                .help("System calls that failed, per syscall, command and errno");
        failures.forEach((s, n) -> errors.dataPoint(CounterDataPointSnapshot.builder()
                .labels(withContainer(Labels.of("syscall", s.syscall(), "comm", s.comm(), "errno", s.errno()), s.container())).value(n).build()));
        HistogramSnapshot.Builder hist = HistogramSnapshot.builder().name("syscope_syscall_latency_seconds").unit(Unit.SECONDS)
                .help("Entry-to-exit time of system calls, per syscall (log2 buckets measured in the kernel)");
        latency.forEach((syscall, l) -> hist.dataPoint(HistogramDataPointSnapshot.builder()
                .labels(Labels.of("syscall", syscall))
                .classicHistogramBuckets(ClassicHistogramBuckets.of(BOUNDS, l.buckets))
                .sum(l.sumNanos / 1e9).build()));
        CounterSnapshot.Builder mapFull = CounterSnapshot.builder().name("syscope_map_full")
                .help("Updates refused by a full kernel map: stats = calls not counted at all (raise --max-entries), "
                        + "errnos = failures counted but missing from the errno breakdown")
                .dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of("map", "stats")).value(statsMapFull.getAsLong()).build())
                .dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of("map", "errnos")).value(errnoMapFull.getAsLong()).build());
        CounterSnapshot lostEvents = CounterSnapshot.builder().name("syscope_events_lost")
                .help("Events lost between the kernel and syscope")
                .dataPoint(CounterDataPointSnapshot.builder().value(lost.getAsLong()).build()).build();
        return MetricSnapshots.of(total.build(), errors.build(), bytes.build(), hist.build(), mapFull.build(), lostEvents);
    }
}
