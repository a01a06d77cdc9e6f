package dev.syscope.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syscope.event.TraceEvent;
import dev.syscope.event.TraceEventLayout;
import dev.syscope.syscalls.Arch;
import dev.syscope.syscalls.SyscallTable;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;

/** The text and JSON sinks on hand-made records: formatting, alignment, escaping, edge values. */
class TraceSinksTest {
    private static final Arch ARCH = Arch.X86_64;
    private static final SyscallTable TABLE = SyscallTable.of(ARCH);
    /** 2026-11-24T10:20:30Z minus a monotonic clock of 1000 s. */
    private static final long OFFSET = 1_795_515_630_000_000_000L - 1_000_000_000_000L;

    private static MemorySegment record(Arena a, String syscall, long ret, long[] args, String path, boolean noReturn) {
        return TraceRecords.record(a, TABLE, syscall, ret, args, path, noReturn);
    }

    private static TraceEvent view(MemorySegment m) {
        TraceEvent e = TraceRecords.view(TABLE, OFFSET, m);
        assertThat(e).isNotNull();
        return e;
    }

    @Test
    void textLinesAreAlignedUnderTheHeader() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LineOutput out = new LineOutput(bytes, 1 << 16, false);
        TraceTextSink sink = new TraceTextSink(out, ARCH, ZoneOffset.UTC, 0);
        sink.header();
        try (Arena a = Arena.ofConfined()) {
            sink.onEvent(view(record(a, "openat", -2, new long[] {-100, 0x7ffd0000L, 0x80000, 0}, "/etc/ü \"x\"", false)));
            sink.onEvent(view(record(a, "read", 7, new long[] {3, 0x7ffd0000L, 4096}, null, false)));
            sink.onEvent(view(record(a, "exit_group", 0, new long[] {1}, null, true)));
            sink.onEvent(view(record(a, "nosuch", 0, new long[] {}, null, false)));
        }
        out.flush();
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).containsExactly(
                "TIME             PID COMM            SYSCALL         RET       LAT(us) ARGS",
                "10:20:30.123    1234 my \"app\"        openat          -ENOENT    12.345 AT_FDCWD, \"/etc/ü \\\"x\\\"\", O_RDONLY|O_CLOEXEC, 0",
                "10:20:30.123    1234 my \"app\"        read            7          12.345 3, 0x7ffd0000, 4096",
                "10:20:30.123    1234 my \"app\"        exit_group      ?           0.000 1",
                "10:20:30.123    1234 my \"app\"        sys_999         0          12.345 0, 0, 0, 0, 0, 0");
    }

    @Test
    void textIsCutOnATerminal() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LineOutput out = new LineOutput(bytes, 1 << 16, false);
        TraceTextSink sink = new TraceTextSink(out, ARCH, ZoneOffset.UTC, 99);
        try (Arena a = Arena.ofConfined()) {
            sink.onEvent(view(record(a, "openat", 3, new long[] {-100, 1, 0}, "/" + "d".repeat(200), false)));
        }
        out.flush();
        String line = bytes.toString(StandardCharsets.UTF_8);
        assertThat(line).hasSize(100).endsWith("...\n");
    }

    @Test
    void jsonHasEveryFieldTypedAndEscaped() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LineOutput out = new LineOutput(bytes, 1 << 16, false);
        TraceJsonSink sink = new TraceJsonSink(out, ARCH);
        try (Arena a = Arena.ofConfined()) {
            sink.onEvent(view(record(a, "openat", -2, new long[] {-100, 0x7ffd0000L, 0x80000, 0}, "/etc/ü \"x\"", false)));
            sink.onEvent(view(record(a, "exit_group", 0, new long[] {1}, null, true)));
        }
        sink.lost(17, OFFSET + 1_000_123_456_789L);
        out.flush();
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(3).allSatisfy(l -> assertThat(l).startsWith("{\"type\":"));
        ObjectMapper json = new ObjectMapper();
        JsonNode open = json.readTree(lines[0]);
        assertThat(open.get("time").asText()).isEqualTo("2026-11-24T10:20:30.123456789Z");
        assertThat(open.get("pid").asInt()).isEqualTo(1234);
        assertThat(open.get("tid").asInt()).isEqualTo(1235);
        assertThat(open.get("uid").asInt()).isEqualTo(1000);
        assertThat(open.get("comm").asText()).isEqualTo("my \"app\"");
        assertThat(open.get("syscall").asText()).isEqualTo("openat");
        assertThat(open.get("args").get("dfd").asText()).isEqualTo("AT_FDCWD");
        assertThat(open.get("args").get("filename").asText()).isEqualTo("/etc/ü \"x\"");
        assertThat(open.get("args").get("flags").asText()).isEqualTo("O_RDONLY|O_CLOEXEC");
        assertThat(open.get("args").get("mode").isIntegralNumber()).isTrue();
        assertThat(open.get("ret").asLong()).isEqualTo(-2);
        assertThat(open.get("errno").asText()).isEqualTo("ENOENT");
        assertThat(open.get("latency_ns").asLong()).isEqualTo(12_345);
        assertThat(open.get("cgroup_id").asLong()).isEqualTo(4242);
        JsonNode exit = json.readTree(lines[1]);
        assertThat(exit.get("ret").isNull()).isTrue();
        assertThat(exit.get("errno").isNull()).isTrue();
        assertThat(exit.get("args").get("error_code").asInt()).isEqualTo(1);
        JsonNode lost = json.readTree(lines[2]);
        assertThat(lost.get("type").asText()).isEqualTo("lost");
        assertThat(lost.get("count").asLong()).isEqualTo(17);
        assertThat(lost.get("time").asText()).isEqualTo("2026-11-24T10:20:30.123456789Z");
    }
}
