package dev.syscope.kernel;

import dev.syscope.api.BufferKind;
import dev.syscope.api.Overload;
import dev.syscope.api.StatsRow;
import dev.syscope.api.Syscope;
import dev.syscope.api.TraceAttach;
import dev.syscope.api.TraceBuilder;
import dev.syscope.api.TraceSession;
import dev.syscope.event.TraceEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** Trace mode against the real kernel: children whose syscalls are known exactly. */
class TraceKernelTest {

    /** A copy of one event (the TraceEvent view is only valid during the callback). */
    record Ev(int pid, int tid, int uid, String comm, String syscall, long[] args, long ret, int errno,
              long latencyNs, String path, long cgroupId, boolean returned) {
        static Ev of(TraceEvent e) {
            long[] a = new long[6];
            for (int i = 0; i < 6; i++) {
                a[i] = e.arg(i);
            }
            return new Ev(e.pid(), e.tid(), e.uid(), e.comm(), e.syscall() != null ? e.syscall().name() : "?", a,
                    e.ret(), e.errno(), e.latencyNanos(), e.path(), e.cgroupId(), e.returned());
        }
    }

    @BeforeEach
    void bpf() {
        KernelTests.requireBpf();
    }

    /** Polls {@code s} into a list until {@code done} holds for it or 10 s pass, then finishes. */
    static List<Ev> collect(TraceSession s, Predicate<List<Ev>> done) {
        List<Ev> evs = new ArrayList<>();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!done.test(evs) && System.nanoTime() < deadline) {
            s.poll(e -> evs.add(Ev.of(e)));
        }
        s.finish(e -> evs.add(Ev.of(e)));
        return evs;
    }

    /** Every event of children that have exited: their calls are complete, so all are buffered. */
    static List<Ev> drain(TraceSession s) {
        List<Ev> evs = new ArrayList<>();
        s.finish(e -> evs.add(Ev.of(e)));
        return evs;
    }

    private static Path existingFile() throws Exception {
        Path f = Files.createTempFile("syscope-trace-", ".txt");
        f.toFile().deleteOnExit();
        return f;
    }

    @ParameterizedTest
    @CsvSource({"TRACEPOINT, RING", "RAW, RING", "TRACEPOINT, PERF", "RAW, PERF"})
    void openatShowsTheExactPathsReturnValueErrnoAndLatency(TraceAttach attach, BufferKind buffer) throws Exception {
        Path existing = existingFile();
        String missing = existing + ".missing";
        try (Child child = Child.start("open", existing.toString(), missing);
             TraceSession s = Syscope.trace().syscalls("openat").pid(child.pid()).attach(attach).buffer(buffer).open()) {
            assertThat(s.attachMode()).isEqualTo(attach);
            child.go();
            List<Ev> evs = collect(s, l -> l.size() >= 2);
            assertThat(evs).hasSize(2).allSatisfy(e -> {
                assertThat(e.syscall()).isEqualTo("openat");
                assertThat(e.pid()).isEqualTo(child.pid());
                assertThat(e.tid()).isEqualTo(child.pid());
                assertThat(e.comm()).isEqualTo("syscall_child");
                assertThat(e.latencyNs()).isPositive();
                assertThat(e.cgroupId()).isPositive();
                assertThat(e.returned()).isTrue();
                // open(path, O_RDONLY) in the static child is openat(AT_FDCWD, path, O_RDONLY, 0)
                assertThat((int) e.args()[0]).isEqualTo(-100);
                assertThat(e.args()[1]).isNotZero();
                assertThat(e.args()[2]).isZero();
                assertThat(e.args()[3]).isZero();
            });
            assertThat(evs.get(0).path()).isEqualTo(existing.toString());
            assertThat(evs.get(0).ret()).isNotNegative();
            assertThat(evs.get(0).errno()).isZero();
            assertThat(evs.get(1).path()).isEqualTo(missing);
            assertThat(evs.get(1).ret()).isEqualTo(-2);
            assertThat(evs.get(1).errno()).isEqualTo(2); // ENOENT
            assertThat(s.counters().lost()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TraceAttach.class, names = {"TRACEPOINT", "RAW"})
    void failedOnlyShowsOnlyTheFailingOpen(TraceAttach attach) throws Exception {
        Path existing = existingFile();
        String missing = existing + ".missing";
        try (Child child = Child.start("open", existing.toString(), missing);
             TraceSession s = Syscope.trace().syscalls("openat").pid(child.pid()).failedOnly().attach(attach).open()) {
            child.go();
            List<Ev> evs = collect(s, l -> !l.isEmpty());
            assertThat(evs).singleElement().satisfies(e -> {
                assertThat(e.path()).isEqualTo(missing);
                assertThat(e.errno()).isEqualTo(2);
            });
        }
    }

    @Test
    void errnoFilterSelectsByErrno() throws Exception {
        Path existing = existingFile();
        try (Child child = Child.start("open", existing.toString(), existing + ".missing");
             TraceSession s = Syscope.trace().syscalls("openat").pid(child.pid()).errno("EACCES").open()) {
            child.go();
            assertThat(drain(s).size()).isZero(); // the failure is ENOENT, not EACCES
        }
    }

    @ParameterizedTest
    @CsvSource({"TRACEPOINT, RING", "RAW, RING", "RAW, PERF"})
    void thousandWritesOfSevenBytesAreThousandEvents(TraceAttach attach, BufferKind buffer) throws Exception {
        try (Child child = Child.start("write", "/dev/null", "1000", "7");
             TraceSession s = Syscope.trace().syscalls("write").pid(child.pid()).attach(attach).buffer(buffer).open()) {
            child.go();
            List<Ev> evs = collect(s, l -> l.size() >= 1000);
            assertThat(evs).hasSize(1000).allSatisfy(e -> {
                assertThat(e.syscall()).isEqualTo("write");
                assertThat(e.args()[0]).isEqualTo(child.fd());
                assertThat(e.args()[2]).isEqualTo(7);
                assertThat(e.ret()).isEqualTo(7);
            });
            assertThat(s.counters().lost()).isZero();
        }
    }

    /** Two writers; the filter in {@code configure} must pick exactly {@code a}'s 100 writes. */
    private static void onlyTheFirstOfTwoWriters(List<String> bCommand, java.util.function.BiConsumer<TraceBuilder, Child> configure) throws Exception {
        onlyTheFirstOfTwoWriters(List.of(KernelTests.child().toString()), bCommand, configure);
    }

    private static void onlyTheFirstOfTwoWriters(List<String> aCommand, List<String> bCommand,
                                                 java.util.function.BiConsumer<TraceBuilder, Child> configure) throws Exception {
        try (Child a = Child.startAs(aCommand, "write", "/dev/null", "100", "3");
             Child b = Child.startAs(bCommand, "write", "/dev/null", "100", "3")) {
            TraceBuilder builder = Syscope.trace().syscalls("write");
            configure.accept(builder, a);
            try (TraceSession s = builder.open()) {
                a.go();
                b.go();
                List<Ev> evs = drain(s);
                assertThat(evs).hasSize(100).allSatisfy(e -> assertThat(e.pid()).isEqualTo(a.pid()));
            }
        }
    }

    /**
     * A copy of the child named {@code prefix} + this JVM's pid: a command name no other process on
     * the host has, so a comm filter selects this test's children only.
     */
    private static Path uniqueChild(String prefix) throws IOException {
        Path copy = KernelTests.child().resolveSibling(prefix + ProcessHandle.current().pid());
        Files.copy(KernelTests.child(), copy, StandardCopyOption.REPLACE_EXISTING);
        return copy;
    }

    @Test
    void pidFilterExcludesEveryOtherProcess() throws Exception {
        onlyTheFirstOfTwoWriters(List.of(KernelTests.child().toString()), (t, a) -> t.pid(a.pid()));
    }

    @Test
    void commFilterSelectsByCommandName() throws Exception {
        Path mine = uniqueChild("comm");
        Path other = uniqueChild("other");
        onlyTheFirstOfTwoWriters(List.of(mine.toString()), List.of(other.toString()),
                (t, a) -> t.comm(mine.getFileName().toString()));
    }

    @Test
    void uidFilterSelectsByUser() throws Exception {
        // b runs as nobody (65534); tracing uid 0 keeps only a (root) among the two children.
        Path mine = uniqueChild("uid");
        String comm = mine.getFileName().toString();
        List<String> asNobody = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", mine.toString());
        onlyTheFirstOfTwoWriters(List.of(mine.toString()), asNobody, (t, a) -> t.uid(0).comm(comm));
        try (Child nobody = Child.startAs(asNobody, "write", "/dev/null", "10", "3");
             TraceSession s = Syscope.trace().syscalls("write").uid(65534).comm(comm).open()) {
            nobody.go();
            assertThat(collect(s, l -> l.size() >= 10)).hasSize(10)
                    .allSatisfy(e -> assertThat(e.uid()).isEqualTo(65534));
        }
    }

    @Test
    void cgroupFilterSelectsTheTasksOfOneCgroup() throws Exception {
        Path root = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(l -> l.contains(" - cgroup2 ")).map(l -> Path.of(l.split(" ")[4])).findFirst()
                .orElseThrow(() -> new AssertionError("no cgroup2 mount"));
        Path cg = Files.createDirectory(root.resolve("syscope-test-" + ProcessHandle.current().pid()));
        try {
            onlyTheFirstOfTwoWriters(List.of(KernelTests.child().toString()), (t, a) -> {
                try {
                    Files.writeString(cg.resolve("cgroup.procs"), Integer.toString(a.pid()));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                t.cgroup(cg);
            });
        } finally {
            Files.delete(cg); // the child has exited, so the cgroup is empty
        }
    }

    @Test
    void minLatencyKeepsOnlySlowCalls() throws Exception {
        try (Child child = Child.start("write", "/dev/null", "100", "1");
             TraceSession all = Syscope.trace().syscalls("write").pid(child.pid()).minLatency(java.time.Duration.ofNanos(1)).open();
             TraceSession slow = Syscope.trace().syscalls("write").pid(child.pid()).minLatency(java.time.Duration.ofSeconds(1)).open()) {
            child.go();
            assertThat(drain(all)).hasSize(100);
            assertThat(drain(slow)).isEmpty();
        }
    }

    @Test
    void tidFilterSelectsOneThread() throws Exception {
        try (Child child = Child.start("write", "/dev/null", "10", "1");
             TraceSession mine = Syscope.trace().syscalls("write").tid(child.pid()).open();
             TraceSession other = Syscope.trace().syscalls("write").pid(child.pid()).tid(child.pid() + 1).open()) {
            child.go();
            assertThat(drain(mine)).hasSize(10);
            assertThat(drain(other)).isEmpty();
        }
    }

    @Test
    void allWithRawSyscallsSeesTheChildsGetpidCalls() throws Exception {
        try (Child child = Child.start("getpid", "500");
             TraceSession s = Syscope.trace().syscalls("all").pid(child.pid()).open()) {
            assertThat(s.attachMode()).isEqualTo(TraceAttach.RAW);
            child.go();
            List<Ev> evs = drain(s);
            assertThat(evs.stream().filter(e -> e.syscall().equals("getpid")))
                    .hasSize(500).allSatisfy(e -> assertThat(e.ret()).isEqualTo(child.pid()));
            // exit_group never returns: reported at entry, once.
            assertThat(evs.stream().filter(e -> e.syscall().equals("exit_group")))
                    .singleElement().satisfies(e -> assertThat(e.returned()).isFalse());
        }
    }

    @ParameterizedTest
    @EnumSource(value = TraceAttach.class, names = {"TRACEPOINT", "RAW"})
    void aThreadKilledInsideASyscallReportsItsInterruptedReturn(TraceAttach attach) throws Exception {
        try (Child child = Child.start("thread");
             TraceSession s = Syscope.trace().syscalls("read").pid(child.pid()).attach(attach).open()) {
            child.release(); // its first read(0) entered before the attach: no event
            assertThat(child.readLine()).isEqualTo("blocked");
            child.release(); // the main thread's second read(0) returns; then exit_group kills the blocked thread
            child.awaitExit();
            List<Ev> evs = drain(s);
            assertThat(evs).hasSize(2);
            assertThat(evs).filteredOn(e -> e.tid() == child.pid()).singleElement()
                    .satisfies(e -> assertThat(e.ret()).isEqualTo(1));
            // The killed thread leaves its read() through sys_exit with the kernel's ERESTARTSYS (512).
            assertThat(evs).filteredOn(e -> e.tid() != child.pid()).singleElement()
                    .satisfies(e -> assertThat(e.ret()).isEqualTo(-512));
        }
    }

    @ParameterizedTest
    @EnumSource(value = TraceAttach.class, names = {"TRACEPOINT", "RAW"})
    void anExecFromASecondThreadIsPairedAndLeavesNothingBehind(TraceAttach attach) throws Exception {
        try (Child child = Child.start("execthread", "/bin/true");
             TraceSession s = Syscope.trace().syscalls("execve").pid(child.pid()).attach(attach).open()) {
            child.go(); // /bin/true, now in the child's pid, exits 0
            List<Ev> evs = drain(s);
            assertThat(evs).singleElement().satisfies(e -> {
                assertThat(e.path()).isEqualTo("/bin/true");
                assertThat(e.ret()).isZero();
                assertThat(e.pid()).isEqualTo(child.pid());
                assertThat(e.tid()).isEqualTo(child.pid()); // the exec took over the leader's tid
                assertThat(e.comm()).isEqualTo("true");
            });
        }
    }

    @Test
    void aFullRingBufferCountsEveryEventItCouldNotTake() throws Exception {
        // One page holds 32 write events; nothing is read while the child makes 1000.
        try (Child child = Child.start("write", "/dev/null", "1000", "7");
             TraceSession s = Syscope.trace().syscalls("write").pid(child.pid()).ringBufferBytes(4096)
                     .onOverload(Overload.DROP).open()) {
            child.go();
            List<Ev> evs = drain(s);
            assertThat(s.counters().lost()).isPositive();
            assertThat(evs.size() + s.counters().lost()).isEqualTo(1000);
            assertThat(s.counters().received()).isEqualTo(evs.size());
            assertThat(s.drainStats()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(value = BufferKind.class)
    void onOverloadWhatTheBufferCannotTakeIsCountedExactly(BufferKind buffer) throws Exception {
        // The smallest buffers, and nothing read while the child makes 1000 writes of 7 bytes.
        try (Child child = Child.start("write", "/dev/null", "1000", "7");
             TraceSession s = Syscope.trace().syscalls("write").pid(child.pid()).buffer(buffer)
                     .ringBufferBytes(4096).perfPagesPerCpu(1).open()) {
            child.go();
            List<Ev> evs = drain(s);
            List<StatsRow> rows = s.drainStats();
            assertThat(rows).isNotEmpty().allSatisfy(r -> {
                assertThat(r.pid()).isEqualTo(child.pid());
                assertThat(r.syscall()).isEqualTo("write");
                assertThat(r.comm()).isEqualTo("syscall_child");
                assertThat(r.bytes()).isEqualTo(7 * r.count());
            });
            long aggregated = rows.stream().mapToLong(StatsRow::count).sum();
            assertThat(s.counters().lost()).isZero();
            assertThat(s.counters().aggregated()).isEqualTo(aggregated);
            assertThat(evs.size() + aggregated).isEqualTo(1000);
            assertThat(evs).allSatisfy(e -> assertThat(e.ret()).isEqualTo(7));
        }
    }

    @Test
    void withALargeRingTheCountSlotsAreFilledWhileTracingAndNothingIsLost() throws Exception {
        // 32 MiB (TraceProbe.FILL_WHILE_TRACING_MIN_RING): the slots are filled after attaching. It
        // holds ~262,000 records of 128 bytes; 300,000 writes, unread until the child is done, overflow it.
        int writes = 300_000;
        try (Child child = Child.start("write", "/dev/null", Integer.toString(writes), "7");
             TraceSession s = Syscope.trace().syscalls("write").pid(child.pid()).ringBufferBytes(32 << 20).open()) {
            child.go();
            List<Ev> evs = drain(s);
            long aggregated = s.drainStats().stream().mapToLong(StatsRow::count).sum();
            assertThat(aggregated).isPositive();
            assertThat(s.counters().lost()).isZero();
            assertThat(evs.size() + aggregated).isEqualTo(writes);
        }
    }

    @Test
    void startDeliversOnItsOwnThreadUntilClose() throws Exception {
        List<Ev> evs = java.util.Collections.synchronizedList(new ArrayList<>());
        try (Child child = Child.start("write", "/dev/null", "50", "1")) {
            try (TraceSession s = Syscope.trace().syscalls("write").pid(child.pid()).onEvent(e -> evs.add(Ev.of(e))).start()) {
                child.go();
            }
        }
        assertThat(evs).hasSize(50);
    }
}
