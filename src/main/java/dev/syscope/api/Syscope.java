package dev.syscope.api;

import dev.syscope.probe.SeedProbe;
import dev.syscope.syscalls.Arch;

import java.util.function.Consumer;

/**
 * Entry point of the embeddable API.
 *
 * <pre>{@code
 * try (TraceSession t = Syscope.trace().syscalls("openat").pid(1234)
 *         .onEvent(e -> System.out.println(e.comm() + " " + e.path() + " = " + e.ret()))
 *         .start()) {
 *     Thread.sleep(10_000);
 * }
 * }</pre>
 *
 * Seed mode, polled by the caller:
 * <pre>{@code
 * try (SeedSession s = Syscope.seed(SeedOptions.defaults().withPid(pid))) {
 *     while (running) {
 *         s.poll(e -> System.out.println(e.pid() + " " + e.syscallNr() + " " + e.count()));
 *     }
 *     System.out.println(s.counters());
 * }
 * }</pre>
 */
public final class Syscope {
    /**
     * The log that drops every message, which sessions use unless given another: with it, libbpf's
     * informational and debug messages (hundreds per load) are not even formatted.
     */
    public static final Consumer<String> NO_LOG = m -> { };

    private Syscope() {}

    /**
     * Loads and attaches the seed-mode programs (read/write entries).
     *
     * @throws SyscopeException when the environment cannot run them (privileges, kernel features)
     */
    public static SeedSession seed(SeedOptions options) {
        return SeedProbe.open(options);
    }

    /** Starts building a trace session: any syscall, entry paired with exit, filtered in the kernel. */
    public static TraceBuilder trace() {
        return new TraceBuilder();
    }

    /**
     * The CPU architecture this JVM runs on.
     *
     * @throws SyscopeException if syscope has no BPF object for it (only x86_64 and arm64)
     */
    public static Arch arch() {
        try {
            return Arch.current();
        } catch (UnsupportedOperationException e) {
            throw new SyscopeException(e.getMessage());
        }
    }

    /** syscope's version, from the jar manifest ("dev" when run from classes). */
    public static String version() {
        String v = Syscope.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }
}
