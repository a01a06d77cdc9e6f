package dev.syscope.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** The few libc calls the readers need that the JDK does not offer. */
public final class Libc {
    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 1;
    private static final long MAP_FAILED = -1L;

    static final Downcall MMAP = Native.libcErrno("void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)");
    private static final Downcall MUNMAP = Native.libc("int munmap(void *addr, size_t length)");
    static final Downcall GETPAGESIZE = Native.libc("int getpagesize(void)");
    static final Downcall ISATTY = Native.libc("int isatty(int fd)");
    private static final Downcall SETPRIORITY = Native.libc("int setpriority(int which, id_t who, int prio)");

    private Libc() {}

    /** Makes the calling thread (Linux: setpriority with who 0 is per thread) the least favoured. */
    public static void lowestPriority() {
        SETPRIORITY.call(0, 0, 19);
    }

    public static int pageSize() {
        return (int) GETPAGESIZE.call();
    }

    /** Whether file descriptor {@code fd} is a terminal. */
    public static boolean isatty(int fd) {
        return (int) ISATTY.call(fd) == 1;
    }

    /** mmap(2) of {@code length} bytes of {@code fd} at {@code offset}, shared. */
    static MemorySegment mmap(String what, long length, int prot, int fd, long offset) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = Native.errnoState(a);
            long p = MMAP.call(errno, 0, length, prot, MAP_SHARED, fd, offset);
            if (p == MAP_FAILED) {
                throw new BpfException("mmap " + what, Native.errno(errno));
            }
            return Native.at(p).reinterpret(length);
        }
    }

    static void munmap(MemorySegment m) {
        if ((int) MUNMAP.call(Native.addr(m), m.byteSize()) != 0) {
            throw new BpfException("munmap failed");
        }
    }
}
