package dev.syscope.probe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How the kernel recognises syscope's own process. BPF sees tgids of the initial PID namespace;
 * the JVM knows its pid only in its own namespace. In the initial namespace the two agree. In
 * another one (a container without pid: host) the programs instead ask
 * bpf_get_ns_current_pid_tgid for each task's tgid in our namespace, identified by the dev and
 * inode of /proc/self/ns/pid.
 *
 * @param pid      this process's pid as the JVM sees it
 * @param pidnsDev st_dev of /proc/self/ns/pid, when not in the initial namespace (else 0)
 * @param pidnsIno its inode, when not in the initial namespace (else 0)
 */
public record Self(int pid, long pidnsDev, long pidnsIno) {
    /** PROC_PID_INIT_INO (include/linux/proc_ns.h): the initial PID namespace's inode. */
    static final long INIT_PID_NS_INO = 0xEFFFFFFCL;

    /** Whether pids seen here are the host's (initial namespace) pids. */
    public boolean inInitialPidNamespace() {
        return pidnsIno == 0;
    }

    public static Self detect() {
        int pid = (int) ProcessHandle.current().pid();
        try {
            Path ns = Path.of("/proc/self/ns/pid");
            long ino = (Long) Files.getAttribute(ns, "unix:ino");
            long dev = (Long) Files.getAttribute(ns, "unix:dev");
            return ino == INIT_PID_NS_INO ? new Self(pid, 0, 0) : new Self(pid, dev, ino);
        } catch (IOException | UnsupportedOperationException e) {
            return new Self(pid, 0, 0); // no nsfs (very old kernel): assume the initial namespace
        }
    }
}
