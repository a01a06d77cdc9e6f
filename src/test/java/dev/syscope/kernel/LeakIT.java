package dev.syscope.kernel;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Every command, however it ends, leaves no BPF program, map or link behind (seed mode: SeedModeIT). */
class LeakIT {

    @BeforeEach
    void bpf() {
        KernelTests.requireBpf();
    }

    @ParameterizedTest(name = "{0} {1} after SIG{2}")
    @CsvSource(delimiter = '|', value = {
        "trace | -e read,write -o json | TERM | 143",
        "trace | -e all                | INT  | 130",
        "trace | -e read --buffer perf | KILL | 137",
        "stats | --interval 1s         | TERM | 143",
        "stats | -e %file              | KILL | 137",
        "serve | --listen 127.0.0.1:0  | INT  | 130",
        "serve | --listen 127.0.0.1:0  | KILL | 137",
        "top   | --interval 1s         | TERM | 143",
    })
    void noKernelObjectRemainsAfterASignal(String command, String options, String signal, int exitCode) throws Exception {
        String[] args = (command + " " + options + " -v").split("\\s+");
        Set<String> held;
        try (SyscopeProcess sc = SyscopeProcess.start(args)) {
            sc.awaitErr(l -> l.startsWith("syscope: attach: "), 60);
            held = KernelTests.heldBy(sc.pid());
            assertThat(held).as("programs, maps and links loaded while running").anyMatch(o -> o.startsWith("prog:"))
                    .anyMatch(o -> o.startsWith("map:")).anyMatch(o -> o.startsWith("link:"));
            sc.signal(signal);
            assertThat(sc.awaitExit(20)).isEqualTo(exitCode);
        }
        KernelTests.assertGone(held);
    }

    @Test
    void aProgramThatCallsSystemExitWithoutClosingLeavesNothing() throws Exception {
        String cp = SyscopeProcess.jar() + File.pathSeparator + new File("target/test-classes").getAbsolutePath();
        Process p = new ProcessBuilder(SyscopeProcess.java(), "--enable-native-access=ALL-UNNAMED", "-cp", cp,
                ExitingTracer.class.getName()).redirectErrorStream(true).start();
        BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String first = stdout.readLine();
        assertThat(first).as("its first line").startsWith("tracing ");
        Set<String> held = KernelTests.heldBy(p.pid());
        assertThat(held).anyMatch(o -> o.startsWith("link:"));
        p.getOutputStream().write('\n');
        p.getOutputStream().flush();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String rest = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(rest).isEqualTo(7);
        KernelTests.assertGone(held);
    }
}
