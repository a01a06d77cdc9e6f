package dev.syscope.event;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * A flyweight view of one {@code struct seed_event} in kernel-shared memory: {@link #wrap} points
 * it at a record, the getters read straight from that memory. One instance serves every event, so
 * decoding allocates nothing; it is valid only during the handler call that received it.
 * Reads are unaligned because perf-buffer records start 4 bytes past an 8-byte boundary.
 */
public final class SeedEvent {
    private MemorySegment seg;
    private long base;

    /** Points this view at the record at {@code offset}; false (and unchanged) if it is too short. */
    public boolean wrap(MemorySegment segment, long offset, int length) {
        if (length < SeedEventLayout.SIZE) {
            return false;
        }
        this.seg = segment;
        this.base = offset;
        return true;
    }

    /** Kernel CLOCK_MONOTONIC time of the syscall entry, in ns. */
    public long timestampNanos() {
        return seg.get(JAVA_LONG_UNALIGNED, base + SeedEventLayout.TS_NS);
    }

    /** Process id (tgid) in the initial PID namespace. */
    public int pid() {
        return seg.get(JAVA_INT_UNALIGNED, base + SeedEventLayout.PID);
    }

    /** Thread id in the initial PID namespace. */
    public int tid() {
        return seg.get(JAVA_INT_UNALIGNED, base + SeedEventLayout.TID);
    }

    /** The architecture's syscall number. */
    public int syscallNr() {
        return seg.get(JAVA_INT_UNALIGNED, base + SeedEventLayout.SYSCALL_NR);
    }

    /** The file descriptor argument. */
    public int fd() {
        return seg.get(JAVA_INT_UNALIGNED, base + SeedEventLayout.FD);
    }

    /** The byte-count argument. */
    public long count() {
        return seg.get(JAVA_LONG_UNALIGNED, base + SeedEventLayout.COUNT);
    }

    /** Copies the NUL-terminated comm into {@code dst} (at least 16 bytes); returns its length. */
    public int comm(byte[] dst) {
        return CString.copy(seg, base + SeedEventLayout.COMM, SeedEventLayout.COMM_LEN, dst);
    }

    /** The comm as a String; allocates, so not for the hot path. */
    public String comm() {
        byte[] b = new byte[SeedEventLayout.COMM_LEN];
        return new String(b, 0, comm(b), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "SeedEvent[pid=" + pid() + ", tid=" + tid() + ", syscall=" + syscallNr() + ", fd=" + fd()
                + ", count=" + count() + ", comm=" + comm() + "]";
    }
}
