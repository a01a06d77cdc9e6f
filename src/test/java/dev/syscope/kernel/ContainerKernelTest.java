package dev.syscope.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syscope.api.StatsRow;
import dev.syscope.api.Syscope;
import dev.syscope.api.TraceAttach;
import dev.syscope.api.TraceBuilder;
import dev.syscope.api.TraceSession;
import dev.syscope.container.Container;
import dev.syscope.container.ContainerPaths;
import dev.syscope.container.ContainerResolver;
import dev.syscope.sink.LineOutput;
import dev.syscope.sink.StatsJsonSink;
import dev.syscope.sink.TraceJsonSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Container identity and filters on real cgroups: the test makes cgroup v2 directories named as
 * docker and Kubernetes (containerd, systemd driver) name theirs, moves stopped children into
 * them, then lets each make 1000 writes of 7 bytes (10 for the host child). Each run uses fresh
 * random ids; every filter is also limited to the test's children, so nobody else's processes
 * (or containers) count.
 */
class ContainerKernelTest {
    static final int WRITES = 1000;
    static final String POD = "1b2c3d4e-5f60-4718-9a2b-" + TestCgroups.hex(6);
    static final ObjectMapper JSON = new ObjectMapper();

    private final String dockerId = TestCgroups.hex(32);
    private final String kubeId = TestCgroups.hex(32);
    private final TestCgroups cgroups = new TestCgroups();
    private Path docker;
    private Path kube;

    @BeforeEach
    void cgroups() throws IOException {
        KernelTests.requireBpf();
        docker = cgroups.docker(dockerId);
        kube = cgroups.kubepods(POD, kubeId);
    }

    @AfterEach
    void removeCgroups() throws IOException {
        cgroups.close(); // the children have exited (or been killed), so each is empty
    }

    /** Three stopped writers: one in each container cgroup, one left on the host. */
    private record Writers(Child docker, Child kube, Child host) implements AutoCloseable {
        int[] pids() {
            return new int[] {docker.pid(), kube.pid(), host.pid()};
        }

        void go() throws Exception {
            docker.go();
            kube.go();
            host.go();
        }

        @Override
        public void close() {
            docker.close();
            kube.close();
            host.close();
        }
    }

    private Writers writers() throws Exception {
        Child d = Child.start("write", "/dev/null", Integer.toString(WRITES), "7");
        Child k = Child.start("write", "/dev/null", Integer.toString(WRITES), "7");
        Child h = Child.start("write", "/dev/null", "10", "7");
        TestCgroups.move(d.pid(), docker);
        TestCgroups.move(k.pid(), kube);
        return new Writers(d, k, h);
    }

    /** Runs the writers under {@code filter} and returns the JSON events, as trace -o json writes them. */
    private List<JsonNode> traceJson(Writers w, Consumer<TraceBuilder> filter) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LineOutput out = new LineOutput(bytes, 1 << 16, false);
        TraceJsonSink sink = new TraceJsonSink(out, Syscope.arch(), ContainerResolver.system());
        TraceBuilder b = Syscope.trace().syscalls("write").pid(w.pids()).attach(TraceAttach.TRACEPOINT);
        filter.accept(b);
        try (TraceSession s = b.open()) {
            w.go();
            s.finish(sink);
            assertThat(s.counters().lost()).isZero();
        }
        out.flush();
        List<JsonNode> events = new ArrayList<>();
        for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                events.add(JSON.readTree(line));
            }
        }
        return events;
    }

    private static Map<Integer, List<JsonNode>> byPid(List<JsonNode> events) {
        return events.stream().collect(Collectors.groupingBy(e -> e.get("pid").asInt()));
    }

    @Test
    void jsonEventsCarryTheContainerRuntimeAndPodOfTheirCgroup() throws Exception {
        try (Writers w = writers()) {
            Map<Integer, List<JsonNode>> events = byPid(traceJson(w, b -> {}));
            assertThat(events.get(w.docker().pid())).hasSize(WRITES).allSatisfy(e -> {
                assertThat(e.get("ret").asLong()).isEqualTo(7);
                assertThat(e.get("container_id").asText()).isEqualTo(dockerId);
                assertThat(e.get("container_runtime").asText()).isEqualTo("docker");
                assertThat(e.has("pod_uid")).isFalse();
            });
            assertThat(events.get(w.kube().pid())).hasSize(WRITES).allSatisfy(e -> {
                assertThat(e.get("ret").asLong()).isEqualTo(7);
                assertThat(e.get("container_id").asText()).isEqualTo(kubeId);
                assertThat(e.get("container_runtime").asText()).isEqualTo("containerd");
                assertThat(e.get("pod_uid").asText()).isEqualTo(POD);
            });
            assertThat(events.get(w.host().pid())).hasSize(10).allSatisfy(e -> {
                assertThat(e.has("container_id")).isFalse();
                assertThat(e.has("container_runtime")).isFalse();
            });
        }
    }

    @ParameterizedTest
    @EnumSource(value = TraceAttach.class, names = {"TRACEPOINT", "RAW"})
    void containerPrefixSelectsExactlyThatContainersCalls(TraceAttach attach) throws Exception {
        try (Writers w = writers()) {
            Map<Integer, List<JsonNode>> events = byPid(traceJson(w, b -> b.container(dockerId.substring(0, 12)).attach(attach)));
            assertThat(events.keySet()).containsExactly(w.docker().pid());
            assertThat(events.get(w.docker().pid())).hasSize(WRITES)
                    .allSatisfy(e -> assertThat(e.get("container_id").asText()).isEqualTo(dockerId));
        }
    }

    @Test
    void containersOnlyLeavesOutTheHostsProcess() throws Exception {
        try (Writers w = writers()) {
            Map<Integer, List<JsonNode>> events = byPid(traceJson(w, TraceBuilder::containersOnly));
            assertThat(events.keySet()).containsExactlyInAnyOrder(w.docker().pid(), w.kube().pid());
            assertThat(events.get(w.docker().pid())).hasSize(WRITES);
            assertThat(events.get(w.kube().pid())).hasSize(WRITES);
        }
    }

    @Test
    void statsRowsCarryTheContainer() throws Exception {
        try (Writers w = writers();
             TraceSession s = Syscope.trace().syscalls("write").pid(w.pids()).aggregate(1024).open()) {
            w.go();
            List<StatsRow> rows = s.drainStats();
            ContainerResolver containers = ContainerResolver.system();
            Map<Integer, StatsRow> byPid = rows.stream().collect(Collectors.toMap(StatsRow::pid, r -> r, StatsRow::plus));
            assertThat(byPid.get(w.docker().pid())).satisfies(r -> {
                assertThat(r.count()).isEqualTo(WRITES);
                assertThat(r.bytes()).isEqualTo(7L * WRITES);
                assertThat(containers.resolve(r.cgroupId()).id()).isEqualTo(dockerId);
            });
            assertThat(containers.resolve(byPid.get(w.kube().pid()).cgroupId()))
                    .extracting(Container::id, Container::runtime, Container::podUid).containsExactly(kubeId, "containerd", POD);
            assertThat(byPid.get(w.host().pid()).count()).isEqualTo(10);
            assertThat(containers.resolve(byPid.get(w.host().pid()).cgroupId()).isHost()).isTrue();

            // stats -o json: the container keys on the rows of processes in containers only
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new StatsJsonSink(out, containers::resolve).document(rows, dev.syscope.stats.Grouping.PROCESS_SYSCALL,
                    java.time.Instant.now(), 1, 0, 0, false, false);
            Map<Integer, JsonNode> json = new java.util.HashMap<>();
            JSON.readTree(out.toByteArray()).get("rows").forEach(r -> json.put(r.get("pid").asInt(), r));
            assertThat(json.get(w.docker().pid()).get("container_id").asText()).isEqualTo(dockerId);
            assertThat(json.get(w.kube().pid()).get("pod_uid").asText()).isEqualTo(POD);
            assertThat(json.get(w.host().pid()).has("container_id")).isFalse();
        }
    }

    @Test
    void aContainerMadeAfterStartIsFilteredInWithinTheRefreshInterval() throws Exception {
        try (Child c = Child.start("write", "/dev/null", Integer.toString(WRITES), "7");
             TraceSession s = Syscope.trace().syscalls("write").pid(c.pid()).containersOnly().open()) {
            TestCgroups.move(c.pid(), cgroups.docker(TestCgroups.hex(32)));
            Thread.sleep(dev.syscope.container.ContainerFilter.REFRESH_MILLIS * 2 + 500); // two refreshes, and the scan
            c.go();
            List<Long> rets = new ArrayList<>();
            s.finish(e -> rets.add(e.ret()));
            assertThat(rets).hasSize(WRITES).containsOnly(7L);
        }
    }

    @Test
    void cgroupV1LinesOfARealProcessNameItsContainer() throws Exception {
        Path pids = Path.of("/sys/fs/cgroup/pids");
        KernelTests.requireHost(Files.isRegularFile(pids.resolve("cgroup.procs")),
                "no cgroup v1 pids hierarchy at /sys/fs/cgroup/pids (a pure cgroup v2 host)");
        Path v1 = cgroups.make(pids, "docker/" + dockerId);
        try (Child c = Child.start("write", "/dev/null", "1", "7")) {
            TestCgroups.move(c.pid(), v1);
            String line = Files.readAllLines(Path.of("/proc", Integer.toString(c.pid()), "cgroup")).stream()
                    .filter(l -> l.split(":")[1].equals("pids")).findFirst().orElseThrow();
            assertThat(line).endsWith(":pids:/docker/" + dockerId);
            assertThat(ContainerPaths.parse(line)).extracting(Container::id, Container::runtime).containsExactly(dockerId, "docker");
            c.go();
        }
    }
}
