package dev.syscope.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/**
 * The FFM plumbing: the linker, the libbpf.so.1 and libc lookups, and downcalls that capture
 * errno. Every handle is created once, in a static initializer of the class that uses it.
 */
public final class Native {
    public static final Linker LINKER = Linker.nativeLinker();
    /** Target layout for C strings returned by native functions. */
    public static final MemoryLayout C_STRING = MemoryLayout.sequenceLayout(Long.MAX_VALUE, ValueLayout.JAVA_BYTE);
    /** The whole address space, for reading records that native code hands us as raw addresses. */
    public static final MemorySegment EVERYTHING = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    public static final String LIBBPF = "libbpf.so.1";
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static volatile SymbolLookup libbpf;

    private Native() {}

    /** The system's libbpf.so.1, loaded on first use. */
    static SymbolLookup libbpf() {
        SymbolLookup l = libbpf;
        if (l == null) {
            synchronized (Native.class) {
                if (libbpf == null) {
                    try {
                        libbpf = SymbolLookup.libraryLookup(LIBBPF, Arena.global());
                    } catch (IllegalArgumentException e) {
                        throw new LibraryMissingException(LIBBPF);
                    }
                }
                l = libbpf;
            }
        }
        return l;
    }

    /** Whether libbpf.so.1 can be loaded; never throws. */
    public static boolean libbpfAvailable() {
        try {
            libbpf();
            return true;
        } catch (LibraryMissingException e) {
            return false;
        }
    }

    /** A downcall into libbpf whose errno is captured into a leading {@code MemorySegment} argument. */
    static MethodHandle bpf(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(find(libbpf(), name), fd, CAPTURE_ERRNO);
    }

    /** A downcall into libbpf without errno capture (for functions that cannot fail). */
    static MethodHandle bpfPlain(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(find(libbpf(), name), fd);
    }

    static MethodHandle libc(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(find(LINKER.defaultLookup(), name), fd);
    }

    static MethodHandle libcErrno(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(find(LINKER.defaultLookup(), name), fd, CAPTURE_ERRNO);
    }

    static MethodHandle libcOptional(String name, FunctionDescriptor fd) {
        Optional<MemorySegment> s = LINKER.defaultLookup().find(name);
        return s.map(a -> LINKER.downcallHandle(a, fd)).orElse(null);
    }

    private static MemorySegment find(SymbolLookup lookup, String name) {
        return lookup.find(name).orElseThrow(() -> new BpfException("symbol " + name + " not found; libbpf >= 1.1 is required"));
    }

    /** Memory for one errno capture. */
    static MemorySegment errnoState(Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** Wraps a Throwable from {@code invokeExact} so that callers need no checked-exception plumbing. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    /** libbpf.so.1 could not be loaded. */
    public static final class LibraryMissingException extends BpfException {
        LibraryMissingException(String lib) {
            super("cannot load " + lib + ": install libbpf >= 1.1 (Debian/Ubuntu: apt-get install libbpf1)");
        }
    }
}
