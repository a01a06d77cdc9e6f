package dev.syscope.api;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Options of a seed-mode session: read() and write() entries of every process.
 *
 * @param attach          where to hook in
 * @param buffer          how events reach user space
 * @param pid             report only this process (tgid); 0 for all
 * @param includeSelf     also report syscope's own process
 * @param ringBufferBytes ring buffer size: a power of two, at least one page
 * @param perfPagesPerCpu perf ring size per CPU, in pages: a power of two
 * @param pollMillis      longest wait for data before draining (events are never pushed per event)
 * @param log             receives diagnostic messages (libbpf's log, attach decisions); never null
 */
public record SeedOptions(AttachMode attach, BufferKind buffer, int pid, boolean includeSelf,
                          int ringBufferBytes, int perfPagesPerCpu, int pollMillis, Consumer<String> log) {

    public static final int DEFAULT_RING_BYTES = 16 << 20;
    public static final int DEFAULT_PERF_PAGES = 1024;
    public static final int DEFAULT_POLL_MILLIS = 10;

    public SeedOptions {
        Objects.requireNonNull(attach, "attach");
        Objects.requireNonNull(buffer, "buffer");
        Objects.requireNonNull(log, "log");
        if (pid < 0) {
            throw new IllegalArgumentException("pid must be >= 0: " + pid);
        }
        if (ringBufferBytes < 4096 || Integer.bitCount(ringBufferBytes) != 1) {
            throw new IllegalArgumentException("ring buffer size must be a power of two >= 4096: " + ringBufferBytes);
        }
        if (perfPagesPerCpu < 1 || Integer.bitCount(perfPagesPerCpu) != 1) {
            throw new IllegalArgumentException("perf pages per CPU must be a power of two: " + perfPagesPerCpu);
        }
        if (pollMillis < 1 || pollMillis > 1000) {
            throw new IllegalArgumentException("poll interval must be 1..1000 ms: " + pollMillis);
        }
    }

    /** All processes but syscope's own, attach AUTO, ring buffer, no log. */
    public static SeedOptions defaults() {
        return new SeedOptions(AttachMode.AUTO, BufferKind.RING, 0, false,
                DEFAULT_RING_BYTES, DEFAULT_PERF_PAGES, DEFAULT_POLL_MILLIS, Syscope.NO_LOG);
    }

    public SeedOptions withAttach(AttachMode a) {
        return new SeedOptions(a, buffer, pid, includeSelf, ringBufferBytes, perfPagesPerCpu, pollMillis, log);
    }

    public SeedOptions withBuffer(BufferKind b) {
        return new SeedOptions(attach, b, pid, includeSelf, ringBufferBytes, perfPagesPerCpu, pollMillis, log);
    }

    public SeedOptions withPid(int p) {
        return new SeedOptions(attach, buffer, p, includeSelf, ringBufferBytes, perfPagesPerCpu, pollMillis, log);
    }

    public SeedOptions withIncludeSelf(boolean on) {
        return new SeedOptions(attach, buffer, pid, on, ringBufferBytes, perfPagesPerCpu, pollMillis, log);
    }

    public SeedOptions withRingBufferBytes(int bytes) {
        return new SeedOptions(attach, buffer, pid, includeSelf, bytes, perfPagesPerCpu, pollMillis, log);
    }

    public SeedOptions withPerfPagesPerCpu(int pages) {
        return new SeedOptions(attach, buffer, pid, includeSelf, ringBufferBytes, pages, pollMillis, log);
    }

    public SeedOptions withPollMillis(int ms) {
        return new SeedOptions(attach, buffer, pid, includeSelf, ringBufferBytes, perfPagesPerCpu, ms, log);
    }

    public SeedOptions withLog(Consumer<String> l) {
        return new SeedOptions(attach, buffer, pid, includeSelf, ringBufferBytes, perfPagesPerCpu, pollMillis, l);
    }
}
