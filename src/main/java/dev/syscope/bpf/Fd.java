package dev.syscope.bpf;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/** Closing raw file descriptors that libbpf hands out. */
final class Fd {
    private static final Downcall CLOSE = Native.libc("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private Fd() {}

    static void close(int fd) {
        try {
            int r = (int) CLOSE.handle().invokeExact(fd);
            assert r == 0;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
