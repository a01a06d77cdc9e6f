package dev.syscope.event;

import dev.syscope.syscalls.Syscall;
import dev.syscope.syscalls.SyscallTable;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * A flyweight view of one completed syscall ({@code struct trace_event}, optionally followed by a
 * path) in kernel-shared memory. One instance serves every event, so decoding allocates nothing;
 * it is valid only during the handler call that received it. Copy what you need to keep.
 */
public final class TraceEvent {
    /** Return values in [-4095, -1] are -errno, as the kernel defines (IS_ERR_VALUE). */
    public static final int MAX_ERRNO = 4095;

    private final SyscallTable table;
    private final long realtimeOffsetNanos;
    private MemorySegment seg;
    private long base;

    /**
     * @param table               names the syscall numbers
     * @param realtimeOffsetNanos CLOCK_REALTIME minus CLOCK_MONOTONIC, to turn kernel timestamps into wall-clock time
     */
    public TraceEvent(SyscallTable table, long realtimeOffsetNanos) {
        this.table = table;
        this.realtimeOffsetNanos = realtimeOffsetNanos;
    }

    /** Points this view at the record at {@code offset}; false (and unchanged) if it is malformed. */
    public boolean wrap(MemorySegment segment, long offset, int length) {
        if (length < TraceEventLayout.SIZE) {
            return false;
        }
        int flags = segment.get(JAVA_INT_UNALIGNED, offset + TraceEventLayout.FLAGS);
        if ((flags & TraceEventLayout.EV_PATH) != 0 && length < TraceEventLayout.SIZE + TraceEventLayout.PATH_MAX) {
            return false;
        }
        this.seg = segment;
        this.base = offset;
        return true;
    }

    /** Kernel CLOCK_MONOTONIC time of the syscall entry, in ns. */
    public long timestampNanos() {
        return seg.get(JAVA_LONG_UNALIGNED, base + TraceEventLayout.TS_NS);
    }

    /** Wall-clock time of the syscall entry, in ns since the epoch. */
    public long epochNanos() {
        return timestampNanos() + realtimeOffsetNanos;
    }

    /** Time from entry to exit in ns; 0 for a syscall that does not return. */
    public long latencyNanos() {
        return seg.get(JAVA_LONG_UNALIGNED, base + TraceEventLayout.LATENCY_NS);
    }

    /** The cgroup v2 id of the calling task (the inode number of its cgroup directory). */
    public long cgroupId() {
        return seg.get(JAVA_LONG_UNALIGNED, base + TraceEventLayout.CGROUP_ID);
    }

    /** Raw argument {@code i} (0..5) at entry. */
    public long arg(int i) {
        return seg.get(JAVA_LONG_UNALIGNED, base + TraceEventLayout.ARGS + 8L * java.util.Objects.checkIndex(i, 6));
    }

    /** The return value; see {@link #errno()}. Meaningless if {@link #returned()} is false. */
    public long ret() {
        return seg.get(JAVA_LONG_UNALIGNED, base + TraceEventLayout.RET);
    }

    /** False for exit/exit_group, reported at entry because they never return. */
    public boolean returned() {
        return (flags() & TraceEventLayout.EV_NORETURN) == 0;
    }

    /** The errno the call failed with, or 0 if it succeeded. */
    public int errno() {
        long r = ret();
        return returned() && r < 0 && r >= -MAX_ERRNO ? (int) -r : 0;
    }

    public int pid() {
        return seg.get(JAVA_INT_UNALIGNED, base + TraceEventLayout.PID);
    }

    public int tid() {
        return seg.get(JAVA_INT_UNALIGNED, base + TraceEventLayout.TID);
    }

    public int uid() {
        return seg.get(JAVA_INT_UNALIGNED, base + TraceEventLayout.UID);
    }

    public int syscallNr() {
        return seg.get(JAVA_INT_UNALIGNED, base + TraceEventLayout.SYSCALL_NR);
    }

    /** The syscall, or null if the table has no entry for its number. */
    public Syscall syscall() {
        return table.byNr(syscallNr());
    }

    private int flags() {
        return seg.get(JAVA_INT_UNALIGNED, base + TraceEventLayout.FLAGS);
    }

    /** Whether the event carries its path argument, as read by the kernel. */
    public boolean hasPath() {
        return (flags() & TraceEventLayout.EV_PATH) != 0 && rawPathLen() > 0;
    }

    /**
     * Whether the path filled the capture buffer (255 bytes and the NUL), so it may have been cut:
     * the kernel cannot say whether a longer one was there.
     */
    public boolean pathTruncated() {
        return hasPath() && rawPathLen() >= TraceEventLayout.PATH_MAX;
    }

    /** The errno of a failed path read (e.g. EFAULT for a bad pointer), 0 if none. */
    public int pathReadErrno() {
        int n = rawPathLen();
        return (flags() & TraceEventLayout.EV_PATH) != 0 && n < 0 ? -n : 0;
    }

    private int rawPathLen() {
        return seg.get(JAVA_INT_UNALIGNED, base + TraceEventLayout.PATH_LEN);
    }

    /** Copies the path bytes (no NUL) into {@code dst} (at least 256 bytes); returns how many. */
    public int path(byte[] dst) {
        if (!hasPath()) {
            return 0;
        }
        int n = Math.min(rawPathLen(), TraceEventLayout.PATH_MAX) - 1; // path_len counts the NUL
        MemorySegment.copy(seg, JAVA_BYTE, base + TraceEventLayout.SIZE, dst, 0, n);
        return n;
    }

    /** The path as a String, or null; allocates. */
    public String path() {
        byte[] b = new byte[TraceEventLayout.PATH_MAX];
        return hasPath() ? new String(b, 0, path(b), StandardCharsets.UTF_8) : null;
    }

    /** Copies the NUL-terminated comm into {@code dst} (at least 16 bytes); returns its length. */
    public int comm(byte[] dst) {
        return CString.copy(seg, base + TraceEventLayout.COMM, TraceEventLayout.COMM_LEN, dst);
    }

    /** The comm as a String; allocates. */
    public String comm() {
        byte[] b = new byte[TraceEventLayout.COMM_LEN];
        return new String(b, 0, comm(b), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        Syscall sc = syscall();
        return "TraceEvent[pid=" + pid() + ", tid=" + tid() + ", uid=" + uid() + ", comm=" + comm()
                + ", syscall=" + (sc != null ? sc.name() : syscallNr()) + ", ret=" + ret() + ", errno=" + errno()
                + ", latencyNs=" + latencyNanos() + ", path=" + path() + "]";
    }
}
