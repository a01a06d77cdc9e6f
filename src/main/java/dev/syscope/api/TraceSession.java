package dev.syscope.api;

import java.util.BitSet;

/**
 * A running trace. It owns every kernel object it created; {@link #close} releases them all and
 * is idempotent. Kernel links are file-descriptor based, so even a killed JVM leaves nothing
 * attached.
 *
 * <p>From {@link TraceBuilder#open()}: call {@link #poll}, {@link #finish} and {@link #close} from
 * one thread. From {@link TraceBuilder#start()}: a background thread polls and calls the
 * builder's handler; only call {@link #counters}, {@link #drainStats} and {@link #close}.
 */
public interface TraceSession extends AutoCloseable {

    /** Waits up to the poll interval, then hands every available event to {@code handler}. */
    int poll(TraceHandler handler);

    /** Detaches, then hands every event still buffered to {@code handler}; counters are final after it. */
    int finish(TraceHandler handler);

    /**
     * Events received, lost (buffer full, no memory for an entry, malformed) and counted instead of
     * streamed ({@link Overload#AGGREGATE}; as of the last {@link #drainStats()}) so far.
     */
    Counters counters();

    /**
     * Stats mode ({@link TraceBuilder#aggregate}): takes the in-kernel aggregates gathered since
     * the previous call out of the kernel, one row per (process, syscall), with failures per errno.
     * Trace mode with {@link Overload#AGGREGATE}: the same for the events that were not streamed.
     * Not per event.
     */
    java.util.List<StatsRow> drainStats();

    /** Calls that found the aggregate map full and were not counted (stats mode, or trace mode's overload). */
    long statsMapFull();

    /**
     * Stats mode: failed calls that were counted but left out of {@link StatsRow#errnos()} because the
     * per-errno map was full.
     */
    long errnoMapFull();

    /** The hook actually in use (AUTO resolved). */
    TraceAttach attachMode();

    BufferKind bufferKind();

    /** The traced syscall numbers. */
    BitSet syscalls();

    /** CLOCK_REALTIME minus CLOCK_MONOTONIC at start: adds to kernel timestamps to give wall-clock time. */
    long realtimeOffsetNanos();

    /** The pid skipped in the kernel as syscope's own, or 0 with {@code includeSelf}. */
    int selfPid();

    /** Detaches, delivers what is buffered (for a started session), and releases everything. */
    @Override
    void close();
}
