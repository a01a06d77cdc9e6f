package dev.syscope.kafka;

import dev.syscope.event.TraceEvent;
import dev.syscope.sink.TraceRecords;
import dev.syscope.syscalls.Arch;
import dev.syscope.syscalls.SyscallTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The export's accounting with no broker at all (a closed port): the reader never blocks, what
 * the buffers cannot hold is counted (not streamed, or dropped), and at close whatever the
 * producer could not deliver counts as failed, so every event is in exactly one number.
 */
class KafkaExportTest {
    private static final Arch ARCH = Arch.X86_64;
    private static final SyscallTable TABLE = SyscallTable.of(ARCH);

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void withNoBrokerEveryEventIsFailedNotStreamedOrDropped(boolean aggregate) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        List<String> log = new CopyOnWriteArrayList<>();
        int n = 50_000; // about 15 MB of JSON: far more than a 4 MiB export holds
        KafkaExport k = new KafkaExport(new KafkaExport.Options("127.0.0.1:" + port, "t", "lz4", 4 << 20, "node-a",
                aggregate, false), ARCH, null, log::add);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = TraceRecords.record(a, TABLE, "write", 7, new long[] {1, 0x7000, 7}, null, false);
            TraceEvent e = TraceRecords.view(TABLE, 0, m);
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                k.onEvent(e);
            }
            // The reader's side never waits for the broker: 50,000 events in well under the producer's 10 s block.
            assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
            k.reportBacklog(0);
        } finally {
            k.close();
        }
        KafkaExport.Stats s = k.stats();
        assertThat(s.delivered()).isZero();
        assertThat(s.pending()).isZero();
        assertThat(s.failed() + s.notStreamed() + s.dropped()).isEqualTo(n);
        if (aggregate) {
            assertThat(s.notStreamed()).isPositive();
            assertThat(s.dropped()).isZero();
        } else {
            assertThat(s.dropped()).isPositive();
            assertThat(s.notStreamed()).isZero();
        }
        assertThat(s.bufferLimitBytes()).isEqualTo(4 << 20);
    }

    /** The reader's side, into the ring and (once the ring is full) into the backlog, allocates nothing per event. */
    @Test
    void theReadersSideAllocatesNothingPerEvent() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        // 256 MiB: a 128 MiB ring, room for ~400,000 of these events while no broker takes any.
        KafkaExport k = new KafkaExport(new KafkaExport.Options("127.0.0.1:" + port, "t", "lz4", 256 << 20, "node-a",
                true, false), ARCH, null, l -> { });
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = TraceRecords.record(a, TABLE, "write", 7, new long[] {1, 0x7000, 7}, null, false);
            TraceEvent e = TraceRecords.view(TABLE, 0, m);
            for (int i = 0; i < 200_000; i++) {
                k.onEvent(e);
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100_000; i++) {
                k.onEvent(e);
            }
            assertThat(threads.getCurrentThreadAllocatedBytes() - before).as("bytes allocated by 100,000 events into the ring")
                    .isLessThan(100_000);
            assertThat(k.stats().notStreamed()).isZero();
            while (k.stats().notStreamed() < 200_000) { // the ring is full: the backlog counts, and warms
                for (int i = 0; i < 1000; i++) {
                    k.onEvent(e);
                }
            }
            before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100_000; i++) {
                k.onEvent(e);
            }
            assertThat(threads.getCurrentThreadAllocatedBytes() - before).as("bytes allocated by 100,000 events counted instead")
                    .isLessThan(100_000);
        } finally {
            k.close();
        }
    }
}
