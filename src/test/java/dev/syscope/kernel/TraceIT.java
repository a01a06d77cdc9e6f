package dev.syscope.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** `syscope trace` from the packaged jar, as a user runs it. */
class TraceIT {

    @BeforeEach
    void bpf() {
        KernelTests.requireBpf();
    }

    private static Path existingFile() throws Exception {
        Path f = Files.createTempFile("syscope-trace-it-", ".txt");
        f.toFile().deleteOnExit();
        return f;
    }

    @Test
    void jsonLinesParseWithEveryFieldOfTheRightType() throws Exception {
        Path existing = existingFile();
        String missing = existing + ".missing";
        try (Child child = Child.start("open", existing.toString(), missing);
             SyscopeProcess sc = SyscopeProcess.start("trace", "-e", "openat", "-p", Integer.toString(child.pid()), "-o", "json", "-n", "2", "-v")) {
            sc.awaitErr(l -> l.startsWith("syscope: attach: "), 30);
            Instant before = Instant.now();
            child.go();
            assertThat(sc.awaitExit(30)).isZero();
            List<String> out = sc.out();
            assertThat(out).hasSize(2).allSatisfy(l -> assertThat(l).startsWith("{\"type\":\"syscall\",").endsWith("}"));
            ObjectMapper json = new ObjectMapper();
            JsonNode ok = json.readTree(out.get(0));
            JsonNode fail = json.readTree(out.get(1));
            for (JsonNode n : List.of(ok, fail)) {
                assertThat(n.get("type").asText()).isEqualTo("syscall");
                assertThat(Instant.parse(n.get("time").asText())).isBetween(before.minusSeconds(1), Instant.now());
                assertThat(n.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z");
                assertThat(n.get("pid").isIntegralNumber()).isTrue();
                assertThat(n.get("pid").asInt()).isEqualTo(child.pid());
                assertThat(n.get("tid").asInt()).isEqualTo(child.pid());
                assertThat(n.get("uid").isIntegralNumber()).isTrue();
                assertThat(n.get("comm").asText()).isEqualTo("syscall_child");
                assertThat(n.get("syscall").asText()).isEqualTo("openat");
                assertThat(n.get("args").isObject()).isTrue();
                assertThat(n.get("args").get("dfd").asText()).isEqualTo("AT_FDCWD");
                assertThat(n.get("args").get("flags").asText()).isEqualTo("O_RDONLY");
                assertThat(n.get("ret").isIntegralNumber()).isTrue();
                assertThat(n.get("latency_ns").isIntegralNumber()).isTrue();
                assertThat(n.get("latency_ns").asLong()).isPositive();
                assertThat(n.get("cgroup_id").isIntegralNumber()).isTrue();
                assertThat(n.has("errno")).isTrue();
            }
            assertThat(ok.get("args").get("filename").asText()).isEqualTo(existing.toString());
            assertThat(ok.get("ret").asLong()).isNotNegative();
            assertThat(ok.get("errno").isNull()).isTrue();
            assertThat(fail.get("args").get("filename").asText()).isEqualTo(missing);
            assertThat(fail.get("ret").asLong()).isEqualTo(-2);
            assertThat(fail.get("errno").asText()).isEqualTo("ENOENT");
            assertThat(sc.err()).anyMatch(l -> l.matches("syscope: 2 events.*, 0 lost"));
        }
    }

    @Test
    void textHasOneHeaderAndFixedColumnsUnder100() throws Exception {
        Path existing = existingFile();
        String missing = existing + ".missing";
        try (Child child = Child.start("open", existing.toString(), missing);
             SyscopeProcess sc = SyscopeProcess.start("trace", "-e", "openat", "--failed", "-p", Integer.toString(child.pid()), "-v")) {
            sc.awaitErr(l -> l.startsWith("syscope: attach: "), 30);
            child.go();
            sc.awaitOut(l -> l.contains(missing), 1, 10);
            sc.signal("INT");
            sc.awaitExit(30);
            List<String> out = sc.out();
            assertThat(out.get(0)).matches("TIME +PID +COMM +SYSCALL +RET +LAT\\(us\\) ARGS");
            assertThat(out).hasSize(2);
            String line = out.get(1);
            assertThat(line).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} +" + child.pid() + " syscall_child +openat +-ENOENT +\\d+\\.\\d{3} AT_FDCWD, \"" + missing + "\", O_RDONLY, 0");
            assertThat(line.indexOf("openat")).isEqualTo(out.get(0).indexOf("SYSCALL"));
            assertThat(line.indexOf("-ENOENT")).isEqualTo(out.get(0).indexOf("RET"));
            assertThat(out.get(0).length()).isLessThan(100);
        }
    }

    @Test
    void lossIsReportedAsJsonRecordsThatAddUpWithTheEvents() throws Exception {
        int writes = 200_000;
        try (Child child = Child.start("write", "/dev/null", Integer.toString(writes), "1");
             SyscopeProcess sc = SyscopeProcess.start("trace", "-e", "write", "-p", Integer.toString(child.pid()),
                     "-o", "json", "--buffer-size", "4K", "--on-overload", "drop", "-v")) {
            sc.awaitErr(l -> l.startsWith("syscope: attach: "), 30);
            child.go();
            Thread.sleep(1500); // at least one per-second loss report while running
            sc.signal("INT");
            sc.awaitExit(30);
            ObjectMapper json = new ObjectMapper();
            long events = 0;
            long lost = 0;
            for (String line : sc.out()) {
                JsonNode n = json.readTree(line);
                if (n.get("type").asText().equals("lost")) {
                    assertThat(n.get("count").asLong()).isPositive();
                    assertThat(n.get("time").asText()).endsWith("Z");
                    lost += n.get("count").asLong();
                } else {
                    events++;
                }
            }
            assertThat(lost).isPositive();
            assertThat(events + lost).isEqualTo(writes);
            String summary = "syscope: " + events + " events, " + lost + " lost";
            assertThat(sc.err()).contains(summary);
        }
    }

    @Test
    void textModeReportsLossOnStderr() throws Exception {
        try (Child child = Child.start("write", "/dev/null", "200000", "1");
             SyscopeProcess sc = SyscopeProcess.start("trace", "-e", "write", "-p", Integer.toString(child.pid()),
                     "--buffer-size", "4K", "--on-overload", "drop", "-v")) {
            sc.awaitErr(l -> l.startsWith("syscope: attach: "), 30);
            child.go();
            sc.awaitErr(l -> l.matches("syscope: \\d+ events lost \\(\\d+ in all\\).*"), 10);
            sc.signal("INT");
            sc.awaitExit(30);
            assertThat(sc.err()).anyMatch(l -> l.matches("syscope: \\d+ events, [1-9]\\d* lost"));
        }
    }

    @Test
    void textModeReportsWhatWasNotStreamedPerProcessAndSyscall() throws Exception {
        int writes = 200_000;
        try (Child child = Child.start("write", "/dev/null", Integer.toString(writes), "1");
             SyscopeProcess sc = SyscopeProcess.start("trace", "-e", "write", "-p", Integer.toString(child.pid()),
                     "--buffer-size", "4K", "-v")) {
            sc.awaitErr(l -> l.startsWith("syscope: attach: "), 30);
            child.go();
            child.awaitExit();
            Thread.sleep(1500); // at least one per-second report after the child is done
            sc.signal("INT");
            sc.awaitExit(30);
            String perRow = "syscope: (\\d+) write calls of " + child.pid()
                    + " \\(syscall_child\\) not streamed \\(buffer full\\); counted in the kernel: 0 failed, (\\d+) bytes";
            long notStreamed = 0;
            for (String l : sc.err()) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile(perRow).matcher(l);
                if (m.matches()) {
                    assertThat(m.group(2)).isEqualTo(m.group(1)); // 1 byte per write
                    notStreamed += Long.parseLong(m.group(1));
                }
            }
            long events = sc.out().stream().filter(l -> l.contains(" write ")).count();
            assertThat(notStreamed).isPositive();
            assertThat(events + notStreamed).isEqualTo(writes);
            assertThat(sc.err()).contains("syscope: " + events + " events, " + notStreamed + " not streamed (counted in the kernel), 0 lost");
        }
    }
}
