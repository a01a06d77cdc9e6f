package dev.syscope.cli;

import dev.syscope.api.BufferKind;
import dev.syscope.api.Counters;
import dev.syscope.api.Overload;
import dev.syscope.api.StatsRow;
import dev.syscope.api.Syscope;
import dev.syscope.api.TraceBuilder;
import dev.syscope.api.TraceHandler;
import dev.syscope.api.TraceSession;
import dev.syscope.bpf.Libc;
import dev.syscope.container.ContainerResolver;
import dev.syscope.kafka.KafkaExport;
import dev.syscope.metrics.TraceMetrics;
import dev.syscope.sink.LineOutput;
import dev.syscope.sink.TraceJsonSink;
import dev.syscope.sink.TraceTextSink;
import dev.syscope.sink.Warmup;
import dev.syscope.stats.Grouping;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.net.InetSocketAddress;
import java.time.ZoneId;
import java.util.function.Function;
import java.util.concurrent.Callable;

import static dev.syscope.cli.Specs.option;

/** {@code syscope trace}: any syscall, entry paired with exit, filtered in the kernel. */
final class TraceCommand implements Callable<Integer> {
    private final CommandSpec spec = Specs.command(this, "trace");
    private final FilterOptions filters = new FilterOptions();
    private Format output;
    private Long count;
    private BufferKind buffer;
    private Integer bufferSize;
    private Overload onOverload;
    private boolean showContainer;
    private String kafkaBootstrap;
    private String kafkaTopic;
    private Compression kafkaCompression;
    private int kafkaBuffer;
    private InetSocketAddress listen;
    private final RunOptions run = new RunOptions();

    enum Format { text, json }

    enum Compression { lz4, zstd, gzip, none }

    /** Events between two stats records in the Kafka topic: every this many nanoseconds. */
    private static final long KAFKA_STATS_NANOS = 10_000_000_000L;

    private final Streams io;
    private long seen;
    private long limit = Long.MAX_VALUE;

    TraceCommand(Streams io) {
        this.io = io;
        spec.usageMessage().sortOptions(false).autoWidth(true)
                .header("Trace any syscall with its result and latency, filtered in the kernel.")
                .description(
                    "Traces the syscalls of every process through eBPF: one event per completed",
                    "call, with its arguments, return value, errno and latency. Filters run in",
                    "the kernel; syscope skips its own process. Calls the buffer cannot take",
                    "(the reader fell behind) are counted in the kernel per (process, syscall)",
                    "and reported as not streamed, or as lost with --on-overload=drop: on stderr",
                    "every second while they grow (text), or as \"not_streamed\" and \"lost\"",
                    "records (JSON).",
                    "",
                    "With --kafka-bootstrap the events go to a Kafka topic instead of stdout: JSON,",
                    "one record per event, keyed HOST/PID (a process's events stay in order in",
                    "one partition), with \"host\" in every record; lost, not_streamed and a stats",
                    "record every 10 s go there too. The producer batches, compresses and retries",
                    "(acks=all, idempotent); the reader never waits for it. When the broker is",
                    "slow or gone and --kafka-buffer is full, events are counted per (process,",
                    "syscall) and reported as not streamed (reason \"kafka\"), or dropped with",
                    "--on-overload=drop. HOST is $NODE_NAME, else the host name.",
                    "")
                .footer(
                    "",
                    "Text columns: TIME (local, ms), PID, COMM, SYSCALL, RET (return value:",
                    "bytes for read/write, -ERRNO on failure, ? if the call never returns),",
                    "LAT(us) (entry to exit), CONTAINER (with --show-container or a container",
                    "filter: the short id, - for the host) and ARGS (fds, AT_FDCWD, O_ flags,",
                    "paths). On a terminal lines are cut at 99 columns; files, pipes and JSON",
                    "keep all.",
                    "",
                    "Classes for -e: %%file %%desc %%net %%process %%memory %%signal %%ipc.",
                    "",
                    "Examples:",
                    "  sudo ./syscope trace -e openat,openat2 --failed   # failed opens",
                    "  sudo ./syscope trace -e %%file -p 1234 -o json    # JSON Lines",
                    "  sudo ./syscope trace -e read,write --min-latency 1ms",
                    "  sudo ./syscope trace -c nginx -n 100              # 100 calls of nginx",
                    "  sudo ./syscope trace --container 3f4a -e %%net    # one container",
                    "  sudo ./syscope trace -e %%file --kafka-bootstrap kafka:9092 --listen 9465",
                    "",
                    "Exit status: 0 ok, 1 the environment cannot run syscope, 2 bad usage.");
        filters.addTo(spec);
        spec.addOption(option(Format.class, () -> output, v -> output = v, "-o", "--output")
                .paramLabel("text|json").defaultValue("text")
                .description("Output format: a table, or JSON Lines (default: ${DEFAULT-VALUE}).").build());
        spec.addOption(option(Long.class, () -> count, v -> count = v, "-n", "--count")
                .paramLabel("N").description("Stop after N events.").build());
        spec.addOption(option(BufferKind.class, () -> buffer, v -> buffer = v, "--buffer")
                .paramLabel("ring|perf").defaultValue("ring")
                .description("Kernel-to-user buffer (default: ${DEFAULT-VALUE}; perf on kernels before 5.8).").build());
        spec.addOption(option(Integer.class, () -> bufferSize, v -> bufferSize = v, "--buffer-size")
                .paramLabel("SIZE").converters(new SizeConverter())
                .description("Ring buffer size, a power of two: 4K to 1G (default: 64M). With --buffer perf: each CPU's buffer (default: 4M).").build());
        spec.addOption(option(Overload.class, () -> onOverload, v -> onOverload = v, "--on-overload")
                .paramLabel("aggregate|drop").defaultValue("aggregate")
                .description("When the reader falls behind, the events the buffer cannot take are counted in the kernel"
                        + " per (process, syscall) and reported as not streamed (aggregate), or counted as lost (drop)."
                        + " Default: ${DEFAULT-VALUE}.").build());
        spec.addOption(option(boolean.class, () -> showContainer, v -> showContainer = v, "--show-container")
                .description("Text: add a CONTAINER column (the short id; - for the host). JSON always has container_id and container_runtime for tasks in containers.").build());
        spec.addOption(option(String.class, () -> kafkaBootstrap, v -> kafkaBootstrap = v, "--kafka-bootstrap")
                .paramLabel("HOST:PORT[,...]")
                .description("Publish the events to Kafka through these brokers instead of writing them to stdout.").build());
        spec.addOption(option(String.class, () -> kafkaTopic, v -> kafkaTopic = v, "--kafka-topic")
                .paramLabel("TOPIC").defaultValue("syscope.events")
                .description("The topic (default: ${DEFAULT-VALUE}).").build());
        spec.addOption(option(Compression.class, () -> kafkaCompression, v -> kafkaCompression = v, "--kafka-compression")
                .paramLabel("lz4|zstd|gzip|none").defaultValue("lz4")
                .description("Batch compression (default: ${DEFAULT-VALUE}).").build());
        spec.addOption(option(int.class, () -> kafkaBuffer, v -> kafkaBuffer = v, "--kafka-buffer")
                .paramLabel("SIZE").converters(new SizeConverter()).defaultValue("64M")
                .description("Memory for events waiting for Kafka, a power of two from 4M (default: ${DEFAULT-VALUE}).").build());
        spec.addOption(option(InetSocketAddress.class, () -> listen, v -> listen = v, "--listen")
                .paramLabel("[HOST:]PORT").converters(new ListenConverter())
                .description("Serve /metrics (Prometheus) there: events, lost, not streamed, and the Kafka export's counters.").build());
        run.addTo(spec);
        Specs.addHelpOptions(spec);
    }

    /** The command as picocli parses and runs it. */
    CommandSpec spec() {
        return spec;
    }

    /** Validates every option into a builder; bad input is a ParameterException (exit 2). */
    TraceBuilder builder() {
        TraceBuilder b = filters.builder(spec, io.stderr(), run.verbose);
        try {
            if (count != null && count <= 0) {
                throw new IllegalArgumentException("--count must be positive: '" + count + "'");
            }
            if (bufferSize != null) {
                if (buffer == BufferKind.PERF) {
                    b.perfPagesPerCpu(Math.max(1, bufferSize / Libc.pageSize()));
                } else {
                    b.ringBufferBytes(bufferSize);
                }
            }
            b.buffer(buffer).onOverload(onOverload);
            b.options(); // checks the combination
            checkKafka();
            return b;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private void checkKafka() {
        var parsed = spec.commandLine().getParseResult();
        if (kafkaBootstrap == null) {
            for (String o : new String[] {"--kafka-topic", "--kafka-compression", "--kafka-buffer"}) {
                if (parsed.hasMatchedOption(o)) {
                    throw new IllegalArgumentException(o + " needs --kafka-bootstrap");
                }
            }
            return;
        }
        if (output == Format.text && parsed.hasMatchedOption("-o")) {
            throw new IllegalArgumentException("--kafka-bootstrap publishes JSON; -o text does not apply");
        }
        if (showContainer) {
            throw new IllegalArgumentException("--show-container is a text column; Kafka records always carry the container keys");
        }
        if (!kafkaBootstrap.matches("[^,\\s]+:\\d{1,5}(,[^,\\s]+:\\d{1,5})*")) {
            throw new IllegalArgumentException("--kafka-bootstrap must be HOST:PORT[,HOST:PORT...]: '" + kafkaBootstrap + "'");
        }
        if (!kafkaTopic.matches("[a-zA-Z0-9._-]{1,249}") || kafkaTopic.equals(".") || kafkaTopic.equals("..")) {
            throw new IllegalArgumentException("--kafka-topic must be 1 to 249 of a-z A-Z 0-9 . _ -: '" + kafkaTopic + "'");
        }
        if (kafkaBuffer < 4 << 20) {
            throw new IllegalArgumentException("--kafka-buffer must be at least 4M: '" + kafkaBuffer + "'");
        }
    }

    @Override
    public Integer call() {
        TraceBuilder b = builder();
        if (count != null) {
            limit = count;
        }
        LineOutput out = new LineOutput(io.stdout(), 1 << 16, io.stdoutIsTty());
        boolean containerColumn = showContainer || filters.containerFilter();
        boolean jsonOut = output == Format.json || kafkaBootstrap != null;
        Function<LineOutput, TraceHandler> sinks = jsonOut ? o -> new TraceJsonSink(o, Syscope.arch(), ContainerResolver.system())
                : o -> new TraceTextSink(o, Syscope.arch(), ZoneId.systemDefault(), io.stdoutIsTty() ? 99 : 0,
                        containerColumn ? ContainerResolver.system() : null);
        Warmup.start(sinks, Syscope.arch()); // while the programs load, on the CPU they leave idle
        PrometheusRegistry registry = listen != null ? new PrometheusRegistry() : null;
        try (HTTPServer server = listen != null ? MetricsServer.start(spec, listen, registry) : null;
             KafkaExport kafka = kafkaBootstrap != null ? kafka() : null) {
            if (server != null) {
                io.stderr().println(MetricsServer.servingLine(listen, server));
            }
            return trace(b, out, sinks, registry, kafka);
        }
    }

    private KafkaExport kafka() {
        try {
            return new KafkaExport(new KafkaExport.Options(kafkaBootstrap, kafkaTopic, kafkaCompression.name(), kafkaBuffer,
                    KafkaExport.nodeName(), onOverload == Overload.AGGREGATE, run.verbose), Syscope.arch(), ContainerResolver.system(),
                    io.stderr()::println);
        } catch (KafkaException e) { // e.g. no broker name resolves
            throw new dev.syscope.api.SyscopeException("cannot start the Kafka producer for " + kafkaBootstrap + ": "
                    + e.getMessage() + "; check --kafka-bootstrap and the brokers' DNS names");
        }
    }

    private int trace(TraceBuilder b, LineOutput out, Function<LineOutput, TraceHandler> sinks,
                      PrometheusRegistry registry, KafkaExport kafka) {
        TraceJsonSink json = kafka != null ? kafka.records() : output == Format.json ? (TraceJsonSink) sinks.apply(out) : null;
        TraceTextSink text = json == null ? (TraceTextSink) sinks.apply(out) : null;
        TraceHandler sink = kafka != null ? kafka : json != null ? json : text;
        TraceHandler limited = e -> {
            if (seen < limit) {
                seen++;
                sink.onEvent(e);
            }
        };

        Counters counters;
        OutputGuard guard = new OutputGuard();
        try (TraceSession session = b.open()) {
            latest = session.counters();
            if (registry != null) {
                TraceMetrics.register(registry, () -> latest, kafka != null ? kafka::stats : null);
            }
            if (kafka != null) { // stdout stays empty: say where the events go
                io.stderr().println("syscope: tracing into Kafka topic " + kafkaTopic + " at " + kafkaBootstrap + " (key "
                        + kafka.host() + "/PID)");
            }
            guard.run(() -> {
                if (text != null) {
                    text.header();
                }
                long start = System.nanoTime();
                long nextLossCheck = start + 1_000_000_000L;
                long nextStats = start + KAFKA_STATS_NANOS;
                long reportedLost = 0;
                while (!io.stop().requested() && seen < limit && run.withinDuration(start)) {
                    session.poll(limited);
                    long now = System.nanoTime();
                    out.tick(now);
                    if (registry != null) {
                        latest = session.counters(); // a map read per poll, for /metrics
                    }
                    if (now >= nextLossCheck) {
                        reportNotStreamed(session, json, kafka);
                        reportedLost = reportLoss(session, json, reportedLost);
                        if (kafka != null) {
                            kafka.tick(now);
                        }
                        nextLossCheck = now + 1_000_000_000L;
                    }
                    if (kafka != null && now >= nextStats) {
                        publishStats(session, kafka);
                        nextStats = now + KAFKA_STATS_NANOS;
                    }
                }
                session.finish(limited);
                reportNotStreamed(session, json, kafka);
                reportLoss(session, json, reportedLost);
                latest = session.counters();
                if (kafka != null) {
                    publishStats(session, kafka);
                    kafka.close(); // delivers what it can within its timeout; the rest counts as failed
                }
                if (json != null) {
                    json.flush();
                }
                out.flush();
            });
            counters = session.counters();
            latest = counters;
        }
        io.stderr().println(kafka != null ? kafkaSummary(counters, kafka.stats()) : "syscope: " + seen + " events"
                + (seen < counters.received() ? " shown (" + counters.received() + " received)" : "")
                + (onOverload == Overload.AGGREGATE ? ", " + counters.aggregated() + " not streamed (counted in the kernel)" : "")
                + ", " + counters.lost() + " lost" + guard.summarySuffix());
        guard.rethrow();
        return Cli.EXIT_OK;
    }

    /** The trace's counters as of the last poll, for /metrics (read by the HTTP server's threads). */
    private volatile Counters latest = new Counters(0, 0);

    private void publishStats(TraceSession session, KafkaExport kafka) {
        Counters c = session.counters();
        kafka.publishStats(System.nanoTime() + session.realtimeOffsetNanos(), c.received(), c.aggregated(), c.lost());
    }

    /** Every event is in exactly one of the numbers after the first. */
    private String kafkaSummary(Counters c, KafkaExport.Stats k) {
        return "syscope: " + seen + " events" + (seen < c.received() ? " of " + c.received() + " received" : "") + ": "
                + k.delivered() + " delivered to Kafka, " + k.failed() + " failed, " + k.notStreamed()
                + " not streamed (Kafka buffers full, counted), " + k.dropped() + " dropped; "
                + (onOverload == Overload.AGGREGATE ? c.aggregated() + " not streamed (counted in the kernel), " : "")
                + c.lost() + " lost";
    }

    /**
     * Reports the calls that were counted in the kernel instead of streamed since the previous report,
     * per (process, syscall), most first: on io.stderr() (text) or as records (JSON).
     */
    private void reportNotStreamed(TraceSession session, TraceJsonSink json, KafkaExport kafka) {
        if (onOverload != Overload.AGGREGATE) {
            return;
        }
        long time = System.nanoTime() + session.realtimeOffsetNanos();
        if (kafka != null) {
            kafka.reportBacklog(time);
        }
        for (StatsRow r : Grouping.PROCESS_SYSCALL.apply(session.drainStats(), 0)) {
            if (json != null) {
                json.notStreamed(r, time);
            } else {
                io.stderr().println("syscope: " + r.count() + " " + r.syscall() + " calls of " + r.pid() + " (" + r.comm()
                        + ") not streamed (buffer full); counted in the kernel: " + r.errors() + " failed, " + r.bytes() + " bytes");
            }
        }
    }

    /** Reports loss that grew since {@code reported}: on io.stderr() (text) or as a record (JSON). */
    private long reportLoss(TraceSession session, TraceJsonSink json, long reported) {
        long lost = session.counters().lost();
        if (lost > reported) {
            if (json != null) {
                json.lost(lost - reported, System.nanoTime() + session.realtimeOffsetNanos());
            } else {
                io.stderr().println("syscope: " + (lost - reported) + " events lost (" + lost + " in all): the reader cannot keep up; narrow the filters or enlarge the buffer");
            }
        }
        return lost;
    }
}
