package dev.syscope.bpf;

import dev.syscope.event.SeedEventLayout;
import dev.syscope.probe.SeedConfigLayout;
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
        try (InputStream in = LayoutTest.class.getResourceAsStream("/dev/syscope/bpf/syscope." + arch.bpfTarget() + ".bpf.o")) {
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
                    "SYSCOPE_DROP_MAX", (long) SeedConfigLayout.DROP_MAX));
            assertThat(btf.variableOffset(".rodata", "seed_cfg")).isNotNegative();
        }
    }
}
