package dev.syscope.bpf;

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
 * that a record that wraps around the end is contiguous. Each record has an 8-byte header whose
 * first word is the length plus the BUSY bit (still being written) and the DISCARD bit (to be
 * skipped). Positions are read with acquire and the consumer position published with release
 * semantics, pairing with the kernel's smp_load_acquire/smp_store_release.
 *
 * <p>The data area is read through a window of at most {@value #WINDOW} bytes that moves with the
 * consumer: the kernel maps every page of a mapping at mmap time, so mapping the whole area would
 * add its size (64 MiB by default in trace mode) to the resident set. Moving the window costs one
 * munmap and one mmap per {@value #WINDOW} bytes read. A record is handed over within the window, so handlers
 * must not keep the segment (the views of {@code dev.syscope.event} are valid during the call only).
 *
 * <p>Programs submit with BPF_RB_NO_WAKEUP, so epoll would never fire: {@link #poll} drains,
 * and if it found nothing, parks for the timeout and drains again.
 */
public final class RingBufferReader implements EventReader {
    /** The largest window onto the data area, in bytes. */
    static final long WINDOW = 1 << 20;
    private static final int BUSY_BIT = 1 << 31;
    private static final int DISCARD_BIT = 1 << 30;
    private static final int HEADER = 8;
    private static final int PUBLISH_EVERY = 32; // records; a power of two
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    /** Maps {@code length} bytes of the doubled data area from byte {@code offset} (page-aligned, < its size). */
    interface DataMapper {
        MemorySegment map(long offset, long length);

        void unmap(MemorySegment window);
    }

    private final MemorySegment consumerPage;
    private final MemorySegment producerPage;
    private final DataMapper mapper;
    private final long size;
    private final long mask;
    private final long page;
    private final Runnable unmapPages;
    private MemorySegment window = MemorySegment.NULL;
    private long windowStart; // the data position (not offset) of the window's first byte
    private long windowEnd;
    private boolean closed;

    /** Maps the ring buffer behind {@code map}, which must be loaded. */
    public RingBufferReader(BpfMap map) {
        int fd = map.fd();
        long dataSize = Integer.toUnsignedLong(map.maxEntries());
        long pageSize = Libc.pageSize();
        MemorySegment consumer = Libc.mmap("ring buffer consumer page", pageSize, Libc.PROT_READ | Libc.PROT_WRITE, fd, 0);
        MemorySegment producer;
        try {
            producer = Libc.mmap("ring buffer producer page", pageSize, Libc.PROT_READ, fd, pageSize);
        } catch (RuntimeException e) {
            Libc.munmap(consumer);
            throw e;
        }
        this.consumerPage = consumer;
        this.producerPage = producer;
        this.mapper = new DataMapper() {
            @Override
            public MemorySegment map(long offset, long length) {
                return Libc.mmap("ring buffer data", length, Libc.PROT_READ, fd, 2 * pageSize + offset);
            }

            @Override
            public void unmap(MemorySegment w) {
                Libc.munmap(w);
            }
        };
        this.size = dataSize;
        this.mask = dataSize - 1;
        this.page = pageSize;
        this.unmapPages = () -> {
            Libc.munmap(producer);
            Libc.munmap(consumer);
        };
    }

    /** A reader of memory laid out as the kernel's (for tests): the two position pages and a mapper of the doubled data. */
    RingBufferReader(MemorySegment consumerPage, MemorySegment producerPage, DataMapper mapper, long page, long size) {
        this.consumerPage = consumerPage;
        this.producerPage = producerPage;
        this.mapper = mapper;
        this.size = size;
        this.mask = size - 1;
        this.page = page;
        this.unmapPages = () -> { };
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
        long prod = (long) LONG.getAcquire(producerPage, 0L);
        int n = 0;
        int seen = 0;
        while (cons < prod) {
            long at = within(cons, HEADER); // first: it may move the window
            int hdr = (int) INT.getAcquire(window, at);
            if ((hdr & BUSY_BIT) != 0) {
                break;
            }
            int len = hdr & ~(BUSY_BIT | DISCARD_BIT);
            if ((hdr & DISCARD_BIT) == 0) {
                at = within(cons, HEADER + (long) len);
                handler.onRecord(window, at + HEADER, len);
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

    /** The window offset of data position {@code pos}, after moving the window so that {@code need} bytes from there are in it. */
    private long within(long pos, long need) {
        if (pos < windowStart || pos + need > windowEnd) {
            move(pos, need);
        }
        return pos - windowStart;
    }

    /**
     * Maps the window from the page of {@code pos}: {@link #WINDOW} bytes (at most the area's size)
     * plus a page, so that any record starting in the first part fits, or more for a larger record.
     * At most size + page bytes from an offset below size - page: within the doubled area.
     */
    private void move(long pos, long need) {
        long start = pos & -page;
        long length = Math.min(Math.max(Math.min(WINDOW, size) + page, (pos - start + need + page - 1) & -page), size + page);
        if (window != MemorySegment.NULL) {
            mapper.unmap(window);
            window = MemorySegment.NULL;
            windowEnd = windowStart = 0;
        }
        window = mapper.map(start & mask, length);
        windowStart = start;
        windowEnd = start + length;
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
        if (window != MemorySegment.NULL) {
            mapper.unmap(window);
            window = MemorySegment.NULL;
        }
        unmapPages.run();
    }
}
