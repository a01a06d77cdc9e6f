package dev.syscope.cli;

import dev.syscope.api.TraceBuilder;
import dev.syscope.api.TraceSession;
import dev.syscope.container.Container;
import dev.syscope.container.ContainerResolver;
import dev.syscope.metrics.CommLabels;
import dev.syscope.metrics.SyscallMetrics;
import dev.syscope.stats.Drainer;
import dev.syscope.syscalls.Arch;
import dev.syscope.syscalls.Syscall;
import dev.syscope.syscalls.SyscallTable;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static dev.syscope.cli.Specs.listOption;
import static dev.syscope.cli.Specs.option;

/** {@code syscope serve}: the stats aggregates as Prometheus metrics on /metrics. */
final class ServeCommand implements Callable<Integer> {
    static final int DEFAULT_PORT = 9464;
    /** The comm labels are updated every second and reranked once a minute. */
    private static final int RERANK_SECONDS = 60;

    private final CommandSpec spec = Specs.command(this, "serve");
    private final FilterOptions filters = new FilterOptions();
    private InetSocketAddress listen;
    private int commLimit;
    private List<String> labels = new ArrayList<>();
    private final AggregateOptions aggregate = new AggregateOptions();
    private final RunOptions run = new RunOptions();
    private final Streams io;

    ServeCommand(Streams io) {
        this.io = io;
        spec.usageMessage().sortOptions(false).autoWidth(true)
                .header("Export exact syscall counts, errors, bytes and latency as Prometheus metrics.")
                .description(
                    "Aggregates syscalls in the kernel, as 'stats' does, drains them every second",
                    "and serves the totals since start on http://LISTEN/metrics:",
                    "  syscope_syscalls_total{syscall,comm}",
                    "  syscope_syscall_errors_total{syscall,comm,errno}",
                    "  syscope_syscall_bytes_total{syscall,comm}      (read/write-like syscalls)",
                    "  syscope_syscall_latency_seconds{syscall}       (histogram, ~1us to ~2s;",
                    "                                                  with --latency only)",
                    "  syscope_events_lost_total, syscope_map_full_total{map}",
                    "  jvm_* and process_* (syscope's own process)",
                    "There is no pid label. The busiest --comm-limit commands get their own comm",
                    "label; the rest count as comm=\"other\". --label container adds a container",
                    "label (the short id, \"host\" outside containers; at most 256 values, the",
                    "rest \"other\") to the calls, errors and bytes series.",
                    "")
                .footer(
                    "",
                    "Examples:",
                    "  sudo ./syscope serve                          # http://127.0.0.1:9464/metrics",
                    "  sudo ./syscope serve --listen 0.0.0.0:9464    # reachable from other hosts",
                    "  sudo ./syscope serve -L                       # with the latency histogram",
                    "  sudo ./syscope serve -e %%file,%%net --comm-limit 20",
                    "  sudo ./syscope serve --label container        # per container too",
                    "",
                    "Exit status: 0 ok, 1 the environment cannot run syscope, 2 bad usage.");
        filters.addTo(spec);
        spec.addOption(option(InetSocketAddress.class, () -> listen, v -> listen = v, "--listen")
                .paramLabel("[HOST:]PORT").converters(new ListenConverter())
                .defaultValue(ListenConverter.LOOPBACK + ":" + DEFAULT_PORT)
                .description("Where to serve /metrics (default: ${DEFAULT-VALUE}; port 0: any free port).").build());
        spec.addOption(option(int.class, () -> commLimit, v -> commLimit = v, "--comm-limit")
                .paramLabel("N").defaultValue("30")
                .description("At most N comm label values besides \"other\" (default: ${DEFAULT-VALUE}).").build());
        spec.addOption(listOption(String.class, () -> labels, v -> labels = v, "--label")
                .paramLabel("container").splitRegex(",")
                .description("Extra labels: container (the short container id, \"host\" for the host's processes).").build());
        aggregate.addTo(spec);
        run.addTo(spec);
        Specs.addHelpOptions(spec);
    }

    /** The command as picocli parses and runs it. */
    CommandSpec spec() {
        return spec;
    }

    @Override
    public Integer call() {
        TraceBuilder b = filters.builder(spec, io.stderr(), run.verbose);
        if (commLimit < 1) {
            throw new ParameterException(spec.commandLine(), "--comm-limit must be positive: '" + commLimit + "'");
        }
        for (String l : labels) {
            if (!l.equals("container")) {
                throw new ParameterException(spec.commandLine(), "--label: unknown label '" + l + "' (known: container)");
            }
        }
        CommLabels comms = new CommLabels(commLimit, RERANK_SECONDS);
        ContainerResolver containers = labels.contains("container") ? ContainerResolver.system() : null;
        try {
            b.aggregate(aggregate.maxEntries).latency(aggregate.latency);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        SyscallTable table = SyscallTable.of(Arch.current());
        PrometheusRegistry registry = new PrometheusRegistry();
        // Bound before the probe loads: a bad or busy --listen is bad usage, found at once.
        try (HTTPServer server = MetricsServer.start(spec, listen, registry);
             TraceSession session = b.open()) {
            SyscallMetrics metrics = new SyscallMetrics(comms, name -> {
                Syscall sc = table.byName(name);
                return sc != null && sc.transfersBytes();
            }, () -> session.counters().lost(), session::statsMapFull, session::errnoMapFull,
                    containers == null ? null : id -> {
                        Container c = containers.resolve(id);
                        return c.isHost() ? SyscallMetrics.HOST : c.shortIdText();
                    });
            registry.register(metrics);
            JvmMetrics.builder().register(registry);
            io.stderr().println(MetricsServer.servingLine(listen, server));
            Drainer drainer = new Drainer(session, aggregate.maxEntries);
            long start = System.nanoTime();
            long lastUpdate = start;
            while (!io.stop().requested() && run.withinDuration(start)) {
                RunOptions.sleepMillis(50);
                drainer.tick();
                if (System.nanoTime() - lastUpdate >= 1_000_000_000L) { // CommLabels counts in seconds
                    metrics.add(drainer.take());
                    lastUpdate = System.nanoTime();
                }
            }
            io.stderr().println("syscope: " + session.counters().lost() + " lost, " + session.statsMapFull()
                    + " not counted (map full)");
        }
        return Cli.EXIT_OK;
    }
}
