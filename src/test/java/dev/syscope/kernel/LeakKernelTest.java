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
import java.util.HashSet;
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
        Set<String> before = KernelTests.heldBySelf();
        Set<String> held;
        try (Child child = Child.start("readwrite", "10", "1", "0", "1");
             TraceSession s = Syscope.trace().syscalls("write").pid(child.pid()).buffer(buffer).open()) {
            held = KernelTests.heldSince(before);
            child.go();
            assertThatThrownBy(() -> {
                for (int i = 0; i < 100; i++) {
                    s.poll(e -> {
                        throw new Boom();
                    });
                }
            }).isInstanceOf(Boom.class);
        }
        assertLeftNothing(before, held);
    }

    @Test
    void aBackgroundHandlerThatThrowsIsRethrownAtCloseAndLeavesNothing() throws Exception {
        Set<String> before = KernelTests.heldBySelf();
        Set<String> held;
        try (Child child = Child.start("readwrite", "10", "1", "0", "1")) {
            TraceSession s = Syscope.trace().syscalls("write").pid(child.pid()).onEvent(e -> {
                throw new Boom();
            }).start();
            held = KernelTests.heldSince(before);
            child.go();
            Thread.sleep(300); // the poller meets the events and stops on the exception
            assertThatThrownBy(s::close).isInstanceOf(Boom.class);
        }
        assertLeftNothing(before, held);
    }

    /** The session's objects: present while it was open, and neither held nor loaded after it closed. */
    private static void assertLeftNothing(Set<String> before, Set<String> held) throws InterruptedException {
        assertThat(held).as("programs, maps and links held while open").anyMatch(o -> o.startsWith("prog:"))
                .anyMatch(o -> o.startsWith("map:")).anyMatch(o -> o.startsWith("link:"));
        assertThat(KernelTests.heldSince(before)).as("still held after close").isEmpty();
        KernelTests.assertGone(held);
    }

    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void fileDescriptorsDoNotGrowAcross100Sessions() throws Exception {
        Set<String> before = KernelTests.heldBySelf();
        Set<String> held = new HashSet<>();
        try (TraceSession warmUp = Syscope.trace().syscalls("getppid").open()) { // libbpf and BTF loaded once
            assertThat(warmUp.attachMode()).isNotNull();
        }
        long fds = openFds();
        for (int i = 0; i < 100; i++) {
            try (TraceSession s = Syscope.trace().syscalls("getppid").open()) {
                held.addAll(KernelTests.heldSince(before));
                s.poll(e -> { });
            }
        }
        assertThat(openFds()).isEqualTo(fds);
        assertLeftNothing(before, held);
    }
}
