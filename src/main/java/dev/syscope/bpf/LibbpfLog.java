package dev.syscope.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.BiConsumer;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Routes libbpf's log (libbpf_set_print) to one Java callback. The C callback receives a printf
 * format and a va_list; we format it with libc's vsnprintf, which takes the va_list as the pointer
 * that the callback receives (true on x86-64 and AArch64). The upcall never throws.
 */
public final class LibbpfLog {
    /** libbpf's enum libbpf_print_level. */
    public enum Level { WARN, INFO, DEBUG }

    static final Downcall VSNPRINTF = Native.libc("int vsnprintf(char *str, size_t size, const char *format, va_list ap)");
    /** Large enough for a verifier log, whose reason for a rejection comes last. */
    private static final int LINE_MAX = 1 << 20;
    private static final MemorySegment STUB;
    private static final MemorySegment LINE = Arena.global().allocate(LINE_MAX);
    private static volatile BiConsumer<Level, String> sink = (l, m) -> { };
    private static volatile int upTo = Level.DEBUG.ordinal(); // less severe messages are not formatted
    private static volatile boolean installed;

    static {
        try {
            MethodHandle target = MethodHandles.lookup().findStatic(LibbpfLog.class, "print",
                    MethodType.methodType(int.class, int.class, MemorySegment.class, MemorySegment.class));
            STUB = Native.LINKER.upcallStub(target,
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), Arena.global());
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private LibbpfLog() {}

    /** Makes the upcall stub now: class initialisation does. */
    static void prepare() {
    }

    /** Sends every libbpf message to {@code target} (replacing the previous target). */
    public static void route(BiConsumer<Level, String> target) {
        route(target, Level.DEBUG);
    }

    /**
     * Sends libbpf's messages of level {@code upTo} and more severe to {@code target} (replacing the
     * previous target), and drops the others unformatted.
     */
    public static synchronized void route(BiConsumer<Level, String> target, Level upTo) {
        sink = target;
        LibbpfLog.upTo = upTo.ordinal();
        if (!installed) {
            LibBpf.SET_PRINT.call(STUB.address());
            installed = true; // the previous printer (libbpf's stderr default) is dropped
        }
    }

    /** Silences libbpf: its default prints warnings to stderr, which syscope reports itself. */
    public static void silence() {
        route((l, m) -> { });
    }

    @SuppressWarnings("unused")
    private static int print(int level, MemorySegment fmt, MemorySegment args) {
        if (level > upTo) {
            return 0;
        }
        try {
            String msg;
            synchronized (LINE) {
                int n = (int) VSNPRINTF.call(LINE.address(), LINE_MAX, fmt.address(), args.address());
                if (n < 0) {
                    return 0;
                }
                msg = LINE.getString(0).stripTrailing();
                if (n >= LINE_MAX) {
                    msg += "\n[libbpf message truncated: " + n + " bytes]";
                }
            }
            Level[] levels = Level.values();
            sink.accept(levels[Math.clamp(level, 0, levels.length - 1)], msg);
        } catch (Throwable t) {
            // An exception escaping an upcall kills the JVM; a lost log line is the lesser harm.
        }
        return 0;
    }
}
