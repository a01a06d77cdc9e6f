package dev.syscope.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syscope.event.Escape;
import dev.syscope.event.TraceEvent;
import dev.syscope.event.TraceEventLayout;
import dev.syscope.syscalls.Arch;
import dev.syscope.syscalls.OpenFlags;
import dev.syscope.syscalls.SyscallTable;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON sink byte for byte on edge values: the lines are those of the Jackson-based sink it
 * replaced (except flags longer than 128 chars, which that one cut off).
 */
class TraceJsonSinkTest {
    private static final Arch ARCH = Arch.X86_64;
    private static final SyscallTable TABLE = SyscallTable.of(ARCH);
    /** 2026-11-24T10:20:30Z minus a monotonic clock of 1000 s. */
    private static final long OFFSET = 1_795_515_630_000_000_000L - 1_000_000_000_000L;
    /** What TraceRecords puts before the syscall, and after errno. */
    private static final String HEAD = "{\"type\":\"syscall\",\"time\":\"2026-11-24T10:20:30.123456789Z\","
            + "\"pid\":1234,\"tid\":1235,\"uid\":1000,\"comm\":\"my \\\"app\\\"\",";
    private static final String TAIL = ",\"latency_ns\":12345,\"cgroup_id\":4242}\n";

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final LineOutput out = new LineOutput(bytes, 1 << 16, false);
    private final TraceJsonSink sink = new TraceJsonSink(out, ARCH);

    /** The JSON of one record, after {@code edit}. */
    private String json(String syscall, long ret, long[] args, String path, Consumer<MemorySegment> edit) {
        bytes.reset();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = TraceRecords.record(a, TABLE, syscall, ret, args, path, false);
            edit.accept(m);
            TraceEvent e = TraceRecords.view(TABLE, OFFSET, m);
            assertThat(e).isNotNull();
            sink.onEvent(e);
        }
        out.flush();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private String json(String syscall, long ret, long[] args, String path) {
        return json(syscall, ret, args, path, m -> {});
    }

    @Test
    void commAndPathAreTheEscapedTextAsJsonStrings() {
        String line = json("openat", 3, new long[] {-100, 1, 0, 0}, "x", m -> {
            // ESC [ " \ DEL 0xff é LF abcdefg: 16 bytes, no NUL
            TraceRecords.comm(m, HexFormat.of().parseHex("1b5b225c7fffc3a90a61626364656667"));
            // / TAB " LF \ overlong-NUL surrogate 😀 a and a cut €
            TraceRecords.path(m, HexFormat.of().parseHex("2f09220a5cc080eda080f09f988061e282"));
        });
        assertThat(line).isEqualTo("{\"type\":\"syscall\",\"time\":\"2026-11-24T10:20:30.123456789Z\",\"pid\":1234,"
                + "\"tid\":1235,\"uid\":1000,\"comm\":\"\\\\x1b[\\\"\\\\\\\\\\\\x7f\\\\xffé\\\\x0aabcdefg\","
                + "\"syscall\":\"openat\",\"args\":{\"dfd\":\"AT_FDCWD\",\"filename\":"
                + "\"/\\\\x09\\\"\\\\x0a\\\\\\\\\\\\xc0\\\\x80\\\\xed\\\\xa0\\\\x80😀a\\\\xe2\\\\x82\","
                + "\"flags\":\"O_RDONLY\",\"mode\":0},\"ret\":3,\"errno\":null" + TAIL);
        JsonNode node = parse(line);
        assertThat(node.get("comm").asText()).isEqualTo("\\x1b[\"\\\\\\x7f\\xffé\\x0aabcdefg");
        assertThat(node.get("args").get("filename").asText()).isEqualTo("/\\x09\"\\x0a\\\\\\xc0\\x80\\xed\\xa0\\x80😀a\\xe2\\x82");
    }

    @Test
    void aPathThatFillsTheBufferIsMarkedTruncated() {
        assertThat(json("openat", 3, new long[] {-100, 1, 0, 0}, "x", m -> TraceRecords.path(m, "a".repeat(300).getBytes())))
                .isEqualTo(HEAD + "\"syscall\":\"openat\",\"args\":{\"dfd\":\"AT_FDCWD\",\"filename\":\"" + "a".repeat(255)
                        + "\",\"flags\":\"O_RDONLY\",\"mode\":0},\"path_truncated\":true,\"ret\":3,\"errno\":null" + TAIL);
        assertThat(json("openat", 3, new long[] {-100, 1, 0, 0}, "x", m -> TraceRecords.path(m, "a".repeat(254).getBytes())))
                .doesNotContain("path_truncated");
    }

    @Test
    void aPathThatCouldNotBeReadIsItsPointer() {
        assertThat(json("openat", -14, new long[] {-100, 0x7ffd0000L, 0, 0}, "x", m -> TraceRecords.set(m, "path_len", -14)))
                .isEqualTo(HEAD + "\"syscall\":\"openat\",\"args\":{\"dfd\":\"AT_FDCWD\",\"filename\":2147287040,"
                        + "\"flags\":\"O_RDONLY\",\"mode\":0},\"ret\":-14,\"errno\":\"EFAULT\"" + TAIL);
    }

    @Test
    void onlyTheFirstPathIsCapturedAndFdsAreInts() {
        assertThat(json("renameat", 0, new long[] {5, 1, -100, 0x7ffd0000L}, "/a"))
                .isEqualTo(HEAD + "\"syscall\":\"renameat\",\"args\":{\"olddfd\":5,\"oldname\":\"/a\",\"newdfd\":\"AT_FDCWD\","
                        + "\"newname\":2147287040},\"ret\":0,\"errno\":null" + TAIL);
        assertThat(json("dup2", 0, new long[] {0x1_0000_0003L, 0xffff_ffffL}, null))
                .isEqualTo(HEAD + "\"syscall\":\"dup2\",\"args\":{\"oldfd\":3,\"newfd\":-1},\"ret\":0,\"errno\":null" + TAIL);
    }

    @Test
    void failuresNameTheirErrno() {
        assertThat(json("close", -13, new long[] {3}, null))
                .isEqualTo(HEAD + "\"syscall\":\"close\",\"args\":{\"fd\":3},\"ret\":-13,\"errno\":\"EACCES\"" + TAIL);
        assertThat(json("close", -4095, new long[] {3}, null)).contains(",\"ret\":-4095,\"errno\":\"E4095\",");
        assertThat(json("close", -4096, new long[] {3}, null)).contains(",\"ret\":-4096,\"errno\":null,");
        assertThat(json("close", Long.MIN_VALUE, new long[] {3}, null)).contains(",\"ret\":-9223372036854775808,\"errno\":null,");
        assertThat(json("close", -13, new long[] {3}, null, m -> TraceRecords.set(m, "flags", TraceEventLayout.EV_NORETURN)))
                .contains(",\"ret\":null,\"errno\":null,");
    }

    @Test
    void numbersKeepTheirWholeRange() {
        long[] args = {Long.MIN_VALUE, -1, Long.MAX_VALUE, 0, 1_000_000_000_000_000_000L, 999_999_999_999_999_999L};
        String line = json("nosuch", 0x7f12_3456_7000L, args, null, m -> {
            TraceRecords.set(m, "pid", 0xffff_ffffL);
            TraceRecords.set(m, "tid", 0);
            TraceRecords.set(m, "uid", 0x8000_0000L);
            TraceRecords.set(m, "latency_ns", 0);
            TraceRecords.set(m, "cgroup_id", -1);
        });
        assertThat(line).isEqualTo("{\"type\":\"syscall\",\"time\":\"2026-11-24T10:20:30.123456789Z\",\"pid\":4294967295,"
                + "\"tid\":0,\"uid\":2147483648,\"comm\":\"my \\\"app\\\"\",\"syscall\":\"sys_999\",\"args\":{"
                + "\"arg0\":-9223372036854775808,\"arg1\":-1,\"arg2\":9223372036854775807,\"arg3\":0,"
                + "\"arg4\":1000000000000000000,\"arg5\":999999999999999999},\"ret\":139716164218880,\"errno\":null,"
                + "\"latency_ns\":0,\"cgroup_id\":-1}\n");
        assertThat(json("nosuch", 0, new long[0], null, m -> TraceRecords.set(m, "syscall_nr", -1)))
                .contains("\"syscall\":\"sys_-1\",\"args\":{\"arg0\":0,");
    }

    @Test
    void openFlagsAreNamedInFull() {
        assertThat(json("openat", 3, new long[] {-100, 1, 0x241, 0644}, "/f"))
                .contains("\"flags\":\"O_WRONLY|O_CREAT|O_TRUNC\",\"mode\":420}");
        assertThat(json("openat", 3, new long[] {-100, 1, 3, 0}, "/f")).contains("\"flags\":\"O_ACCMODE\"");
        assertThat(json("openat", 3, new long[] {-100, 1, 0x8008_0000L, 0}, "/f")).contains("\"flags\":\"O_RDONLY|O_CLOEXEC|0x80000000\"");
        StringBuilder all = new StringBuilder();
        OpenFlags.append(ARCH, -1, all);
        assertThat(all.length()).isGreaterThan(128); // the Jackson-based sink cut this at 128 chars
        assertThat(json("openat", 3, new long[] {-100, 1, -1, 0}, "/f")).contains("\"flags\":\"" + all + "\"");
        assertThat(json("openat", 3, new long[] {-100, 1, 0x241, 0}, "/f")).as("cached").contains("\"flags\":\"O_WRONLY|O_CREAT|O_TRUNC\"");
    }

    @Test
    void timeIsRfc3339InUtcWithNanoseconds() {
        assertThat(time(-1)).isEqualTo("1969-12-31T23:59:59.999999999Z");
        assertThat(time(1_795_515_600_000_000_000L)).isEqualTo("2026-11-24T10:20:00.000000000Z");
        assertThat(time(1_795_515_600_000_000_001L)).isEqualTo("2026-11-24T10:20:00.000000001Z");
        assertThat(time(1_795_515_601_000_000_000L)).isEqualTo("2026-11-24T10:20:01.000000000Z");
        assertThat(time(0)).isEqualTo("1970-01-01T00:00:00.000000000Z");
        assertThat(time(Long.MAX_VALUE)).isEqualTo("2262-04-11T23:47:16.854775807Z");
    }

    private String time(long epochNanos) {
        String line = json("close", 0, new long[] {3}, null, m -> TraceRecords.set(m, "ts_ns", epochNanos - OFFSET));
        return parse(line).get("time").asText();
    }

    @Test
    void lostRecords() {
        sink.lost(17, OFFSET + 1_000_123_456_789L);
        sink.lost(Long.MAX_VALUE, 0);
        out.flush();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(
                "{\"type\":\"lost\",\"count\":17,\"time\":\"2026-11-24T10:20:30.123456789Z\"}\n"
                + "{\"type\":\"lost\",\"count\":9223372036854775807,\"time\":\"1970-01-01T00:00:00.000000000Z\"}\n");
    }

    @Test
    void notStreamedRecords() {
        sink.notStreamed(new dev.syscope.api.StatsRow(4242, "a\\x1b\"b", "read", 196890, 3, 196887, 0,
                new long[32]), OFFSET + 1_000_123_456_789L);
        out.flush();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(
                "{\"type\":\"not_streamed\",\"time\":\"2026-11-24T10:20:30.123456789Z\",\"pid\":4242,"
                + "\"comm\":\"a\\\\x1b\\\"b\",\"syscall\":\"read\",\"count\":196890,\"errors\":3,\"bytes\":196887,"
                + "\"reason\":\"buffer\"}\n");
    }

    @Test
    void hostKeyOnEveryRecordAndKafkaReasonAndStats() {
        TraceJsonSink withHost = new TraceJsonSink(out, ARCH, null, "node-\"1\"");
        try (java.lang.foreign.Arena a = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment m = TraceRecords.record(a, TABLE, "read", 1, new long[] {3, 4096, 1}, null, false);
            withHost.onEvent(TraceRecords.view(TABLE, OFFSET, m));
        }
        withHost.lost(2, OFFSET + 1_000_123_456_789L);
        withHost.notStreamed(new dev.syscope.api.StatsRow(7, "c", "write", 5, 0, 35, 0, new long[0]), OFFSET + 1_000_123_456_789L, "kafka");
        withHost.stats(OFFSET + 1_000_123_456_789L, new String[] {"events", "lost"}, new long[] {10, 0});
        out.flush();
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(4).allSatisfy(l -> assertThat(l).endsWith(",\"host\":\"node-\\\"1\\\"\"}"));
        assertThat(lines[0]).startsWith("{\"type\":\"syscall\",");
        assertThat(lines[2]).contains("\"count\":5,\"errors\":0,\"bytes\":35,\"reason\":\"kafka\",\"host\"");
        assertThat(lines[3]).isEqualTo("{\"type\":\"stats\",\"time\":\"2026-11-24T10:20:30.123456789Z\",\"events\":10,\"lost\":0,"
                + "\"host\":\"node-\\\"1\\\"\"}");
    }

    /** Random comms, paths and numbers: every line is one valid JSON object with the event's values. */
    @Test
    void randomEventsAreValidJson() {
        SplittableRandom r = new SplittableRandom(6);
        for (int k = 0; k < 2000; k++) {
            byte[] comm = randomBytes(r, 16);
            byte[] path = randomBytes(r, 300);
            long ret = -r.nextInt(5000);
            long pointer = r.nextLong();
            String line = json("openat", ret, new long[] {r.nextInt(), pointer, r.nextInt(), r.nextLong()}, "x", m -> {
                TraceRecords.comm(m, comm);
                TraceRecords.path(m, path);
            });
            JsonNode node = parse(line);
            assertThat(line).endsWith("}\n").doesNotContain("\n{");
            assertThat(node.get("comm").asText()).isEqualTo(Escape.toString(comm, comm.length));
            int pathLen = Math.min(path.length, TraceEventLayout.PATH_MAX - 1);
            assertThat(node.get("args").get("filename").asText()).isEqualTo(Escape.toString(path, pathLen));
            assertThat(node.has("path_truncated")).isEqualTo(path.length >= TraceEventLayout.PATH_MAX - 1);
            assertThat(node.get("ret").asLong()).isEqualTo(ret);
        }
    }

    /** No NULs: the kernel stops at the first. */
    private static byte[] randomBytes(SplittableRandom r, int max) {
        byte[] b = new byte[r.nextInt(max + 1)];
        for (int i = 0; i < b.length; i++) {
            b[i] = switch (r.nextInt(4)) {
                case 0 -> (byte) r.nextInt(1, 256);
                case 1 -> (byte) "\"\\\u001b\u007f\n".charAt(r.nextInt(5));
                default -> (byte) r.nextInt(0x20, 0x7f);
            };
        }
        return b;
    }

    private static JsonNode parse(String line) {
        try {
            return new ObjectMapper().readTree(line);
        } catch (Exception e) {
            throw new AssertionError(line, e);
        }
    }
}
