package dev.syscope.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads a BPF_MAP_TYPE_RINGBUF directly from its memory mapping, without libbpf and without an
 * upcall per record.
 *
 * <p>Layout (kernel/bpf/ringbuf.c): page 0 holds the consumer position, which we write; page 1
 * holds the producer position; then the data area, which the kernel offers twice back to back so
 * that a record that wraps around the end is contiguous. We map it once: every mapped page counts
 * in the resident set from the start (a 16 MiB ring would take 32 MiB), and the rare record that
 * wraps is copied into a scratch buffer instead. Each record has an 8-byte header whose first word
 * is the length plus the BUSY bit (still being written) and the DISCARD bit (to be skipped).
 * Positions are read with acquire and the consumer position published with release semantics,
 * pairing with the kernel's smp_load_acquire/smp_store_release.
 *
 * <p>Programs submit with BPF_RB_NO_WAKEUP, so epoll would never fire: {@link #poll} drains,
 * and if it found nothing, parks for the timeout and drains again.
 */
public final class RingBufferReader implements EventReader {
    private static final int BUSY_BIT = 1 << 31;
    private static final int DISCARD_BIT = 1 << 30;
    private static final int HEADER = 8;
    private static final int PUBLISH_EVERY = 32; // records; a power of two
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final MemorySegment consumerPage;
    private final MemorySegment producerAndData;
    private final MemorySegment data;
    private final long mask;
    private final boolean mapped; // by the constructor, so close unmaps
    private MemorySegment wrapped = MemorySegment.NULL; // scratch for records that wrap around
    private boolean closed;

    /** Maps the ring buffer behind {@code map}, which must be loaded. */
    public RingBufferReader(BpfMap map) {
        int fd = map.fd();
        long size = Integer.toUnsignedLong(map.maxEntries());
        long page = Libc.pageSize();
        this.consumerPage = Libc.mmap("ring buffer consumer page", page, Libc.PROT_READ | Libc.PROT_WRITE, fd, 0);
        MemorySegment pd;
        try {
            pd = Libc.mmap("ring buffer producer page and data", page + size, Libc.PROT_READ, fd, page);
        } catch (RuntimeException e) {
            Libc.munmap(consumerPage);
            throw e;
        }
        this.producerAndData = pd;
        this.data = pd.asSlice(page, size);
        this.mask = size - 1;
        this.mapped = true;
    }

    /** A reader of memory laid out as the kernel's (for tests): a consumer page, then producer page and data. */
    RingBufferReader(MemorySegment consumerPage, MemorySegment producerAndData, long page, long size) {
        this.consumerPage = consumerPage;
        this.producerAndData = producerAndData;
        this.data = producerAndData.asSlice(page, size);
        this.mask = size - 1;
        this.mapped = false;
    }

    @Override
    public int poll(int timeoutMillis, RecordHandler handler) {
        int n = drain(handler);
        if (n == 0 && timeoutMillis > 0) {
            LockSupport.parkNanos(timeoutMillis * 1_000_000L);
            n = drain(handler);
        }
        return n;
    }

    /**
     * Hands every complete record up to the producer position seen on entry to {@code handler};
     * stops early at a record still being written. Bounded, so a busy producer cannot starve the
     * caller's own work (flushing, stop checks).
     */
    public int drain(RecordHandler handler) {
        if (closed) {
            throw new IllegalStateException("ring buffer reader is closed");
        }
        long cons = (long) LONG.getAcquire(consumerPage, 0L);
        long prod = (long) LONG.getAcquire(producerAndData, 0L);
        int n = 0;
        int seen = 0;
        while (cons < prod) {
            long off = cons & mask;
            int hdr = (int) INT.getAcquire(data, off);
            if ((hdr & BUSY_BIT) != 0) {
                break;
            }
            int len = hdr & ~(BUSY_BIT | DISCARD_BIT);
            if ((hdr & DISCARD_BIT) == 0) {
                if (off + HEADER + len <= data.byteSize()) {
                    handler.onRecord(data, off + HEADER, len);
                } else {
                    handler.onRecord(unwrap(off + HEADER, len), 0, len);
                }
                n++;
            }
            cons += (len + HEADER + 7) & ~7L;
            // Publish in small batches: every store makes the producer's next reserve miss its
            // cache line, and the space comes back within a few records anyway.
            if ((++seen & (PUBLISH_EVERY - 1)) == 0) {
                LONG.setRelease(consumerPage, 0L, cons);
            }
        }
        LONG.setRelease(consumerPage, 0L, cons);
        return n;
    }

    /** The {@code len} bytes at {@code start}, which run past the end of the data area, copied contiguously. */
    private MemorySegment unwrap(long start, int len) {
        if (wrapped.byteSize() < len) {
            wrapped = Arena.ofAuto().allocate(Math.max(len, 1024), 8);
        }
        long size = data.byteSize();
        long first = Math.max(0, size - start); // 0 when the header sat at the very end
        MemorySegment.copy(data, start & mask, wrapped, 0, Math.min(first, len));
        if (first < len) {
            MemorySegment.copy(data, 0, wrapped, first, len - first);
        }
        return wrapped;
    }

    @Override
    public long bufferLost() {
        return 0;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (mapped) {
            Libc.munmap(producerAndData);
            Libc.munmap(consumerPage);
        }
    }
}
