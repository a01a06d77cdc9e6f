package dev.syscope.syscalls;

/** Formats open(2) flags as strace does: {@code O_RDONLY|O_CLOEXEC}. */
public final class OpenFlags {
    // The access mode (flags & O_ACCMODE) is the same on every Linux architecture.
    private static final String[] ACCESS = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};

    private OpenFlags() {}

    /** Appends the access mode, then the set flags in a fixed order, then any unknown bits as |0x... */
    public static void append(Arch arch, int flags, StringBuilder out) {
        SyscallTable table = SyscallTable.of(arch);
        String[] names = table.openFlagNames();
        int[] values = table.openFlagValues(); // from the arch's uapi fcntl.h: arm64 differs
        out.append(ACCESS[flags & 3]);
        int rest = flags & ~3;
        for (int i = 0; i < values.length && rest != 0; i++) {
            if ((rest & values[i]) == values[i]) {
                out.append('|').append(names[i]);
                rest &= ~values[i];
            }
        }
        if (rest != 0) {
            out.append("|0x").append(Integer.toHexString(rest));
        }
    }
}
