package dev.syscope.syscalls;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OpenFlagsTest {
    private static String format(Arch arch, int flags) {
        StringBuilder b = new StringBuilder();
        OpenFlags.append(arch, flags, b);
        return b.toString();
    }

    @Test
    void formatsX86_64() {
        assertThat(format(Arch.X86_64, 0)).isEqualTo("O_RDONLY");
        assertThat(format(Arch.X86_64, 0x80000 | 0x2)).isEqualTo("O_RDWR|O_CLOEXEC");
        assertThat(format(Arch.X86_64, 0x1 | 0x40 | 0x200)).isEqualTo("O_WRONLY|O_CREAT|O_TRUNC");
        // what opendir passes: O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY
        assertThat(format(Arch.X86_64, 0x800 | 0x80000 | 0x10000))
                .isEqualTo("O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY");
        assertThat(format(Arch.X86_64, 0x20000 | 0x4000 | 0x8000)).isEqualTo("O_RDONLY|O_DIRECT|O_LARGEFILE|O_NOFOLLOW");
        assertThat(format(Arch.X86_64, 0x101000)).isEqualTo("O_RDONLY|O_SYNC");
        assertThat(format(Arch.X86_64, 0x1000)).isEqualTo("O_RDONLY|O_DSYNC");
        assertThat(format(Arch.X86_64, 0x410000 | 0x2)).isEqualTo("O_RDWR|O_TMPFILE");
        assertThat(format(Arch.X86_64, 0x3 | 0x40000000)).isEqualTo("O_ACCMODE|0x40000000");
    }

    @Test
    void formatsArm64WithItsOwnValues() {
        // arm64's asm/fcntl.h: O_DIRECTORY 040000, O_NOFOLLOW 0100000, O_DIRECT 0200000, O_LARGEFILE 0400000
        assertThat(format(Arch.ARM64, 0x800 | 0x80000 | 0x4000))
                .isEqualTo("O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY");
        assertThat(format(Arch.ARM64, 0x8000 | 0x10000 | 0x20000)).isEqualTo("O_RDONLY|O_DIRECT|O_LARGEFILE|O_NOFOLLOW");
        assertThat(format(Arch.ARM64, 0x80000 | 0x2)).isEqualTo("O_RDWR|O_CLOEXEC");
        assertThat(format(Arch.ARM64, 0x404000 | 0x2)).isEqualTo("O_RDWR|O_TMPFILE");
        assertThat(format(Arch.ARM64, 0x10000 | 0x1)).isEqualTo("O_WRONLY|O_DIRECT"); // x86_64's O_DIRECTORY bit
    }
}
