package dev.syscope.kernel;

import dev.syscope.probe.KernelFeatures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged jar, run as the seed tool was, against a real kernel. */
class SeedModeIT {

    @BeforeEach
    void bpf() {
        KernelTests.requireBpf();
    }

    private static Predicate<String> line(int pid, String syscall) {
        String l = pid + " - hello sys_" + syscall + " was called";
        return l::equals;
    }

    @ParameterizedTest
    @ValueSource(strings = {"ring", "perf"})
    void printsTheSeedLinesForAChildAndNeverItsOwnPid(String buffer) throws Exception {
        try (SyscopeProcess sc = SyscopeProcess.start("--buffer", buffer)) {
            sc.awaitMonitoring();
            try (Child child = Child.start("pipe", "3", "2")) {
                child.go();
                sc.awaitOut(line(child.pid(), "write"), 3, 10);
                sc.awaitOut(line(child.pid(), "read"), 2, 10);
            }
            sc.signal("TERM");
            assertThat(sc.awaitExit(10)).isEqualTo(143);

            assertThat(sc.out().subList(0, 4)).containsExactly(
                    "Loading eBPF program",
                    "Monitoring sys_read and sys_write calls...",
                    "Host PID: " + sc.pid(),
                    "Skipping self PID: " + sc.pid());
            assertThat(sc.out().subList(4, sc.out().size()))
                    .allMatch(l -> l.matches("\\d+ - hello sys_(read|write) was called"))
                    .noneMatch(l -> l.startsWith(sc.pid() + " "));
            assertThat(sc.err()).hasSize(1);
            assertThat(sc.err().getFirst()).matches("syscope: \\d+ events received, \\d+ lost");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ring", "perf"})
    void pidFilterShowsExactlyTheChildsCalls(String buffer) throws Exception {
        try (Child child = Child.start("pipe", "3", "2");
             SyscopeProcess sc = SyscopeProcess.start("--buffer", buffer, "-p", Integer.toString(child.pid()))) {
            sc.awaitMonitoring();
            child.go();
            sc.awaitOut(l -> l.startsWith(child.pid() + " - "), 5, 10);
            sc.signal("INT");
            assertThat(sc.awaitExit(10)).isEqualTo(130);
            assertThat(sc.out().subList(4, sc.out().size())).containsExactly(
                    child.pid() + " - hello sys_write was called",
                    child.pid() + " - hello sys_write was called",
                    child.pid() + " - hello sys_write was called",
                    child.pid() + " - hello sys_read was called",
                    child.pid() + " - hello sys_read was called");
            assertThat(sc.err()).containsExactly("syscope: 5 events received, 0 lost");
        }
    }

    @ParameterizedTest
    @CsvSource({"TERM, 143, ring", "INT, 130, ring", "KILL, 137, ring", "TERM, 143, perf", "KILL, 137, perf"})
    void noProgramMapOrLinkRemainsAfterASignal(String signal, int exitCode, String buffer) throws Exception {
        Set<String> held;
        try (SyscopeProcess sc = SyscopeProcess.start("--buffer", buffer)) {
            sc.awaitMonitoring();
            held = KernelTests.heldBy(sc.pid());
            // 2 programs, 2 links, and the maps: buffer, drops, .rodata, .kconfig
            assertThat(held.stream().filter(o -> o.startsWith("prog:"))).hasSize(2);
            assertThat(held.stream().filter(o -> o.startsWith("link:"))).hasSize(2);
            assertThat(held).hasSizeGreaterThanOrEqualTo(6);
            sc.signal(signal);
            assertThat(sc.awaitExit(10)).isEqualTo(exitCode);
        }
        KernelTests.assertGone(held);
    }

    @Test
    void attachKprobeOnThisKernel() throws Exception {
        try (SyscopeProcess sc = SyscopeProcess.start("--attach", "kprobe", "--duration", "1")) {
            int code = sc.awaitExit(30);
            if (KernelFeatures.kprobes()) {
                assertThat(code).isZero();
            } else {
                assertThat(code).isEqualTo(1);
                assertThat(sc.err()).hasSize(1);
                assertThat(sc.err().getFirst())
                        .startsWith("syscope: kprobes are not available on this kernel: CONFIG_KPROBES is not set");
            }
        }
    }

    @Test
    void autoFallsBackToTracepointsAndVerboseSaysSo() throws Exception {
        try (SyscopeProcess sc = SyscopeProcess.start("--duration", "0.5", "-v")) {
            assertThat(sc.awaitExit(30)).isZero();
            assertThat(sc.out()).contains("Loading eBPF program");
            if (KernelFeatures.kprobes()) {
                assertThat(sc.err()).anyMatch(l -> l.contains("attach: auto: using kprobes"));
            } else {
                assertThat(sc.err()).anyMatch(l -> l.contains("kprobes unavailable (CONFIG_KPROBES is not set")
                        && l.contains("falling back to tracepoints"));
            }
            assertThat(sc.err()).anyMatch(l -> l.startsWith("syscope: libbpf: ")); // libbpf's log, routed through one callback
        }
    }

    @Test
    void inAnotherPidNamespaceItStillSkipsItself() throws Exception {
        // As in a container without pid: host: the JVM's own pid (1 here) is not its host pid.
        List<String> newPidNs = List.of("unshare", "--pid", "--fork", "--mount-proc");
        try (SyscopeProcess sc = SyscopeProcess.start(newPidNs, "--duration", "3")) {
            sc.awaitMonitoring();
            int hostPid = (int) ProcessHandle.of(sc.pid()).orElseThrow().children().findFirst().orElseThrow().pid();
            try (Child child = Child.start("pipe", "3", "2")) {
                child.go();
                sc.awaitOut(line(child.pid(), "write"), 3, 10);
            }
            assertThat(sc.awaitExit(30)).isZero();
            assertThat(sc.out()).contains("Host PID: 1");
            assertThat(sc.out()).as("syscope's own host pid " + hostPid).noneMatch(l -> l.startsWith(hostPid + " "));
            assertThat(sc.err()).anyMatch(l -> l.startsWith("syscope: warning: not in the host's PID namespace"));
            assertThat(sc.err().getLast()).endsWith(" 0 lost");
        }
    }

    @Test
    void withoutCapabilitiesItSaysWhichAreNeeded() throws Exception {
        List<String> asNobody = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all");
        try (SyscopeProcess sc = SyscopeProcess.start(asNobody, "--duration", "1")) {
            assertThat(sc.awaitExit(30)).isEqualTo(1);
            assertThat(sc.err()).hasSize(1);
            assertThat(sc.err().getFirst()).startsWith("syscope: ").contains("CAP_BPF", "CAP_PERFMON").doesNotContain("Exception");
        }
    }
}
