package dev.syscope.bpf;

import java.lang.foreign.MemorySegment;

/**
 * A native function of up to seven arguments, declared by its C prototype and called through the
 * downcall handles that every function shares (see {@link Native.Shapes}): its arguments go in as
 * {@code long}s (a pointer as {@link Native#addr}, a boolean as 0 or 1) and its result comes back
 * as one (cast an int result to {@code int}). A function that captures errno takes 1, 2, 3 or 6
 * arguments (the overloads there are). The address is looked up on first use. A call with the
 * wrong number of arguments, or without the errno segment of a function declared to capture errno
 * (or with one for a function that is not), throws IllegalArgumentException.
 */
final class Downcall {
    private final boolean libbpf;
    private final String name;
    private final int arity;
    private final boolean captureErrno;
    private volatile MemorySegment address; // NULL: the library has no such function

    /**
     * {@code libbpf}: in libbpf.so.1, else in the C library; {@code prototype}: the C declaration,
     * such as {@code "int bpf_map__fd(const struct bpf_map *map)"}; {@code captureErrno}: calls take
     * a leading segment that receives errno (see {@link Native#errnoState}).
     */
    Downcall(boolean libbpf, String prototype, boolean captureErrno) {
        this.libbpf = libbpf;
        this.name = name(prototype);
        this.arity = arity(prototype);
        this.captureErrno = captureErrno;
        if (arity > 7 || (captureErrno && arity > 6)) {
            throw new IllegalArgumentException(prototype + ": too many arguments");
        }
    }

    /** The identifier before the parameter list. */
    static String name(String prototype) {
        int open = prototype.indexOf('(');
        int start = open;
        while (start > 0 && (Character.isJavaIdentifierPart(prototype.charAt(start - 1)))) {
            start--;
        }
        if (open < 0 || start == open) {
            throw new IllegalArgumentException("not a C prototype: " + prototype);
        }
        return prototype.substring(start, open);
    }

    /** The number of parameters: the top-level commas in the list, plus one; none for () and (void). */
    static int arity(String prototype) {
        String params = prototype.substring(prototype.indexOf('(') + 1, prototype.lastIndexOf(')')).strip();
        if (params.isEmpty() || params.equals("void")) {
            return 0;
        }
        int n = 1;
        int depth = 0;
        for (int i = 0; i < params.length(); i++) {
            char c = params.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                n++;
            }
        }
        return n;
    }

    String name() {
        return name;
    }

    /** Whether the library has this function; see {@link Native#lookup} for a missing libbpf. */
    boolean exists() {
        return resolve().address() != 0;
    }

    private MemorySegment resolve() {
        MemorySegment a = address;
        if (a == null) {
            a = Native.lookup(libbpf, name).orElse(MemorySegment.NULL);
            address = a;
        }
        return a;
    }

    private MemorySegment address() {
        MemorySegment a = resolve();
        if (a.address() == 0) {
            throw new BpfException("symbol " + name + " not found" + (libbpf ? "; libbpf >= 1.1 is required" : " in the C library"));
        }
        return a;
    }

    long call() {
        return plain(0, 0, 0, 0, 0, 0, 0, 0);
    }

    long call(long a) {
        return plain(1, a, 0, 0, 0, 0, 0, 0);
    }

    long call(long a, long b) {
        return plain(2, a, b, 0, 0, 0, 0, 0);
    }

    long call(long a, long b, long c) {
        return plain(3, a, b, c, 0, 0, 0, 0);
    }

    long call(long a, long b, long c, long d) {
        return plain(4, a, b, c, d, 0, 0, 0);
    }

    long call(long a, long b, long c, long d, long e) {
        return plain(5, a, b, c, d, e, 0, 0);
    }

    long call(long a, long b, long c, long d, long e, long f) {
        return plain(6, a, b, c, d, e, f, 0);
    }

    long call(long a, long b, long c, long d, long e, long f, long g) {
        return plain(7, a, b, c, d, e, f, g);
    }

    /** Calls a function declared to capture errno, which {@code errno} receives. */
    long call(MemorySegment errno, long a) {
        return capturing(1, errno, a, 0, 0, 0, 0, 0);
    }

    long call(MemorySegment errno, long a, long b) {
        return capturing(2, errno, a, b, 0, 0, 0, 0);
    }

    long call(MemorySegment errno, long a, long b, long c) {
        return capturing(3, errno, a, b, c, 0, 0, 0);
    }

    long call(MemorySegment errno, long a, long b, long c, long d, long e, long f) {
        return capturing(6, errno, a, b, c, d, e, f);
    }

    private long plain(int n, long a, long b, long c, long d, long e, long f, long g) {
        check(n, false);
        try {
            return (long) Native.Shapes.PLAIN.invokeExact(address(), a, b, c, d, e, f, g);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private long capturing(int n, MemorySegment errno, long a, long b, long c, long d, long e, long f) {
        check(n, true);
        try {
            return (long) Native.ErrnoShape.CAPTURING.invokeExact(address(), errno, a, b, c, d, e, f);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private void check(int n, boolean withErrno) {
        if (n != arity || withErrno != captureErrno) {
            throw new IllegalArgumentException(name + " takes " + arity + " arguments" + (captureErrno ? " after the errno segment" : "")
                    + ", not " + n + (withErrno ? " after an errno segment" : ""));
        }
    }
}
