package dev.syscope.event;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/** NUL-terminated strings inside event records. */
final class CString {
    private CString() {}

    /** Copies the bytes before the first NUL (at most {@code max}) from {@code seg} at {@code off}; returns how many. */
    static int copy(MemorySegment seg, long off, int max, byte[] dst) {
        int n = 0;
        for (; n < max; n++) {
            byte b = seg.get(JAVA_BYTE, off + n);
            if (b == 0) {
                break;
            }
            dst[n] = b;
        }
        return n;
    }
}
