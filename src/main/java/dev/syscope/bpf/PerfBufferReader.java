package dev.syscope.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Reads a BPF_MAP_TYPE_PERF_EVENT_ARRAY through libbpf's perf_buffer__new_raw, one mmap'ed ring per
 * CPU. libbpf 1.1's plain perf_buffer__new opens every ring with wakeup_events=1 (a wakeup per
 * event, ~7 µs to the traced process here), so we pass our own perf_event_attr that wakes the
 * reader only when a ring is a quarter full; {@link #poll} then drains every ring.
 *
 * <p>The per-record upcall takes its pointers as {@code long}s, so it allocates nothing, and it
 * never throws: a handler failure is stored and rethrown by poll.
 */
public final class PerfBufferReader implements EventReader {
    private static final int PERF_TYPE_SOFTWARE = 1;
    private static final int PERF_COUNT_SW_BPF_OUTPUT = 10;
    private static final long PERF_SAMPLE_RAW = 1L << 10;
    private static final long ATTR_FLAG_WATERMARK = 1L << 14;
    private static final int PERF_ATTR_SIZE_VER0 = 64;
    private static final int PERF_RECORD_LOST = 2;
    private static final int PERF_RECORD_SAMPLE = 9;
    private static final int LIBBPF_PERF_EVENT_ERROR = -1;
    private static final int LIBBPF_PERF_EVENT_CONT = -2;

    private static final MethodHandle ON_EVENT;

    static {
        try {
            ON_EVENT = MethodHandles.lookup().findVirtual(PerfBufferReader.class, "onEvent",
                    MethodType.methodType(int.class, long.class, int.class, long.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Arena arena = Arena.ofShared();
    private final MemorySegment pb;
    private RecordHandler handler;
    private int delivered;
    private long lost;
    private Throwable failure;
    private boolean closed;

    /**
     * @param map        the loaded perf event array
     * @param pagesPerCpu ring size per CPU in pages, a power of two
     */
    public PerfBufferReader(BpfMap map, int pagesPerCpu) {
        if (Integer.bitCount(pagesPerCpu) != 1) {
            arena.close();
            throw new IllegalArgumentException("perf buffer pages per CPU must be a power of two: " + pagesPerCpu);
        }
        try {
            MemorySegment attr = arena.allocate(128, 8); // struct perf_event_attr, zeroed
            attr.set(JAVA_INT, 0, PERF_TYPE_SOFTWARE);
            attr.set(JAVA_INT, 4, PERF_ATTR_SIZE_VER0);
            attr.set(JAVA_LONG, 8, PERF_COUNT_SW_BPF_OUTPUT);
            attr.set(JAVA_LONG, 16, 1);                  // sample_period
            attr.set(JAVA_LONG, 24, PERF_SAMPLE_RAW);    // sample_type
            attr.set(JAVA_LONG, 40, ATTR_FLAG_WATERMARK);
            long ringBytes = (long) pagesPerCpu * Libc.pageSize();
            attr.set(JAVA_INT, 48, (int) Math.min(Integer.MAX_VALUE, ringBytes / 4)); // wakeup_watermark
            MemorySegment cb = Native.LINKER.upcallStub(ON_EVENT.bindTo(this),
                    FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG), arena);
            MemorySegment errno = Native.errnoState(arena);
            this.pb = LibBpf.nonNull("open perf buffer", LibBpf.PERF_BUFFER_NEW_RAW.call(errno,
                    map.fd(), pagesPerCpu, Native.addr(attr), cb.address(), 0, 0), errno);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /** The upcall: {@code enum bpf_perf_event_ret fn(void *ctx, int cpu, struct perf_event_header *e)}. */
    @SuppressWarnings("unused")
    private int onEvent(long ctx, int cpu, long header) {
        try {
            MemorySegment mem = Native.EVERYTHING;
            int type = mem.get(JAVA_INT, header);
            if (type == PERF_RECORD_SAMPLE) {
                // header (8 bytes), u32 size, then the raw bytes the program passed
                int size = mem.get(JAVA_INT, header + 8);
                handler.onRecord(mem, header + 12, size);
                delivered++;
            } else if (type == PERF_RECORD_LOST) {
                lost += mem.get(JAVA_LONG, header + 16); // u64 id, u64 lost
            }
            return LIBBPF_PERF_EVENT_CONT;
        } catch (Throwable t) {
            if (failure == null) {
                failure = t;
            }
            return LIBBPF_PERF_EVENT_ERROR;
        }
    }

    @Override
    public int poll(int timeoutMillis, RecordHandler h) {
        if (closed) {
            throw new IllegalStateException("perf buffer reader is closed");
        }
        handler = h;
        delivered = 0;
        try {
            int r = (int) LibBpf.PERF_BUFFER_POLL.call(pb.address(), timeoutMillis);
            if (r >= 0 || r == -Errno.EINTR) {
                r = (int) LibBpf.PERF_BUFFER_CONSUME.call(pb.address());
            }
            rethrowFailure();
            if (r < 0 && r != -Errno.EINTR) {
                throw new BpfException("read perf buffer", -r);
            }
            return delivered;
        } finally {
            handler = null;
        }
    }

    private void rethrowFailure() {
        Throwable f = failure;
        if (f != null) {
            failure = null;
            throw Native.rethrow(f);
        }
    }

    @Override
    public long bufferLost() {
        return lost;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            LibBpf.PERF_BUFFER_FREE.call(pb.address());
        } finally {
            arena.close();
        }
    }
}
