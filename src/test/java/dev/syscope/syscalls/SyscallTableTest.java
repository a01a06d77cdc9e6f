package dev.syscope.syscalls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static dev.syscope.syscalls.ArgKind.COUNT;
import static dev.syscope.syscalls.ArgKind.DIRFD;
import static dev.syscope.syscalls.ArgKind.FD;
import static dev.syscope.syscalls.ArgKind.OPEN_FLAGS;
import static dev.syscope.syscalls.ArgKind.OTHER;
import static dev.syscope.syscalls.ArgKind.PATH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SyscallTableTest {
    private static final SyscallTable X86 = SyscallTable.of(Arch.X86_64);
    private static final SyscallTable ARM = SyscallTable.of(Arch.ARM64);

    @Test
    void knowsTheNumbers() {
        assertThat(List.of("read", "write", "openat", "getpid", "exit_group"))
                .map(n -> X86.byName(n).nr()).containsExactly(0, 1, 257, 39, 231);
        assertThat(List.of("read", "write", "openat", "getpid", "exit_group"))
                .map(n -> ARM.byName(n).nr()).containsExactly(63, 64, 56, 172, 94);
        assertThat(ARM.byName("open")).isNull(); // arm64 has only the *at calls
        assertThat(X86.byNr(59).name()).isEqualTo("execve");
        assertThat(ARM.byNr(221).name()).isEqualTo("execve");
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void isConsistent(Arch arch) {
        SyscallTable t = SyscallTable.of(arch);
        assertThat(t).isSameAs(SyscallTable.of(arch));
        assertThat(t.all()).hasSizeGreaterThan(300).isSortedAccordingTo((a, b) -> a.nr() - b.nr());
        assertThat(t.size()).isEqualTo(t.all().getLast().nr() + 1);
        for (Syscall s : t.all()) {
            assertThat(t.byNr(s.nr())).isSameAs(s);
            assertThat(t.byName(s.name())).isSameAs(s);
        }
        assertThat(t.byNr(-1)).isNull();
        assertThat(t.byNr(t.size())).isNull();
        assertThat(t.byNr(400)).isNull(); // the gap before the shared numbers from 424
        assertThat(t.byName("nosuchcall")).isNull();
        assertThat(arch.syscallName(arch.syscallNr("openat"))).isEqualTo("openat");
        assertThat(arch.syscallNr("nosuchcall")).isEqualTo(-1);
        assertThat(arch.maxSyscallNr()).isEqualTo(t.size() - 1);
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void knowsArgumentKinds(Arch arch) {
        SyscallTable t = SyscallTable.of(arch);
        Syscall openat = t.byName("openat");
        assertThat(openat.args()).extracting(SyscallArg::name).containsExactly("dfd", "filename", "flags", "mode");
        assertThat(openat.args()).extracting(SyscallArg::kind).containsExactly(DIRFD, PATH, OPEN_FLAGS, OTHER);
        assertThat(openat.args().get(1).type()).isEqualTo("const char *");
        assertThat(openat.pathArg()).isEqualTo(1);
        Syscall read = t.byName("read");
        assertThat(read.args()).extracting(SyscallArg::name).containsExactly("fd", "buf", "count");
        assertThat(read.args()).extracting(SyscallArg::kind).containsExactly(FD, OTHER, COUNT);
        assertThat(read.pathArg()).isEqualTo(-1);
        assertThat(t.byName("renameat2").args()).extracting(SyscallArg::kind)
                .containsExactly(DIRFD, PATH, DIRFD, PATH, OTHER);
        assertThat(t.byName("execveat").args().getFirst().kind()).isEqualTo(DIRFD);
        assertThat(t.byName("pipe2").args().getFirst().kind()).isEqualTo(OTHER); // int *fildes
        assertThat(t.byName("dup").args().getFirst().kind()).isEqualTo(FD);
        assertThat(t.byName("getpid").args()).isEmpty();
    }

    @Test
    void arm64CloneTakesTlsBeforeChildTid() {
        assertThat(X86.byName("clone").args()).extracting(SyscallArg::name)
                .containsExactly("clone_flags", "newsp", "parent_tidptr", "child_tidptr", "tls");
        assertThat(ARM.byName("clone").args()).extracting(SyscallArg::name)
                .containsExactly("clone_flags", "newsp", "parent_tidptr", "tls", "child_tidptr");
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void knowsStraceClasses(Arch arch) {
        SyscallTable t = SyscallTable.of(arch);
        assertThat(t.byName("openat").classes()).containsExactly(SyscallClass.FILE, SyscallClass.DESC);
        assertThat(t.byName("socket").classes()).containsExactly(SyscallClass.DESC, SyscallClass.NET);
        assertThat(t.byName("mmap").classes()).contains(SyscallClass.MEMORY);
        assertThat(t.byName("kill").classes()).containsExactly(SyscallClass.PROCESS, SyscallClass.SIGNAL);
        assertThat(t.byName("shmget").classes()).containsExactly(SyscallClass.IPC);
        assertThat(t.byName("execve").classes()).containsExactly(SyscallClass.FILE, SyscallClass.PROCESS);
        assertThat(t.byName("pipe2").classes()).containsExactly(SyscallClass.DESC);
        assertThat(t.byName("getcwd").classes()).containsExactly(SyscallClass.FILE);
        assertThat(t.byName("getpid").classes()).isEmpty();
        assertThat(t.byName("exit_group").neverReturns()).isTrue();
        assertThat(t.byName("exit").neverReturns()).isTrue();
        assertThat(t.byName("read").neverReturns()).isFalse();
        assertThat(t.byName("execveat").replacesImage()).isTrue();
        assertThat(t.byName("clone").replacesImage()).isFalse();
    }

    @Test
    void resolvesSpecs() {
        assertThat(X86.resolve(List.of("all")).cardinality()).isEqualTo(X86.all().size());
        assertThat(X86.resolve(List.of("read,write")).stream()).containsExactly(0, 1);
        assertThat(X86.resolve(List.of("openat", " read ,", "write")).stream()).containsExactly(0, 1, 257);
        assertThat(ARM.resolve(List.of("read,write")).stream()).containsExactly(63, 64);
        var file = X86.resolve(List.of("%file"));
        assertThat(file.get(257)).isTrue(); // openat
        assertThat(file.get(2)).isTrue(); // open
        assertThat(file.get(0)).isFalse(); // read
        assertThat(file.stream()).allMatch(nr -> X86.byNr(nr).classes().contains(SyscallClass.FILE));
        assertThat(X86.resolve(List.of("%net", "%network"))).isEqualTo(X86.resolve(List.of("%net")));
    }

    @Test
    void explainsUnknownNames() {
        assertThatThrownBy(() -> X86.resolve(List.of("opnat")))
                .isInstanceOf(UnknownSyscallException.class)
                .hasMessage("unknown syscall 'opnat' (see 'syscope list'); did you mean 'openat'?");
        assertThatThrownBy(() -> ARM.resolve(List.of("read,open")))
                .hasMessage("unknown syscall 'open' (see 'syscope list'); did you mean 'openat'?");
        assertThatThrownBy(() -> X86.resolve(List.of("frobnicate")))
                .isInstanceOf(UnknownSyscallException.class)
                .hasMessage("unknown syscall 'frobnicate' (see 'syscope list')");
        assertThatThrownBy(() -> X86.resolve(List.of("%foo")))
                .isInstanceOf(UnknownSyscallException.class)
                .hasMessage("unknown syscall class '%foo' (classes: %file, %desc, %net, %process, %memory, %signal, %ipc)");
    }

    @Test
    void classSpecsRoundTrip() {
        for (SyscallClass c : SyscallClass.values()) {
            assertThat(SyscallClass.fromSpec(c.spec())).isSameAs(c);
        }
        assertThat(SyscallClass.FILE.spec()).isEqualTo("%file");
        assertThat(SyscallClass.fromSpec("file")).isNull();
        assertThat(SyscallClass.fromSpec("%bogus")).isNull();
    }

    @Test
    void loadsFast() {
        SyscallTable.load(Arch.ARM64); // warm up the classes
        long t0 = System.nanoTime();
        SyscallTable.load(Arch.X86_64);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(100); // well under a cold 20 ms
    }
}
