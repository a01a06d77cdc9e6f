package dev.syscope.event;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The Java mirror of {@code struct trace_event}, {@code struct trace_inflight} and their constants
 * in syscope.h; LayoutTest checks them against the BTF.
 */
public final class TraceEventLayout {
    public static final int COMM_LEN = 16;
    public static final int PATH_MAX = 256;

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("ts_ns"),
            JAVA_LONG.withName("latency_ns"),
            JAVA_LONG.withName("cgroup_id"),
            MemoryLayout.sequenceLayout(6, JAVA_LONG).withName("args"),
            JAVA_LONG.withName("ret"),
            JAVA_INT.withName("pid"),
            JAVA_INT.withName("tid"),
            JAVA_INT.withName("uid"),
            JAVA_INT.withName("syscall_nr"),
            JAVA_INT.withName("flags"),
            JAVA_INT.withName("path_len"),
            MemoryLayout.sequenceLayout(COMM_LEN, JAVA_BYTE).withName("comm")).withName("trace_event");

    public static final StructLayout INFLIGHT = MemoryLayout.structLayout(
            JAVA_LONG.withName("ts_ns"),
            MemoryLayout.sequenceLayout(6, JAVA_LONG).withName("args")).withName("trace_inflight");

    public static final long SIZE = LAYOUT.byteSize();
    static final long TS_NS = offset("ts_ns");
    static final long LATENCY_NS = offset("latency_ns");
    static final long CGROUP_ID = offset("cgroup_id");
    static final long ARGS = offset("args");
    static final long RET = offset("ret");
    static final long PID = offset("pid");
    static final long TID = offset("tid");
    static final long UID = offset("uid");
    static final long SYSCALL_NR = offset("syscall_nr");
    static final long FLAGS = offset("flags");
    static final long PATH_LEN = offset("path_len");
    static final long COMM = offset("comm");

    /** enum syscope_ev: trace_event.flags. */
    public static final int EV_NORETURN = 1;
    public static final int EV_PATH = 2;

    private TraceEventLayout() {}

    private static long offset(String field) {
        return LAYOUT.byteOffset(groupElement(field));
    }
}
