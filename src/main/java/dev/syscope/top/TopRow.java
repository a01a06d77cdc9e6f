package dev.syscope.top;

/**
 * One line of `top`: a group's rates over the last interval and the latency of its calls in that
 * interval (mean, and p50/p99 from the log2 histogram; -1 when not measured: top without --latency).
 */
public record TopRow(int pid, String comm, String syscall, double callsPerSec, double errorsPerSec,
                     double bytesPerSec, long avgNanos, long p50Nanos, long p99Nanos) {}
