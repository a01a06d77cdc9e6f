package dev.syscope.bpf;

import dev.syscope.event.SeedEventLayout;
import dev.syscope.event.TraceEventLayout;
import dev.syscope.probe.SeedConfigLayout;
import dev.syscope.probe.TraceConfigLayout;
import dev.syscope.stats.StatsLayout;
import dev.syscope.syscalls.Arch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java layouts equal what clang compiled from syscope.h: member names, offsets and sizes, struct
 * sizes and enum values, read from the BTF of each shipped BPF object through libbpf's btf__ API.
 */
class LayoutTest {

    private static byte[] object(Arch arch) throws IOException {
        return object("seed", arch);
    }

    private static byte[] object(String mode, Arch arch) throws IOException {
        try (InputStream in = LayoutTest.class.getResourceAsStream("/dev/syscope/bpf/" + mode + "." + arch.bpfTarget() + ".bpf.o")) {
            assertThat(in).as("BPF object for " + arch + " in the jar").isNotNull();
            return in.readAllBytes();
        }
    }

    private static List<Btf.Member> javaMembers(GroupLayout layout) {
        return layout.memberLayouts().stream()
                .filter(m -> m.name().isPresent())
                .map(m -> new Btf.Member(m.name().get(),
                        layout.byteOffset(MemoryLayout.PathElement.groupElement(m.name().get())), m.byteSize()))
                .toList();
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void seedEventMatchesTheCHeader(Arch arch) throws IOException {
        try (BpfObject obj = BpfObject.open(object(arch), "layouttest")) {
            Btf btf = obj.btf();
            assertThat(javaMembers(SeedEventLayout.LAYOUT)).isEqualTo(btf.structMembers("seed_event"));
            assertThat(SeedEventLayout.SIZE).isEqualTo(btf.structSize("seed_event"));
        }
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void seedConfigAndDropIndexesMatchTheCHeader(Arch arch) throws IOException {
        try (BpfObject obj = BpfObject.open(object(arch), "layouttest")) {
            Btf btf = obj.btf();
            assertThat(javaMembers(SeedConfigLayout.LAYOUT)).isEqualTo(btf.structMembers("seed_config"));
            assertThat(SeedConfigLayout.LAYOUT.byteSize()).isEqualTo(btf.structSize("seed_config"));
            assertThat(btf.enumValues("syscope_drop")).isEqualTo(Map.of(
                    "SYSCOPE_DROP_RINGBUF", (long) SeedConfigLayout.DROP_RINGBUF,
                    "SYSCOPE_DROP_PERFBUF", (long) SeedConfigLayout.DROP_PERFBUF,
                    "SYSCOPE_DROP_INFLIGHT", (long) TraceConfigLayout.DROP_INFLIGHT,
                    "SYSCOPE_DROP_STATS_FULL", (long) TraceConfigLayout.DROP_STATS_FULL,
                    "SYSCOPE_DROP_ERRNO_FULL", (long) TraceConfigLayout.DROP_ERRNO_FULL,
                    "SYSCOPE_DROP_MAX", (long) SeedConfigLayout.DROP_MAX));
            assertThat(btf.variableOffset(".rodata", "seed_cfg")).isNotNegative();
        }
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void traceStructsAndConstantsMatchTheCHeader(Arch arch) throws IOException {
        try (BpfObject obj = BpfObject.open(object("trace", arch), "layouttest")) {
            Btf btf = obj.btf();
            assertThat(javaMembers(TraceEventLayout.LAYOUT)).isEqualTo(btf.structMembers("trace_event"));
            assertThat(TraceEventLayout.SIZE).isEqualTo(btf.structSize("trace_event"));
            assertThat(javaMembers(TraceEventLayout.INFLIGHT)).isEqualTo(btf.structMembers("trace_inflight"));
            assertThat(TraceEventLayout.INFLIGHT.byteSize()).isEqualTo(btf.structSize("trace_inflight"));
            assertThat(javaMembers(TraceConfigLayout.LAYOUT)).isEqualTo(btf.structMembers("trace_config"));
            assertThat(TraceConfigLayout.LAYOUT.byteSize()).isEqualTo(btf.structSize("trace_config"));
            assertThat(btf.enumValues("syscope_sc")).isEqualTo(Map.of(
                    "SYSCOPE_SC_TRACE", (long) TraceConfigLayout.SC_TRACE,
                    "SYSCOPE_SC_NORETURN", (long) TraceConfigLayout.SC_NORETURN,
                    "SYSCOPE_SC_EXEC", (long) TraceConfigLayout.SC_EXEC,
                    "SYSCOPE_SC_PATH_SHIFT", (long) TraceConfigLayout.SC_PATH_SHIFT,
                    "SYSCOPE_SC_PATH_MASK", (long) TraceConfigLayout.SC_PATH_MASK,
                    "SYSCOPE_SC_BYTES", (long) TraceConfigLayout.SC_BYTES));
            assertThat(btf.enumValues("syscope_ev")).isEqualTo(Map.of(
                    "SYSCOPE_EV_NORETURN", (long) TraceEventLayout.EV_NORETURN,
                    "SYSCOPE_EV_PATH", (long) TraceEventLayout.EV_PATH));
            assertThat(btf.enumValues("syscope_agg")).isEqualTo(Map.of(
                    "SYSCOPE_AGG_OFF", (long) TraceConfigLayout.AGG_OFF,
                    "SYSCOPE_AGG_COUNT", (long) TraceConfigLayout.AGG_COUNT,
                    "SYSCOPE_AGG_LATENCY", (long) TraceConfigLayout.AGG_LATENCY));
            assertThat(btf.enumValues("syscope_drop")).containsEntry("SYSCOPE_DROP_INFLIGHT", (long) TraceConfigLayout.DROP_INFLIGHT);
            assertThat(btf.variableOffset(".rodata", "trace_cfg")).isNotNegative();
            assertThat(javaMembers(StatsLayout.KEY)).isEqualTo(btf.structMembers("stats_key"));
            assertThat(StatsLayout.KEY.byteSize()).isEqualTo(btf.structSize("stats_key"));
            assertThat(javaMembers(StatsLayout.VALUE)).isEqualTo(btf.structMembers("stats_value"));
            assertThat(StatsLayout.VALUE.byteSize()).isEqualTo(btf.structSize("stats_value"));
            assertThat(javaMembers(StatsLayout.ERRNO_KEY)).isEqualTo(btf.structMembers("errno_key"));
            assertThat(StatsLayout.ERRNO_KEY.byteSize()).isEqualTo(btf.structSize("errno_key"));
            assertThat(btf.enumValues("syscope_drop")).containsEntry("SYSCOPE_DROP_STATS_FULL", (long) TraceConfigLayout.DROP_STATS_FULL);
            // SYSCOPE_PATH_MAX is only visible through the arrays sized by it.
            assertThat(btf.structSize("exec_path")).isEqualTo(4 + TraceEventLayout.PATH_MAX);
        }
    }
}
