package dev.syscope.api;

/**
 * A running seed-mode monitor. It owns every kernel object it created (BPF object, links, buffer
 * mappings); {@link #close} releases them all and is idempotent. Events still buffered at close
 * are not delivered: call {@link #finish} first. Kernel links are file-descriptor
 * based, so even a killed JVM leaves nothing attached.
 *
 * <p>Not thread-safe: call {@link #poll} and {@link #close} from one thread. A poll returns within
 * about {@code pollMillis}, so a loop that checks a stop flag between polls stops promptly.
 */
public interface SeedSession extends AutoCloseable {

    /** Waits up to the configured poll interval, then hands every available event to {@code handler}. */
    int poll(SeedHandler handler);

    /**
     * Detaches the programs, so that no new events are made, then hands every event still
     * buffered to {@code handler}. After it, {@link #counters()} is final. Call before close to
     * lose nothing at the end of a run.
     */
    int finish(SeedHandler handler);

    /** Events received and lost so far. Reads per-CPU kernel counters: call it per poll, not per event. */
    Counters counters();

    /** The hook actually in use (AUTO resolved). */
    AttachMode attachMode();

    BufferKind bufferKind();

    /** The pid skipped in the kernel as syscope's own, or 0 with {@code includeSelf}. */
    int selfPid();

    /**
     * Whether syscope runs in the host's (initial) PID namespace. If not (a container without
     * pid: host), event pids are still the host's but {@link #selfPid} is this namespace's.
     */
    boolean hostPidNamespace();

    @Override
    void close();
}
