package dev.syscope.probe;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** The Java mirror of {@code struct seed_config} in syscope.h; LayoutTest checks it against the BTF. */
public final class SeedConfigLayout {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("self_tgid"),
            JAVA_INT.withName("filter_tgid"),
            JAVA_LONG.withName("self_pidns_dev"),
            JAVA_LONG.withName("self_pidns_ino"),
            JAVA_INT.withName("self_ns_tgid"),
            JAVA_INT.withName("reserved")).withName("seed_config");

    static final long SELF_TGID = LAYOUT.byteOffset(groupElement("self_tgid"));
    static final long FILTER_TGID = LAYOUT.byteOffset(groupElement("filter_tgid"));
    static final long SELF_PIDNS_DEV = LAYOUT.byteOffset(groupElement("self_pidns_dev"));
    static final long SELF_PIDNS_INO = LAYOUT.byteOffset(groupElement("self_pidns_ino"));
    static final long SELF_NS_TGID = LAYOUT.byteOffset(groupElement("self_ns_tgid"));

    /** Indexes of the per-CPU `drops` array (enum syscope_drop). */
    public static final int DROP_RINGBUF = 0;
    public static final int DROP_PERFBUF = 1;
    public static final int DROP_MAX = 5;

    private SeedConfigLayout() {}
}
