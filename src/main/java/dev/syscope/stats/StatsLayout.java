package dev.syscope.stats;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The Java mirror of {@code struct stats_key}, {@code struct stats_value} and {@code struct errno_key} in
 * syscope.h; LayoutTest checks it. An errno_key starts with the stats_key of its row.
 */
public final class StatsLayout {
    public static final int HIST_BUCKETS = 32;
    public static final int COMM_LEN = 16;

    public static final StructLayout KEY = MemoryLayout.structLayout(
            JAVA_INT.withName("pid"),
            JAVA_INT.withName("syscall_nr"),
            JAVA_INT.withName("exec_id")).withName("stats_key");

    public static final StructLayout VALUE = MemoryLayout.structLayout(
            JAVA_LONG.withName("count"),
            JAVA_LONG.withName("errors"),
            JAVA_LONG.withName("bytes"),
            JAVA_LONG.withName("latency_ns"),
            MemoryLayout.sequenceLayout(HIST_BUCKETS, JAVA_LONG).withName("hist"),
            MemoryLayout.sequenceLayout(COMM_LEN, JAVA_BYTE).withName("comm"),
            JAVA_LONG.withName("cgroup_id")).withName("stats_value");

    public static final StructLayout ERRNO_KEY = MemoryLayout.structLayout(
            JAVA_INT.withName("pid"),
            JAVA_INT.withName("syscall_nr"),
            JAVA_INT.withName("exec_id"),
            JAVA_INT.withName("err")).withName("errno_key");

    public static final long KEY_PID = KEY.byteOffset(groupElement("pid"));
    public static final long KEY_SYSCALL_NR = KEY.byteOffset(groupElement("syscall_nr"));
    public static final long KEY_EXEC_ID = KEY.byteOffset(groupElement("exec_id"));
    public static final long ERRNO_KEY_ERR = ERRNO_KEY.byteOffset(groupElement("err"));
    public static final long COUNT = VALUE.byteOffset(groupElement("count"));
    public static final long ERRORS = VALUE.byteOffset(groupElement("errors"));
    public static final long BYTES = VALUE.byteOffset(groupElement("bytes"));
    public static final long LATENCY_NS = VALUE.byteOffset(groupElement("latency_ns"));
    public static final long HIST = VALUE.byteOffset(groupElement("hist"));
    public static final long COMM = VALUE.byteOffset(groupElement("comm"));
    public static final long CGROUP_ID = VALUE.byteOffset(groupElement("cgroup_id"));

    private StatsLayout() {}
}
