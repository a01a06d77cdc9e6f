package dev.syscope.bpf;

/** Feature probes that ask the kernel itself (libbpf_probe_bpf_*), not its version number. */
public final class KernelSupport {
    private static final int BPF_MAP_TYPE_RINGBUF = 27;

    private KernelSupport() {}

    /** A yes, kept: the probe creates a map in the kernel, milliseconds at start-up. */
    private static volatile boolean ringBuffer;

    /** Whether the kernel can create BPF ring buffers (Linux >= 5.8). */
    public static boolean ringBuffer() {
        if (ringBuffer) {
            return true;
        }
        // A no may only mean missing privileges (an early call from Native.prepare): ask again next time.
        return ringBuffer = (int) LibBpf.PROBE_MAP_TYPE.call(BPF_MAP_TYPE_RINGBUF, 0) == 1;
    }
}
