package dev.syscope.cli;

import dev.syscope.api.Syscope;
import dev.syscope.api.TraceAttach;
import dev.syscope.api.TraceBuilder;
import dev.syscope.api.TraceOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.syscope.cli.Specs.listOption;
import static dev.syscope.cli.Specs.option;

/** The in-kernel filters and hooks of `trace` and `stats`: one definition, one validation. */
final class FilterOptions {
    List<String> syscalls = new ArrayList<>();
    private List<Integer> pids = new ArrayList<>();
    private Integer tid;
    private String comm;
    private String uid;
    private Path cgroup;
    String container;
    boolean containersOnly;
    private boolean failed;
    private String errno;
    private long minLatencyNanos;
    private boolean includeSelf;
    private TraceAttach attach;

    /** Adds these options to {@code spec}, in the order of its help. */
    void addTo(CommandSpec spec) {
        spec.addOption(listOption(String.class, () -> syscalls, v -> syscalls = v, "-e", "--syscalls")
                .paramLabel("LIST").splitRegex(",")
                .description("Syscalls: names, 'all' or classes such as %%file (see 'syscope list'); comma-separated or repeated (default: all).").build());
        spec.addOption(listOption(Integer.class, () -> pids, v -> pids = v, "-p", "--pid")
                .paramLabel("PID").description("Only this process (repeatable, up to 16).").build());
        spec.addOption(option(Integer.class, () -> tid, v -> tid = v, "--tid")
                .paramLabel("TID").description("Only this thread.").build());
        spec.addOption(option(String.class, () -> comm, v -> comm = v, "-c", "--comm")
                .paramLabel("NAME").description("Only tasks with this command name (as in /proc/PID/comm, at most 15 bytes).").build());
        spec.addOption(option(String.class, () -> uid, v -> uid = v, "-u", "--uid")
                .paramLabel("UID").description("Only this user: a uid or a name from /etc/passwd.").build());
        spec.addOption(option(Path.class, () -> cgroup, v -> cgroup = v, "--cgroup")
                .paramLabel("PATH").description("Only tasks directly in this cgroup v2 directory (absolute, or relative to the cgroup2 mount, e.g. system.slice/nginx.service).").build());
        spec.addOption(option(String.class, () -> container, v -> container = v, "--container")
                .paramLabel("ID").description("Only tasks in the container (docker, containerd, CRI-O, podman) whose id starts with ID: 1 to 64 hex digits. Containers started later are picked up within about a second.").build());
        spec.addOption(option(boolean.class, () -> containersOnly, v -> containersOnly = v, "--containers-only")
                .description("Only tasks in containers, not the host's.").build());
        spec.addOption(option(boolean.class, () -> failed, v -> failed = v, "--failed")
                .description("Only calls that returned an error.").build());
        spec.addOption(option(String.class, () -> errno, v -> errno = v, "--errno")
                .paramLabel("NAME").description("Only calls that failed with this errno, e.g. ENOENT.").build());
        spec.addOption(option(long.class, () -> minLatencyNanos, v -> minLatencyNanos = v, "--min-latency")
                .paramLabel("DURATION").converters(new DurationConverter())
                .description("Only calls at least this slow: 1ms, 250us, 2s.").build());
        spec.addOption(option(boolean.class, () -> includeSelf, v -> includeSelf = v, "--include-self")
                .description("Also trace syscope's own process.").build());
        spec.addOption(option(TraceAttach.class, () -> attach, v -> attach = v, "--attach")
                .paramLabel("auto|tracepoint|raw").defaultValue("auto")
                .description("Hooks: per-syscall tracepoints (only traced syscalls pay), or raw_syscalls with an in-kernel filter (every syscall pays a little); auto picks tracepoints for up to "
                        + TraceOptions.AUTO_TRACEPOINT_LIMIT + " syscalls (default: ${DEFAULT-VALUE}).").build());
    }

    /** A builder with every filter set; bad input is a ParameterException (exit 2). */
    TraceBuilder builder(CommandSpec spec, PrintStream stderr, boolean verbose) {
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
            if (container != null) {
                if (container.isEmpty()) {
                    throw new IllegalArgumentException("--container needs an id or a prefix of one; for every container use --containers-only");
                }
                b.container(container);
            }
            if (containersOnly) {
                b.containersOnly();
            }
            if (failed) {
                b.failedOnly();
            }
            if (errno != null) {
                b.errno(errno);
            }
            b.minLatency(Duration.ofNanos(minLatencyNanos)).includeSelf(includeSelf).attach(attach)
                    .log(verbose ? m -> stderr.println("syscope: " + m) : Syscope.NO_LOG);
            b.options(); // resolves syscall names and checks the combination
            return b;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Whether a container filter is set: output then shows each task's container. */
    boolean containerFilter() {
        return container != null || containersOnly;
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
}
