package dev.syscope.probe;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** The Java mirror of {@code struct trace_config} and enum syscope_sc in syscope.h; LayoutTest checks it. */
public final class TraceConfigLayout {
    public static final int NR_MAX = 1024;
    public static final int MAX_PIDS = 16;
    public static final int COMM_LEN = 16;

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("self_tgid"),
            JAVA_INT.withName("self_ns_tgid"),
            JAVA_LONG.withName("self_pidns_dev"),
            JAVA_LONG.withName("self_pidns_ino"),
            JAVA_LONG.withName("cgroup_id"),
            JAVA_LONG.withName("min_latency_ns"),
            JAVA_INT.withName("tid"),
            JAVA_INT.withName("uid"),
            JAVA_INT.withName("filter_uid"),
            JAVA_INT.withName("failed_only"),
            JAVA_INT.withName("errno_only"),
            JAVA_INT.withName("use_perf"),
            JAVA_INT.withName("aggregate"),
            JAVA_INT.withName("overload"),
            JAVA_INT.withName("npids"),
            MemoryLayout.sequenceLayout(MAX_PIDS, JAVA_INT).withName("pids"),
            MemoryLayout.sequenceLayout(COMM_LEN, JAVA_BYTE).withName("comm"),
            MemoryLayout.sequenceLayout(NR_MAX, JAVA_BYTE).withName("syscalls"),
            JAVA_INT.withName("filter_cgroups")).withName("trace_config");

    static final long SELF_TGID = offset("self_tgid");
    static final long SELF_NS_TGID = offset("self_ns_tgid");
    static final long SELF_PIDNS_DEV = offset("self_pidns_dev");
    static final long SELF_PIDNS_INO = offset("self_pidns_ino");
    static final long CGROUP_ID = offset("cgroup_id");
    static final long MIN_LATENCY_NS = offset("min_latency_ns");
    static final long TID = offset("tid");
    static final long UID = offset("uid");
    static final long FILTER_UID = offset("filter_uid");
    static final long FAILED_ONLY = offset("failed_only");
    static final long ERRNO_ONLY = offset("errno_only");
    static final long USE_PERF = offset("use_perf");
    static final long AGGREGATE = offset("aggregate");
    static final long OVERLOAD = offset("overload");
    static final long NPIDS = offset("npids");
    static final long PIDS = offset("pids");
    static final long COMM = offset("comm");
    static final long SYSCALLS = offset("syscalls");
    static final long FILTER_CGROUPS = offset("filter_cgroups");

    /** enum syscope_sc: one byte per syscall number in {@code syscalls}. */
    public static final int SC_TRACE = 1;
    public static final int SC_NORETURN = 2;
    public static final int SC_EXEC = 4;
    public static final int SC_PATH_SHIFT = 4;
    public static final int SC_PATH_MASK = 0x70;
    public static final int SC_BYTES = 0x80;

    /** enum syscope_agg: the value of {@code aggregate}. */
    public static final int AGG_OFF = 0;
    public static final int AGG_COUNT = 1;
    public static final int AGG_LATENCY = 2;

    /** enum syscope_drop, beyond the seed's two. */
    public static final int DROP_INFLIGHT = 2;
    public static final int DROP_STATS_FULL = 3;
    public static final int DROP_ERRNO_FULL = 4;

    private TraceConfigLayout() {}

    private static long offset(String field) {
        return LAYOUT.byteOffset(groupElement(field));
    }
}
