package dev.syscope.api;

/** What trace mode does with an event its buffer cannot take (the reader fell behind). */
public enum Overload {
    /** Count it as lost, in the kernel. */
    DROP,
    /**
     * Count it in the kernel per (process, syscall), with its errors, bytes and latency, instead of
     * streaming it; {@link TraceSession#drainStats()} returns those counts. Only a full count map
     * loses events.
     */
    AGGREGATE
}
