package dev.syscope.kernel;

import dev.syscope.api.Syscope;
import dev.syscope.api.TraceSession;

/**
 * A program that starts a trace with the Java API and leaves through System.exit(7) without closing
 * it (LeakIT), once a line arrives on stdin (the test reads which objects it holds meanwhile).
 */
public final class ExitingTracer {
    private ExitingTracer() {}

    public static void main(String[] args) throws Exception {
        TraceSession s = Syscope.trace().syscalls("read", "write").onEvent(e -> { }).start();
        System.out.println("tracing " + s.attachMode());
        System.out.flush();
        System.in.read();
        System.exit(7);
    }
}
