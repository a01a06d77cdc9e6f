package dev.syscope.event;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** The Java mirror of {@code struct seed_event} in syscope.h; LayoutTest checks it against the BTF. */
public final class SeedEventLayout {
    public static final int COMM_LEN = 16;

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("ts_ns"),
            JAVA_INT.withName("pid"),
            JAVA_INT.withName("tid"),
            JAVA_INT.withName("syscall_nr"),
            JAVA_INT.withName("fd"),
            JAVA_LONG.withName("count"),
            MemoryLayout.sequenceLayout(COMM_LEN, JAVA_BYTE).withName("comm")).withName("seed_event");

    public static final long SIZE = LAYOUT.byteSize();
    static final long TS_NS = offset("ts_ns");
    static final long PID = offset("pid");
    static final long TID = offset("tid");
    static final long SYSCALL_NR = offset("syscall_nr");
    static final long FD = offset("fd");
    static final long COUNT = offset("count");
    static final long COMM = offset("comm");

    private SeedEventLayout() {}

    private static long offset(String field) {
        return LAYOUT.byteOffset(groupElement(field));
    }
}
