package dev.syscope.api;

/** How events travel from the kernel to syscope. */
public enum BufferKind {
    /**
     * One BPF ring buffer shared by all CPUs, read from its memory mapping (kernel >= 5.8; on older
     * kernels the session falls back to {@link #PERF} and logs it).
     */
    RING,
    /** One perf ring per CPU, the seed's mechanism and the fallback for older kernels. */
    PERF
}
