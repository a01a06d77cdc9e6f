package dev.syscope.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syscope.container.ContainerResolver;
import dev.syscope.event.TraceEvent;
import dev.syscope.syscalls.Arch;
import dev.syscope.syscalls.SyscallTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The container keys and column of the trace sinks, on a directory tree shaped like a cgroup2 mount. */
class ContainerSinksTest {
    private static final Arch ARCH = Arch.X86_64;
    private static final SyscallTable TABLE = SyscallTable.of(ARCH);
    private static final String ID = "9ec39b91f3d70e1beff50a308f77067065ea6be0d91a3378375056cd4422cf3d";
    private static final String POD = "1b2c3d4e-5f60-4718-9a2b-3c4d5e6f7081";

    @TempDir
    Path root;

    private long cgroup(String relative) throws Exception {
        return ((Number) Files.getAttribute(Files.createDirectories(root.resolve(relative)), "unix:ino")).longValue();
    }

    private static TraceEvent read(Arena a, long cgroupId) {
        MemorySegment m = TraceRecords.record(a, TABLE, "read", 7, new long[] {3, 0x7ffd0000L, 4096}, null, false);
        TraceRecords.set(m, "cgroup_id", cgroupId);
        return TraceRecords.view(TABLE, 0, m);
    }

    @Test
    void jsonHasTheContainerKeysOfContainersOnly() throws Exception {
        long docker = cgroup("system.slice/docker-" + ID + ".scope");
        long kube = cgroup("kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" + POD.replace('-', '_')
                + ".slice/crio-" + ID + ".scope");
        long host = cgroup("user.slice");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LineOutput out = new LineOutput(bytes, 1 << 16, false);
        TraceJsonSink sink = new TraceJsonSink(out, ARCH, new ContainerResolver(List.of(root), System::nanoTime, 1_000_000_000L, 1));
        try (Arena a = Arena.ofConfined()) {
            for (long id : new long[] {docker, kube, host, docker}) {
                sink.onEvent(read(a, id));
            }
        }
        out.flush();
        List<JsonNode> lines = bytes.toString(StandardCharsets.UTF_8).lines().map(ContainerSinksTest::json).toList();
        assertThat(lines.get(0).get("container_id").asText()).isEqualTo(ID);
        assertThat(lines.get(0).get("container_runtime").asText()).isEqualTo("docker");
        assertThat(lines.get(0).has("pod_uid")).isFalse();
        assertThat(lines.get(1).get("container_runtime").asText()).isEqualTo("cri-o");
        assertThat(lines.get(1).get("pod_uid").asText()).isEqualTo(POD);
        assertThat(lines.get(2).has("container_id")).isFalse();
        assertThat(lines.get(3)).isEqualTo(lines.get(0));
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow())
                .endsWith(",\"cgroup_id\":" + docker + ",\"container_id\":\"" + ID + "\",\"container_runtime\":\"docker\"}");
    }

    @Test
    void textHasAContainerColumnBeforeArgsOnlyWhenAsked() throws Exception {
        long docker = cgroup("docker/" + ID);
        long host = cgroup("init.scope");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LineOutput out = new LineOutput(bytes, 1 << 16, false);
        TraceTextSink sink = new TraceTextSink(out, ARCH, ZoneOffset.UTC, 0, new ContainerResolver(List.of(root), System::nanoTime, 1, 1));
        sink.header();
        try (Arena a = Arena.ofConfined()) {
            sink.onEvent(read(a, docker));
            sink.onEvent(read(a, host));
        }
        out.flush();
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines[0]).endsWith("LAT(us) CONTAINER    ARGS");
        assertThat(lines[1]).endsWith("12.345 9ec39b91f3d7 3, 0x7ffd0000, 4096");
        assertThat(lines[2]).endsWith("12.345 -            3, 0x7ffd0000, 4096");
        assertThat(lines[1].indexOf("3, 0x")).isEqualTo(lines[0].indexOf("ARGS"));
    }

    @Test
    void aWarmJsonSinkAllocatesNothingPerEventInAContainer() throws Exception {
        long docker = cgroup("system.slice/docker-" + ID + ".scope");
        LineOutput out = new LineOutput(java.io.OutputStream.nullOutputStream(), 1 << 16, false);
        TraceJsonSink sink = new TraceJsonSink(out, ARCH, new ContainerResolver(List.of(root), System::nanoTime, 1_000_000_000L, 1));
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        try (Arena a = Arena.ofConfined()) {
            TraceEvent e = read(a, docker);
            for (int i = 0; i < 200_000; i++) { // warm: resolved once, then compiled
                sink.onEvent(e);
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100_000; i++) {
                sink.onEvent(e);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(allocated).as("bytes allocated by 100,000 events").isLessThan(100_000);
        }
    }

    private static JsonNode json(String line) {
        try {
            return new ObjectMapper().readTree(line);
        } catch (Exception e) {
            throw new AssertionError(line, e);
        }
    }
}
