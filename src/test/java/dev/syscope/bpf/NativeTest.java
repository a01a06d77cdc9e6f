package dev.syscope.bpf;

import dev.syscope.kernel.KernelTests;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Downcall passes everything as 64-bit integers through two shared handles; C's types must come
 * through unchanged, and the checks the linker makes on address arguments must still be made.
 */
class NativeTest {
    @Test
    void aPrototypeGivesTheNameAndTheNumberOfParameters() {
        assertThat(Downcall.name("const struct btf_type *btf__type_by_id(const struct btf *btf, __u32 id)")).isEqualTo("btf__type_by_id");
        assertThat(Downcall.arity("const struct btf_type *btf__type_by_id(const struct btf *btf, __u32 id)")).isEqualTo(2);
        assertThat(Downcall.arity("int libbpf_num_possible_cpus(void)")).isZero();
        assertThat(Downcall.arity("int getpagesize()")).isZero();
        assertThat(Downcall.arity("int f(int (*cb)(int, void *), void *ctx)")).isEqualTo(2);
        assertThatThrownBy(() -> Downcall.name("not a prototype")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Native.libc("int f(int a, int b, int c, int d, int e, int f, int g, int h)"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void negativeIntArgumentsAndResultsKeepTheirSign() {
        Downcall abs = Native.libc("int abs(int j)");
        assertThat((int) abs.call(-5)).isEqualTo(5);
        assertThat((int) abs.call(Integer.MIN_VALUE)).isEqualTo(Integer.MIN_VALUE); // abs overflows in C too
        Downcall atoi = Native.libc("int atoi(const char *nptr)");
        try (Arena a = Arena.ofConfined()) {
            assertThat((int) atoi.call(Native.addr(a.allocateFrom("-42")))).isEqualTo(-42);
        }
    }

    @Test
    void addressesGoInAndComeBack() {
        Downcall strchr = Native.libc("char *strchr(const char *s, int c)");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocateFrom("syscope/trace");
            assertThat(strchr.call(Native.addr(s), '/')).isEqualTo(s.address() + 7);
            assertThat(strchr.call(Native.addr(s), 'x')).isZero(); // NULL
            assertThat(Native.string(Native.libc("char *strrchr(const char *s, int c)").call(Native.addr(s), 't'))).isEqualTo("trace");
            assertThat(Native.string(0)).isNull();
        }
    }

    @Test
    void voidFunctionsAndErrnoCapture() {
        Native.libc("void srand(unsigned int seed)").call(1);
        Downcall close = Native.libcErrno("int close(int fd)");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = Native.errnoState(a);
            assertThat((int) close.call(errno, -1)).isEqualTo(-1);
            assertThat(Native.errno(errno)).isEqualTo(9); // EBADF
        }
    }

    /** What the shared handles rest on: a function ignores the arguments it has no parameter for, in registers or on the stack. */
    @Test
    void extraArgumentsAreIgnoredIncludingASeventhOnTheStack() {
        // abs declared with seven parameters: the seventh goes on the stack on x86-64
        Downcall abs7 = Native.libc("int abs(int j, int b, int c, int d, int e, int f, int g)");
        assertThat((int) abs7.call(-7, 1, 2, 3, 4, 5, 6)).isEqualTo(7);
        Native.libc("void srand(unsigned int seed)").call(2); // padded with six zeros
    }

    /** getnameinfo's seventh argument, its flags, goes on the stack on x86-64: it must arrive. */
    @Test
    void aSeventhArgumentArrives() {
        Downcall getnameinfo = Native.libc("int getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host, "
                + "socklen_t hostlen, char *serv, socklen_t servlen, int flags)");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sin = a.allocate(16); // struct sockaddr_in: AF_INET, port 0, 127.0.0.1
            sin.set(JAVA_SHORT, 0, (short) 2);
            sin.set(JAVA_BYTE, 4, (byte) 127);
            sin.set(JAVA_BYTE, 7, (byte) 1);
            MemorySegment host = a.allocate(64);
            int niNumericHost = 1;
            assertThat((int) getnameinfo.call(Native.addr(sin), 16, Native.addr(host), 64, 0, 0, niNumericHost)).isZero();
            assertThat(host.getString(0)).isEqualTo("127.0.0.1");
            int eaiBadFlags = -1;
            assertThat((int) getnameinfo.call(Native.addr(sin), 16, Native.addr(host), 64, 0, 0, 0x40000000)).isEqualTo(eaiBadFlags);
        }
    }

    /** mmap's sixth argument, the offset, arrives through the errno-capturing handle. */
    @Test
    void aSixthArgumentArrivesWithErrnoCaptured() {
        int mapPrivateAnonymous = 0x22;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = Native.errnoState(a);
            long p = Libc.MMAP.call(errno, 0, 4096, Libc.PROT_READ, mapPrivateAnonymous, -1, 0);
            assertThat(p).isNotEqualTo(-1L);
            Libc.munmap(Native.at(p).reinterpret(4096));
            assertThat(Libc.MMAP.call(errno, 0, 4096, Libc.PROT_READ, mapPrivateAnonymous, -1, 1)).isEqualTo(-1L); // unaligned
            assertThat(Native.errno(errno)).isEqualTo(Errno.EINVAL);
        }
    }

    @Test
    void aCallWithTheWrongArgumentsIsRefused() {
        Downcall abs = Native.libc("int abs(int j)");
        assertThatThrownBy(() -> abs.call(1, 2)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("abs takes 1");
        Downcall close = Native.libcErrno("int close(int fd)");
        assertThatThrownBy(() -> close.call(-1)).isInstanceOf(IllegalArgumentException.class);
        try (Arena a = Arena.ofConfined()) {
            assertThatThrownBy(() -> abs.call(Native.errnoState(a), 1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aMissingFunctionIsReportedByName() {
        Downcall missing = Native.libc("int syscope_no_such_function(void)");
        assertThat(missing.exists()).isFalse();
        assertThatThrownBy(missing::call).isInstanceOf(BpfException.class).hasMessageContaining("syscope_no_such_function not found");
    }

    @Test
    void aClosedSegmentIsRefusedNotPassedAsADanglingPointer() {
        MemorySegment s;
        try (Arena a = Arena.ofConfined()) {
            s = a.allocateFrom("gone");
        }
        assertThatThrownBy(() -> Native.addr(s)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aHeapSegmentIsRefusedNotPassedAsAnOffset() {
        assertThatThrownBy(() -> Native.addr(MemorySegment.ofArray(new byte[] {'a', 0}))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anotherThreadsSegmentIsRefused() throws Exception {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocateFrom("mine");
            Throwable[] seen = new Throwable[1];
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    Native.addr(s);
                } catch (Throwable e) {
                    seen[0] = e;
                }
            });
            t.join();
            assertThat(seen[0]).isInstanceOf(IllegalStateException.class);
        }
    }

    /** Every function syscope declares is in the library it is declared in (libbpf.so.1 1.1 or the C library). */
    @Test
    void everyDeclaredFunctionExists() throws IllegalAccessException {
        KernelTests.requireHost(Native.libbpfAvailable(), "libbpf.so.1 is not installed (apt-get install libbpf1)");
        List<String> missing = new ArrayList<>();
        int n = 0;
        for (Class<?> c : List.of(LibBpf.class, Libc.class, Errno.class, Fd.class, LibbpfLog.class)) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getType() == Downcall.class && Modifier.isStatic(f.getModifiers())) {
                    f.setAccessible(true);
                    Downcall d = (Downcall) f.get(null);
                    n++;
                    if (!d.exists()) {
                        missing.add(d.name());
                    }
                }
            }
        }
        assertThat(n).isGreaterThan(40);
        assertThat(missing).isEmpty();
    }
}
