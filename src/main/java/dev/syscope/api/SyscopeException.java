package dev.syscope.api;

/**
 * syscope cannot run in this environment. The message is one line that says what failed, the
 * errno if there was one, and what to do about it.
 */
public class SyscopeException extends RuntimeException {
    private final int errno;

    public SyscopeException(String message, int errno, Throwable cause) {
        super(message, cause);
        this.errno = errno;
    }

    public SyscopeException(String message) {
        this(message, 0, null);
    }

    /** The errno behind the failure, or 0. */
    public int errno() {
        return errno;
    }

    /** Missing privileges: names the capabilities needed. */
    public static final class PermissionDenied extends SyscopeException {
        public static final String NEEDED = "syscope needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN, or root)";

        public PermissionDenied(String what, int errno, Throwable cause) {
            super(what + "; " + NEEDED, errno, cause);
        }
    }

    /** The kernel lacks a feature; names it and the kernel option that provides it. */
    public static final class Unsupported extends SyscopeException {
        private final String feature;

        public Unsupported(String feature, String message) {
            super(message);
            this.feature = feature;
        }

        public String feature() {
            return feature;
        }
    }
}
