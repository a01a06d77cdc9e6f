package dev.syscope.top;

import dev.syscope.api.StatsRow;
import dev.syscope.stats.Grouping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** Rates, sorting, reversing, the comm filter and grouping, on hand-made intervals. */
class TopModelTest {
    static final long SECOND = 1_000_000_000L;

    /** A row whose calls all took {@code latency} ns (a power of two: bucket log2(latency)). */
    static StatsRow row(int pid, String comm, String syscall, long count, long errors, long bytes, long latency) {
        long[] h = new long[64];
        h[63 - Long.numberOfLeadingZeros(latency)] = count;
        return new StatsRow(pid, comm, syscall, count, errors, bytes, count * latency, h);
    }

    /** Three groups whose order differs for every column. */
    static List<StatsRow> mixed() {
        return List.of(
                row(30, "alpha", "write", 100, 0, 4_000, 1 << 10),
                row(10, "gamma", "read", 40, 20, 8_000, 1 << 12),
                row(20, "beta", "openat", 10, 5, 0, 1 << 20));
    }

    static List<Integer> pids(TopModel m) {
        return m.rows().stream().map(TopRow::pid).toList();
    }

    @Test
    void ratesAreCountsOverTheIntervalAndEachIntervalReplacesTheLast() {
        TopModel m = new TopModel(Grouping.PROCESS_SYSCALL);
        assertThat(m.hasInterval()).isFalse();
        assertThat(m.rows()).isEmpty();

        m.update(List.of(row(7, "dd", "write", 3_000, 30, 1_500_000, 512)), 2 * SECOND);
        assertThat(m.rows()).singleElement().satisfies(r -> {
            assertThat(r.callsPerSec()).isEqualTo(1_500.0);
            assertThat(r.errorsPerSec()).isEqualTo(15.0);
            assertThat(r.bytesPerSec()).isEqualTo(750_000.0);
            assertThat(r.avgNanos()).isEqualTo(512);
            assertThat(r.p50Nanos()).isEqualTo(1023); // the upper bound of bucket [512, 1024)
            assertThat(r.p99Nanos()).isEqualTo(1023);
        });

        // The next interval: dd slowed down, cat appeared; nothing of the first interval remains.
        m.update(List.of(row(7, "dd", "write", 500, 0, 100, 512), row(8, "cat", "read", 250, 0, 0, 512)), SECOND / 2);
        assertThat(m.rows()).extracting(TopRow::comm, TopRow::callsPerSec)
                .containsExactly(tuple("dd", 1_000.0), tuple("cat", 500.0));
        assertThat(m.elapsedNanos()).isEqualTo(SECOND / 2);
    }

    @Test
    void anEmptyIntervalIsRejected() {
        assertThatThrownBy(() -> new TopModel(Grouping.PROCESS).update(List.of(), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({
        "CALLS,   30 10 20",  // 100, 40, 10 calls
        "ERRORS,  10 20 30",  // 20, 5, 0 errors
        "BYTES,   10 30 20",  // 8000, 4000, 0 bytes
        "AVG,     20 10 30",  // 1 ms, 4 us, 1 us
        "P99,     20 10 30",
        "PID,     10 20 30",
        "COMM,    30 20 10",  // alpha, beta, gamma
        "SYSCALL, 20 10 30"}) // openat, read, write
    void eachColumnSortsInItsNaturalOrderAndReverses(Column column, String expected) {
        TopModel m = new TopModel(Grouping.PROCESS_SYSCALL);
        m.update(mixed(), SECOND);
        m.sortBy(column);
        List<Integer> order = java.util.Arrays.stream(expected.trim().split(" +")).map(Integer::valueOf).toList();
        assertThat(pids(m)).containsExactlyElementsOf(order);
        m.reverse();
        assertThat(m.reversed()).isTrue();
        assertThat(pids(m)).containsExactlyElementsOf(order.reversed());
        m.sortBy(Column.CALLS); // a new column starts in its natural order again
        assertThat(m.reversed()).isFalse();
    }

    @Test
    void equalKeysFallBackToTheBusiestFirst() {
        TopModel m = new TopModel(Grouping.PROCESS_SYSCALL);
        m.update(List.of(row(1, "a", "read", 5, 1, 0, 64), row(2, "b", "read", 50, 1, 0, 64)), SECOND);
        m.sortBy(Column.ERRORS);
        assertThat(pids(m)).containsExactly(2, 1);
    }

    @Test
    void theCommFilterKeepsSubstringsIgnoringCaseAndEmptyClearsIt() {
        TopModel m = new TopModel(Grouping.PROCESS_SYSCALL);
        m.update(mixed(), SECOND);
        m.filterComm("MM");
        assertThat(m.rows()).extracting(TopRow::comm).containsExactly("gamma");
        m.filterComm("a");
        assertThat(m.rows()).extracting(TopRow::comm).containsExactly("alpha", "gamma", "beta");
        m.filterComm("nothing");
        assertThat(m.rows()).isEmpty();
        m.filterComm("");
        assertThat(m.rows()).hasSize(3);
    }

    @Test
    void bySyscallMergesProcessesAfterTheCommFilter() {
        List<StatsRow> rows = List.of(
                row(1, "dd", "read", 10, 0, 100, 256),
                row(2, "dd", "read", 30, 0, 300, 256),
                row(3, "cat", "read", 1_000, 0, 0, 256),
                row(2, "dd", "write", 5, 1, 5, 256));
        TopModel m = new TopModel(Grouping.SYSCALL);
        m.update(rows, SECOND);
        assertThat(m.rows()).extracting(TopRow::syscall, TopRow::callsPerSec)
                .containsExactly(tuple("read", 1_040.0), tuple("write", 5.0));
        m.filterComm("dd");
        assertThat(m.rows()).extracting(TopRow::syscall, TopRow::callsPerSec, TopRow::pid)
                .containsExactly(tuple("read", 40.0, 0), tuple("write", 5.0, 0));

        TopModel byProcess = new TopModel(Grouping.PROCESS);
        byProcess.update(rows, SECOND);
        assertThat(byProcess.rows()).extracting(TopRow::pid, TopRow::callsPerSec, TopRow::errorsPerSec)
                .containsExactly(tuple(3, 1_000.0, 0.0),
                        tuple(2, 35.0, 1.0), tuple(1, 10.0, 0.0));
    }
}
