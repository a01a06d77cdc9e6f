package dev.syscope.kernel;

import dev.syscope.api.AttachMode;
import dev.syscope.api.BufferKind;
import dev.syscope.api.Counters;
import dev.syscope.api.SeedOptions;
import dev.syscope.api.SeedSession;
import dev.syscope.api.Syscope;
import dev.syscope.syscalls.Arch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.FileOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Real programs, real kernel, a child whose calls are known exactly; both buffers. */
class SeedSessionKernelTest {
    private static final int WRITE = Arch.current().syscallNr("write");
    private static final int READ = Arch.current().syscallNr("read");

    /** What a test keeps of an event (the view itself is only valid during the callback). */
    record Seen(int pid, int tid, int nr, int fd, long count, String comm) {}

    @BeforeEach
    void bpf() {
        KernelTests.requireBpf();
    }

    private static SeedOptions options(BufferKind buffer) {
        return SeedOptions.defaults().withAttach(AttachMode.TRACEPOINT).withBuffer(buffer);
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void pidFilterGivesExactlyTheChildsThousandWritesOfSevenBytes(BufferKind buffer) throws Exception {
        List<Seen> seen = new ArrayList<>();
        Counters counters;
        try (Child child = Child.start("write", "/dev/null", "1000", "7");
             SeedSession s = Syscope.seed(options(buffer).withPid(child.pid()))) {
            child.go();
            s.finish(e -> seen.add(new Seen(e.pid(), e.tid(), e.syscallNr(), e.fd(), e.count(), e.comm())));
            counters = s.counters();

            assertThat(seen).hasSize(1000).allSatisfy(e -> {
                assertThat(e.pid()).isEqualTo(child.pid());
                assertThat(e.tid()).isEqualTo(child.pid());
                assertThat(e.nr()).isEqualTo(WRITE);
                assertThat(e.fd()).isEqualTo(child.fd());
                assertThat(e.count()).isEqualTo(7);
                assertThat(e.comm()).isEqualTo("syscall_child");
            });
        }
        assertThat(counters).isEqualTo(new Counters(1000, 0));
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void ownProcessIsSkippedInTheKernelUnlessIncluded(BufferKind buffer) throws Exception {
        int self = (int) ProcessHandle.current().pid();
        for (boolean include : new boolean[] {false, true}) {
            List<Seen> mine = new ArrayList<>();
            try (Child child = Child.start("write", "/dev/null", "10", "3");
                 SeedSession s = Syscope.seed(options(buffer).withIncludeSelf(include));
                 FileOutputStream devnull = new FileOutputStream("/dev/null")) {
                for (int i = 0; i < 50; i++) {
                    devnull.write(new byte[5]);
                }
                child.go();
                List<Seen> all = new ArrayList<>();
                s.finish(e -> all.add(new Seen(e.pid(), e.tid(), e.syscallNr(), e.fd(), e.count(), "")));
                all.stream().filter(e -> e.pid() == self).forEach(mine::add);
                assertThat(all).as("the child's writes, seen system-wide")
                        .filteredOn(e -> e.pid() == child.pid() && e.nr() == WRITE && e.count() == 3).hasSize(10);
                assertThat(s.selfPid()).isEqualTo(include ? 0 : self);
            }
            if (include) {
                assertThat(mine).filteredOn(e -> e.nr() == WRITE && e.count() == 5).hasSize(50);
            } else {
                assertThat(mine).isEmpty();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void anOverflowingBufferCountsEveryEventItCouldNotDeliver(BufferKind buffer) throws Exception {
        int made = 20_000;
        long[] received = {0};
        Counters counters;
        // One page of buffer and no polling while the child runs: most events cannot fit.
        SeedOptions tiny = options(buffer).withRingBufferBytes(4096).withPerfPagesPerCpu(1);
        try (Child child = Child.start("write", "/dev/null", Integer.toString(made), "1");
             SeedSession s = Syscope.seed(tiny.withPid(child.pid()))) {
            child.go();
            s.finish(e -> received[0]++);
            counters = s.counters();
        }
        assertThat(counters.lost()).as("lost").isPositive();
        assertThat(counters.received()).isEqualTo(received[0]);
        assertThat(counters.received() + counters.lost()).as("received + lost = made").isEqualTo(made);
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void pipeChildReadsAndWritesAreReportedWithTheirSyscall(BufferKind buffer) throws Exception {
        List<Seen> seen = new ArrayList<>();
        try (Child child = Child.start("pipe", "3", "2");
             SeedSession s = Syscope.seed(options(buffer).withPid(child.pid()))) {
            child.go();
            s.finish(e -> seen.add(new Seen(e.pid(), e.tid(), e.syscallNr(), e.fd(), e.count(), "")));
            assertThat(seen).extracting(Seen::nr).containsExactly(WRITE, WRITE, WRITE, READ, READ);
            assertThat(seen).extracting(Seen::count).containsOnly(1L);
        }
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void aHandlerThatThrowsFailsThePollNotTheJvm(BufferKind buffer) throws Exception {
        // With the perf buffer the handler runs inside a native upcall, where an escaping
        // exception would kill the JVM; the reader must carry it out of poll instead.
        try (Child child = Child.start("write", "/dev/null", "100", "7");
             SeedSession s = Syscope.seed(options(buffer).withPid(child.pid()))) {
            child.go();
            IllegalStateException boom = new IllegalStateException("handler failed");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.finish(e -> { throw boom; })).isSameAs(boom);
            int[] rest = {0};
            s.finish(e -> rest[0]++);
            // The record being handled when it threw: the ring reader had not acknowledged it, so
            // it comes again; libbpf's perf reader had already moved past it. All others arrive.
            assertThat(rest[0]).isEqualTo(buffer == BufferKind.RING ? 100 : 99);
        }
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void closeDetachesAndUnloadsEverything(BufferKind buffer) throws Exception {
        Set<String> before = KernelTests.heldBySelf();
        SeedSession s = Syscope.seed(options(buffer));
        Set<String> held = KernelTests.heldSince(before);
        assertThat(held.stream().filter(o -> o.startsWith("prog:"))).hasSize(2);
        s.close();
        s.close(); // idempotent
        assertThat(KernelTests.heldSince(before)).isEmpty();
        KernelTests.assertGone(held);
    }
}
