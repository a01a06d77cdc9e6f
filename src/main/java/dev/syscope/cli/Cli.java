package dev.syscope.cli;

import dev.syscope.Startup;
import dev.syscope.api.SyscopeException;
import dev.syscope.bpf.Libc;
import picocli.CommandLine;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Wires picocli to syscope's exit codes: 0 success, 1 the environment cannot run syscope (one line
 * naming what is missing), 2 bad usage (one line, then the usage). Stack traces only with -v.
 */
public final class Cli {
    public static final int EXIT_OK = 0;
    public static final int EXIT_ENV = 1;
    public static final int EXIT_USAGE = 2;

    private Cli() {}

    /** Runs as the process: real stdout/stderr, SIGINT/SIGTERM stop the monitor cleanly. */
    static int runFromMain(String[] args) {
        Stop stop = new Stop();
        CountDownLatch done = new CountDownLatch(1);
        // The JVM runs shutdown hooks on SIGINT/SIGTERM. Ours asks the poll loop to stop and waits
        // for it to detach, drain, print its summary and flush, so the exit is clean.
        Thread hook = new Thread(() -> {
            stop.request();
            try {
                done.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "syscope-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return run(args, new FileOutputStream(FileDescriptor.out), System.err, () -> Libc.isatty(1), stop);
        } finally {
            done.countDown();
        }
    }

    /** Runs one command line with the given streams; the testable entry point. */
    public static int run(String[] args, OutputStream stdout, PrintStream stderr, boolean stdoutIsTty, Stop stop) {
        return run(args, stdout, stderr, () -> stdoutIsTty, stop);
    }

    private static int run(String[] args, OutputStream stdout, PrintStream stderr, BooleanSupplier stdoutIsTty, Stop stop) {
        Streams io = new Streams(stdout, stderr, stdoutIsTty, stop);
        CommandLine cmd = commandsFor(io, args);
        cmd.setOut(new PrintWriter(stdout, true));
        cmd.setErr(new PrintWriter(stderr, true));
        cmd.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("syscope: " + firstLine(ex.getMessage()));
            err.print("Usage: " + ex.getCommandLine().getHelp().synopsis(0));
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
            err.flush();
            return EXIT_USAGE;
        });
        cmd.setExecutionExceptionHandler((ex, c, parsed) -> {
            boolean verbose = verbose(parsed);
            if (ex instanceof SyscopeException) {
                stderr.println("syscope: " + ex.getMessage());
            } else if (ex instanceof UncheckedIOException writeError) {
                stderr.println("syscope: cannot write output: " + writeError.getCause().getMessage());
            } else {
                stderr.println("syscope: internal error: " + ex + (verbose ? "" : " (run with -v for details)"));
            }
            if (verbose) {
                ex.printStackTrace(stderr);
            }
            return EXIT_ENV;
        });
        cmd.setExecutionStrategy(parsed -> {
            Startup.mark("parsed");
            return new CommandLine.RunLast().execute(parsed);
        });
        return cmd.execute(args);
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
    }

    /** The command tree: the seed's command at the root, the others as subcommands. */
    static CommandLine commands(Streams io) {
        return commands(io, null);
    }

    /**
     * The smallest command tree that runs {@code args} as the whole tree would, since every command
     * built costs start-up time (its classes load, its options are built): the root and the
     * subcommand that {@code args} starts with; or the root alone (the seed's monitor) when no word
     * is a subcommand's name and the root parses {@code args} without asking for help; otherwise
     * the whole tree, whose help and usage errors name every command.
     */
    static CommandLine commandsFor(Streams io, String[] args) {
        if (args.length > 0 && SUBCOMMANDS.contains(args[0])) {
            return commands(io, args[0]);
        }
        if (Collections.disjoint(SUBCOMMANDS, List.of(args))) {
            CommandLine root = commands(io, "");
            try {
                CommandLine.ParseResult p = root.parseArgs(args); // execute() parses again, from the defaults
                if (!p.isUsageHelpRequested() && !p.isVersionHelpRequested()) {
                    return root;
                }
            } catch (CommandLine.ParameterException e) {
                // the whole tree reports it
            }
        }
        return commands(io);
    }

    /** The root and subcommand {@code only} ("" for none), or the whole tree for null. */
    static CommandLine commands(Streams io, String only) {
        CommandLine cmd = new CommandLine(new SeedCommand(io).spec());
        for (String name : SUBCOMMANDS) {
            if (only == null || name.equals(only)) {
                cmd.addSubcommand(name, subcommand(name, io));
            }
        }
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        return cmd;
    }

    private static final List<String> SUBCOMMANDS = List.of("trace", "stats", "top", "serve", "list");

    private static CommandLine subcommand(String name, Streams io) {
        return new CommandLine(switch (name) {
            case "trace" -> new TraceCommand(io).spec();
            case "stats" -> new StatsCommand(io).spec();
            case "top" -> new TopCommand(io).spec();
            case "serve" -> new ServeCommand(io).spec();
            case "list" -> new ListCommand(new PrintStream(io.stdout(), false, StandardCharsets.UTF_8)).spec();
            default -> throw new IllegalArgumentException(name);
        });
    }

    /** Whether the command that ran was given -v, which also asks for stack traces. */
    static boolean verbose(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult p = parsed;
        while (p.hasSubcommand()) {
            p = p.subcommand();
        }
        return p.hasMatchedOption("-v");
    }

    /** A stop request from a signal handler or a test; polled between polls. */
    public static final class Stop {
        private volatile boolean requested;

        public void request() {
            requested = true;
        }

        public boolean requested() {
            return requested;
        }
    }
}
