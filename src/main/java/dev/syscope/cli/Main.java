package dev.syscope.cli;

import dev.syscope.Startup;
import dev.syscope.bpf.Libc;
import dev.syscope.bpf.Native;

import java.util.List;

/** {@code java -jar syscope.jar}: parse, run, exit with the command's code. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Startup.mark("main");
        if (loadsProbe(args)) {
            Thread.ofPlatform().name("syscope-prepare").daemon().start(Main::prepare);
        }
        System.exit(Cli.runFromMain(args));
    }

    /** Whether the command line will (most likely) load a probe: not list, help or version. */
    static boolean loadsProbe(String[] args) {
        List<String> a = List.of(args);
        return !(a.contains("-h") || a.contains("--help") || a.contains("-V") || a.contains("--version")
                || (args.length > 0 && args[0].equals("list")));
    }

    /**
     * What a command that loads a probe needs after parsing, done meanwhile on a second thread:
     * whether stdout is a terminal (the process's first native call, which sets up the linker),
     * then the native side (see Native#prepare). The syscall table and the time zone are left to
     * the main thread, which needs them first: preparing them here too had the main thread wait
     * for this one (bench/startup.sh, interleaved: 4-30 ms later attached in every case). Each
     * step is idempotent and thread-safe; a failure is left to the command to meet and report.
     */
    private static void prepare() {
        try {
            Libc.isatty(1);
            Native.prepare();
        } catch (Throwable t) {
            // the command meets the same problem, and reports it
        }
    }
}
