package dev.syscope.kernel;

import dev.syscope.api.BufferKind;
import dev.syscope.api.Syscope;
import dev.syscope.api.TraceSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Java API leaves no kernel object and no file descriptor behind, whatever the handler does. */
class LeakKernelTest {

    @BeforeEach
    void bpf() {
        KernelTests.requireBpf();
    }

    private static final class Boom extends RuntimeException {
        Boom() {
            super("the handler failed");
        }
    }

    @ParameterizedTest
    @EnumSource(value = BufferKind.class, names = {"RING", "PERF"})
    void aHandlerThatThrowsLeavesNothing(BufferKind buffer) throws Exception {
        Set<Integer> before = KernelTests.syscopeObjects();
        try (Child child = Child.start("readwrite", "10", "1", "0", "1");
             TraceSession s = Syscope.trace().syscalls("write").pid(child.pid()).buffer(buffer).open()) {
            child.go();
            assertThatThrownBy(() -> {
                for (int i = 0; i < 100; i++) {
                    s.poll(e -> {
                        throw new Boom();
                    });
                }
            }).isInstanceOf(Boom.class);
        }
        KernelTests.assertObjectsBackTo(before);
    }

    @Test
    void aBackgroundHandlerThatThrowsIsRethrownAtCloseAndLeavesNothing() throws Exception {
        Set<Integer> before = KernelTests.syscopeObjects();
        try (Child child = Child.start("readwrite", "10", "1", "0", "1")) {
            TraceSession s = Syscope.trace().syscalls("write").pid(child.pid()).onEvent(e -> {
                throw new Boom();
            }).start();
            child.go();
            Thread.sleep(300); // the poller meets the events and stops on the exception
            assertThatThrownBy(s::close).isInstanceOf(Boom.class);
        }
        KernelTests.assertObjectsBackTo(before);
    }

    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void fileDescriptorsDoNotGrowAcross100Sessions() throws Exception {
        Set<Integer> before = KernelTests.syscopeObjects();
        try (TraceSession warmUp = Syscope.trace().syscalls("getppid").open()) { // libbpf and BTF loaded once
            assertThat(warmUp.attachMode()).isNotNull();
        }
        long fds = openFds();
        for (int i = 0; i < 100; i++) {
            try (TraceSession s = Syscope.trace().syscalls("getppid").open()) {
                s.poll(e -> { });
            }
        }
        assertThat(openFds()).isEqualTo(fds);
        KernelTests.assertObjectsBackTo(before);
    }
}
