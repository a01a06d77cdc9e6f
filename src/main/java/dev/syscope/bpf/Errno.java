package dev.syscope.bpf;

/** errno names and messages, from the C library (glibc's strerrorname_np and strerror). */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EACCES = 13;
    public static final int EINVAL = 22;
    public static final int EOPNOTSUPP = 95;

    private static final Downcall STRERROR = Native.libc("char *strerror(int errnum)");
    /** glibc 2.32+. */
    private static final Downcall STRERRORNAME = Native.libc("const char *strerrorname_np(int errnum)");

    /** errno values are below this (the kernel's MAX_ERRNO + 1). */
    public static final int LIMIT = 4096;

    private static volatile String[] names; // index: errno; null where the C library has no name

    private Errno() {}

    /** The name of {@code errno} from a table built once, so lookups do not allocate; null if unnamed. */
    public static String cachedName(int errno) {
        String[] t = names;
        if (t == null) {
            t = new String[LIMIT];
            for (int e = 1; e < LIMIT; e++) {
                String n = name(e);
                t[e] = n.startsWith("errno ") ? null : n;
            }
            names = t;
        }
        return errno > 0 && errno < LIMIT ? t[errno] : null;
    }

    /** {@link #cachedName}, or "errno 4242" for numbers the C library has no name for. */
    public static String label(int errno) {
        String n = cachedName(errno);
        return n != null ? n : "errno " + errno;
    }

    /** The number of the errno called {@code name} ("ENOENT", case-insensitive), or -1. */
    public static int number(String name) {
        cachedName(1);
        String[] t = names;
        for (int e = 1; e < LIMIT; e++) {
            if (t[e] != null && t[e].equalsIgnoreCase(name)) {
                return e;
            }
        }
        return -1;
    }

    /** "ENOENT", or "errno 4242" when the C library has no name for it. */
    public static String name(int errno) {
        String s = STRERRORNAME.exists() ? Native.string(STRERRORNAME.call(errno)) : null;
        return s != null ? s : "errno " + errno;
    }

    /** "No such file or directory". */
    public static String message(int errno) {
        return Native.string(STRERROR.call(errno));
    }

    /** "No such file or directory (ENOENT)". */
    public static String describe(int errno) {
        return message(errno) + " (" + name(errno) + ")";
    }
}
