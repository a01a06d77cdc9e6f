package dev.syscope.syscalls;

/** A trace spec names a syscall or class the table does not have. */
public final class UnknownSyscallException extends IllegalArgumentException {
    public UnknownSyscallException(String message) {
        super(message);
    }

    static UnknownSyscallException syscall(String name, String suggestion) {
        return new UnknownSyscallException("unknown syscall '" + name + "' (see 'syscope list')"
                + (suggestion == null ? "" : "; did you mean '" + suggestion + "'?"));
    }

    static UnknownSyscallException syscallClass(String spec) {
        StringBuilder b = new StringBuilder("unknown syscall class '").append(spec).append("' (classes: ");
        for (SyscallClass c : SyscallClass.values()) {
            b.append(c.ordinal() == 0 ? "" : ", ").append(c.spec());
        }
        return new UnknownSyscallException(b.append(')').toString());
    }
}
