package dev.syscope.kernel;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.File;
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
        Set<Integer> before = KernelTests.syscopeObjects();
        String[] args = (command + " " + options + " -v").split("\\s+");
        try (SyscopeProcess sc = SyscopeProcess.start(args)) {
            sc.awaitErr(l -> l.startsWith("syscope: attach: "), 60);
            assertThat(KernelTests.syscopeObjects()).as("loaded while running").isNotEqualTo(before);
            sc.signal(signal);
            assertThat(sc.awaitExit(20)).isEqualTo(exitCode);
        }
        KernelTests.assertObjectsBackTo(before);
    }

    @Test
    void aProgramThatCallsSystemExitWithoutClosingLeavesNothing() throws Exception {
        Set<Integer> before = KernelTests.syscopeObjects();
        String cp = SyscopeProcess.jar() + File.pathSeparator + new File("target/test-classes").getAbsolutePath();
        Process p = new ProcessBuilder(SyscopeProcess.java(), "--enable-native-access=ALL-UNNAMED", "-cp", cp,
                ExitingTracer.class.getName()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isEqualTo(7);
        assertThat(out).startsWith("tracing ");
        KernelTests.assertObjectsBackTo(before);
    }
}
