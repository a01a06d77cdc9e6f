package dev.syscope.api;

/** How trace mode hooks syscalls. */
public enum TraceAttach {
    /** Per-syscall tracepoints for a few syscalls, raw_syscalls for many (see {@link TraceOptions#AUTO_TRACEPOINT_LIMIT}). */
    AUTO,
    /** syscalls:sys_enter_X / sys_exit_X for each selected syscall: only those syscalls pay. */
    TRACEPOINT,
    /** raw_syscalls sys_enter / sys_exit with an in-kernel bitmap: every syscall pays a little. */
    RAW
}
