package dev.syscope.sink;

/** Argument values with names of their own. */
final class ArgValues {
    /** The dirfd that means "relative to the current directory" (include/uapi/linux/fcntl.h). */
    static final int AT_FDCWD = -100;

    private ArgValues() {}
}
