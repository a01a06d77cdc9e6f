package dev.syscope.bpf;

import java.lang.foreign.MemorySegment;

/**
 * Receives one record from a kernel buffer. {@code data} and {@code offset} are only valid during
 * the call: the memory is the kernel's and is reused as soon as the call returns. The segment
 * object itself is shared across calls, so a handler that wraps it in a flyweight allocates nothing.
 */
@FunctionalInterface
public interface RecordHandler {
    void onRecord(MemorySegment data, long offset, int length);
}
