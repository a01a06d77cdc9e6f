package dev.syscope.sink;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * A byte buffer in front of stdout with the flush policy of a monitor: every line on a terminal;
 * otherwise when the buffer fills, and within {@link #MAX_DELAY_NANOS} of a line being written
 * (the caller calls {@link #tick} after each poll, which returns at least every poll interval).
 * Appending allocates nothing.
 */
public final class LineOutput implements LineTarget {
    /** Output sits in the buffer for at most this long, plus one poll interval. */
    public static final long MAX_DELAY_NANOS = 90_000_000L;

    private final OutputStream out;
    private final byte[] buf;
    private final boolean lineBuffered;
    private int len;
    private long oldestPendingNanos;

    public LineOutput(OutputStream out, int bufferBytes, boolean lineBuffered) {
        this.out = out;
        this.buf = new byte[bufferBytes];
        this.lineBuffered = lineBuffered;
    }

    /** Appends bytes; a line must fit in the buffer. */
    public void write(byte[] b) {
        write(b, 0, b.length);
    }

    /** Appends {@code n} bytes of {@code b} from {@code off}; longer than the buffer goes straight out. */
    public void write(byte[] b, int off, int n) {
        ensure(n);
        if (n > buf.length) {
            try {
                out.write(b, off, n);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    /** Appends the decimal form of an unsigned 32-bit value. */
    public void writeUnsigned(int v) {
        ensure(10);
        len = ByteLine.putDecimal(buf, len, Integer.toUnsignedLong(v));
    }

    /** Appends a whole line (its '\n' included) and ends it. */
    @Override
    public void line(byte[] b, int off, int len) {
        write(b, off, len);
        endLine();
    }

    /** Marks the end of a line (the caller wrote its '\n'): flushes on a terminal. */
    public void endLine() {
        if (lineBuffered) {
            flush();
        } else if (oldestPendingNanos == 0) {
            oldestPendingNanos = System.nanoTime() | 1;
        }
    }

    /** Flushes if something has waited for {@link #MAX_DELAY_NANOS}. */
    public void tick(long nowNanos) {
        if (len > 0 && oldestPendingNanos != 0 && nowNanos - oldestPendingNanos >= MAX_DELAY_NANOS) {
            flush();
        }
    }

    public void flush() {
        try {
            if (len > 0) {
                out.write(buf, 0, len);
                len = 0;
            }
            oldestPendingNanos = 0;
            out.flush();
        } catch (IOException e) {
            len = 0;
            throw new UncheckedIOException(e);
        }
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            flush();
        }
    }
}
