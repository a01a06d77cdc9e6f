package dev.syscope.cli;

import dev.syscope.api.BufferKind;
import dev.syscope.api.Counters;
import dev.syscope.api.Syscope;
import dev.syscope.api.TraceAttach;
import dev.syscope.api.TraceBuilder;
import dev.syscope.api.TraceHandler;
import dev.syscope.api.TraceOptions;
import dev.syscope.api.TraceSession;
import dev.syscope.bpf.Libc;
import dev.syscope.sink.LineOutput;
import dev.syscope.sink.TraceJsonSink;
import dev.syscope.sink.TraceTextSink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
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
            "the kernel; syscope skips its own process. Lost events are counted in the",
            "kernel and reported: on stderr every second while they grow (text), or as",
            "\"lost\" records (JSON).",
            ""},
        footer = {
            "",
            "Text columns: TIME (local, ms), PID, COMM, SYSCALL, RET (return value:",
            "bytes for read/write, -ERRNO on failure, ? if the call never returns),",
            "LAT(us) (entry to exit) and ARGS (fds, AT_FDCWD, O_ flags, paths). On a",
            "terminal lines are cut at 99 columns; files, pipes and JSON keep all.",
            "",
            "Classes for -e: %%file %%desc %%net %%process %%memory %%signal %%ipc.",
            "",
            "Examples:",
            "  sudo ./syscope trace -e openat,openat2 --failed   # failed opens",
            "  sudo ./syscope trace -e %%file -p 1234 -o json    # JSON Lines",
            "  sudo ./syscope trace -e read,write --min-latency 1ms",
            "  sudo ./syscope trace -c nginx -n 100              # 100 calls of nginx",
            "",
            "Exit status: 0 ok, 1 the environment cannot run syscope, 2 bad usage."})
final class TraceCommand implements Callable<Integer>, Cli.Verbosity {
    @Spec
    private CommandSpec spec;

    @Option(names = {"-e", "--syscalls"}, paramLabel = "LIST", split = ",",
            description = "Syscalls: names, 'all' or classes such as %%file (see 'syscope list'); comma-separated or repeated (default: all).")
    private List<String> syscalls = new ArrayList<>();

    @Option(names = {"-p", "--pid"}, paramLabel = "PID", description = "Only this process (repeatable, up to 16).")
    private List<Integer> pids = new ArrayList<>();

    @Option(names = "--tid", paramLabel = "TID", description = "Only this thread.")
    private Integer tid;

    @Option(names = {"-c", "--comm"}, paramLabel = "NAME", description = "Only tasks with this command name (as in /proc/PID/comm, at most 15 bytes).")
    private String comm;

    @Option(names = {"-u", "--uid"}, paramLabel = "UID", description = "Only this user: a uid or a name from /etc/passwd.")
    private String uid;

    @Option(names = "--cgroup", paramLabel = "PATH", description = "Only tasks directly in this cgroup v2 directory (absolute, or relative to the cgroup2 mount, e.g. system.slice/nginx.service).")
    private Path cgroup;

    @Option(names = "--failed", description = "Only calls that returned an error.")
    private boolean failed;

    @Option(names = "--errno", paramLabel = "NAME", description = "Only calls that failed with this errno, e.g. ENOENT.")
    private String errno;

    @Option(names = "--min-latency", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Only calls at least this slow: 1ms, 250us, 2s.")
    private long minLatencyNanos;

    @Option(names = "--include-self", description = "Also trace syscope's own process.")
    private boolean includeSelf;

    @Option(names = {"-o", "--output"}, paramLabel = "text|json", defaultValue = "text",
            description = "Output format: a table, or JSON Lines (default: ${DEFAULT-VALUE}).")
    private Format output;

    @Option(names = {"-n", "--count"}, paramLabel = "N", description = "Stop after N events.")
    private Long count;

    @Option(names = "--duration", paramLabel = "SECONDS", converter = DurationConverter.class,
            description = "Stop after this long: 10, 500ms, 2m (default: until Ctrl-C or SIGTERM).")
    private long durationNanos;

    @Option(names = "--attach", paramLabel = "auto|tracepoint|raw", defaultValue = "auto",
            description = "Hooks: per-syscall tracepoints (only traced syscalls pay), or raw_syscalls with an in-kernel filter (every syscall pays a little); auto picks tracepoints for up to "
                    + TraceOptions.AUTO_TRACEPOINT_LIMIT + " syscalls (default: ${DEFAULT-VALUE}).")
    private TraceAttach attach;

    @Option(names = "--buffer", paramLabel = "ring|perf", defaultValue = "ring",
            description = "Kernel-to-user buffer (default: ${DEFAULT-VALUE}; perf on kernels before 5.8).")
    private BufferKind buffer;

    @Option(names = "--buffer-size", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Ring buffer size, a power of two: 4K to 1G (default: 16M). With --buffer perf: each CPU's buffer (default: 4M).")
    private Integer bufferSize;

    @Option(names = {"-v", "--verbose"}, description = "Print attach decisions, libbpf's log and stack traces to stderr.")
    private boolean verbose;

    enum Format { text, json }

    private final OutputStream stdout;
    private final PrintStream stderr;
    private final boolean stdoutIsTty;
    private final Cli.Stop stop;
    private long seen;
    private long limit = Long.MAX_VALUE;

    TraceCommand(Streams io) {
        this.stdout = io.stdout();
        this.stderr = io.stderr();
        this.stdoutIsTty = io.stdoutIsTty();
        this.stop = io.stop();
    }

    @Override
    public boolean verbose() {
        return verbose;
    }

    /** Validates every option into a builder; bad input is a ParameterException (exit 2). */
    TraceBuilder builder() {
        TraceBuilder b = Syscope.trace();
        try {
            b.syscalls(syscalls.toArray(String[]::new));
            for (int p : pids) {
                if (p <= 0 || p > 4_194_304) { // PID_MAX_LIMIT
                    throw new IllegalArgumentException("--pid must be between 1 and 4194304: '" + p + "'");
                }
                b.pid(p);
            }
            if (tid != null) {
                if (tid <= 0 || tid > 4_194_304) {
                    throw new IllegalArgumentException("--tid must be between 1 and 4194304: '" + tid + "'");
                }
                b.tid(tid);
            }
            if (comm != null) {
                b.comm(comm);
            }
            if (uid != null) {
                b.uid(uid(uid));
            }
            if (cgroup != null) {
                b.cgroup(cgroup);
            }
            if (failed) {
                b.failedOnly();
            }
            if (errno != null) {
                b.errno(errno);
            }
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
            b.minLatency(Duration.ofNanos(minLatencyNanos)).includeSelf(includeSelf).attach(attach).buffer(buffer)
                    .log(verbose ? m -> stderr.println("syscope: " + m) : m -> { });
            b.options(); // resolves syscall names and checks the combination
            return b;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** A numeric uid, or a user name looked up in /etc/passwd. */
    static int uid(String s) {
        if (s.matches("\\d{1,10}")) {
            long v = Long.parseLong(s);
            if (v <= 0xFFFF_FFFEL) {
                return (int) v;
            }
        }
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                String[] f = line.split(":");
                if (f.length > 2 && f[0].equals(s)) {
                    return Integer.parseInt(f[2]);
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // fall through: unknown
        }
        throw new IllegalArgumentException("--uid: unknown user '" + s + "'");
    }

    @Override
    public Integer call() {
        TraceBuilder b = builder();
        if (count != null) {
            limit = count;
        }
        LineOutput out = new LineOutput(stdout, 1 << 16, stdoutIsTty);
        TraceJsonSink json = output == Format.json ? new TraceJsonSink(out, Syscope.arch()) : null;
        TraceTextSink text = json == null ? new TraceTextSink(out, Syscope.arch(), ZoneId.systemDefault(), stdoutIsTty ? 99 : 0) : null;
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
            guard.run(() -> {
                if (text != null) {
                    text.header();
                }
                long start = System.nanoTime();
                long nextLossCheck = start + 1_000_000_000L;
                long reportedLost = 0;
                while (!stop.requested() && seen < limit && (durationNanos == 0 || System.nanoTime() - start < durationNanos)) {
                    session.poll(limited);
                    long now = System.nanoTime();
                    out.tick(now);
                    if (now >= nextLossCheck) {
                        reportedLost = reportLoss(session, json, reportedLost);
                        nextLossCheck = now + 1_000_000_000L;
                    }
                }
                session.finish(limited);
                reportLoss(session, json, reportedLost);
                if (json != null) {
                    json.flush();
                }
                out.flush();
            });
            counters = session.counters();
        }
        stderr.println("syscope: " + seen + " events" + (seen < counters.received() ? " shown (" + counters.received() + " received)" : "")
                + ", " + counters.lost() + " lost" + guard.summarySuffix());
        guard.rethrow();
        return Cli.EXIT_OK;
    }

    /** Reports loss that grew since {@code reported}: on stderr (text) or as a record (JSON). */
    private long reportLoss(TraceSession session, TraceJsonSink json, long reported) {
        long lost = session.counters().lost();
        if (lost > reported) {
            if (json != null) {
                json.lost(lost - reported, System.nanoTime() + session.realtimeOffsetNanos());
            } else {
                stderr.println("syscope: " + (lost - reported) + " events lost (" + lost + " in all): the reader cannot keep up; narrow the filters or enlarge the buffer");
            }
        }
        return lost;
    }
}
