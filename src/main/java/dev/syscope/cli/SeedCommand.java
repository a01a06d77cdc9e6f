package dev.syscope.cli;

import dev.syscope.api.AttachMode;
import dev.syscope.api.BufferKind;
import dev.syscope.api.Counters;
import dev.syscope.api.SeedOptions;
import dev.syscope.api.SeedSession;
import dev.syscope.api.Syscope;
import dev.syscope.sink.LineOutput;
import dev.syscope.sink.SeedTextSink;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

import static dev.syscope.cli.Specs.option;

/** {@code syscope} with no subcommand: the seed tool's monitor of read() and write(). */
final class SeedCommand implements Callable<Integer> {
    private final CommandSpec spec = Specs.command(this, "syscope");
    private AttachMode attach;
    private BufferKind buffer;
    private Integer pid;
    private final RunOptions run = new RunOptions();
    private final Streams io;

    SeedCommand(Streams io) {
        this.io = io;
        spec.usageMessage().sortOptions(false).autoWidth(true)
                .description(
                    "Watches read() and write() of every process on the host through eBPF and prints",
                    "one line per call, as the seed tool did: '<pid> - hello sys_read was called'.",
                    "syscope skips its own process in the kernel. Events are never pushed one by one:",
                    "the reader polls every 10 ms and drains in batches; lost events are counted and",
                    "reported on stderr at exit.",
                    "")
                .footer(
                    "",
                    "Examples:",
                    "  sudo ./syscope                      # the seed's output, until Ctrl-C",
                    "  sudo ./syscope --duration 10 > out  # 10 seconds, into a file",
                    "  sudo ./syscope --buffer perf        # per-CPU perf buffers, as the seed",
                    "  sudo ./syscope -p 1234              # one process, filtered in the kernel",
                    "  sudo ./syscope --attach kprobe -v   # kprobes, with libbpf's log",
                    "",
                    "Needs Linux >= 5.8 with BTF, libbpf1 >= 1.1 and CAP_BPF + CAP_PERFMON (or root).",
                    "Exit status: 0 ok, 1 the environment cannot run syscope, 2 bad usage.");
        spec.addOption(option(AttachMode.class, () -> attach, v -> attach = v, "--attach")
                .paramLabel("auto|tracepoint|kprobe").defaultValue("auto")
                .description("Hook: kprobes where the kernel has them (CONFIG_KPROBES), else syscall tracepoints (default: ${DEFAULT-VALUE}).").build());
        spec.addOption(option(BufferKind.class, () -> buffer, v -> buffer = v, "--buffer")
                .paramLabel("ring|perf").defaultValue("ring")
                .description("Kernel-to-user buffer: the BPF ring buffer (perf on kernels before 5.8), or per-CPU perf buffers as in the seed (default: ${DEFAULT-VALUE}).").build());
        spec.addOption(option(Integer.class, () -> pid, v -> pid = v, "-p", "--pid")
                .paramLabel("PID").description("Only this process (tgid), filtered in the kernel.").build());
        run.addTo(spec);
        Specs.addHelpOptions(spec);
    }

    /** The command as picocli parses and runs it. */
    CommandSpec spec() {
        return spec;
    }

    private int pidFilter() {
        if (pid == null) {
            return 0;
        }
        if (pid <= 0 || pid > 4_194_304) { // PID_MAX_LIMIT
            throw new ParameterException(spec.commandLine(), "--pid must be between 1 and 4194304: '" + pid + "'");
        }
        return pid;
    }

    @Override
    public Integer call() {
        int pidFilter = pidFilter();
        LineOutput out = new LineOutput(io.stdout(), 1 << 16, io.stdoutIsTty());
        SeedTextSink sink = new SeedTextSink(out, Syscope.arch());
        SeedOptions options = SeedOptions.defaults()
                .withAttach(attach)
                .withBuffer(buffer)
                .withPid(pidFilter)
                .withLog(run.verbose ? m -> io.stderr().println("syscope: " + m) : Syscope.NO_LOG);

        sink.loading();
        Counters counters;
        OutputGuard guard = new OutputGuard();
        try (SeedSession session = openFlushingOnError(options, out)) {
            if (!session.hostPidNamespace()) {
                io.stderr().println("syscope: warning: not in the host's PID namespace (run the container with pid: host):"
                        + " event PIDs are the host's, but 'Host PID' is this namespace's");
            }
            sink.monitoring(session.selfPid());
            long start = System.nanoTime();
            guard.run(() -> {
                while (!io.stop().requested() && run.withinDuration(start)) {
                    session.poll(sink);
                    out.tick(System.nanoTime());
                }
                session.finish(sink);
                out.flush();
            });
            counters = session.counters();
        }
        io.stderr().println("syscope: " + counters.received() + " events received, " + counters.lost() + " lost" + guard.summarySuffix());
        guard.rethrow();
        return Cli.EXIT_OK;
    }

    /** Opens the session; if that fails, what was printed so far still reaches io.stdout(). */
    private static SeedSession openFlushingOnError(SeedOptions options, LineOutput out) {
        try {
            return Syscope.seed(options);
        } catch (RuntimeException e) {
            try {
                out.flush();
            } catch (UncheckedIOException ignored) {
                // io.stdout() is gone too; the error itself goes to io.stderr()
            }
            throw e;
        }
    }

    static final class Version implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"syscope " + Syscope.version()};
        }
    }
}
