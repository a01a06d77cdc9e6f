package dev.syscope.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** `syscope stats` from the packaged jar. */
class StatsIT {

    @BeforeEach
    void bpf() {
        KernelTests.requireBpf();
    }

    @Test
    void jsonRowsAreExactForAChild() throws Exception {
        try (Child child = Child.start("readwrite", "1000", "10", "500", "4");
             SyscopeProcess sc = SyscopeProcess.start("stats", "-p", Integer.toString(child.pid()), "-e", "read,write",
                     "-o", "json", "-L", "-v")) {
            sc.awaitErr(l -> l.startsWith("syscope: attach: "), 30);
            child.go();
            sc.signal("INT");
            sc.awaitExit(30);
            assertThat(sc.out()).hasSize(1);
            JsonNode doc = new ObjectMapper().readTree(sc.out().getFirst());
            assertThat(doc.get("lost").asLong()).isZero();
            assertThat(doc.get("map_full").asLong()).isZero();
            Map<String, JsonNode> rows = new HashMap<>();
            doc.get("rows").forEach(r -> rows.put(r.get("syscall").asText(), r));
            assertThat(rows).containsOnlyKeys("read", "write");
            assertThat(rows.get("write").get("count").asLong()).isEqualTo(1000);
            assertThat(rows.get("write").get("bytes").asLong()).isEqualTo(10_000);
            assertThat(rows.get("read").get("count").asLong()).isEqualTo(500);
            assertThat(rows.get("read").get("bytes").asLong()).isEqualTo(2_000);
            for (JsonNode r : rows.values()) {
                assertThat(r.get("pid").asInt()).isEqualTo(child.pid());
                assertThat(r.get("comm").asText()).isEqualTo("syscall_child");
                assertThat(r.get("errors").asLong()).isZero();
                assertThat(r.get("latency_ns").get("avg").asLong()).isPositive();
                assertThat(r.get("latency_ns").get("p50").asLong()).isPositive();
                assertThat(r.get("latency_ns").get("p99").asLong()).isGreaterThanOrEqualTo(r.get("latency_ns").get("p50").asLong());
            }
        }
    }

    @Test
    void textTableAndHistogramAddUp() throws Exception {
        try (Child child = Child.start("failopen", "20");
             SyscopeProcess sc = SyscopeProcess.start("stats", "-p", Integer.toString(child.pid()), "-e", "openat",
                     "--by", "syscall", "--histogram", "-v")) {
            sc.awaitErr(l -> l.startsWith("syscope: attach: "), 30);
            child.go();
            sc.signal("INT");
            sc.awaitExit(30);
            List<String> out = sc.out();
            assertThat(out.get(0)).matches("SYSCALL +COUNT +ERRORS +BYTES +AVG +P50 +P99");
            assertThat(out.get(1)).matches("openat +20 +20 +0 .*");
            assertThat(out).contains("@openat latency (ns):");
            long sum = 0;
            Pattern bucket = Pattern.compile("\\[\\d+[KMG]?, \\d+[KMG]?\\) +(\\d+) \\|@* *\\|");
            for (String l : out) {
                Matcher m = bucket.matcher(l);
                if (m.matches()) {
                    sum += Long.parseLong(m.group(1));
                }
            }
            assertThat(sum).isEqualTo(20);
            assertThat(sc.err()).contains("syscope: 0 lost, 0 not counted (map full)");
        }
    }

    @Test
    void aFullMapIsReported() throws Exception {
        try (Child child = Child.start("readwrite", "10", "1", "10", "1");
             SyscopeProcess sc = SyscopeProcess.start("stats", "-p", Integer.toString(child.pid()), "--max-entries", "1", "-v")) {
            sc.awaitErr(l -> l.startsWith("syscope: attach: "), 30);
            child.go();
            sc.signal("INT");
            sc.awaitExit(30);
            assertThat(sc.err()).anyMatch(l -> l.matches("syscope: 0 lost, [1-9]\\d* not counted \\(map full: raise --max-entries\\)"));
        }
    }
}
