package dev.syscope.sink;

import dev.syscope.event.Escape;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A reusable line of bytes with column helpers; appending allocates nothing once it has grown. */
final class ByteLine {
    private static final byte[] LONG_MIN = "-9223372036854775808".getBytes(StandardCharsets.US_ASCII);

    private byte[] b;
    private int len;

    ByteLine() {
        this(512);
    }

    ByteLine(int capacity) {
        b = new byte[capacity];
    }

    void reset() {
        len = 0;
    }

    int length() {
        return len;
    }

    ByteLine append(byte c) {
        ensure(1);
        b[len++] = c;
        return this;
    }

    /** Appends the chars of {@code s}, each as one byte (for ASCII text). */
    ByteLine ascii(CharSequence s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            b[len++] = (byte) s.charAt(i);
        }
        return this;
    }

    ByteLine append(ByteLine other) {
        return bytes(other.b, 0, other.len);
    }

    ByteLine bytes(byte[] src, int off, int n) {
        ensure(n);
        System.arraycopy(src, off, b, len, n);
        len += n;
        return this;
    }

    /** Appends {@code src[0..n)} escaped for printing (see {@link Escape}), with no copy in between. */
    ByteLine escaped(byte[] src, int n, boolean quote) {
        ensure(n * Escape.MAX_EXPANSION);
        len += Escape.escape(src, n, b, len, quote);
        return this;
    }

    ByteLine decimal(long v) {
        ensure(20);
        len = putDecimal(b, len, v);
        return this;
    }

    /** Appends {@code v} with exactly {@code digits} digits, zero-padded. */
    ByteLine zeroPadded(long v, int digits) {
        ensure(digits);
        len = putDigits(b, len, v, digits);
        return this;
    }

    /**
     * The array, with room for {@code n} more bytes from {@code off} (the bytes before are kept),
     * for a caller that writes with the static writers below and keeps its own position.
     */
    byte[] room(int off, int n) {
        len = off;
        ensure(n);
        return b;
    }

    // The writers: each writes at dst[off], assumes there is room, and returns the offset after it.

    static int put(byte[] dst, int off, byte[] src) {
        System.arraycopy(src, 0, dst, off, src.length);
        return off + src.length;
    }

    static int put(byte[] dst, int off, ByteLine src) {
        System.arraycopy(src.b, 0, dst, off, src.len);
        return off + src.len;
    }

    /** {@code v} in decimal: at most 20 bytes. */
    static int putDecimal(byte[] dst, int off, long v) {
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                return put(dst, off, LONG_MIN);
            }
            dst[off++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long p = 10; digits < 19 && v >= p; p *= 10) {
            digits++;
        }
        return putDigits(dst, off, v, digits);
    }

    /** The last {@code digits} decimal digits of {@code v} ≥ 0, zero-padded. */
    static int putDigits(byte[] dst, int off, long v, int digits) {
        for (int i = off + digits - 1; i >= off; i--) {
            dst[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return off + digits;
    }

    ByteLine hex(long v) {
        ensure(18);
        b[len++] = '0';
        b[len++] = 'x';
        int digits = Math.max(1, (64 - Long.numberOfLeadingZeros(v) + 3) / 4);
        for (int i = len + digits - 1; i >= len; i--) {
            b[i] = (byte) Character.forDigit((int) (v & 0xf), 16);
            v >>>= 4;
        }
        len += digits;
        return this;
    }

    /** Pads with spaces up to column {@code col} (counted from the start of the line); at least one space. */
    ByteLine padTo(int col) {
        do {
            append((byte) ' ');
        } while (len < col);
        return this;
    }

    /** Right-aligns what was appended since {@code start} in a field ending at column {@code end}. */
    ByteLine alignRight(int start, int end) {
        int n = len - start;
        int shift = end - len;
        if (shift > 0) {
            ensure(shift);
            System.arraycopy(b, start, b, start + shift, n);
            Arrays.fill(b, start, start + shift, (byte) ' ');
            len += shift;
        }
        return this;
    }

    /** Cuts the line to {@code max} bytes, marking the cut with "..." (0: no limit). */
    void cut(int max) {
        if (max > 3 && len > max) {
            len = max;
            b[len - 3] = b[len - 2] = b[len - 1] = '.';
        }
    }

    void writeTo(LineOutput out) {
        out.write(b, 0, len);
    }

    @Override
    public String toString() {
        return new String(b, 0, len, StandardCharsets.UTF_8);
    }

    private void ensure(int n) {
        if (len + n > b.length) {
            b = Arrays.copyOf(b, Math.max(b.length * 2, len + n));
        }
    }
}
