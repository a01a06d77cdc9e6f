package dev.syscope.metrics;

import dev.syscope.api.StatsRow;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SyscallMetricsTest {

    private static long[] hist(int bucket, long n) {
        long[] h = new long[32];
        h[bucket] = n;
        return h;
    }

    private static String exposition(SyscallMetrics m) throws Exception {
        PrometheusRegistry r = new PrometheusRegistry();
        r.register(m);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, r.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void sumsDrainsPerSyscallAndCommWithoutPid() throws Exception {
        SyscallMetrics m = new SyscallMetrics(new CommLabels(1, 60), "read"::equals, () -> 3, () -> 4, () -> 5);
        m.add(List.of(
                new StatsRow(10, "dd", "read", 7, 2, 700, 7000, hist(9, 7), Map.of(2, 2L)),
                new StatsRow(11, "dd", "read", 3, 0, 300, 3000, hist(12, 3)),
                new StatsRow(12, "cat", "write", 1, 0, 1, 100, hist(6, 1))));
        m.add(List.of(new StatsRow(10, "dd", "read", 1, 0, 100, 100, hist(9, 1))));
        String text = exposition(m);
        assertThat(text)
                .contains("syscope_syscalls_total{comm=\"dd\",syscall=\"read\"} 11.0")
                .contains("syscope_syscalls_total{comm=\"other\",syscall=\"write\"} 1.0")
                .contains("syscope_syscall_bytes_total{comm=\"dd\",syscall=\"read\"} 1100.0")
                .doesNotContain("syscope_syscall_bytes_total{comm=\"other\",syscall=\"write\"}") // write: not "read"
                .contains("syscope_syscall_errors_total{comm=\"dd\",errno=\"ENOENT\",syscall=\"read\"} 2.0")
                .contains("syscope_events_lost_total 3.0")
                .contains("syscope_map_full_total{map=\"stats\"} 4.0")
                .contains("syscope_map_full_total{map=\"errnos\"} 5.0")
                .doesNotContain("pid=");
        // Buckets 9 ([512, 1024) ns) fall under le=1.024e-6 and bucket 12 ([4096, 8192) ns) under le=8.192e-6.
        assertThat(text)
                .contains("syscope_syscall_latency_seconds_bucket{syscall=\"read\",le=\"1.024E-6\"} 8")
                .contains("syscope_syscall_latency_seconds_bucket{syscall=\"read\",le=\"4.096E-6\"} 8")
                .contains("syscope_syscall_latency_seconds_bucket{syscall=\"read\",le=\"8.192E-6\"} 11")
                .contains("syscope_syscall_latency_seconds_bucket{syscall=\"read\",le=\"+Inf\"} 11")
                .contains("syscope_syscall_latency_seconds_count{syscall=\"read\"} 11")
                .contains("syscope_syscall_latency_seconds_sum{syscall=\"read\"} 1.01E-5");
    }

    @Test
    void kernelBucketsMapToTheirUpperBound() {
        assertThat(SyscallMetrics.bucket(0)).isZero();
        assertThat(SyscallMetrics.bucket(9)).isZero();   // < 1024 ns
        assertThat(SyscallMetrics.bucket(10)).isEqualTo(1); // < 2048 ns
        assertThat(SyscallMetrics.bucket(30)).isEqualTo(21); // < 2^31 ns, the last finite bound
        assertThat(SyscallMetrics.bucket(31)).isEqualTo(22); // open-ended: +Inf
    }

    @Test
    void containerLabelIsTheShortIdHostOrOtherBeyondTheLimit() throws Exception {
        // cgroup id n: container "c<n>" for n < 1000, the host otherwise
        SyscallMetrics m = new SyscallMetrics(new CommLabels(5, 60), "write"::equals, () -> 0, () -> 0, () -> 0,
                id -> id < 1000 ? "c" + id : SyscallMetrics.HOST);
        List<StatsRow> rows = new java.util.ArrayList<>();
        for (int c = 0; c < SyscallMetrics.CONTAINER_LIMIT + 10; c++) {
            rows.add(new StatsRow(100 + c, "app", "write", 1000 - c, 0, 7, 0, new long[32], Map.of(), c));
        }
        rows.add(new StatsRow(9, "app", "write", 5000, 1, 70, 0, new long[32], Map.of(9, 1L), 4242));
        m.add(rows);
        String text = exposition(m);
        assertThat(text)
                .contains("syscope_syscalls_total{comm=\"app\",container=\"c0\",syscall=\"write\"} 1000.0")
                .contains("syscope_syscalls_total{comm=\"app\",container=\"host\",syscall=\"write\"} 5000.0")
                .contains("syscope_syscall_bytes_total{comm=\"app\",container=\"c0\",syscall=\"write\"} 7.0")
                .contains("syscope_syscall_errors_total{comm=\"app\",container=\"host\",errno=\"EBADF\",syscall=\"write\"} 1.0");
        long containerValues = text.lines().filter(l -> l.startsWith("syscope_syscalls_total{")).count();
        assertThat(containerValues).as("the limit, plus other").isEqualTo(SyscallMetrics.CONTAINER_LIMIT + 1);
        assertThat(text).contains("container=\"other\"");
    }
}
