package dev.syscope.syscalls;

import java.util.Locale;

/** The CPU architectures syscope ships BPF objects for. */
public enum Arch {
    X86_64("x86", "__x64_sys_"),
    ARM64("arm64", "__arm64_sys_");

    private final String bpfTarget;
    private final String syscallSymbolPrefix;

    Arch(String bpfTarget, String syscallSymbolPrefix) {
        this.bpfTarget = bpfTarget;
        this.syscallSymbolPrefix = syscallSymbolPrefix;
    }

    /** The architecture this JVM runs on. */
    public static Arch current() {
        String a = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (a) {
            case "amd64", "x86_64" -> X86_64;
            case "aarch64", "arm64" -> ARM64;
            default -> throw new UnsupportedOperationException("syscope supports x86_64 and arm64, not " + a);
        };
    }

    /** The __TARGET_ARCH_ name the BPF object was compiled for: its resource is syscope.{this}.bpf.o. */
    public String bpfTarget() {
        return bpfTarget;
    }

    /** The kernel function behind a syscall, for kprobes: __x64_sys_read, __arm64_sys_read. */
    public String syscallSymbol(String syscall) {
        return syscallSymbolPrefix + syscall;
    }

    /** The name of syscall number {@code nr}, or null; see {@link SyscallTable}. */
    public String syscallName(int nr) {
        return SyscallTable.of(this).name(nr);
    }

    /** The number of syscall {@code name}, or -1 if unknown. */
    public int syscallNr(String name) {
        return SyscallTable.of(this).nr(name);
    }

    /** The highest syscall number {@link #syscallName} knows. */
    public int maxSyscallNr() {
        return SyscallTable.of(this).size() - 1;
    }
}
