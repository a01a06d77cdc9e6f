package dev.syscope.deploy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.syscope.cli.Cli;
import dev.syscope.cli.ListenConverter;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * deploy/kubernetes, read as typed objects with fabric8's Kubernetes model: the kustomization, the
 * DaemonSet's least privilege, its read-only host mounts, probes and Service on the one metrics
 * port, and its arguments parsed by syscope's own command line.
 */
class KubernetesManifestsTest {
    static final Path DIR = Path.of("deploy/kubernetes");
    /** Needs the Prometheus Operator's CRD, so it is applied by hand, not by the kustomization. */
    static final String OPTIONAL = "servicemonitor.yaml";
    static final String KUSTOMIZATION = "kustomization.yaml";
    static final Set<String> HOST_PATHS = Set.of("/sys/kernel/tracing", "/sys/kernel/btf", "/sys/fs/cgroup");
    static final String METRICS = "metrics";

    static final ObjectMapper YAML = JsonMapper.builder(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    /** File name to the one object it holds, typed by its kind (unknown kinds are generic). */
    static final Map<String, KubernetesResource> objects = new LinkedHashMap<>();
    static final Map<String, JsonNode> trees = new LinkedHashMap<>();

    @BeforeAll
    static void load() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList()) {
                List<JsonNode> docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(f.toFile()).readAll();
                assertThat(docs).as(f + ": one document per file").hasSize(1);
                trees.put(f.getFileName().toString(), docs.getFirst());
                if (!f.getFileName().toString().equals(KUSTOMIZATION)) {
                    objects.put(f.getFileName().toString(), YAML.readValue(f.toFile(), KubernetesResource.class));
                }
            }
        }
    }

    static <T> T one(Class<T> type) {
        List<T> found = objects.values().stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(found).as("exactly one " + type.getSimpleName()).hasSize(1);
        return found.getFirst();
    }

    static DaemonSet daemonSet() {
        return one(DaemonSet.class);
    }

    static PodSpec pod() {
        return daemonSet().getSpec().getTemplate().getSpec();
    }

    static Container container() {
        assertThat(pod().getContainers()).hasSize(1);
        return pod().getContainers().getFirst();
    }

    static Volume volume(String name) {
        return pod().getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    @Test
    void theKustomizationListsEveryManifestButTheServiceMonitor() {
        JsonNode k = trees.get(KUSTOMIZATION);
        assertThat(k).as(KUSTOMIZATION).isNotNull();
        assertThat(k.path("kind").asText()).isEqualTo("Kustomization");
        List<String> resources = new ArrayList<>();
        k.path("resources").forEach(r -> resources.add(r.asText()));
        Set<String> expected = new TreeSet<>(objects.keySet());
        expected.remove(OPTIONAL);
        assertThat(resources).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
        assertThat(objects).containsKey(OPTIONAL);

        String namespace = k.path("namespace").asText();
        assertThat(namespace).isEqualTo("syscope");
        assertThat(one(Namespace.class).getMetadata().getName()).isEqualTo(namespace);
        // The pod breaks the "baseline" Pod Security level on purpose (hostPID, hostPath, capabilities).
        assertThat(one(Namespace.class).getMetadata().getLabels()).containsEntry("pod-security.kubernetes.io/enforce", "privileged");
        for (KubernetesResource r : objects.values()) {
            HasMetadata m = (HasMetadata) r;
            assertThat(m.getMetadata().getNamespace()).as(m.getKind()).isIn(null, namespace);
            assertThat(m.getMetadata().getLabels()).as(m.getKind()).containsEntry("app.kubernetes.io/name", "syscope");
        }
    }

    @Test
    void theImageIsTheKustomizationsImageEntry() {
        JsonNode images = trees.get(KUSTOMIZATION).path("images");
        assertThat(images.size()).isEqualTo(1);
        String name = images.get(0).path("name").asText();
        assertThat(container().getImage()).isEqualTo(name + ":latest");
        assertThat(images.get(0).path("newName").asText()).isEqualTo("syscope");
        assertThat(images.get(0).path("newTag").asText()).isEqualTo("latest");
    }

    /** A misspelled field lands in fabric8's additionalProperties, which Kubernetes would reject or ignore. */
    @Test
    void noFieldIsUnknownToTheModel() throws Exception {
        List<String> unknown = new ArrayList<>();
        for (var e : objects.entrySet()) {
            if (!(e.getValue() instanceof GenericKubernetesResource)) {
                unknownFields(e.getValue(), e.getKey(), unknown, 0);
            }
        }
        assertThat(unknown).isEmpty();
        assertThat(objects.get(OPTIONAL)).isInstanceOf(GenericKubernetesResource.class);
    }

    @Test
    void aMisspelledFieldIsFound() throws Exception {
        String yaml = Files.readString(DIR.resolve("daemonset.yaml")).replace("readOnlyRootFilesystem:", "readOnlyRootFilesytem:");
        List<String> unknown = new ArrayList<>();
        unknownFields(YAML.readValue(yaml, KubernetesResource.class), "daemonset.yaml", unknown, 0);
        assertThat(unknown).singleElement().asString().contains("securityContext").contains("readOnlyRootFilesytem");
    }

    static void unknownFields(Object o, String where, List<String> found, int depth)
            throws IllegalAccessException, InvocationTargetException {
        assertThat(depth).as(where).isLessThan(40);
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                unknownFields(e, where + "[" + i++ + "]", found, depth + 1);
            }
        } else if (o instanceof Map<?, ?> m) {
            for (var e : m.entrySet()) {
                unknownFields(e.getValue(), where + "." + e.getKey(), found, depth + 1);
            }
        } else if (o != null && o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            for (Method m : o.getClass().getMethods()) {
                if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
                        || m.getDeclaringClass() == Object.class) {
                    continue;
                }
                Object v = m.invoke(o);
                if (m.getName().equals("getAdditionalProperties")) {
                    if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        found.add(where + ": " + extra.keySet());
                    }
                } else {
                    String field = m.getName().substring(3);
                    unknownFields(v, where + "." + Character.toLowerCase(field.charAt(0)) + field.substring(1), found, depth + 1);
                }
            }
        }
    }

    @Test
    void theDaemonSetRunsWithTheLeastPrivilege() {
        PodSpec pod = pod();
        assertThat(pod.getHostPID()).isTrue();
        assertThat(pod.getHostNetwork()).isIn(null, false);
        assertThat(pod.getHostIPC()).isIn(null, false);
        assertThat(pod.getInitContainers()).isEmpty();
        assertThat(pod.getEphemeralContainers()).isEmpty();
        // Nothing at pod level may widen or contradict the container's context.
        assertThat(pod.getSecurityContext()).isNull();

        SecurityContext sc = container().getSecurityContext();
        assertThat(sc.getRunAsUser()).as("uid 0: tracefs is 0700 root, and no ambient capabilities").isZero();
        assertThat(sc.getRunAsNonRoot()).isIn(null, false);
        assertThat(sc.getPrivileged()).isFalse();
        assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
        assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
        assertThat(sc.getProcMount()).isNull();
        assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(sc.getCapabilities().getAdd()).containsExactlyInAnyOrder("BPF", "PERFMON");
        assertThat(sc.getSeccompProfile().getType()).isEqualTo("Unconfined");
    }

    @Test
    void theNodesCgroupTracefsAndBtfAreReadOnlyHostPaths() {
        Container c = container();
        Set<String> mounted = new TreeSet<>();
        for (VolumeMount m : c.getVolumeMounts()) {
            Volume v = volume(m.getName());
            if (v.getHostPath() != null) {
                assertThat(m.getReadOnly()).as(m.getMountPath() + " read-only").isTrue();
                assertThat(m.getMountPropagation()).as(m.getMountPath()).isIn(null, "None");
                assertThat(m.getSubPath()).isNull();
                assertThat(v.getHostPath().getPath()).as("mounted where the node has it").isEqualTo(m.getMountPath());
                assertThat(v.getHostPath().getType()).isEqualTo("Directory");
                mounted.add(m.getMountPath());
            } else {
                assertThat(m.getReadOnly()).as(m.getMountPath() + " read-only").isTrue();
            }
        }
        assertThat(mounted).containsExactlyInAnyOrderElementsOf(HOST_PATHS);
        // No host path that the container does not mount read-only.
        assertThat(pod().getVolumes().stream().filter(v -> v.getHostPath() != null).map(Volume::getName))
                .allMatch(n -> c.getVolumeMounts().stream().anyMatch(m -> m.getName().equals(n)));
    }

    @Test
    void theServiceAccountIsReferencedAndHasNoToken() {
        ServiceAccount sa = one(ServiceAccount.class);
        assertThat(pod().getServiceAccountName()).isEqualTo(sa.getMetadata().getName());
        assertThat(sa.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod().getAutomountServiceAccountToken()).isFalse();
    }

    /** The port --listen binds, by number. */
    static int listenPort() {
        List<String> args = container().getArgs();
        int i = args.indexOf("--listen");
        assertThat(i).as("--listen in " + args).isNotNegative();
        InetSocketAddress a = new ListenConverter().convert(args.get(i + 1));
        assertThat(a.getHostString()).as("every address of the pod's own network namespace").isEqualTo("0.0.0.0");
        return a.getPort();
    }

    /** A port given by name or number, as the container's port number. */
    static int containerPort(IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return container().getPorts().stream().filter(p -> port.getStrVal().equals(p.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + port.getStrVal())).getContainerPort();
    }

    @Test
    void probesServiceAndScrapeAnnotationsUseTheListenPort() {
        int port = listenPort();
        assertThat(container().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo(METRICS);
            assertThat(p.getContainerPort()).isEqualTo(port);
            assertThat(p.getProtocol()).isEqualTo("TCP");
        });

        for (Probe p : List.of(container().getReadinessProbe(), container().getLivenessProbe())) {
            assertThat(p.getHttpGet().getPath()).isIn("/-/healthy", "/metrics");
            assertThat(containerPort(p.getHttpGet().getPort())).isEqualTo(port);
            assertThat(p.getPeriodSeconds()).isPositive();
            assertThat(p.getTimeoutSeconds()).isPositive();
        }
        // The JVM starts and the programs load before the first liveness check.
        assertThat(container().getLivenessProbe().getInitialDelaySeconds())
                .isGreaterThanOrEqualTo(Math.max(20, container().getReadinessProbe().getInitialDelaySeconds()));

        Service svc = one(Service.class);
        assertThat(svc.getSpec().getClusterIP()).as("headless: one target per node").isEqualTo("None");
        assertThat(daemonSet().getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(svc.getSpec().getSelector());
        assertThat(daemonSet().getSpec().getSelector().getMatchLabels()).isEqualTo(svc.getSpec().getSelector());
        ServicePort sp = svc.getSpec().getPorts().getFirst();
        assertThat(svc.getSpec().getPorts()).hasSize(1);
        assertThat(sp.getName()).isEqualTo(METRICS);
        assertThat(containerPort(sp.getTargetPort())).isEqualTo(port);

        // Scraped through the pods' annotations; the Service has none, or Prometheus would scrape twice.
        assertThat(daemonSet().getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", Integer.toString(port))
                .containsEntry("prometheus.io/path", "/metrics");
        assertThat(svc.getMetadata().getAnnotations()).isNullOrEmpty();

        JsonNode monitor = trees.get(OPTIONAL);
        assertThat(monitor.path("kind").asText()).isEqualTo("ServiceMonitor");
        assertThat(monitor.path("metadata").path("namespace").asText()).isEqualTo(trees.get(KUSTOMIZATION).path("namespace").asText());
        Map<String, String> selector = YAML.convertValue(monitor.path("spec").path("selector").path("matchLabels"), YAML.getTypeFactory()
                .constructMapType(Map.class, String.class, String.class));
        assertThat(svc.getMetadata().getLabels()).containsAllEntriesOf(selector);
        assertThat(monitor.path("spec").path("endpoints").get(0).path("port").asText()).isEqualTo(sp.getName());
        assertThat(monitor.path("spec").path("endpoints").get(0).path("path").asText()).isEqualTo("/metrics");
    }

    @Test
    void requestsAndLimitsAreSet() {
        var r = container().getResources();
        for (String res : List.of("cpu", "memory")) {
            Quantity request = r.getRequests().get(res);
            Quantity limit = r.getLimits().get(res);
            assertThat(request).as(res + " request").isNotNull();
            assertThat(limit).as(res + " limit").isNotNull();
            assertThat(Quantity.getAmountInBytes(request)).as(res).isPositive().isLessThanOrEqualTo(Quantity.getAmountInBytes(limit));
        }
        // The heap is a part of the memory limit: the rest is the JVM's own and the BPF maps.
        Matcher xmx = Pattern.compile("-Xmx(\\d+)m").matcher(env("JDK_JAVA_OPTIONS"));
        assertThat(xmx.find()).isTrue();
        long limit = Quantity.getAmountInBytes(r.getLimits().get("memory")).longValueExact();
        assertThat(Long.parseLong(xmx.group(1)) << 20).isLessThanOrEqualTo(limit / 4);
    }

    static String env(String name) {
        return container().getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name));
    }

    /** The JVM options are accepted by a JVM (this test's own): a misspelled -XX flag fails here. */
    @Test
    void theJvmAcceptsTheJavaOptions() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(Arrays.asList(env("JDK_JAVA_OPTIONS").trim().split("\\s+")));
        cmd.add("-version");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    /**
     * The container's arguments as the kubelet and the JVM hand them to syscope: $(VAR) expanded
     * from the env (ConfigMap keys included), and every @file that a ConfigMap volume provides
     * written to {@code dir}. {@code edit} rewrites the ConfigMaps' contents first.
     */
    static List<String> resolvedArgs(Path dir, UnaryOperator<String> edit) throws IOException {
        Map<String, ConfigMap> configMaps = objects.values().stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
                .collect(Collectors.toMap(cm -> cm.getMetadata().getName(), cm -> cm));
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar e : container().getEnv()) {
            if (e.getValueFrom() != null) {
                var ref = e.getValueFrom().getConfigMapKeyRef();
                assertThat(ref).as(e.getName() + ": only ConfigMap references").isNotNull();
                ConfigMap cm = configMaps.get(ref.getName());
                assertThat(cm).as("ConfigMap " + ref.getName()).isNotNull();
                assertThat(cm.getData()).as("ConfigMap " + ref.getName()).containsKey(ref.getKey());
                env.put(e.getName(), edit.apply(cm.getData().get(ref.getKey())));
            } else {
                env.put(e.getName(), e.getValue());
            }
        }
        assertThat(container().getEnvFrom()).isEmpty();
        assertThat(container().getCommand()).as("the image's entry point runs the jar").isEmpty();

        List<String> args = new ArrayList<>();
        for (String a : container().getArgs()) {
            Matcher m = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)").matcher(a);
            String expanded = m.replaceAll(r -> {
                assertThat(env).as("$(" + r.group(1) + ")").containsKey(r.group(1));
                return Matcher.quoteReplacement(env.get(r.group(1)));
            });
            if (expanded.startsWith("@")) {
                Path file = Path.of(expanded.substring(1));
                String content = edit.apply(atFile(file, configMaps));
                Path local = dir.resolve(file.getFileName().toString());
                Files.writeString(local, content);
                expanded = "@" + local;
            }
            args.add(expanded);
        }
        return args;
    }

    /** The content a ConfigMap volume gives {@code file} in the container; fails if none does. */
    static String atFile(Path file, Map<String, ConfigMap> configMaps) {
        for (VolumeMount m : container().getVolumeMounts()) {
            Volume v = volume(m.getName());
            if (v.getConfigMap() == null || !file.startsWith(m.getMountPath())) {
                continue;
            }
            String rel = Path.of(m.getMountPath()).relativize(file).toString();
            ConfigMap cm = configMaps.get(v.getConfigMap().getName());
            assertThat(cm).as("ConfigMap " + v.getConfigMap().getName()).isNotNull();
            String key = v.getConfigMap().getItems() == null || v.getConfigMap().getItems().isEmpty() ? rel
                    : v.getConfigMap().getItems().stream().filter(i -> i.getPath().equals(rel)).map(i -> i.getKey())
                            .findFirst().orElseThrow(() -> new AssertionError("no item of " + m.getName() + " at " + rel));
            assertThat(cm.getData()).as("ConfigMap " + cm.getMetadata().getName()).containsKey(key);
            return cm.getData().get(key);
        }
        throw new AssertionError("no ConfigMap volume provides " + file);
    }

    record Run(int code, String err) {}

    /**
     * Runs syscope's real command line on the resolved args, on a free loopback port instead of
     * the pod's, and stopped before it starts: exit 2 is bad usage; as root it loads and exits 0,
     * elsewhere 1 (no CAP_BPF).
     */
    static Run runCli(List<String> resolved) {
        List<String> args = new ArrayList<>(resolved);
        args.set(args.indexOf("--listen") + 1, "127.0.0.1:0");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cli.Stop stop = new Cli.Stop();
        stop.request();
        int code = Cli.run(args.toArray(String[]::new), new ByteArrayOutputStream(), new PrintStream(err, true, StandardCharsets.UTF_8),
                false, stop);
        return new Run(code, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theArgsParseWithSyscopesCommandLine(@TempDir Path dir) throws IOException {
        List<String> args = resolvedArgs(dir, s -> s);
        assertThat(args.getFirst()).isEqualTo("serve");
        String options = Files.readString(dir.resolve("serve.args"));
        // --listen is the container's (the probes' port); a --duration would end the DaemonSet's pod.
        assertThat(options.lines().filter(l -> !l.strip().startsWith("#")))
                .noneMatch(l -> l.contains("--listen") || l.contains("--duration"));
        assertThat(options).contains("--syscalls", "--comm-limit", "--max-entries");
        Run r = runCli(args);
        assertThat(r.code()).as(r.err()).isIn(Cli.EXIT_OK, Cli.EXIT_ENV);
        assertThat(r.err()).doesNotContain("Usage:");
    }

    /** The check above can fail: the ConfigMap's options with one mistake each are bad usage. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--comm-limit 30    | --comm-limt 30    | Unknown options: '--comm-limt'",
        "--syscalls all     | --syscalls opnat  | unknown syscall 'opnat'",
        "--max-entries 10240| --max-entries ten | '--max-entries'",
        "--comm-limit 30    | --comm-limit 30 --listen 127.0.0.1:9 | option '--listen' ([HOST:]PORT) should be specified only once",
    })
    void aMistakeInTheOptionsIsBadUsage(String option, String mistake, String message, @TempDir Path dir) throws IOException {
        List<String> args = resolvedArgs(dir, s -> {
            assertThat(s).contains(option);
            return s.replace(option, mistake);
        });
        Run r = runCli(args);
        assertThat(r.code()).as(r.err()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(r.err().lines().findFirst().orElseThrow()).contains(message);
    }

    /** `kubectl kustomize` renders the kustomization offline, when kubectl is installed. */
    @Test
    void kubectlKustomizeRendersIt() throws Exception {
        Path kubectl = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(d -> Path.of(d, "kubectl")).filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(kubectl != null, "kubectl is not installed");
        Process p = new ProcessBuilder(kubectl.toString(), "kustomize", DIR.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        List<HasMetadata> rendered = new ArrayList<>();
        for (JsonNode doc : YAML.readerFor(JsonNode.class).<JsonNode>readValues(out).readAll()) {
            rendered.add((HasMetadata) YAML.treeToValue(doc, KubernetesResource.class));
        }
        assertThat(rendered).extracting(HasMetadata::getKind)
                .containsExactlyInAnyOrder("Namespace", "ServiceAccount", "ConfigMap", "DaemonSet", "Service");
        assertThat(rendered).filteredOn(r -> !(r instanceof Namespace))
                .allSatisfy(r -> assertThat(r.getMetadata().getNamespace()).isEqualTo("syscope"));
        DaemonSet ds = rendered.stream().filter(DaemonSet.class::isInstance).map(DaemonSet.class::cast).findFirst().orElseThrow();
        assertThat(ds.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage()).isEqualTo("syscope:latest");
    }

    // ---- deploy/kubernetes/kafka: the overlay that adds `syscope trace` into Kafka ----

    static final Path KAFKA = DIR.resolve("kafka");

    static <T> T kafkaPatch(String file, Class<T> type) throws IOException {
        return YAML.readValue(KAFKA.resolve(file).toFile(), type);
    }

    static Container traceContainer() throws IOException {
        List<Container> cs = kafkaPatch("daemonset-patch.yaml", DaemonSet.class).getSpec().getTemplate().getSpec().getContainers();
        assertThat(cs).extracting(Container::getName).containsExactly("trace");
        return cs.getFirst();
    }

    @Test
    void theKafkaOverlayPatchesTheBaseWithATraceContainer() throws IOException {
        JsonNode k = YAML.readTree(KAFKA.resolve(KUSTOMIZATION).toFile());
        assertThat(k.path("resources")).extracting(JsonNode::asText).containsExactly("../");
        List<String> patches = new ArrayList<>();
        k.path("patches").forEach(p -> patches.add(p.path("path").asText()));
        try (Stream<Path> files = Files.list(KAFKA)) {
            assertThat(patches).containsExactlyInAnyOrderElementsOf(files.map(f -> f.getFileName().toString())
                    .filter(f -> !f.equals(KUSTOMIZATION)).toList());
        }
        // Strategic merge patches find their targets by kind and name.
        assertThat(kafkaPatch("daemonset-patch.yaml", DaemonSet.class).getMetadata().getName()).isEqualTo(daemonSet().getMetadata().getName());
        ConfigMap base = one(ConfigMap.class);
        ConfigMap patch = kafkaPatch("configmap-patch.yaml", ConfigMap.class);
        assertThat(patch.getMetadata().getName()).isEqualTo(base.getMetadata().getName());
        assertThat(patch.getData()).containsOnlyKeys("trace.args");
    }

    @Test
    void theTraceContainerHasTheSamePrivilegeAndMountsAsServe() throws IOException {
        Container trace = traceContainer();
        assertThat(trace.getSecurityContext()).isEqualTo(container().getSecurityContext());
        assertThat(trace.getVolumeMounts()).isEqualTo(container().getVolumeMounts());
        assertThat(trace.getImage()).isEqualTo(container().getImage());
        EnvVar node = trace.getEnv().stream().filter(e -> e.getName().equals("NODE_NAME")).findFirst().orElseThrow();
        assertThat(node.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
        // The options volume, replaced whole by the patch (items has no merge key): both files.
        Volume options = kafkaPatch("daemonset-patch.yaml", DaemonSet.class).getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals("options")).findFirst().orElseThrow();
        assertThat(options.getConfigMap().getItems()).extracting(i -> i.getKey()).containsExactlyInAnyOrder("serve.args", "trace.args");
        // Probes and the port on the trace's own --listen.
        int port = new ListenConverter().convert(trace.getArgs().get(trace.getArgs().indexOf("--listen") + 1)).getPort();
        assertThat(trace.getPorts()).singleElement().satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(port));
        String portName = trace.getPorts().getFirst().getName();
        for (Probe p : List.of(trace.getReadinessProbe(), trace.getLivenessProbe())) {
            assertThat(p.getHttpGet().getPath()).isEqualTo("/-/healthy");
            assertThat(p.getHttpGet().getPort()).isEqualTo(new IntOrString(portName));
        }
        assertThat(trace.getResources().getLimits()).containsKeys("cpu", "memory");
    }

    /** trace.args through syscope's command line: valid (exit 0 or 1: no broker resolves here), and a mistake is bad usage. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--kafka-compression lz4 | --kafka-compression lz4    | ",
        "--kafka-compression lz4 | --kafka-compression snappy | --kafka-compression",
        "--kafka-topic syscope.events | --kafka-topic 'a b'   | --kafka-topic must be",
        "--kafka-buffer 64M      | --kafka-buffer 1M          | --kafka-buffer must be at least 4M",
    })
    void theTraceArgsParseWithSyscopesCommandLine(String option, String replacement, String message, @TempDir Path dir) throws IOException {
        Container trace = traceContainer();
        String options = kafkaPatch("configmap-patch.yaml", ConfigMap.class).getData().get("trace.args");
        assertThat(options).contains(option);
        Path file = dir.resolve("trace.args");
        Files.writeString(file, options.replace(option, replacement));
        List<String> args = new ArrayList<>(trace.getArgs());
        args.set(args.size() - 1, "@" + file);
        Run r = runCli(args);
        if (message == null) {
            assertThat(r.code()).as(r.err()).isIn(Cli.EXIT_OK, Cli.EXIT_ENV);
            assertThat(r.err()).doesNotContain("Usage:");
        } else {
            assertThat(r.code()).as(r.err()).isEqualTo(Cli.EXIT_USAGE);
            assertThat(r.err().lines().findFirst().orElseThrow()).contains(message);
        }
    }
}
