package dev.syscope.syscalls;

import dev.syscope.kernel.KernelTests;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks the generator: the x86_64 table agrees with the installed kernel headers' numbers. */
class UnistdHeaderTest {
    private static final Path HEADER = Path.of("/usr/include/x86_64-linux-gnu/asm/unistd_64.h");

    @Test
    void x86_64NumbersMatchTheInstalledHeader() throws IOException {
        KernelTests.requireFile(HEADER, "linux-libc-dev"); // scripts/test.sh installs libc6-dev, which pulls it
        Map<String, Integer> header = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^#define __NR_(\\w+)\\s+(\\d+)\\s*$").matcher(Files.readString(HEADER));
        while (m.find()) {
            header.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        assertThat(header).hasSizeGreaterThan(300);
        SyscallTable table = SyscallTable.of(Arch.X86_64);
        Map<String, Integer> ours = new HashMap<>();
        header.keySet().forEach(name -> ours.put(name, table.byName(name) == null ? null : table.byName(name).nr()));
        assertThat(ours).isEqualTo(header);
    }
}
