package dev.syscope.bpf;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The FFM plumbing: the linker, the libbpf.so.1 and libc lookups, and downcalls that capture
 * errno. Every handle is linked once, on first use (see {@link Downcall}).
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

    /** A libbpf function whose errno is captured into a leading {@code MemorySegment} argument. */
    static Downcall bpf(String name, FunctionDescriptor fd) {
        return new Downcall(true, name, fd, true);
    }

    /** A libbpf function without errno capture (for functions that cannot fail). */
    static Downcall bpfPlain(String name, FunctionDescriptor fd) {
        return new Downcall(true, name, fd, false);
    }

    static Downcall libc(String name, FunctionDescriptor fd) {
        return new Downcall(false, name, fd, false);
    }

    static Downcall libcErrno(String name, FunctionDescriptor fd) {
        return new Downcall(false, name, fd, true);
    }

    /** Links a downcall handle now; see {@link Downcall}. */
    static MethodHandle link(boolean inLibbpf, String name, FunctionDescriptor fd, boolean captureErrno) {
        MemorySegment f = find(inLibbpf ? libbpf() : LINKER.defaultLookup(), name);
        FunctionDescriptor linked = canonical(fd);
        MethodHandle h = captureErrno ? LINKER.downcallHandle(f, linked, CAPTURE_ERRNO) : LINKER.downcallHandle(f, linked);
        List<MemoryLayout> args = fd.argumentLayouts();
        MethodHandle[] toAddress = new MethodHandle[args.size()];
        for (int i = 0; i < toAddress.length; i++) {
            toAddress[i] = args.get(i) instanceof AddressLayout ? ADDRESS_OF : null;
        }
        h = MethodHandles.filterArguments(h, captureErrno ? 1 : 0, toAddress);
        MemoryLayout ret = fd.returnLayout().orElse(null);
        if (ret == null) {
            h = MethodHandles.dropReturn(h);
        } else if (ret instanceof AddressLayout a) {
            h = MethodHandles.filterReturnValue(h, a.targetLayout().isPresent() ? EVERYTHING_AT : SEGMENT_AT);
        }
        MethodType declared = fd.toMethodType();
        return MethodHandles.explicitCastArguments(h, captureErrno ? declared.insertParameterTypes(0, MemorySegment.class) : declared);
    }

    /**
     * The descriptor a function is linked with: every argument and the result as a 64-bit integer.
     * Addresses, ints and booleans travel in the same integer registers on x86-64 and AArch64 (the
     * callee reads the low bits of an int; the caller keeps the low bits of an int result, and
     * ignores a void function's). Linking spins classes and a stub for each new descriptor, and the
     * AOT cache cannot keep them (3-30 ms apiece at start-up here); this way functions of the same
     * arity share them. {@link #link} converts to and from the declared types around the call.
     */
    static FunctionDescriptor canonical(FunctionDescriptor fd) {
        MemoryLayout[] args = new MemoryLayout[fd.argumentLayouts().size()];
        Arrays.fill(args, ValueLayout.JAVA_LONG);
        return FunctionDescriptor.of(ValueLayout.JAVA_LONG, args);
    }

    private static final MethodHandle ADDRESS_OF;
    private static final MethodHandle SEGMENT_AT;
    private static final MethodHandle EVERYTHING_AT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            ADDRESS_OF = l.findStatic(Native.class, "addressOf", MethodType.methodType(long.class, MemorySegment.class));
            SEGMENT_AT = l.findStatic(Native.class, "segmentAt", MethodType.methodType(MemorySegment.class, long.class));
            EVERYTHING_AT = l.findStatic(Native.class, "everythingAt", MethodType.methodType(MemorySegment.class, long.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A native segment's address, with the linker's checks: native, alive, and accessible by this thread. */
    private static long addressOf(MemorySegment s) {
        if (!s.isNative()) {
            throw new IllegalArgumentException("heap segment passed to a native function");
        }
        if (!s.scope().isAlive() || !s.isAccessibleBy(Thread.currentThread())) {
            throw new IllegalStateException("segment passed to a native function is closed or owned by another thread");
        }
        return s.address();
    }

    /** An address a native function returned, as the linker would return it (zero length). */
    private static MemorySegment segmentAt(long address) {
        return MemorySegment.ofAddress(address);
    }

    /** A returned C string: readable up to its NUL. */
    private static MemorySegment everythingAt(long address) {
        return MemorySegment.ofAddress(address).reinterpret(Long.MAX_VALUE);
    }

    static MethodHandle libcOptional(String name, FunctionDescriptor fd) {
        Optional<MemorySegment> s = LINKER.defaultLookup().find(name);
        return s.map(a -> LINKER.downcallHandle(a, fd)).orElse(null);
    }

    /**
     * Prepares what opening a probe needs from the native side: loading libbpf, linking the
     * functions a probe calls and the log upcall (each new signature spins classes), and the ring
     * buffer probe. Meant for a background thread while the command line is parsed: every step is
     * idempotent and thread-safe, so a probe that gets there first only does it itself, and
     * failures are left to the probe to meet and report.
     */
    public static void prepare() {
        // A second thread links, meanwhile, one function of each descriptor needed later (the
        // others share them): on 2 CPUs, trace attached 10-25 ms sooner (bench/startup.sh).
        Thread.ofPlatform().daemon().name("syscope-prepare-2").start(() -> {
            try {
                if (libbpfAvailable()) {
                    for (Downcall d : List.of(Libc.GETPAGESIZE, LibBpf.BTF_FIND_BY_NAME_KIND, LibBpf.OBJECT_LOAD,
                            LibBpf.ATTACH_RAW_TRACEPOINT, Libc.MMAP, LibBpf.MAP_LOOKUP_ELEM, LibbpfLog.VSNPRINTF)) {
                        d.handle();
                    }
                }
            } catch (RuntimeException | Error e) {
                // left to the probe to meet and report
            }
        });
        Libc.ISATTY.handle();
        if (!libbpfAvailable()) {
            return;
        }
        LibbpfLog.prepare();
        LibBpf.SET_PRINT.handle();
        KernelSupport.ringBuffer();
        // In the order a probe first calls them, so that it rarely has to wait (see Downcall#handle).
        for (Downcall d : List.of(LibBpf.OBJECT_OPEN_MEM, LibBpf.FIND_PROGRAM, LibBpf.PROGRAM_SET_AUTOLOAD, LibBpf.FIND_MAP,
                LibBpf.MAP_SET_MAX_ENTRIES, Libc.GETPAGESIZE, LibBpf.MAP_SET_AUTOCREATE, LibBpf.MAP_INITIAL_VALUE, LibBpf.OBJECT_BTF,
                LibBpf.BTF_FIND_BY_NAME_KIND, LibBpf.BTF_TYPE_BY_ID, LibBpf.BTF_NAME_BY_OFFSET, LibBpf.MAP_SET_INITIAL_VALUE,
                LibBpf.OBJECT_LOAD, LibBpf.ATTACH_TRACEPOINT, LibBpf.ATTACH_RAW_TRACEPOINT, LibBpf.MAP_FD, LibBpf.MAP_MAX_ENTRIES,
                Libc.MMAP, LibBpf.MAP_LOOKUP_ELEM, LibBpf.NUM_POSSIBLE_CPUS, LibBpf.LINK_DESTROY, LibbpfLog.VSNPRINTF)) {
            d.handle();
        }
    }

    /**
     * Links every native function syscope declares, for the AOT cache's training run (see
     * dev.syscope.cli.AotTraining). Without libbpf.so.1, libbpf's signatures are linked to a C
     * library function instead, which is never called: the linking is what is being trained.
     */
    public static void linkAll() {
        boolean bpf = libbpfAvailable();
        for (Class<?> c : List.of(LibBpf.class, Libc.class, Errno.class, Fd.class, LibbpfLog.class)) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getType() == Downcall.class && Modifier.isStatic(f.getModifiers())) {
                    try {
                        f.setAccessible(true);
                        ((Downcall) f.get(null)).linkForTraining(bpf);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
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
