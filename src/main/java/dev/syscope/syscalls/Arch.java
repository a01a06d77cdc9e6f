package dev.syscope.syscalls;

import java.util.Locale;

/** The CPU architectures syscope ships BPF objects for. */
public enum Arch {
    X86_64("x86", "__x64_sys_", new String[] {"read", "write"}, new int[] {0, 1}),
    ARM64("arm64", "__arm64_sys_", new String[] {"read", "write"}, new int[] {63, 64});

    private final String bpfTarget;
    private final String syscallSymbolPrefix;
    private final String[] names;

    Arch(String bpfTarget, String syscallSymbolPrefix, String[] names, int[] numbers) {
        this.bpfTarget = bpfTarget;
        this.syscallSymbolPrefix = syscallSymbolPrefix;
        int max = 0;
        for (int n : numbers) {
            max = Math.max(max, n);
        }
        this.names = new String[max + 1];
        for (int i = 0; i < numbers.length; i++) {
            this.names[numbers[i]] = names[i];
        }
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

    /**
     * The name of syscall number {@code nr}, or null. Only the syscalls that seed mode traces are
     * known so far; the generated full table replaces this with the trace command.
     */
    public String syscallName(int nr) {
        return nr >= 0 && nr < names.length ? names[nr] : null;
    }

    /** The number of syscall {@code name}, or -1 if unknown. */
    public int syscallNr(String name) {
        for (int nr = 0; nr < names.length; nr++) {
            if (name.equals(names[nr])) {
                return nr;
            }
        }
        return -1;
    }

    /** The highest syscall number {@link #syscallName} knows. */
    public int maxSyscallNr() {
        return names.length - 1;
    }
}
