package dev.syscope.cli;

import dev.syscope.api.Counters;
import dev.syscope.api.StatsRow;
import dev.syscope.api.TraceBuilder;
import dev.syscope.api.TraceSession;
import dev.syscope.container.ContainerResolver;
import dev.syscope.sink.StatsJsonSink;
import dev.syscope.sink.StatsTextSink;
import dev.syscope.stats.Drainer;
import dev.syscope.stats.Grouping;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import static dev.syscope.cli.Specs.option;

/** {@code syscope stats}: exact per-process, per-syscall counts aggregated in the kernel. */
final class StatsCommand implements Callable<Integer> {
    private final CommandSpec spec = Specs.command(this, "stats");
    private final FilterOptions filters = new FilterOptions();
    private final GroupingOption grouping = new GroupingOption();
    private int top;
    private long intervalNanos;
    private boolean histogram;
    private TraceCommand.Format output;
    private boolean showContainer;
    private final AggregateOptions aggregate = new AggregateOptions();
    private final RunOptions run = new RunOptions();
    private final Streams io;

    StatsCommand(Streams io) {
        this.io = io;
        spec.usageMessage().sortOptions(false).autoWidth(true)
                .header("Count syscalls, errors, bytes (and latency) per process, exactly, in the kernel.")
                .description(
                    "Aggregates syscalls in the kernel, per (process, syscall): count, errors,",
                    "and bytes moved by read/write-like calls, at syscall exit only; with",
                    "--latency also the total latency and a log2 latency histogram. Nothing is",
                    "streamed per event. Prints a table sorted by count at the end (--duration",
                    "or Ctrl-C), or every --interval. Pairs that do not fit in the kernel map",
                    "(--max-entries) are counted and reported.",
                    "")
                .footer(
                    "",
                    "Examples:",
                    "  sudo ./syscope stats --duration 10              # top syscalls per process",
                    "  sudo ./syscope stats --by syscall --interval 1s # per syscall, every second",
                    "  sudo ./syscope stats -L -e read,write           # with latency (AVG, P50, P99)",
                    "  sudo ./syscope stats -p 1234 --histogram        # with latency histograms",
                    "  sudo ./syscope stats -e %%file --failed -o json  # failing file syscalls",
                    "",
                    "Exit status: 0 ok, 1 the environment cannot run syscope, 2 bad usage.");
        filters.addTo(spec);
        grouping.addTo(spec);
        spec.addOption(option(int.class, () -> top, v -> top = v, "--top")
                .paramLabel("N").description("Only the N rows with the most calls.").build());
        spec.addOption(option(long.class, () -> intervalNanos, v -> intervalNanos = v, "--interval")
                .paramLabel("DURATION").converters(new DurationConverter())
                .description("Print (and reset) the table every DURATION: 1s, 500ms.").build());
        spec.addOption(option(boolean.class, () -> histogram, v -> histogram = v, "--histogram")
                .description("Also print a log2 latency histogram per row (implies --latency).").build());
        spec.addOption(option(TraceCommand.Format.class, () -> output, v -> output = v, "-o", "--output")
                .paramLabel("text|json").defaultValue("text")
                .description("A table, or one JSON document per interval (default: ${DEFAULT-VALUE}).").build());
        spec.addOption(option(boolean.class, () -> showContainer, v -> showContainer = v, "--show-container")
                .description("Text: add a CONTAINER column per process (the short id; - for the host). JSON rows always have container_id and container_runtime for processes in containers.").build());
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
        Grouping grouping = this.grouping.by;
        try {
            if (top < 0) {
                throw new IllegalArgumentException("--top must be positive: '" + top + "'");
            }
            b.aggregate(aggregate.maxEntries).latency(latency());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Report report = new Report();
        ContainerResolver containers = ContainerResolver.system();
        StatsTextSink text = new StatsTextSink(report.out, showContainer || filters.containerFilter() ? containers::resolve : null);
        StatsJsonSink json = new StatsJsonSink(report.out, containers::resolve);
        Counters counters;
        long mapFull;
        OutputGuard guard = new OutputGuard();
        try (TraceSession session = b.open()) {
            Drainer drainer = new Drainer(session, aggregate.maxEntries);
            guard.run(() -> {
                long start = System.nanoTime();
                long intervalStart = start;
                while (!io.stop().requested() && run.withinDuration(start)) {
                    RunOptions.sleepMillis(50);
                    drainer.tick();
                    long now = System.nanoTime();
                    if (intervalNanos > 0 && now - intervalStart >= intervalNanos) {
                        print(drainer.take(), grouping, now - intervalStart, session, text, json, report);
                        intervalStart = now;
                    }
                }
                List<StatsRow> rest = drainer.take();
                if (intervalNanos == 0 || !rest.isEmpty()) {
                    print(rest, grouping, System.nanoTime() - intervalStart, session, text, json, report);
                }
            });
            counters = session.counters();
            mapFull = session.statsMapFull();
        }
        io.stderr().println("syscope: " + counters.lost() + " lost, " + mapFull + " not counted (map full"
                + (mapFull > 0 ? ": raise --max-entries" : "") + ")" + guard.summarySuffix());
        guard.rethrow();
        return Cli.EXIT_OK;
    }

    private boolean latency() {
        return aggregate.latency || histogram;
    }

    private void print(List<StatsRow> rows, Grouping grouping, long elapsedNanos, TraceSession session,
                       StatsTextSink text, StatsJsonSink json, Report report) {
        List<StatsRow> shown = grouping.apply(rows, top);
        if (output == TraceCommand.Format.json) {
            json.document(shown, grouping, Instant.now(), elapsedNanos, session.counters().lost(), session.statsMapFull(), latency(), histogram);
        } else {
            text.table(shown, grouping, intervalNanos > 0 ? Instant.now() + " (" + elapsedNanos / 1_000_000 + " ms)" : null, latency());
            if (histogram) {
                text.histograms(shown, grouping);
            }
            if (intervalNanos > 0) {
                report.out.println();
            }
        }
        report.writeTo(io.stdout());
    }
}
