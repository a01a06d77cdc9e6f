package dev.syscope.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.syscope.kernel.Metrics.scrape;
import static dev.syscope.kernel.Metrics.series;
import static dev.syscope.kernel.Metrics.url;
import static org.assertj.core.api.Assertions.assertThat;

/** `syscope serve` from the packaged jar: scraped directly, and by a real Prometheus server. */
class ServeIT {
    private static final String CHILD = "syscall_child";

    private final HttpClient http = HttpClient.newHttpClient();
    private SyscopeProcess serve;
    private final java.util.List<SyscopeProcess> nodes = new java.util.ArrayList<>(); // more serve processes
    private Process prometheus;
    private final TestCgroups cgroups = new TestCgroups();

    @BeforeEach
    void bpf() {
        KernelTests.requireBpf();
    }

    @AfterEach
    void stop() throws IOException {
        if (prometheus != null) {
            prometheus.destroyForcibly();
        }
        if (serve != null) {
            serve.close();
        }
        nodes.forEach(SyscopeProcess::close);
        cgroups.close(); // after the children exit: rmdir needs empty cgroups
    }

    /** Starts serve on a free loopback port; returns its /metrics URL. */
    private String startServe(String... filters) throws Exception {
        serve = launch(filters);
        return url(serve);
    }

    private static SyscopeProcess launch(String... filters) throws Exception {
        String[] args = new String[filters.length + 3];
        args[0] = "serve";
        args[1] = "--listen";
        args[2] = "127.0.0.1:0";
        System.arraycopy(filters, 0, args, 3, filters.length);
        return SyscopeProcess.start(args);
    }

    /** Scrapes until {@code series} reaches {@code atLeast} (serve drains the kernel every second). */
    private Map<String, Double> scrapeUntil(String url, String series, double atLeast) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Map<String, Double> s = scrape(url);
        while (s.getOrDefault(series, 0.0) < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(200);
            s = scrape(url);
        }
        Thread.sleep(1500); // one more drain: nothing must be added after the child is done
        return scrape(url);
    }

    @Test
    void metricsHoldTheChildsExactCounts() throws Exception {
        String url = startServe("-L", "-e", "read,write");
        String readyLine;
        try (Child child = Child.start("readwrite", "1000", "10", "500", "4")) {
            readyLine = "ready " + child.fd() + "\n";
            child.go();
        }
        // serve started first, so the child's "ready" write and its blocking read of the go byte count too.
        String writes = series("syscope_syscalls_total", "syscall", "write", "comm", CHILD);
        Map<String, Double> m = scrapeUntil(url, writes, 1001);
        assertThat(m.get(writes)).isEqualTo(1001);
        assertThat(m.get(series("syscope_syscall_bytes_total", "syscall", "write", "comm", CHILD)))
                .isEqualTo(10_000 + readyLine.length());
        assertThat(m.get(series("syscope_syscalls_total", "syscall", "read", "comm", CHILD))).isEqualTo(501);
        assertThat(m.get(series("syscope_syscall_bytes_total", "syscall", "read", "comm", CHILD))).isEqualTo(2_001);
        assertThat(m.keySet()).noneMatch(k -> k.startsWith("syscope_syscall_errors_total") && k.contains("comm=" + CHILD));
        assertThat(m.get("syscope_events_lost_total{}")).isZero();
        assertThat(m.get(series("syscope_map_full_total", "map", "stats"))).isZero();
        assertThat(m).containsKey(series("syscope_syscall_latency_seconds_bucket", "syscall", "write", "le", "+Inf"));
        assertThat(m.keySet()).anyMatch(k -> k.startsWith("jvm_memory_used_bytes"));
        assertThat(m).containsKey("process_cpu_seconds_total{}");
        assertThat(m.keySet()).noneMatch(k -> k.contains("pid="));
    }

    @Test
    void failuresArePerErrno() throws Exception {
        String url = startServe("-e", "openat");
        try (Child child = Child.start("failopen", "20")) {
            child.go();
        }
        String enoent = series("syscope_syscall_errors_total", "syscall", "openat", "comm", CHILD, "errno", "ENOENT");
        Map<String, Double> m = scrapeUntil(url, enoent, 20);
        assertThat(m.get(enoent)).isEqualTo(20);
        assertThat(m.keySet()).as("no latency without --latency").noneMatch(k -> k.startsWith("syscope_syscall_latency_seconds"));
    }

    /**
     * Starts Prometheus scraping {@code urls} every second as the instances of job "syscope", with
     * {@code rules} (a rule file's text, or null); returns its API's base URL once it is ready.
     */
    private String startPrometheus(Path dir, String rules, String... urls) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        StringBuilder targets = new StringBuilder();
        for (String u : urls) {
            URI target = URI.create(u);
            targets.append(targets.isEmpty() ? "" : ", ").append("'").append(target.getHost()).append(':').append(target.getPort()).append("'");
        }
        Path config = dir.resolve("prometheus.yml");
        String ruleFiles = "";
        if (rules != null) {
            Files.writeString(dir.resolve("rules.yml"), rules);
            ruleFiles = "rule_files: ['" + dir.resolve("rules.yml") + "']\n";
        }
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                %sscrape_configs:
                  - job_name: syscope
                    static_configs:
                      - targets: [%s]
                """.formatted(ruleFiles, targets));
        prometheus = new ProcessBuilder("prometheus", "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        String api = "http://127.0.0.1:" + port;
        await(() -> get(api + "/-/ready").statusCode() == 200, "Prometheus ready", dir);
        // Prometheus must have scraped syscope once before the children run, so their series exist from 0.
        String up = "count(up{job=\"syscope\"} == 1)";
        await(() -> query(api, up).equals(Integer.toString(urls.length)), up + " == " + urls.length, dir);
        return api;
    }

    @Test
    void aRealPrometheusServerScrapesTheExactCount(@TempDir Path dir) throws Exception {
        KernelTests.requireCommand("prometheus", "prometheus");
        String api = startPrometheus(dir, null, startServe("-e", "write"));
        try (Child child = Child.start("readwrite", "1000", "10", "0", "1")) {
            child.go();
        }
        String q = "syscope_syscalls_total{comm=\"" + CHILD + "\",syscall=\"write\"}";
        await(() -> query(api, q).equals("1001"), q + " == 1001 (1000 writes and the ready line)", dir);
        Thread.sleep(2500); // two more scrapes: still exactly 1001
        assertThat(query(api, q)).isEqualTo("1001");
    }

    /** Two stopped writers of 1000 7-byte writes, moved into a docker-named and a kubepods-named cgroup. */
    private record Containers(String dockerId, String kubeId, Path dockerCgroup, Path kubeCgroup, Child docker, Child kube)
            implements AutoCloseable {
        String dockerShort() {
            return dockerId.substring(0, 12);
        }

        String kubeShort() {
            return kubeId.substring(0, 12);
        }

        void go() throws Exception {
            docker.go();
            kube.go();
        }

        @Override
        public void close() {
            docker.close();
            kube.close();
        }
    }

    private Containers containers() throws Exception {
        String dockerId = TestCgroups.hex(32);
        String kubeId = TestCgroups.hex(32);
        Path dockerCgroup = cgroups.docker(dockerId);
        Path kubeCgroup = cgroups.kubepods("1b2c3d4e-5f60-4718-9a2b-" + TestCgroups.hex(6), kubeId);
        return writersIn(new Containers(dockerId, kubeId, dockerCgroup, kubeCgroup, null, null));
    }

    /** New stopped writers of 1000 7-byte writes in the cgroups of {@code c}. */
    private static Containers writersIn(Containers c) throws Exception {
        Child d = Child.start("write", "/dev/null", "1000", "7");
        Child k = Child.start("write", "/dev/null", "1000", "7");
        TestCgroups.move(d.pid(), c.dockerCgroup());
        TestCgroups.move(k.pid(), c.kubeCgroup());
        return new Containers(c.dockerId(), c.kubeId(), c.dockerCgroup(), c.kubeCgroup(), d, k);
    }

    @Test
    void containerLabelCountsEachContainersCallsExactly() throws Exception {
        try (Containers c = containers()) {
            // After the children's "ready" writes: those were made on the host and are not in a container.
            String url = startServe("-e", "write", "--label", "container", "--containers-only");
            c.go();
            String docker = series("syscope_syscalls_total", "syscall", "write", "comm", CHILD, "container", c.dockerShort());
            String kube = series("syscope_syscalls_total", "syscall", "write", "comm", CHILD, "container", c.kubeShort());
            scrapeUntil(url, docker, 1000);
            Map<String, Double> m = scrapeUntil(url, kube, 1000);
            assertThat(m.get(docker)).isEqualTo(1000);
            assertThat(m.get(kube)).isEqualTo(1000);
            assertThat(m.get(series("syscope_syscall_bytes_total", "syscall", "write", "comm", CHILD, "container", c.dockerShort())))
                    .isEqualTo(7000);
            assertThat(m.keySet()).as("--containers-only: no host series")
                    .noneMatch(k -> k.startsWith("syscope_syscalls_total") && k.contains("container=host"));
        }
    }

    @Test
    void defaultLabelsHaveNoContainer() throws Exception {
        String url = startServe("-e", "write");
        try (Child child = Child.start("write", "/dev/null", "10", "7")) {
            child.go();
        }
        String writes = series("syscope_syscalls_total", "syscall", "write", "comm", CHILD);
        assertThat(scrapeUntil(url, writes, 11).get(writes)).isEqualTo(11);
        assertThat(scrape(url).keySet()).noneMatch(k -> k.contains("container="));
    }

    /** The fleet view: two nodes' serve processes, one real Prometheus, a recording rule per container. */
    static final String FLEET_RULES = """
            groups:
              - name: syscope-fleet
                interval: 1s
                rules:
                  - record: container_syscall:syscope_syscalls:rate1m
                    expr: topk(5, sum by (container, syscall) (rate(syscope_syscalls_total{container!="host"}[1m])))
            """;

    @Test
    void aRealPrometheusGivesTheTopSyscallsByContainerAcrossNodes(@TempDir Path dir) throws Exception {
        KernelTests.requireCommand("prometheus", "prometheus");
        try (Containers c = containers()) {
            // Two "nodes": each serve sees one container, as each node's DaemonSet pod would.
            serve = launch("-e", "write", "--label", "container", "--container", c.dockerId());
            SyscopeProcess node2 = launch("-e", "write", "--label", "container", "--container", c.kubeId());
            nodes.add(node2);
            String api = startPrometheus(dir, FLEET_RULES, url(serve), url(node2));
            // A container's series appears with its first drain; rate() needs it to grow after that: two rounds.
            c.go();
            awaitTotals(api, c, 1000, dir);
            try (Containers again = writersIn(c)) {
                again.go();
            }
            awaitTotals(api, c, 2000, dir);
            for (String id : List.of(c.dockerShort(), c.kubeShort())) {
                String rule = "container_syscall:syscope_syscalls:rate1m{container=\"" + id + "\",syscall=\"write\"}";
                await(() -> !query(api, rule).isEmpty() && Double.parseDouble(query(api, rule)) > 0, rule + " > 0", dir);
            }
            assertThat(query(api, "count(count by (instance) (syscope_syscalls_total{comm=\"" + CHILD + "\"}))"))
                    .as("the children's calls come from two instances").isEqualTo("2");
            assertThat(query(api, "count(container_syscall:syscope_syscalls:rate1m)")).isEqualTo("2");
            Thread.sleep(2500); // two more scrapes: still exactly 2000 each
            assertThat(query(api, "sum(syscope_syscalls_total{comm=\"" + CHILD + "\",syscall=\"write\"})")).isEqualTo("4000");
        }
    }

    /** Waits until Prometheus sums {@code n} writes for each of the two containers, across instances. */
    private void awaitTotals(String api, Containers c, int n, Path dir) throws Exception {
        for (String id : List.of(c.dockerShort(), c.kubeShort())) {
            String total = "sum by (container, syscall) (syscope_syscalls_total{container=\"" + id + "\",syscall=\"write\"})";
            await(() -> query(api, total).equals(Integer.toString(n)), total + " == " + n, dir);
        }
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of an instant query with one result, or "" when there is none. */
    private String query(String api, String promql) throws Exception {
        HttpResponse<String> r = get(api + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        JsonNode result = new ObjectMapper().readTree(r.body()).path("data").path("result");
        return result.size() == 1 ? result.get(0).get("value").get(1).asText() : "";
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private void await(Check check, String what, Path dir) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                if (check.holds()) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline || !prometheus.isAlive()) {
                throw new AssertionError("waited for " + what + "; Prometheus log:\n"
                        + Files.readString(dir.resolve("prometheus.log")) + "\nsyscope stderr: " + serve.err());
            }
            Thread.sleep(250);
        }
    }
}
