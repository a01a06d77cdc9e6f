package dev.syscope.kafka;

import dev.syscope.api.StatsRow;
import dev.syscope.sink.TraceRecords;
import dev.syscope.syscalls.Arch;
import dev.syscope.syscalls.SyscallTable;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BacklogTest {
    private static final SyscallTable TABLE = SyscallTable.of(Arch.X86_64);

    @Test
    void countsPerProcessAndSyscallWithErrorsAndBytesThenStartsAfresh() {
        Backlog b = new Backlog();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment write = TraceRecords.record(a, TABLE, "write", 7, new long[] {1, 0, 7}, null, false);
            MemorySegment failed = TraceRecords.record(a, TABLE, "openat", -2, new long[] {-100, 0, 0}, "/x", false);
            MemorySegment other = TraceRecords.record(a, TABLE, "write", 3, new long[] {1, 0, 3}, null, false);
            TraceRecords.set(other, "pid", 99);
            for (int i = 0; i < 5; i++) {
                b.add(TraceRecords.view(TABLE, 0, write));
            }
            b.add(TraceRecords.view(TABLE, 0, failed));
            b.add(TraceRecords.view(TABLE, 0, other));
        }
        List<StatsRow> rows = b.drain();
        assertThat(rows).extracting(StatsRow::pid, StatsRow::comm, StatsRow::syscall, StatsRow::count, StatsRow::errors, StatsRow::bytes)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(1234, "my \"app\"", "write", 5L, 0L, 35L),
                        org.assertj.core.groups.Tuple.tuple(1234, "my \"app\"", "openat", 1L, 1L, 0L),
                        org.assertj.core.groups.Tuple.tuple(99, "my \"app\"", "write", 1L, 0L, 3L));
        assertThat(b.total()).isEqualTo(7);
        assertThat(b.drain()).isEmpty();
    }

    @Test
    void beyondItsKeysItStillCountsEveryEventUnderOther() {
        Backlog b = new Backlog();
        int extra = 10;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = TraceRecords.record(a, TABLE, "read", 1, new long[] {0, 0, 1}, null, false);
            for (int pid = 1; pid <= Backlog.MAX_KEYS + extra; pid++) {
                TraceRecords.set(m, "pid", pid);
                b.add(TraceRecords.view(TABLE, 0, m));
            }
        }
        List<StatsRow> rows = b.drain();
        assertThat(rows).hasSize(Backlog.MAX_KEYS + 1);
        assertThat(rows.stream().mapToLong(StatsRow::count).sum()).isEqualTo(Backlog.MAX_KEYS + extra);
        assertThat(rows).filteredOn(r -> r.syscall().equals("other")).singleElement()
                .satisfies(r -> assertThat(r.count()).isEqualTo(extra));
    }
}
