package dev.syscope.api;

/** Where the programs hook in. */
public enum AttachMode {
    /** kprobes where the kernel has them (CONFIG_KPROBES), otherwise syscall tracepoints. */
    AUTO,
    /** syscalls:sys_enter_* tracepoints: a stable ABI, on every kernel with CONFIG_FTRACE_SYSCALLS. */
    TRACEPOINT,
    /** kprobes on the architecture's syscall functions (__x64_sys_read, ...), the seed's mechanism. */
    KPROBE
}
