package dev.syscope.bench;

import dev.syscope.event.TraceEvent;
import dev.syscope.sink.LineOutput;
import dev.syscope.sink.TraceJsonSink;
import dev.syscope.sink.TraceRecords;
import dev.syscope.sink.TraceTextSink;
import dev.syscope.syscalls.Arch;
import dev.syscope.syscalls.SyscallTable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

/**
 * The user-space hot path per event, one core: decoding a ring record (TraceEvent.wrap and its
 * accessors) and formatting it as text or JSON into a discarding stream. Throughput = events/s.
 * Run with bench/jmh.sh (add -prof gc for bytes allocated per event).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class SinkBenchmark {
    private static final Arch ARCH = Arch.X86_64;
    private static final SyscallTable TABLE = SyscallTable.of(ARCH);

    private Arena arena;
    private MemorySegment readRecord;
    private MemorySegment openRecord;
    private int readLength;
    private int openLength;
    private TraceEvent view;
    private LineOutput out;
    private TraceJsonSink json;
    private TraceTextSink text;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofConfined();
        readRecord = TraceRecords.record(arena, TABLE, "read", 1, new long[] {3, 0x7ffd0000L, 1}, null, false);
        openRecord = TraceRecords.record(arena, TABLE, "openat", 3, new long[] {-100, 0x7ffd0000L, 0x80000, 0},
                "/usr/lib/x86_64-linux-gnu/libc.so.6", false);
        readLength = TraceRecords.length(readRecord);
        openLength = TraceRecords.length(openRecord);
        view = new TraceEvent(TABLE, 0);
        out = new LineOutput(OutputStream.nullOutputStream(), 1 << 20, false);
        json = new TraceJsonSink(out, ARCH);
        text = new TraceTextSink(out, ARCH, ZoneOffset.UTC, 0);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        out.flush();
        arena.close();
    }

    /** Decoding only: wrap the record and read the fields every sink reads. */
    @Benchmark
    public long decodeRead() {
        view.wrap(readRecord, 0, readLength);
        return view.pid() + view.tid() + view.syscallNr() + view.ret() + view.latencyNanos() + view.arg(0) + view.epochNanos();
    }

    @Benchmark
    public void jsonRead() {
        view.wrap(readRecord, 0, readLength);
        json.onEvent(view);
    }

    @Benchmark
    public void jsonOpenat() {
        view.wrap(openRecord, 0, openLength);
        json.onEvent(view);
    }

    @Benchmark
    public void textRead() {
        view.wrap(readRecord, 0, readLength);
        text.onEvent(view);
    }

    @Benchmark
    public void textOpenat() {
        view.wrap(openRecord, 0, openLength);
        text.onEvent(view);
    }
}
