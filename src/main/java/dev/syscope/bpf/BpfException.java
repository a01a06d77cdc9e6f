package dev.syscope.bpf;

/**
 * A libbpf or kernel call failed. Carries the operation, the errno and its name, so that callers
 * can turn it into one actionable line ("load BPF object: Operation not permitted (EPERM)").
 */
public class BpfException extends RuntimeException {
    private final int errno;

    public BpfException(String operation, int errno) {
        super(operation + ": " + Errno.describe(errno));
        this.errno = errno;
    }

    public BpfException(String message) {
        super(message);
        this.errno = 0;
    }

    /** The positive errno of the failed call, or 0 if none applies. */
    public int errno() {
        return errno;
    }
}
