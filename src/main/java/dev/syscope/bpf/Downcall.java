package dev.syscope.bpf;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

/**
 * A native function whose downcall handle is linked on first use: linking spins a class for each
 * new signature, milliseconds apiece at start-up, and a command calls only some of the functions.
 */
final class Downcall {
    private final boolean libbpf;
    private final String name;
    private final FunctionDescriptor fd;
    private final boolean captureErrno;
    private volatile MethodHandle handle;

    /**
     * {@code libbpf}: in libbpf.so.1, else in the C library; {@code captureErrno}: the handle takes
     * a leading MemorySegment that receives errno (see {@link Native#errnoState}).
     */
    Downcall(boolean libbpf, String name, FunctionDescriptor fd, boolean captureErrno) {
        this.libbpf = libbpf;
        this.name = name;
        this.fd = fd;
        this.captureErrno = captureErrno;
    }

    /** The handle, linked now if this is the first call, or waited for if another thread is linking it. */
    MethodHandle handle() {
        MethodHandle h = handle;
        if (h == null) {
            synchronized (this) {
                h = handle;
                if (h == null) {
                    h = Native.link(libbpf, name, fd, captureErrno);
                    handle = h;
                }
            }
        }
        return h;
    }

    /** Links the handle, or without libbpf (libbpfPresent false) the same signature to a C library function. */
    void linkForTraining(boolean libbpfPresent) {
        if (!libbpf || libbpfPresent) {
            handle();
        } else {
            Native.link(false, "getpid", fd, captureErrno);
        }
    }
}
