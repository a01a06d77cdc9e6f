package dev.syscope.probe;

import dev.syscope.api.BufferKind;
import dev.syscope.api.Counters;
import dev.syscope.api.Overload;
import dev.syscope.api.Syscope;
import dev.syscope.api.SyscopeException;
import dev.syscope.api.StatsRow;
import dev.syscope.api.TraceAttach;
import dev.syscope.api.TraceHandler;
import dev.syscope.api.TraceOptions;
import dev.syscope.api.TraceSession;
import dev.syscope.bpf.BpfLink;
import dev.syscope.bpf.BpfMap;
import dev.syscope.bpf.BpfObject;
import dev.syscope.bpf.EventReader;
import dev.syscope.bpf.KernelSupport;
import dev.syscope.bpf.Libc;
import dev.syscope.bpf.PerfBufferReader;
import dev.syscope.bpf.RecordHandler;
import dev.syscope.bpf.RingBufferReader;
import dev.syscope.container.ContainerFilter;
import dev.syscope.event.Escape;
import dev.syscope.event.TraceEvent;
import dev.syscope.stats.StatsLayout;
import dev.syscope.syscalls.Arch;
import dev.syscope.syscalls.Syscall;
import dev.syscope.syscalls.SyscallTable;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * Trace mode's use of trace.bpf.c: writes the selected syscalls and the filters into .rodata,
 * picks the hook set (per-syscall tracepoints or raw_syscalls), loads, attaches, and reads.
 * open → configure → load → attach → poll → close, all owned by this one AutoCloseable.
 */
public final class TraceProbe extends KernelSession implements TraceSession {
    static final String OBJECT_NAME = "trace";
    static final Path SYSCALL_EVENTS = Path.of("/sys/kernel/tracing/events/syscalls");

    private final BpfMap statsSlot;
    private final BpfMap errnosSlot;
    /** The stats and errno maps the programs update now ([0]), and the spares ([1]). */
    private final BpfMap[] stats;
    private final BpfMap[] errnos;
    private final SyscallTable table;
    private long finalStatsFull;
    private long finalErrnoFull;
    private final TraceAttach attached;
    private final BufferKind buffer;
    private final BitSet syscalls;
    private final int selfPid;
    private final long realtimeOffset;
    private final TraceEvent view;
    private final RecordHandler onRecord = this::onRecord;
    private TraceHandler handler;
    private int batchReceived;
    private int batchMalformed;
    private volatile long received; // written by the polling thread once per poll
    private volatile long malformed;
    private final boolean overloadCounted; // trace mode, Overload.AGGREGATE: sc_stats holds what was not streamed
    private volatile long aggregated;
    private final ContainerFilter containers; // null: no container filter
    private final CompletableFuture<Void> fill; // of the count slots: done before attaching, or not (trace mode, a large ring)

    private TraceProbe(BpfObject obj, List<BpfLink> links, EventReader reader, TraceAttach attached, BufferKind buffer,
                       TraceOptions o, SyscallTable table, int selfPid, ContainerFilter containers, CompletableFuture<Void> fill) {
        super(obj, links, reader, o.pollMillis());
        this.containers = containers;
        this.fill = fill;
        this.statsSlot = obj.map("sc_stats");
        this.errnosSlot = obj.map("sc_errnos");
        this.stats = new BpfMap[] {obj.map("sc_stats_a"), obj.map("sc_stats_b")};
        this.errnos = new BpfMap[] {obj.map("sc_errnos_a"), obj.map("sc_errnos_b")};
        this.table = table;
        this.attached = attached;
        this.buffer = buffer;
        this.syscalls = o.syscalls();
        this.selfPid = selfPid;
        this.realtimeOffset = realtimeOffsetNanos(Instant.now(), System.nanoTime());
        this.view = new TraceEvent(table, realtimeOffset);
        this.overloadCounted = overloadCounted(o);
    }

    /**
     * In trace mode, a ring of at least this size lets the count slots be filled while tracing: it
     * holds 260,000 records of 128 bytes (87,000 with paths), 70 ms (23 ms) of the fastest producer
     * measured here (3.7M events/s), and a fill takes ~10 ms. An event that still found its slot
     * empty would be counted as lost.
     */
    static final int FILL_WHILE_TRACING_MIN_RING = 32 << 20;

    /** A thread per task (or the caller's, if no thread can be had). */
    private static final Executor OWN_THREAD = task -> {
        try {
            Thread.ofPlatform().daemon().name("syscope-slots").start(task);
        } catch (RuntimeException | OutOfMemoryError e) {
            task.run();
        }
    };

    /**
     * Starts pointing each count slot (sc_stats, sc_errnos) at its first map, one thread each: an
     * update returns after an RCU grace period (~10 ms here), and both can wait for the same one.
     */
    private static CompletableFuture<Void> startFilling(BpfObject obj) {
        BpfMap stats = obj.map("sc_stats");
        BpfMap statsMap = obj.map("sc_stats_a");
        BpfMap errnos = obj.map("sc_errnos");
        BpfMap errnosMap = obj.map("sc_errnos_a");
        return CompletableFuture.allOf(CompletableFuture.runAsync(() -> stats.setInner(0, statsMap), OWN_THREAD),
                CompletableFuture.runAsync(() -> errnos.setInner(0, errnosMap), OWN_THREAD));
    }

    /** Waits for {@code fill} (at once when done), rethrowing its failure. */
    private static void await(CompletableFuture<Void> fill) {
        try {
            fill.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private static boolean overloadCounted(TraceOptions o) {
        return o.statsEntries() == 0 && o.overload() == Overload.AGGREGATE;
    }

    /** CLOCK_REALTIME - CLOCK_MONOTONIC; System.nanoTime() is CLOCK_MONOTONIC on Linux, as bpf_ktime_get_ns(). */
    static long realtimeOffsetNanos(Instant now, long monotonicNanos) {
        return now.getEpochSecond() * 1_000_000_000L + now.getNano() - monotonicNanos;
    }

    /** Loads and attaches according to {@code o}; see {@link dev.syscope.api.TraceBuilder#open()}. */
    public static TraceSession open(TraceOptions o) {
        Consumer<String> log = o.log();
        Loader.requireEnvironment(log);
        Arch arch = Syscope.arch();
        SyscallTable table = SyscallTable.of(arch);
        BufferKind buffer = Loader.buffer(o.buffer(), KernelSupport.ringBuffer(), log);
        TraceAttach hook = hook(o.attach(), o.syscalls(), table, SYSCALL_EVENTS, log);
        Self self = Self.detect();

        BpfObject obj = null;
        CompletableFuture<Void> fill = CompletableFuture.completedFuture(null);
        List<BpfLink> links = new ArrayList<>();
        EventReader reader = null;
        ContainerFilter containers = null;
        try {
            obj = BpfObject.open(Loader.objectBytes(OBJECT_NAME, arch), OBJECT_NAME);
            configure(obj, hook, buffer, o, table, self);
            Loader.load(obj);
            if (o.statsEntries() > 0 || overloadCounted(o)) {
                fill = startFilling(obj);
                if (!(overloadCounted(o) && buffer == BufferKind.RING && o.ringBufferBytes() >= FILL_WHILE_TRACING_MIN_RING)) {
                    await(fill); // before attaching: every call is counted
                }
            }
            if (o.container() != null) {
                BpfMap cgroups = obj.map("sc_cgroups");
                containers = ContainerFilter.system(o.container(), cgroups::syncU64Keys, log);
                containers.start(); // before attaching: the filter holds from the first call
            }
            if (hook == TraceAttach.RAW) {
                if (hooksEntry(o, table, o.syscalls())) {
                    links.add(obj.program("sc_raw_enter").attach());
                }
                links.add(obj.program("sc_raw_exit").attach());
            } else {
                var enter = obj.program("sc_sys_enter");
                var exit = obj.program("sc_sys_exit");
                BitSet set = o.syscalls();
                for (int nr = set.nextSetBit(0); nr >= 0; nr = set.nextSetBit(nr + 1)) {
                    Syscall sc = table.byNr(nr);
                    if (o.hooksEntry() || sc.neverReturns()) {
                        links.add(enter.attachTracepoint("syscalls", "sys_enter_" + sc.event()));
                    }
                    if (!sc.neverReturns()) {
                        links.add(exit.attachTracepoint("syscalls", "sys_exit_" + sc.event()));
                    }
                }
            }
            links.add(obj.program("sc_exec_rekey").attachRawTracepoint("sched_process_exec"));
            links.add(obj.program("sc_thread_exit").attachRawTracepoint("sched_process_exit"));
            reader = buffer == BufferKind.RING
                    ? new RingBufferReader(obj.map("sc_ring"))
                    : new PerfBufferReader(obj.map("sc_perf"), o.perfPagesPerCpu());
            log.accept("attach: " + describe(hook, o.syscalls().cardinality(), o.hooksEntry()) + ", " + buffer.name().toLowerCase() + " buffer");
            return new TraceProbe(obj, links, reader, hook, buffer, o, table, o.includeSelf() ? 0 : self.pid(), containers, fill);
        } catch (RuntimeException e) {
            try {
                await(fill); // before the maps go
            } catch (RuntimeException ignored) {
                // reporting the first failure
            }
            if (containers != null) {
                containers.close();
            }
            release(links, reader, obj);
            throw Loader.translate(e, hook == TraceAttach.TRACEPOINT);
        }
    }

    private static String describe(TraceAttach hook, int n, boolean entry) {
        return hook == TraceAttach.RAW
                ? "raw tracepoints raw_syscalls:" + (entry ? "sys_enter/" : "") + "sys_exit with an in-kernel filter of " + n + " syscalls"
                : "tracepoints syscalls:" + (entry ? "sys_enter_*/" : "") + "sys_exit_* for " + n + " syscalls";
    }

    /**
     * Whether raw_syscalls:sys_enter is needed: for events and latency, and for exit/exit_group,
     * which never reach sys_exit. Counting the rest needs sys_exit only: half the cost per call.
     */
    private static boolean hooksEntry(TraceOptions o, SyscallTable table, BitSet set) {
        if (o.hooksEntry()) {
            return true;
        }
        for (int nr = set.nextSetBit(0); nr >= 0; nr = set.nextSetBit(nr + 1)) {
            Syscall sc = table.byNr(nr);
            if (sc != null && sc.neverReturns()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Resolves AUTO: per-syscall tracepoints for up to {@link TraceOptions#AUTO_TRACEPOINT_LIMIT}
     * syscalls that all have one, raw_syscalls otherwise. TRACEPOINT fails if one is missing.
     */
    static TraceAttach hook(TraceAttach requested, BitSet set, SyscallTable table, Path events, Consumer<String> log) {
        if (requested == TraceAttach.RAW) {
            return requested;
        }
        List<String> missing = new ArrayList<>();
        for (int nr = set.nextSetBit(0); nr >= 0; nr = set.nextSetBit(nr + 1)) {
            Syscall sc = table.byNr(nr);
            if (sc == null || !Files.isDirectory(events.resolve("sys_enter_" + sc.event()))
                    || !Files.isDirectory(events.resolve("sys_exit_" + sc.event()))) {
                missing.add(sc == null ? "#" + nr : sc.name());
            }
        }
        if (requested == TraceAttach.TRACEPOINT) {
            if (!missing.isEmpty()) {
                String why = Files.isDirectory(events) ? "this kernel has no syscalls:sys_enter_X tracepoint for " + String.join(", ", missing)
                        : "no syscall tracepoints at " + events + " (tracefs not mounted, or CONFIG_FTRACE_SYSCALLS not set)";
                throw new SyscopeException.Unsupported("tracepoints", why + "; use --attach raw");
            }
            return requested;
        }
        if (set.cardinality() > TraceOptions.AUTO_TRACEPOINT_LIMIT) {
            return TraceAttach.RAW;
        }
        if (!missing.isEmpty()) {
            log.accept("attach: auto: no per-syscall tracepoint for " + String.join(", ", missing) + "; using raw_syscalls");
            return TraceAttach.RAW;
        }
        return TraceAttach.TRACEPOINT;
    }

    /** Autoloads the chosen hook set, sizes the maps, and writes trace_cfg into .rodata. */
    private static void configure(BpfObject obj, TraceAttach hook, BufferKind buffer, TraceOptions o, SyscallTable table, Self self) {
        boolean raw = hook == TraceAttach.RAW;
        obj.program("sc_raw_enter").autoload(raw && hooksEntry(o, table, o.syscalls()));
        obj.program("sc_raw_exit").autoload(raw);
        obj.program("sc_sys_enter").autoload(!raw);
        obj.program("sc_sys_exit").autoload(!raw);
        // Both buffers stay referenced by the programs (the unused branch is pruned at load), so
        // both maps exist; the unused one is as small as the kernel allows.
        obj.map("sc_ring").maxEntries(buffer == BufferKind.RING && o.statsEntries() == 0 ? o.ringBufferBytes() : Libc.pageSize());
        int aggregates = o.statsEntries() > 0 ? o.statsEntries() : overloadCounted(o) ? TraceOptions.DEFAULT_STATS_ENTRIES : 1;
        for (String m : List.of("sc_stats_a", "sc_stats_b", "sc_errnos_a", "sc_errnos_b")) {
            obj.map(m).maxEntries(aggregates);
        }
        if (o.container() == null) {
            obj.map("sc_cgroups").maxEntries(1); // unused: the filter is off
        }

        BpfMap rodata = obj.map(".rodata");
        byte[] init = rodata.initialValue();
        long cfg = obj.btf().variableOffset(".rodata", "trace_cfg");
        MemorySegment m = MemorySegment.ofArray(init);
        if (!o.includeSelf()) {
            Loader.writeSelf(m, cfg, self, TraceConfigLayout.SELF_TGID, TraceConfigLayout.SELF_PIDNS_DEV,
                    TraceConfigLayout.SELF_PIDNS_INO, TraceConfigLayout.SELF_NS_TGID);
        }
        m.set(JAVA_LONG_UNALIGNED, cfg + TraceConfigLayout.CGROUP_ID, o.cgroupId());
        m.set(JAVA_LONG_UNALIGNED, cfg + TraceConfigLayout.MIN_LATENCY_NS, o.minLatencyNanos());
        m.set(JAVA_INT_UNALIGNED, cfg + TraceConfigLayout.TID, o.tid());
        m.set(JAVA_INT_UNALIGNED, cfg + TraceConfigLayout.UID, Math.max(o.uid(), 0));
        m.set(JAVA_INT_UNALIGNED, cfg + TraceConfigLayout.FILTER_UID, o.uid() >= 0 ? 1 : 0);
        m.set(JAVA_INT_UNALIGNED, cfg + TraceConfigLayout.FAILED_ONLY, o.failedOnly() ? 1 : 0);
        m.set(JAVA_INT_UNALIGNED, cfg + TraceConfigLayout.ERRNO_ONLY, o.errno());
        m.set(JAVA_INT_UNALIGNED, cfg + TraceConfigLayout.USE_PERF, buffer == BufferKind.PERF ? 1 : 0);
        m.set(JAVA_INT_UNALIGNED, cfg + TraceConfigLayout.AGGREGATE, o.statsEntries() == 0 ? TraceConfigLayout.AGG_OFF
                : o.latency() ? TraceConfigLayout.AGG_LATENCY : TraceConfigLayout.AGG_COUNT);
        m.set(JAVA_INT_UNALIGNED, cfg + TraceConfigLayout.OVERLOAD, overloadCounted(o) ? 1 : 0);
        m.set(JAVA_INT_UNALIGNED, cfg + TraceConfigLayout.FILTER_CGROUPS, o.container() != null ? 1 : 0);
        m.set(JAVA_INT_UNALIGNED, cfg + TraceConfigLayout.NPIDS, o.pids().size());
        for (int i = 0; i < o.pids().size(); i++) {
            m.set(JAVA_INT_UNALIGNED, cfg + TraceConfigLayout.PIDS + 4L * i, o.pids().get(i));
        }
        if (o.comm() != null) {
            byte[] c = o.comm().getBytes(StandardCharsets.UTF_8);
            MemorySegment.copy(c, 0, m, JAVA_BYTE, cfg + TraceConfigLayout.COMM, c.length);
        }
        BitSet set = o.syscalls();
        for (int nr = set.nextSetBit(0); nr >= 0; nr = set.nextSetBit(nr + 1)) {
            if (nr >= TraceConfigLayout.NR_MAX) {
                throw new IllegalArgumentException("syscall number " + nr + " is beyond the kernel filter (" + TraceConfigLayout.NR_MAX + ")");
            }
            m.set(JAVA_BYTE, cfg + TraceConfigLayout.SYSCALLS + nr, syscallFlags(table.byNr(nr)));
        }
        rodata.initialValue(init);
    }

    /** The enum syscope_sc byte for one selected syscall. */
    static byte syscallFlags(Syscall sc) {
        int f = TraceConfigLayout.SC_TRACE;
        if (sc != null) {
            if (sc.neverReturns()) {
                f |= TraceConfigLayout.SC_NORETURN;
            }
            if (sc.replacesImage()) {
                f |= TraceConfigLayout.SC_EXEC;
            }
            if (sc.pathArg() >= 0) {
                f |= (sc.pathArg() + 1) << TraceConfigLayout.SC_PATH_SHIFT;
            }
            if (sc.transfersBytes()) {
                f |= TraceConfigLayout.SC_BYTES;
            }
        }
        return (byte) f;
    }

    private void onRecord(MemorySegment data, long offset, int length) {
        if (view.wrap(data, offset, length)) {
            batchReceived++;
            handler.onEvent(view);
        } else {
            batchMalformed++;
        }
    }

    private int drain(TraceHandler h, boolean wait) {
        handler = h;
        batchReceived = 0;
        batchMalformed = 0;
        try {
            return pollRecords(onRecord, wait);
        } finally {
            handler = null;
            received += batchReceived;
            malformed += batchMalformed;
        }
    }

    @Override
    public int poll(TraceHandler h) {
        return drain(h, true);
    }

    @Override
    public int finish(TraceHandler h) {
        return detachAndDrain(() -> drain(h, false));
    }

    @Override
    Counters liveCounters() {
        long lost = bufferLoss() + dropCount(TraceConfigLayout.DROP_INFLIGHT) + malformed;
        // With Overload.AGGREGATE, an event that found the count map full as well is lost.
        return new Counters(received, overloadCounted ? lost + dropCount(TraceConfigLayout.DROP_STATS_FULL) : lost, aggregated);
    }

    @Override
    public List<StatsRow> drainStats() {
        if (isClosed()) {
            throw new IllegalStateException("session is closed");
        }
        await(fill); // the first slots, before swapping
        // Swap the spares in; each swap returns once no program can still update the map it replaced,
        // so the two drained below are quiescent and every call is counted exactly once.
        statsSlot.setInner(0, stats[1]);
        errnosSlot.setInner(0, errnos[1]);
        BpfMap oldStats = stats[0];
        BpfMap oldErrnos = errnos[0];
        stats[0] = stats[1];
        stats[1] = oldStats;
        errnos[0] = errnos[1];
        errnos[1] = oldErrnos;
        // A call can land in the old stats map and, its stats swap done first, in the new errno map:
        // such failures come back in the next drain as a breakdown-only row, which rows sum with.
        Map<RowKey, Map<Integer, Long>> failures = new HashMap<>();
        oldErrnos.drainPerCpu((int) StatsLayout.ERRNO_KEY.byteSize(), Long.BYTES, (key, values, cpus, stride) -> {
            long n = 0;
            for (int c = 0; c < cpus; c++) {
                n += values.get(JAVA_LONG_UNALIGNED, c * stride);
            }
            failures.computeIfAbsent(RowKey.of(key), k -> new HashMap<>())
                    .merge(key.get(JAVA_INT_UNALIGNED, StatsLayout.ERRNO_KEY_ERR), n, Long::sum);
        });
        List<StatsRow> rows = new ArrayList<>();
        byte[] comm = new byte[StatsLayout.COMM_LEN];
        oldStats.drainPerCpu((int) StatsLayout.KEY.byteSize(), (int) StatsLayout.VALUE.byteSize(), (key, values, cpus, stride) -> {
            long count = 0, errors = 0, bytes = 0, latency = 0, cgroup = 0;
            long[] hist = new long[StatsLayout.HIST_BUCKETS];
            String name = "";
            for (int c = 0; c < cpus; c++) {
                long base = c * stride;
                count += values.get(JAVA_LONG_UNALIGNED, base + StatsLayout.COUNT);
                errors += values.get(JAVA_LONG_UNALIGNED, base + StatsLayout.ERRORS);
                bytes += values.get(JAVA_LONG_UNALIGNED, base + StatsLayout.BYTES);
                latency += values.get(JAVA_LONG_UNALIGNED, base + StatsLayout.LATENCY_NS);
                for (int i = 0; i < hist.length; i++) {
                    hist[i] += values.get(JAVA_LONG_UNALIGNED, base + StatsLayout.HIST + 8L * i);
                }
                if (cgroup == 0) { // set on the CPUs that made the row
                    cgroup = values.get(JAVA_LONG_UNALIGNED, base + StatsLayout.CGROUP_ID);
                }
                if (name.isEmpty()) {
                    int n = 0;
                    while (n < comm.length && (comm[n] = values.get(JAVA_BYTE, base + StatsLayout.COMM + n)) != 0) {
                        n++;
                    }
                    name = Escape.toString(comm, n);
                }
            }
            int nr = key.get(JAVA_INT_UNALIGNED, StatsLayout.KEY_SYSCALL_NR);
            Map<Integer, Long> byErrno = failures.remove(RowKey.of(key));
            rows.add(new StatsRow(key.get(JAVA_INT_UNALIGNED, StatsLayout.KEY_PID), name, syscallName(nr),
                    count, errors, bytes, latency, hist, byErrno != null ? byErrno : Map.of(), cgroup));
        });
        // Pairs whose counts were drained just before their failures were: the breakdown alone.
        failures.forEach((k, byErrno) -> rows.add(new StatsRow(k.pid(), "", syscallName(k.nr()), 0, 0, 0, 0,
                new long[StatsLayout.HIST_BUCKETS], byErrno)));
        if (overloadCounted) {
            aggregated += rows.stream().mapToLong(StatsRow::count).sum();
        }
        return rows;
    }

    /** A stats_key: the first bytes of an errno_key too. */
    private record RowKey(int pid, int nr, int execId) {
        static RowKey of(MemorySegment key) {
            return new RowKey(key.get(JAVA_INT_UNALIGNED, StatsLayout.KEY_PID),
                    key.get(JAVA_INT_UNALIGNED, StatsLayout.KEY_SYSCALL_NR), key.get(JAVA_INT_UNALIGNED, StatsLayout.KEY_EXEC_ID));
        }
    }

    private String syscallName(int nr) {
        Syscall sc = table.byNr(nr);
        return sc != null ? sc.name() : "sys_" + nr;
    }

    @Override
    public long statsMapFull() {
        return isClosed() ? finalStatsFull : dropCount(TraceConfigLayout.DROP_STATS_FULL);
    }

    @Override
    public long errnoMapFull() {
        return isClosed() ? finalErrnoFull : dropCount(TraceConfigLayout.DROP_ERRNO_FULL);
    }

    @Override
    public void close() {
        if (!isClosed()) {
            try {
                await(fill); // before the maps go
            } catch (RuntimeException e) {
                // closing anyway: with a slot left empty, overflow was counted as lost
            }
            finalStatsFull = dropCount(TraceConfigLayout.DROP_STATS_FULL);
            finalErrnoFull = dropCount(TraceConfigLayout.DROP_ERRNO_FULL);
            if (containers != null) {
                containers.close(); // before the map goes
            }
        }
        super.close();
    }

    @Override
    public TraceAttach attachMode() {
        return attached;
    }

    @Override
    public BufferKind bufferKind() {
        return buffer;
    }

    @Override
    public BitSet syscalls() {
        return (BitSet) syscalls.clone();
    }

    @Override
    public long realtimeOffsetNanos() {
        return realtimeOffset;
    }

    @Override
    public int selfPid() {
        return selfPid;
    }
}
