package dev.syscope.bpf;

import java.lang.foreign.MemorySegment;

/** Feature probes that ask the kernel itself (libbpf_probe_bpf_*), not its version number. */
public final class KernelSupport {
    private static final int BPF_MAP_TYPE_RINGBUF = 27;

    private KernelSupport() {}

    /** Whether the kernel can create BPF ring buffers (Linux >= 5.8). */
    public static boolean ringBuffer() {
        try {
            return (int) LibBpf.PROBE_MAP_TYPE.invokeExact(BPF_MAP_TYPE_RINGBUF, MemorySegment.NULL) == 1;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
