package dev.syscope.syscalls;

import java.util.Locale;

/** strace's syscall classes, as in {@code -e trace=%file}. */
public enum SyscallClass {
    /** Takes a file name (or, like getcwd, returns one). */
    FILE,
    /** Takes or returns a file descriptor. */
    DESC,
    /** Sockets. */
    NET,
    /** Process lifecycle: creation, exec, termination, and signals to a process. */
    PROCESS,
    /** Memory mappings. */
    MEMORY,
    /** Signals. */
    SIGNAL,
    /** System V IPC. */
    IPC;

    private final String spec = "%".concat(name().toLowerCase(Locale.ROOT));

    /** How a trace spec names this class: {@code %file}. */
    public String spec() {
        return spec;
    }

    /** The class {@code s} names ({@code %file}; strace's {@code %network} too), or null. */
    public static SyscallClass fromSpec(String s) {
        if ("%network".equals(s)) {
            return NET;
        }
        for (SyscallClass c : values()) {
            if (c.spec.equals(s)) {
                return c;
            }
        }
        return null;
    }
}
