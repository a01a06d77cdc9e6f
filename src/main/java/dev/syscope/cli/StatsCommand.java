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
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code syscope stats}: exact per-process, per-syscall counts aggregated in the kernel. */
@Command(name = "stats",
        header = "Count syscalls, errors, bytes (and latency) per process, exactly, in the kernel.",
        mixinStandardHelpOptions = true,
        versionProvider = SeedCommand.Version.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Aggregates syscalls in the kernel, per (process, syscall): count, errors,",
            "and bytes moved by read/write-like calls, at syscall exit only; with",
            "--latency also the total latency and a log2 latency histogram. Nothing is",
            "streamed per event. Prints a table sorted by count at the end (--duration",
            "or Ctrl-C), or every --interval. Pairs that do not fit in the kernel map",
            "(--max-entries) are counted and reported.",
            ""},
        footer = {
            "",
            "Examples:",
            "  sudo ./syscope stats --duration 10              # top syscalls per process",
            "  sudo ./syscope stats --by syscall --interval 1s # per syscall, every second",
            "  sudo ./syscope stats -L -e read,write           # with latency (AVG, P50, P99)",
            "  sudo ./syscope stats -p 1234 --histogram        # with latency histograms",
            "  sudo ./syscope stats -e %%file --failed -o json  # failing file syscalls",
            "",
            "Exit status: 0 ok, 1 the environment cannot run syscope, 2 bad usage."})
final class StatsCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private FilterOptions filters;

    @Mixin
    private GroupingOption grouping;

    @Option(names = "--top", paramLabel = "N", description = "Only the N rows with the most calls.")
    private int top;

    @Option(names = "--interval", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Print (and reset) the table every DURATION: 1s, 500ms.")
    private long intervalNanos;

    @Option(names = "--histogram", description = "Also print a log2 latency histogram per row (implies --latency).")
    private boolean histogram;

    @Option(names = {"-o", "--output"}, paramLabel = "text|json", defaultValue = "text",
            description = "A table, or one JSON document per interval (default: ${DEFAULT-VALUE}).")
    private TraceCommand.Format output;

    @Option(names = "--show-container", description = "Text: add a CONTAINER column per process (the short id; - for the host). JSON rows always have container_id and container_runtime for processes in containers.")
    private boolean showContainer;

    @Mixin
    private AggregateOptions aggregate;

    @Mixin
    private RunOptions run;

    private final Streams io;

    StatsCommand(Streams io) {
        this.io = io;
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
