package dev.syscope.syscalls;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One syscall of an architecture's table. Syscalls with no known signature have no args.
 * {@code event} names its tracepoints, syscalls:sys_enter_EVENT and sys_exit_EVENT: the kernel
 * function's name, which differs from the syscall's for a few (fstat: newfstat, umount2: umount).
 */
public record Syscall(int nr, String name, List<SyscallArg> args, Set<SyscallClass> classes, String event) {
    public Syscall {
        args = List.copyOf(args);
        EnumSet<SyscallClass> c = EnumSet.noneOf(SyscallClass.class);
        c.addAll(classes);
        classes = Collections.unmodifiableSet(c); // keeps the enum order, unlike Set.copyOf
    }

    /** The index in {@link #args} of the first file name argument, or -1. */
    public int pathArg() {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).kind() == ArgKind.PATH) {
                return i;
            }
        }
        return -1;
    }

    /** exit and exit_group: no exit event follows their entry. */
    public boolean neverReturns() {
        return name.equals("exit") || name.equals("exit_group");
    }

    /** Syscalls whose positive return value is the number of bytes they moved. */
    private static final Set<String> BYTE_COUNTERS = Set.of(
            "read", "write", "pread64", "pwrite64", "readv", "writev", "preadv", "pwritev", "preadv2", "pwritev2",
            "sendto", "recvfrom", "sendmsg", "recvmsg", "sendfile", "splice", "tee", "vmsplice",
            "copy_file_range", "process_vm_readv", "process_vm_writev", "getrandom");

    /** read, write, sendmsg, splice and the like: a positive return value counts bytes transferred. */
    public boolean transfersBytes() {
        return BYTE_COUNTERS.contains(name);
    }

    /** execve and execveat: on success the caller's memory, and so its argument pointers, are gone. */
    public boolean replacesImage() {
        return name.equals("execve") || name.equals("execveat");
    }
}
