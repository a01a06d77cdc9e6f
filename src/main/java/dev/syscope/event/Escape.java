package dev.syscope.event;

import java.nio.charset.StandardCharsets;

/**
 * Makes kernel strings (comm, paths: arbitrary bytes chosen by the traced process) safe to print:
 * control bytes, DEL, backslash and bytes that are not part of valid UTF-8 become {@code \xNN}
 * ({@code \\} for a backslash), and valid UTF-8 text passes unchanged. A hostile process can then
 * neither send escape sequences to a terminal nor make the JSON output invalid. Allocation-free
 * for the hot path: it writes into a caller's buffer.
 */
public final class Escape {
    /** The most bytes one input byte can become. */
    public static final int MAX_EXPANSION = 4;
    /** The most bytes one input byte can become in {@link #escapeJson}. */
    public static final int MAX_JSON_EXPANSION = 5;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** By byte: printable ASCII other than backslash and quote (one load a byte: faster than four comparisons). */
    private static final boolean[] PLAIN = new boolean[256];

    static {
        for (int b = 0x20; b < 0x7f; b++) {
            PLAIN[b] = b != '\\' && b != '"';
        }
    }

    private Escape() {}

    /**
     * Escapes {@code src[0..len)} into {@code dst} (at least {@link #MAX_EXPANSION} × len bytes);
     * returns the number of bytes written. {@code quote} also escapes '"' (for quoted text output).
     */
    public static int escape(byte[] src, int len, byte[] dst, boolean quote) {
        return escape(src, len, dst, 0, quote);
    }

    /** {@link #escape(byte[], int, byte[], boolean)} into {@code dst} from {@code dstOff}. */
    public static int escape(byte[] src, int len, byte[] dst, int dstOff, boolean quote) {
        return escape(src, len, dst, dstOff, quote, false);
    }

    /**
     * The body of a JSON string whose value is the escaped text: {@link #escape} (unquoted), then
     * JSON's escaping of '\' and '"', so that ESC [ becomes {@code \\x1b[} and a reader gets
     * {@code \x1b[}, as the text output shows it. Writes into {@code dst} from {@code dstOff} (at
     * least {@link #MAX_JSON_EXPANSION} × len bytes free); returns the number of bytes written.
     */
    public static int escapeJson(byte[] src, int len, byte[] dst, int dstOff) {
        return escape(src, len, dst, dstOff, true, true);
    }

    private static int escape(byte[] src, int len, byte[] dst, int dstOff, boolean quote, boolean json) {
        int o = dstOff;
        int i = 0;
        while (i < len) {
            byte c = src[i];
            if (PLAIN[c & 0xff]) {
                dst[o++] = c;
                i++;
                continue;
            }
            int b = c & 0xff;
            int n = b >= 0x80 ? utf8Length(src, i, len) : 0;
            if (n > 0) {
                for (int end = i + n; i < end; i++) {
                    dst[o++] = src[i];
                }
                continue;
            }
            if (b == '"') {
                if (quote) {
                    dst[o++] = '\\';
                }
                dst[o++] = '"';
            } else {
                o = backslash(dst, o, json);
                if (b == '\\') {
                    o = backslash(dst, o, json);
                } else {
                    dst[o++] = 'x';
                    dst[o++] = HEX[b >> 4];
                    dst[o++] = HEX[b & 0xf];
                }
            }
            i++;
        }
        return o - dstOff;
    }

    /** A backslash of the text escape, itself escaped in JSON. */
    private static int backslash(byte[] dst, int o, boolean json) {
        dst[o++] = '\\';
        if (json) {
            dst[o++] = '\\';
        }
        return o;
    }

    /** Whether {@code src[0..len)} needs no escaping: printable ASCII only, no backslash or quote. */
    public static boolean isPlain(byte[] src, int len) {
        for (int i = 0; i < len; i++) {
            if (!PLAIN[src[i] & 0xff]) {
                return false;
            }
        }
        return true;
    }

    /** The escaped text as a String (allocates; for aggregated rows, not per event). */
    public static String toString(byte[] src, int len) {
        if (isPlain(src, len)) {
            return new String(src, 0, len, StandardCharsets.US_ASCII);
        }
        byte[] dst = new byte[len * MAX_EXPANSION];
        return new String(dst, 0, escape(src, len, dst, false), StandardCharsets.UTF_8);
    }

    /** The length of the valid UTF-8 sequence starting at {@code i}, or 0 (overlong, surrogate, past U+10FFFF, cut). */
    private static int utf8Length(byte[] s, int i, int len) {
        int b = s[i] & 0xff;
        int n;
        int min;
        if (b >= 0xc2 && b <= 0xdf) {
            n = 2;
            min = 0x80;
        } else if (b >= 0xe0 && b <= 0xef) {
            n = 3;
            min = 0x800;
        } else if (b >= 0xf0 && b <= 0xf4) {
            n = 4;
            min = 0x10000;
        } else {
            return 0;
        }
        if (i + n > len) {
            return 0;
        }
        int cp = b & (0x7f >> n);
        for (int k = 1; k < n; k++) {
            int c = s[i + k] & 0xff;
            if ((c & 0xc0) != 0x80) {
                return 0;
            }
            cp = cp << 6 | c & 0x3f;
        }
        if (cp < min || cp > 0x10ffff || cp >= 0xd800 && cp <= 0xdfff) {
            return 0;
        }
        return n;
    }
}
