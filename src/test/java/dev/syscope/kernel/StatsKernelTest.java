package dev.syscope.kernel;

import dev.syscope.api.StatsRow;
import dev.syscope.bpf.Errno;
import dev.syscope.api.Syscope;
import dev.syscope.api.TraceAttach;
import dev.syscope.api.TraceSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Stats mode: exact in-kernel aggregates of children whose syscalls are known. */
class StatsKernelTest {

    @BeforeEach
    void bpf() {
        KernelTests.requireBpf();
    }

    private static Map<String, StatsRow> bySyscall(List<StatsRow> rows) {
        return rows.stream().collect(Collectors.toMap(StatsRow::syscall, r -> r, StatsRow::plus));
    }

    @ParameterizedTest
    @CsvSource({"TRACEPOINT,false", "RAW,false", "TRACEPOINT,true", "RAW,true"})
    void countsBytesAndErrorsAreExact(TraceAttach attach, boolean latency) throws Exception {
        try (Child child = Child.start("readwrite", "1000", "10", "500", "4");
             TraceSession s = Syscope.trace().syscalls("read", "write").pid(child.pid()).attach(attach)
                     .aggregate(1024).latency(latency).open()) {
            child.go();
            Map<String, StatsRow> rows = bySyscall(s.drainStats());
            assertThat(rows.get("write").count()).isEqualTo(1000);
            assertThat(rows.get("write").bytes()).isEqualTo(10_000);
            assertThat(rows.get("write").errors()).isZero();
            // Without latency only sys_exit is hooked, so the 1-byte read(0) that was waiting for
            // child.go() when the probe attached is counted at its return; with latency it has no entry.
            int early = latency ? 0 : 1;
            assertThat(rows.get("read").count()).isEqualTo(500 + early);
            assertThat(rows.get("read").bytes()).isEqualTo(2_000 + early);
            assertThat(rows.get("read").errors()).isZero();
            assertThat(rows.get("read").errnos()).isEmpty();
            for (StatsRow r : rows.values()) {
                assertThat(r.pid()).isEqualTo(child.pid());
                assertThat(r.comm()).isEqualTo("syscall_child");
                if (latency) {
                    assertThat(Arrays.stream(r.histogram()).sum()).isEqualTo(r.count());
                    assertThat(r.latencyNanos()).isPositive();
                    assertThat(r.percentileNanos(0.5)).isPositive().isLessThanOrEqualTo(r.percentileNanos(0.99));
                } else {
                    assertThat(r.histogram()).containsOnly(0L);
                    assertThat(r.latencyNanos()).isZero();
                }
            }
            assertThat(s.drainStats()).isEmpty(); // drained means gone
            assertThat(s.statsMapFull()).isZero();
        }
    }

    @Test
    void failingOpensAreErrors() throws Exception {
        try (Child child = Child.start("failopen", "20");
             TraceSession s = Syscope.trace().syscalls("openat").pid(child.pid()).aggregate(1024).open()) {
            child.go();
            StatsRow open = bySyscall(s.drainStats()).get("openat");
            assertThat(open.count()).isEqualTo(20);
            assertThat(open.errors()).isEqualTo(20);
            assertThat(open.errnos()).containsExactly(Map.entry(Errno.number("ENOENT"), 20L));
            assertThat(open.bytes()).isZero();
            assertThat(s.errnoMapFull()).isZero();
        }
    }

    @Test
    void aProcessThatExecsGetsRowsUnderEachName() throws Exception {
        // Opened before the child exists: the JVM's spawn helper runs as the child's pid before exec.
        try (TraceSession s = Syscope.trace().syscalls("read", "write", "close").aggregate(4096).open();
             Child child = Child.start("readwrite", "100", "3", "0", "1")) {
            child.go();
            List<StatsRow> mine = s.drainStats().stream().filter(r -> r.pid() == child.pid()).toList();
            Map<String, StatsRow> after = bySyscall(mine.stream().filter(r -> r.comm().equals("syscall_child")).toList());
            // After the exec: its "ready <fd>\n" line, then 100 writes of 3 bytes.
            assertThat(after.get("write").count()).isEqualTo(101);
            assertThat(after.get("write").bytes()).isEqualTo(300 + ("ready " + child.fd() + "\n").length());
            assertThat(mine).as("rows from before the exec keep the old name")
                    .anySatisfy(r -> assertThat(r.comm()).isNotEqualTo("syscall_child"));
        }
    }

    @Test
    void aFullMapIsCountedNotSilent() throws Exception {
        // One entry: the child's first syscall takes it, its other syscalls find the map full.
        try (Child child = Child.start("readwrite", "10", "1", "10", "1");
             TraceSession s = Syscope.trace().syscalls("all").pid(child.pid()).aggregate(1).open()) {
            child.go();
            List<StatsRow> rows = s.drainStats();
            assertThat(rows).hasSize(1);
            assertThat(s.statsMapFull()).isPositive();
            assertThat(rows.getFirst().count() + s.statsMapFull()).isGreaterThanOrEqualTo(21); // 10 + 10 + exit_group
        }
    }
}
