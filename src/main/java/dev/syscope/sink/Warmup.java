package dev.syscope.sink;

import dev.syscope.api.TraceHandler;
import dev.syscope.bpf.Libc;
import dev.syscope.event.TraceEvent;
import dev.syscope.syscalls.Arch;
import dev.syscope.syscalls.SyscallTable;

import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.Function;

/**
 * Runs a sink like the real one over hand-made records, on its own thread, while the BPF programs
 * load: the decoder and the sink are then compiled before the first burst. A fresh JVM otherwise
 * interprets them for its first second, and under a 3M-read producer the ring buffer fills meanwhile
 * (BENCHMARKS.md). The records go to a discarding stream; a failure here never affects tracing.
 */
public final class Warmup {
    /**
     * Enough for the JIT (C2 compiles after ~15,000 calls): 50,000 delivered as fully as 200,000 did
     * (bench/run.sh, 5 of 5 rounds at 100%) for a quarter of the CPU during start-up.
     */
    static final int EVENTS = 50_000;

    private Warmup() {}

    /**
     * Starts the warm-up of a sink made by {@code sinks} (given its output) on a daemon thread at the
     * lowest priority (nice 19), at once: it runs on what CPU the start-up leaves idle (the JIT's
     * compiler threads it feeds keep their priority), and nobody waits for it. At normal priority it
     * competed with the start-up on 2 CPUs (trace attached 40-60 ms later), and joining it before the
     * first poll made the reader wait; at nice 19, trace attaches as soon as with no warm-up at all,
     * and every event of a 3M-read producer arrived in 6 of 6 rounds, where with no warm-up 2 of 5
     * rounds overflowed the ring (bench/startup.sh; BENCHMARKS.md).
     */
    public static Thread start(Function<LineOutput, TraceHandler> sinks, Arch arch) {
        return Thread.ofPlatform().daemon().name("syscope-warmup").start(() -> {
            try {
                Libc.lowestPriority();
                run(sinks, arch, EVENTS);
            } catch (RuntimeException | Error e) {
                // Only a warm-up: the real sink reports its own errors.
            }
        });
    }

    /** Feeds {@code events} records, one openat with a path in eight, the rest 1-byte reads. */
    static void run(Function<LineOutput, TraceHandler> sinks, Arch arch, int events) {
        SyscallTable table = SyscallTable.of(arch);
        LineOutput out = new LineOutput(OutputStream.nullOutputStream(), 1 << 16, false);
        TraceHandler sink = sinks.apply(out);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment read = TraceRecords.record(a, table, "read", 1, new long[] {3, 0x7ffd_1234_5000L, 1}, null, false);
            MemorySegment open = TraceRecords.record(a, table, "openat", 3, new long[] {-100, 0x7ffd_1234_6000L, 0x80000},
                    "/usr/lib/x86_64-linux-gnu/libc.so.6", false);
            int readLength = TraceRecords.length(read);
            int openLength = TraceRecords.length(open);
            TraceEvent e = new TraceEvent(table, 0);
            for (int i = 0; i < events; i++) {
                boolean isOpen = (i & 7) == 0;
                if (e.wrap(isOpen ? open : read, 0, isOpen ? openLength : readLength)) {
                    sink.onEvent(e);
                }
                if ((i & 1023) == 0) {
                    out.tick(System.nanoTime());
                }
            }
            out.flush();
        }
    }
}
