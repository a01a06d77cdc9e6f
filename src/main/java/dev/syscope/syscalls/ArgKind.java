package dev.syscope.syscalls;

/** What a syscall argument holds, as far as printing it differs from a plain number. */
public enum ArgKind {
    /** A file descriptor: fd, oldfd, newfd, epfd, pidfd, ... */
    FD,
    /** A directory fd for *at calls (dfd, olddfd, newdfd, ...): -100 is AT_FDCWD. */
    DIRFD,
    /** A file name: {@code const char *} filename, pathname, path, oldname, ... */
    PATH,
    /** The O_* flags of open, openat and open_by_handle_at. */
    OPEN_FLAGS,
    /** A {@code size_t} count or len: how many bytes a buffer argument holds. */
    COUNT,
    OTHER
}
