package dev.syscope.cli;

import dev.syscope.api.TraceBuilder;
import dev.syscope.api.TraceSession;
import dev.syscope.stats.Drainer;
import dev.syscope.top.Column;
import dev.syscope.top.TopModel;
import dev.syscope.top.TopRenderer;
import dev.syscope.top.TopScreen;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.spi.TerminalExt;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.time.LocalTime;
import java.util.concurrent.Callable;

import static dev.syscope.cli.Specs.option;

/** {@code syscope top}: a live view of syscall rates and latency, from the kernel's aggregates. */
final class TopCommand implements Callable<Integer> {
    private static final long MIN_INTERVAL_NANOS = 100_000_000L;

    private final CommandSpec spec = Specs.command(this, "top");
    private final FilterOptions filters = new FilterOptions();
    private final GroupingOption grouping = new GroupingOption();
    private Column sort;
    private long intervalNanos;
    private final AggregateOptions aggregate = new AggregateOptions();
    private final RunOptions run = new RunOptions();
    private final Streams io;

    TopCommand(Streams io) {
        this.io = io;
        spec.usageMessage().sortOptions(false).autoWidth(true)
                .header("Live view, like top, of syscall rates and latency per process.")
                .description(
                    "A full-screen view, like top, of the kernel's per-(process, syscall)",
                    "aggregates: calls, errors and bytes per second over the last interval, and",
                    "with --latency the mean, p50 and p99 latency of its calls. Keys: c calls,",
                    "e errors, b bytes, a avg, l p99, p pid, n comm, s syscall (sort), r reverse,",
                    "/ filter by comm (Enter applies, empty clears, Esc cancels),",
                    "q or Ctrl-C quit.",
                    "When stdout is not a terminal (or TERM=dumb), prints a plain table every",
                    "interval instead, until --duration or Ctrl-C.",
                    "")
                .footer(
                    "",
                    "Examples:",
                    "  sudo ./syscope top                          # every process",
                    "  sudo ./syscope top --by process --sort errors",
                    "  sudo ./syscope top -L                       # with latency columns",
                    "  sudo ./syscope top -e %%file -c nginx        # file syscalls of nginx",
                    "  sudo ./syscope top --duration 5 > top.txt   # five plain tables",
                    "",
                    "Exit status: 0 ok, 1 the environment cannot run syscope, 2 bad usage.");
        filters.addTo(spec);
        grouping.addTo(spec);
        spec.addOption(option(Column.class, () -> sort, v -> sort = v, "--sort")
                .paramLabel("COLUMN").defaultValue("calls")
                .description("First sort: calls, errors, bytes, avg, p99 (largest first), pid, comm or syscall (default: ${DEFAULT-VALUE}).").build());
        spec.addOption(option(long.class, () -> intervalNanos, v -> intervalNanos = v, "--interval")
                .paramLabel("DURATION").converters(new DurationConverter()).defaultValue("1s")
                .description("Refresh every DURATION, at least 100ms (default: ${DEFAULT-VALUE}).").build());
        aggregate.addTo(spec);
        run.addTo(spec);
        Specs.addHelpOptions(spec);
    }

    /** The command as picocli parses and runs it. */
    CommandSpec spec() {
        return spec;
    }

    @Override
    public Integer call() throws IOException {
        TraceBuilder b = filters.builder(spec, io.stderr(), run.verbose);
        TopModel model;
        try {
            model = new TopModel(grouping.by);
            if (intervalNanos < MIN_INTERVAL_NANOS) {
                throw new IllegalArgumentException("--interval must be at least 100ms: '"
                        + spec.commandLine().getParseResult().matchedOption("--interval").originalStringValues().getFirst() + "'");
            }
            b.aggregate(aggregate.maxEntries).latency(aggregate.latency);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        model.sortBy(sort);
        OutputGuard guard = new OutputGuard();
        long lost;
        long mapFull;
        try (TraceSession session = b.open()) {
            long start = System.nanoTime();
            Sampler sampler = new Sampler(session, new Drainer(session, aggregate.maxEntries), model, start);
            Terminal terminal = interactiveTerminal();
            if (terminal != null) {
                try (terminal) {
                    new TopScreen(terminal, model, sampler::sample, sampler.status(), intervalNanos)
                            .run(() -> {
                                sampler.tick(); // the screen asks at least every 100 ms
                                return !io.stop().requested() && run.withinDuration(start);
                            });
                }
            } else {
                guard.run(() -> plainTables(sampler, model, start));
            }
            lost = session.counters().lost();
            mapFull = session.statsMapFull();
        }
        io.stderr().println("syscope: " + lost + " lost, " + mapFull + " not counted (map full"
                + (mapFull > 0 ? ": raise --max-entries" : "") + ")" + guard.summarySuffix());
        guard.rethrow();
        return Cli.EXIT_OK;
    }

    /** A real terminal on stdout, or null for the plain tables (a pipe, a file, TERM=dumb). */
    private Terminal interactiveTerminal() throws IOException {
        if (!io.stdoutIsTty() || "dumb".equals(System.getenv("TERM"))) {
            return null;
        }
        Terminal t = TerminalBuilder.builder().system(true).dumb(true).build();
        String provider = t instanceof TerminalExt ext && ext.getProvider() != null ? ext.getProvider().name() : "none";
        if (run.verbose) {
            io.stderr().println("syscope: top: terminal " + t.getType() + " (provider " + provider + ")");
        }
        if (t.getType().startsWith(Terminal.TYPE_DUMB)) {
            t.close();
            return null;
        }
        return t;
    }

    /** Without a terminal: one table per interval, and the last part-interval if it is at least half of one. */
    private void plainTables(Sampler sampler, TopModel model, long start) {
        Report report = new Report();
        TopRenderer renderer = new TopRenderer();
        long next = start + intervalNanos;
        while (true) {
            RunOptions.sleepMillis(Math.clamp((next - System.nanoTime()) / 1_000_000, 1, 50));
            sampler.tick();
            long now = System.nanoTime();
            boolean end = io.stop().requested() || !run.withinDuration(start);
            if (now >= next || end && now - sampler.last >= intervalNanos / 2) {
                TopRenderer.Status status = sampler.sample();
                renderer.render(model, status, Integer.MAX_VALUE, Integer.MAX_VALUE, null).lines().forEach(report.out::println);
                report.out.println();
                report.writeTo(io.stdout());
                next = Math.max(next + intervalNanos, now + intervalNanos / 2);
            }
            if (end) {
                return;
            }
        }
    }

    /** Takes what the kernel aggregated since the last sample into the model. */
    private static final class Sampler {
        private final TraceSession session;
        private final Drainer drainer;
        private final TopModel model;
        private long last;

        Sampler(TraceSession session, Drainer drainer, TopModel model, long start) {
            this.session = session;
            this.drainer = drainer;
            this.model = model;
            this.last = start;
        }

        /** Drains between samples when the map fills fast (see Drainer). */
        void tick() {
            drainer.tick();
        }

        TopRenderer.Status sample() {
            long now = System.nanoTime();
            model.update(drainer.take(), Math.max(1, now - last));
            last = now;
            return status();
        }

        TopRenderer.Status status() {
            return new TopRenderer.Status(LocalTime.now(), session.counters().lost(), session.statsMapFull());
        }
    }
}
