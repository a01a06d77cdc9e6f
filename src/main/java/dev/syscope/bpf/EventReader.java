package dev.syscope.bpf;

/**
 * Drains records that BPF programs write to a kernel buffer. Programs do not wake the reader per
 * event; {@link #poll} waits at most its timeout and then drains everything that is there.
 * Single-threaded: poll and close from the same thread.
 */
public interface EventReader extends AutoCloseable {

    /**
     * Waits up to {@code timeoutMillis} for data (returning early if the kernel signals a full
     * batch), then hands every available record to {@code handler}.
     *
     * @return the number of records handed over
     */
    int poll(int timeoutMillis, RecordHandler handler);

    /** Records the buffer itself reports as lost (perf's PERF_RECORD_LOST); 0 for the ring buffer. */
    long bufferLost();

    @Override
    void close();
}
