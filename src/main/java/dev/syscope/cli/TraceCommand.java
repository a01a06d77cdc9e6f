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
import dev.syscope.sink.LineOutput;
import dev.syscope.sink.TraceJsonSink;
import dev.syscope.sink.TraceTextSink;
import dev.syscope.sink.Warmup;
import dev.syscope.stats.Grouping;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.time.ZoneId;
import java.util.function.Function;
import java.util.concurrent.Callable;

/** {@code syscope trace}: any syscall, entry paired with exit, filtered in the kernel. */
@Command(name = "trace",
        header = "Trace any syscall with its result and latency, filtered in the kernel.",
        mixinStandardHelpOptions = true,
        versionProvider = SeedCommand.Version.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Traces the syscalls of every process through eBPF: one event per completed",
            "call, with its arguments, return value, errno and latency. Filters run in",
            "the kernel; syscope skips its own process. Calls the buffer cannot take",
            "(the reader fell behind) are counted in the kernel per (process, syscall)",
            "and reported as not streamed, or as lost with --on-overload=drop: on stderr",
            "every second while they grow (text), or as \"not_streamed\" and \"lost\"",
            "records (JSON).",
            ""},
        footer = {
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
            "",
            "Exit status: 0 ok, 1 the environment cannot run syscope, 2 bad usage."})
final class TraceCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private FilterOptions filters;

    @Option(names = {"-o", "--output"}, paramLabel = "text|json", defaultValue = "text",
            description = "Output format: a table, or JSON Lines (default: ${DEFAULT-VALUE}).")
    private Format output;

    @Option(names = {"-n", "--count"}, paramLabel = "N", description = "Stop after N events.")
    private Long count;

    @Option(names = "--buffer", paramLabel = "ring|perf", defaultValue = "ring",
            description = "Kernel-to-user buffer (default: ${DEFAULT-VALUE}; perf on kernels before 5.8).")
    private BufferKind buffer;

    @Option(names = "--buffer-size", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Ring buffer size, a power of two: 4K to 1G (default: 16M). With --buffer perf: each CPU's buffer (default: 4M).")
    private Integer bufferSize;

    @Option(names = "--on-overload", paramLabel = "aggregate|drop", defaultValue = "aggregate",
            description = "When the reader falls behind, the events the buffer cannot take are counted in the kernel"
                    + " per (process, syscall) and reported as not streamed (aggregate), or counted as lost (drop)."
                    + " Default: ${DEFAULT-VALUE}.")
    private Overload onOverload;

    @Option(names = "--show-container", description = "Text: add a CONTAINER column (the short id; - for the host). JSON always has container_id and container_runtime for tasks in containers.")
    private boolean showContainer;

    @Mixin
    private RunOptions run;

    enum Format { text, json }

    private final Streams io;
    private long seen;
    private long limit = Long.MAX_VALUE;

    TraceCommand(Streams io) {
        this.io = io;
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
            return b;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
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
        Function<LineOutput, TraceHandler> sinks = output == Format.json ? o -> new TraceJsonSink(o, Syscope.arch(), ContainerResolver.system())
                : o -> new TraceTextSink(o, Syscope.arch(), ZoneId.systemDefault(), io.stdoutIsTty() ? 99 : 0,
                        containerColumn ? ContainerResolver.system() : null);
        Thread warmup = Warmup.start(sinks, Syscope.arch()); // while the programs load
        TraceJsonSink json = output == Format.json ? (TraceJsonSink) sinks.apply(out) : null;
        TraceTextSink text = json == null ? (TraceTextSink) sinks.apply(out) : null;
        TraceHandler sink = json != null ? json : text;
        TraceHandler limited = e -> {
            if (seen < limit) {
                seen++;
                sink.onEvent(e);
            }
        };

        Counters counters;
        OutputGuard guard = new OutputGuard();
        try (TraceSession session = b.open()) {
            joinQuietly(warmup, 2000); // not to compete with the reader; normally done by now
            guard.run(() -> {
                if (text != null) {
                    text.header();
                }
                long start = System.nanoTime();
                long nextLossCheck = start + 1_000_000_000L;
                long reportedLost = 0;
                while (!io.stop().requested() && seen < limit && run.withinDuration(start)) {
                    session.poll(limited);
                    long now = System.nanoTime();
                    out.tick(now);
                    if (now >= nextLossCheck) {
                        reportNotStreamed(session, json);
                        reportedLost = reportLoss(session, json, reportedLost);
                        nextLossCheck = now + 1_000_000_000L;
                    }
                }
                session.finish(limited);
                reportNotStreamed(session, json);
                reportLoss(session, json, reportedLost);
                if (json != null) {
                    json.flush();
                }
                out.flush();
            });
            counters = session.counters();
        }
        io.stderr().println("syscope: " + seen + " events" + (seen < counters.received() ? " shown (" + counters.received() + " received)" : "")
                + (onOverload == Overload.AGGREGATE ? ", " + counters.aggregated() + " not streamed (counted in the kernel)" : "")
                + ", " + counters.lost() + " lost" + guard.summarySuffix());
        guard.rethrow();
        return Cli.EXIT_OK;
    }

    private static void joinQuietly(Thread t, long millis) {
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Reports the calls that were counted in the kernel instead of streamed since the previous report,
     * per (process, syscall), most first: on io.stderr() (text) or as records (JSON).
     */
    private void reportNotStreamed(TraceSession session, TraceJsonSink json) {
        if (onOverload != Overload.AGGREGATE) {
            return;
        }
        long time = System.nanoTime() + session.realtimeOffsetNanos();
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
