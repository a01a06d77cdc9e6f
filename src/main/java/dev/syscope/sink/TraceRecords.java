package dev.syscope.sink;

import dev.syscope.event.TraceEvent;
import dev.syscope.event.TraceEventLayout;
import dev.syscope.syscalls.SyscallTable;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** Ring-buffer records made by hand, as trace.bpf.c writes them: for the JIT warm-up ({@link Warmup}), the sink tests and the benchmarks. */
public final class TraceRecords {
    private TraceRecords() {}

    private static long off(String field) {
        return TraceEventLayout.LAYOUT.byteOffset(groupElement(field));
    }

    /** A record of {@code syscall} (unknown names get number 999); a path makes it the long kind. */
    public static MemorySegment record(Arena a, SyscallTable table, String syscall, long ret, long[] args, String path,
                                       boolean noReturn) {
        MemorySegment m = a.allocate(TraceEventLayout.SIZE + TraceEventLayout.PATH_MAX, 8);
        m.set(JAVA_LONG, off("ts_ns"), 1_000_123_456_789L); // 1000.123456789 s monotonic
        m.set(JAVA_LONG, off("latency_ns"), noReturn ? 0 : 12_345);
        m.set(JAVA_LONG, off("cgroup_id"), 4242);
        for (int i = 0; i < 6; i++) {
            m.set(JAVA_LONG, off("args") + 8L * i, i < args.length ? args[i] : 0);
        }
        m.set(JAVA_LONG, off("ret"), ret);
        m.set(JAVA_INT, off("pid"), 1234);
        m.set(JAVA_INT, off("tid"), 1235);
        m.set(JAVA_INT, off("uid"), 1000);
        m.set(JAVA_INT, off("syscall_nr"), table.byName(syscall) != null ? table.byName(syscall).nr() : 999);
        int flags = (noReturn ? TraceEventLayout.EV_NORETURN : 0) | (path != null ? TraceEventLayout.EV_PATH : 0);
        m.set(JAVA_INT, off("flags"), flags);
        byte[] comm = "my \"app\"".getBytes(StandardCharsets.UTF_8);
        MemorySegment.copy(comm, 0, m, JAVA_BYTE, off("comm"), comm.length);
        if (path != null) {
            byte[] p = path.getBytes(StandardCharsets.UTF_8);
            MemorySegment.copy(p, 0, m, JAVA_BYTE, TraceEventLayout.SIZE, p.length);
            m.set(JAVA_INT, off("path_len"), p.length + 1);
        }
        return m;
    }

    /** Replaces the comm with {@code comm} (at most 16 bytes; fewer are NUL-terminated). */
    public static void comm(MemorySegment m, byte[] comm) {
        long at = off("comm");
        m.asSlice(at, TraceEventLayout.COMM_LEN).fill((byte) 0);
        MemorySegment.copy(comm, 0, m, JAVA_BYTE, at, comm.length);
    }

    /**
     * Replaces the path with {@code path} as the kernel captures it: at most 255 bytes and a NUL, so
     * a longer one is cut and its path_len is 256. The record must have been made with a path.
     */
    public static void path(MemorySegment m, byte[] path) {
        int n = Math.min(path.length, TraceEventLayout.PATH_MAX - 1);
        MemorySegment.copy(path, 0, m, JAVA_BYTE, TraceEventLayout.SIZE, n);
        m.set(JAVA_BYTE, TraceEventLayout.SIZE + n, (byte) 0);
        m.set(JAVA_INT, off("path_len"), n + 1);
    }

    /** Sets an integer field of struct trace_event ("pid", "cgroup_id", "path_len", ...). */
    public static void set(MemorySegment m, String field, long v) {
        if (TraceEventLayout.LAYOUT.select(groupElement(field)).byteSize() == 8) {
            m.set(JAVA_LONG, off(field), v);
        } else {
            m.set(JAVA_INT, off(field), (int) v);
        }
    }

    /** The record's length as the ring buffer would give it. */
    public static int length(MemorySegment m) {
        boolean hasPath = (m.get(JAVA_INT, off("flags")) & TraceEventLayout.EV_PATH) != 0;
        return (int) (TraceEventLayout.SIZE + (hasPath ? TraceEventLayout.PATH_MAX : 0));
    }

    /** A view of {@code m}, or null if the decoder refuses it. */
    public static TraceEvent view(SyscallTable table, long realtimeOffset, MemorySegment m) {
        TraceEvent e = new TraceEvent(table, realtimeOffset);
        return e.wrap(m, 0, length(m)) ? e : null;
    }
}
