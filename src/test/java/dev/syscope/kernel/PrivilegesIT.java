package dev.syscope.kernel;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The least privilege syscope runs with: every capability dropped except CAP_BPF and CAP_PERFMON
 * (as root's uid, which owns tracefs; see the README's Security section), and without them a
 * one-line error that names them.
 */
class PrivilegesIT {
    /** uid 0, but only CAP_BPF and CAP_PERFMON: in the bounding, inheritable, permitted and effective sets. */
    static final List<String> BPF_AND_PERFMON_ONLY = List.of("setpriv", "--bounding-set=-all,+bpf,+perfmon",
            "--inh-caps=-all,+bpf,+perfmon");
    static final List<String> NOBODY = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
            "--inh-caps=-all");

    @BeforeEach
    void bpf() {
        KernelTests.requireBpf();
    }

    @Test
    void aFullTraceNeedsOnlyBpfAndPerfmon() throws Exception {
        try (Child child = Child.start("readwrite", "10", "3", "5", "2");
             SyscopeProcess sc = SyscopeProcess.start(BPF_AND_PERFMON_ONLY, "trace", "-e", "read,write", "-o", "json",
                     "-p", Integer.toString(child.pid()), "-v")) {
            sc.awaitErr(l -> l.startsWith("syscope: attach: "), 30);
            child.go();
            Thread.sleep(300);
            sc.signal("INT");
            assertThat(sc.awaitExit(30)).as(String.join("\n", sc.err())).isEqualTo(130);
            ObjectMapper json = new ObjectMapper();
            long writes = 0;
            long reads = 0;
            for (String l : sc.out()) {
                var e = json.readTree(l);
                if (e.get("ret").asLong() == 3 && e.get("syscall").asText().equals("write")) {
                    writes++;
                }
                if (e.get("ret").asLong() == 2 && e.get("syscall").asText().equals("read")) {
                    reads++;
                }
            }
            assertThat(writes).isEqualTo(10);
            assertThat(reads).isEqualTo(5);
            // The read of the go byte entered before the attach: not paired, not counted.
            assertThat(sc.err()).contains("syscope: 15 events, 0 not streamed (counted in the kernel), 0 lost");
        }
    }

    @Test
    void statsNeedOnlyBpfAndPerfmon() throws Exception {
        try (Child child = Child.start("failopen", "7");
             SyscopeProcess sc = SyscopeProcess.start(BPF_AND_PERFMON_ONLY, "stats", "-e", "openat", "--by", "syscall",
                     "-p", Integer.toString(child.pid()), "-v")) {
            sc.awaitErr(l -> l.startsWith("syscope: attach: "), 30);
            child.go();
            sc.signal("INT");
            assertThat(sc.awaitExit(30)).isEqualTo(130);
            assertThat(sc.out().get(1)).matches("openat +7 +7 +0");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"trace", "stats", "top", "serve"})
    void withoutCapabilitiesEveryCommandSaysWhichAreNeeded(String command) throws Exception {
        try (SyscopeProcess sc = SyscopeProcess.start(NOBODY, command, "--duration", "1")) {
            assertThat(sc.awaitExit(30)).isEqualTo(1);
            assertThat(sc.err()).hasSize(1);
            assertThat(sc.err().getFirst()).startsWith("syscope: ").contains("CAP_BPF", "CAP_PERFMON").doesNotContain("Exception");
        }
    }
}
