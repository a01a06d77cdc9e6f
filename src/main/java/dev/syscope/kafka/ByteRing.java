package dev.syscope.kafka;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A bounded ring of variable-length records for one producer thread and one consumer thread: the
 * ring-buffer reader offers each formatted event and never waits; the Kafka sender takes them. Its
 * capacity is the memory bound of everything waiting between the two. Offering copies the bytes
 * in and allocates nothing.
 *
 * <p>A record is an 8-byte header (its length, and an int tag the producer chooses) and its bytes,
 * padded to 8. A record that would cross the end of the array leaves a skip marker and starts at
 * 0, so every record is contiguous. Positions only grow; the producer publishes its position with
 * release semantics after writing a record, and the consumer its own after reading one, each read
 * with acquire by the other thread.
 *
 * <p>(Agrona's OneToOneRingBuffer does the same on sun.misc.Unsafe, whose memory-access methods
 * JDK 24+ warns about on stderr at first use.)
 */
public final class ByteRing {
    private static final int HEADER = 8;
    private static final int SKIP = -1;
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle TAIL;
    private static final VarHandle HEAD;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            TAIL = l.findVarHandle(ByteRing.class, "tail", long.class);
            HEAD = l.findVarHandle(ByteRing.class, "head", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final byte[] buf;
    private final int mask;
    /** Producer's position: bytes written so far (published). */
    @SuppressWarnings("unused") // through TAIL
    private volatile long tail;
    /** Consumer's position: bytes consumed so far (published). */
    @SuppressWarnings("unused") // through HEAD
    private volatile long head;
    private long headCache; // the producer's last view of head
    private long tailCache; // the consumer's last view of tail

    /** @param capacity bytes, a power of two of at least 64 */
    public ByteRing(int capacity) {
        if (capacity < 64 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("ring capacity must be a power of two >= 64: " + capacity);
        }
        this.buf = new byte[capacity];
        this.mask = capacity - 1;
    }

    public int capacity() {
        return buf.length;
    }

    /** The largest record {@link #offer} can ever take. */
    public int maxRecord() {
        return buf.length / 2 - HEADER;
    }

    /** Bytes in use (records, headers, padding), as of the last positions published. */
    public long usedBytes() {
        return (long) TAIL.getAcquire(this) - (long) HEAD.getAcquire(this);
    }

    /** Producer: whether a record of {@code len} bytes fits now (after which {@link #offer} of it succeeds). */
    public boolean hasRoom(int len) {
        long t = (long) TAIL.getOpaque(this);
        long need = need(t, len);
        if (t + need - headCache <= buf.length) {
            return true;
        }
        headCache = (long) HEAD.getAcquire(this);
        return t + need - headCache <= buf.length;
    }

    /** Producer: appends a copy of {@code src[off, off + len)} with {@code tag}; false (and nothing written) if it does not fit. */
    public boolean offer(byte[] src, int off, int len, int tag) {
        if (len < 0 || len > maxRecord() || !hasRoom(len)) {
            return false;
        }
        long t = (long) TAIL.getOpaque(this);
        int at = (int) (t & mask);
        if (at + HEADER + len > buf.length) { // would cross the end: skip to 0
            INT.set(buf, at, SKIP);
            t += buf.length - at;
            at = 0;
        }
        System.arraycopy(src, off, buf, at + HEADER, len);
        INT.set(buf, at + 4, tag);
        INT.set(buf, at, len);
        TAIL.setRelease(this, t + align(HEADER + len));
        return true;
    }

    /** The bytes a record of {@code len} takes from position {@code t}, with a skip to 0 if it would cross the end. */
    private long need(long t, int len) {
        int at = (int) (t & mask);
        long n = align(HEADER + len);
        return at + HEADER + len > buf.length ? n + buf.length - at : n;
    }

    private static long align(long n) {
        return (n + 7) & ~7L;
    }

    /**
     * Receives records in order; the array is the ring's and valid only during the call. The record
     * is consumed either way; false stops the poll after it.
     */
    @FunctionalInterface
    public interface Reader {
        boolean record(byte[] buf, int off, int len, int tag);
    }

    /** Consumer: hands up to {@code max} records to {@code reader}, in order, until it returns false; returns how many. */
    public int poll(Reader reader, int max) {
        long h = (long) HEAD.getOpaque(this);
        int n = 0;
        while (n < max) {
            if (h == tailCache) {
                tailCache = (long) TAIL.getAcquire(this);
                if (h == tailCache) {
                    break;
                }
            }
            int at = (int) (h & mask);
            int len = (int) INT.get(buf, at);
            if (len == SKIP) {
                h += buf.length - at;
                continue;
            }
            boolean more = reader.record(buf, at + HEADER, len, (int) INT.get(buf, at + 4));
            h += align(HEADER + len);
            HEAD.setRelease(this, h);
            n++;
            if (!more) {
                break;
            }
        }
        HEAD.setRelease(this, h); // a trailing skip too
        return n;
    }

    /** Consumer: whether a record is waiting. */
    public boolean isEmpty() {
        return (long) HEAD.getOpaque(this) == (long) TAIL.getAcquire(this);
    }
}
