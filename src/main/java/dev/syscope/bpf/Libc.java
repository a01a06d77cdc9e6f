package dev.syscope.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** The few libc calls the readers need that the JDK does not offer. */
public final class Libc {
    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 1;

    static final Downcall MMAP = Native.libcErrno("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final Downcall MUNMAP = Native.libc("munmap",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    static final Downcall GETPAGESIZE = Native.libc("getpagesize", FunctionDescriptor.of(JAVA_INT));
    static final Downcall ISATTY = Native.libc("isatty", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private static final Downcall SETPRIORITY = Native.libc("setpriority",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));

    private Libc() {}

    /** Makes the calling thread (Linux: setpriority with who 0 is per thread) the least favoured. */
    public static void lowestPriority() {
        try {
            int unused = (int) SETPRIORITY.handle().invokeExact(0, 0, 19);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int pageSize() {
        try {
            return (int) GETPAGESIZE.handle().invokeExact();
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Whether file descriptor {@code fd} is a terminal. */
    public static boolean isatty(int fd) {
        try {
            return (int) ISATTY.handle().invokeExact(fd) == 1;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** mmap(2) of {@code length} bytes of {@code fd} at {@code offset}, shared. */
    static MemorySegment mmap(String what, long length, int prot, int fd, long offset) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = Native.errnoState(a);
            MemorySegment p = (MemorySegment) MMAP.handle().invokeExact(errno, MemorySegment.NULL, length, prot, MAP_SHARED, fd, offset);
            if (p.address() == -1L) {
                throw new BpfException("mmap " + what, Native.errno(errno));
            }
            return p.reinterpret(length);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    static void munmap(MemorySegment m) {
        try {
            int r = (int) MUNMAP.handle().invokeExact(m, m.byteSize());
            if (r != 0) {
                throw new BpfException("munmap failed");
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
