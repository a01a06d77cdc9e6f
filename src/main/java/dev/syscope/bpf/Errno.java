package dev.syscope.bpf;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/** errno names and messages, from the C library (glibc's strerrorname_np and strerror). */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EACCES = 13;
    public static final int EINVAL = 22;
    public static final int EOPNOTSUPP = 95;

    private static final MethodHandle STRERROR = Native.libc("strerror",
            FunctionDescriptor.of(ADDRESS.withTargetLayout(Native.C_STRING), JAVA_INT));
    private static final MethodHandle STRERRORNAME = Native.libcOptional("strerrorname_np",
            FunctionDescriptor.of(ADDRESS.withTargetLayout(Native.C_STRING), JAVA_INT));

    private Errno() {}

    /** "ENOENT", or "errno 4242" when the C library has no name for it. */
    public static String name(int errno) {
        if (STRERRORNAME != null) {
            try {
                MemorySegment s = (MemorySegment) STRERRORNAME.invokeExact(errno);
                if (!s.equals(MemorySegment.NULL)) {
                    return s.getString(0);
                }
            } catch (Throwable t) {
                throw Native.rethrow(t);
            }
        }
        return "errno " + errno;
    }

    /** "No such file or directory". */
    public static String message(int errno) {
        try {
            return ((MemorySegment) STRERROR.invokeExact(errno)).getString(0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** "No such file or directory (ENOENT)". */
    public static String describe(int errno) {
        return message(errno) + " (" + name(errno) + ")";
    }
}
