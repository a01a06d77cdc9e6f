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
import java.util.Arrays;
import java.util.Optional;

/**
 * The FFM plumbing: the linker, the libbpf.so.1 and libc lookups, and the downcall handles that
 * every {@link Downcall} shares, each linked once, on first use.
 */
public final class Native {
    public static final Linker LINKER = Linker.nativeLinker();
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

    /** A libbpf function, declared by its C prototype; see {@link Downcall}. */
    static Downcall bpf(String prototype) {
        return new Downcall(true, prototype, false);
    }

    /** A libbpf function whose errno is captured (see {@link #errnoState}). */
    static Downcall bpfErrno(String prototype) {
        return new Downcall(true, prototype, true);
    }

    static Downcall libc(String prototype) {
        return new Downcall(false, prototype, false);
    }

    static Downcall libcErrno(String prototype) {
        return new Downcall(false, prototype, true);
    }

    /**
     * The downcall handles that every function shares, this one and {@link ErrnoShape}'s, each
     * linked on first use (class initialisation). A function is called through one of them with its
     * address first; its arguments and its result travel as 64-bit integers, the unused arguments
     * as zeros. That is exact on the 64-bit Linux ABIs (x86-64, AArch64): ints, booleans and
     * pointers go in the same integer registers, the caller pops any argument passed on the stack
     * (x86-64's seventh), the callee reads the low bits of an int and ignores arguments it has no
     * parameter for, and the caller keeps the low bits of an int result and ignores a void
     * function's. Linking spins classes and a stub for each descriptor, and each adaptation of a
     * handle to a C signature's types spins more; the JDK's AOT cache cannot keep them (a
     * descriptor: 3-30 ms at start-up).
     */
    static final class Shapes {
        /** {@code long (MemorySegment function, long a..g)}: up to seven arguments. */
        static final MethodHandle PLAIN = LINKER.downcallHandle(descriptor(7));
        private Shapes() {}
    }

    /** {@code long (MemorySegment function, MemorySegment errno, long a..f)}: up to six arguments, errno captured. */
    static final class ErrnoShape {
        static final MethodHandle CAPTURING = LINKER.downcallHandle(descriptor(6), CAPTURE_ERRNO);
        private ErrnoShape() {}
    }

    private static FunctionDescriptor descriptor(int args) {
        MemoryLayout[] a = new MemoryLayout[args];
        Arrays.fill(a, ValueLayout.JAVA_LONG);
        return FunctionDescriptor.of(ValueLayout.JAVA_LONG, a);
    }

    /**
     * A native segment's address, to pass to a {@link Downcall}, after the checks the linker makes
     * on an address argument: native, alive, and accessible by this thread. Checked once, here:
     * unlike the linker, nothing keeps a shared arena from being closed during the call.
     */
    static long addr(MemorySegment s) {
        if (!s.isNative()) {
            throw new IllegalArgumentException("heap segment passed to a native function");
        }
        if (!s.scope().isAlive() || !s.isAccessibleBy(Thread.currentThread())) {
            throw new IllegalStateException("segment passed to a native function is closed or owned by another thread");
        }
        return s.address();
    }

    /** An address a native function returned, as the linker would return it (zero length). */
    static MemorySegment at(long address) {
        return MemorySegment.ofAddress(address);
    }

    /** The C string at an address a native function returned; null for NULL. */
    static String string(long address) {
        return address == 0 ? null : EVERYTHING.getString(address);
    }

    /**
     * The function {@code name}'s address in libbpf.so.1 ({@code inLibbpf}) or the C library, or
     * empty if that library has no such function.
     *
     * @throws LibraryMissingException for libbpf.so.1 when it cannot be loaded
     */
    static Optional<MemorySegment> lookup(boolean inLibbpf, String name) {
        return (inLibbpf ? libbpf() : LINKER.defaultLookup()).find(name);
    }

    /**
     * Prepares what opening a probe needs from the native side: loading libbpf, linking the shared
     * downcall handles and the log upcall, and the ring buffer probe. Meant for a background thread
     * while the command line is parsed: every step is idempotent and thread-safe, so a probe that
     * gets there first only does it itself, and failures are left to the probe to meet and report.
     */
    public static void prepare() {
        link(Shapes.PLAIN);
        if (!libbpfAvailable()) {
            return;
        }
        LibbpfLog.prepare();
        KernelSupport.ringBuffer();
        link(ErrnoShape.CAPTURING);
    }

    /** Links every shared downcall handle and the log upcall, for the AOT cache's training run (dev.syscope.cli.AotTraining). */
    public static void linkAll() {
        link(Shapes.PLAIN);
        link(ErrnoShape.CAPTURING);
        LibbpfLog.prepare();
    }

    /** Does nothing: reading a holder's field for the argument initialises the holder, which links the handle. */
    private static void link(MethodHandle handle) {
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
