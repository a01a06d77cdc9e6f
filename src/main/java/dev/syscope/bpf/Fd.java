package dev.syscope.bpf;

/** Closing raw file descriptors that libbpf hands out. */
final class Fd {
    private static final Downcall CLOSE = Native.libc("int close(int fd)");

    private Fd() {}

    static void close(int fd) {
        int r = (int) CLOSE.call(fd);
        assert r == 0;
    }
}
