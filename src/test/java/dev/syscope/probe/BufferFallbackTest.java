package dev.syscope.probe;

import dev.syscope.api.BufferKind;
import dev.syscope.bpf.KernelSupport;
import dev.syscope.kernel.KernelTests;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BufferFallbackTest {

    @Test
    void ringFallsBackToPerfOnlyWhereTheKernelHasNoRingBufferAndSaysSo() {
        List<String> log = new ArrayList<>();
        assertThat(Loader.buffer(BufferKind.RING, false, log::add)).isEqualTo(BufferKind.PERF);
        assertThat(log).singleElement().asString().contains("no BPF ring buffer", "falling back to the perf buffer");
        log.clear();
        assertThat(Loader.buffer(BufferKind.RING, true, log::add)).isEqualTo(BufferKind.RING);
        assertThat(Loader.buffer(BufferKind.PERF, true, log::add)).isEqualTo(BufferKind.PERF);
        assertThat(Loader.buffer(BufferKind.PERF, false, log::add)).isEqualTo(BufferKind.PERF);
        assertThat(log).isEmpty();
    }

    @Test
    void thisKernelReportsRingBufferSupport() {
        KernelTests.requireBpf();
        assertThat(KernelSupport.ringBuffer()).as("Linux %s has BPF ring buffers", System.getProperty("os.version")).isTrue();
    }
}
