package dev.syscope.cli;

import picocli.CommandLine.Option;

/** Options of every command that runs a probe: how long, and how talkative. */
final class RunOptions {
    @Option(names = "--duration", paramLabel = "SECONDS", converter = DurationConverter.class,
            description = "Stop after this many seconds, or a duration with a unit: 500ms, 2m (default: until Ctrl-C or SIGTERM).")
    long durationNanos;

    @Option(names = {"-v", "--verbose"}, description = "Print attach decisions, libbpf's log and stack traces to stderr.")
    boolean verbose;

    /** Whether a run that started at {@code startNanos} (System.nanoTime) is still within --duration. */
    boolean withinDuration(long startNanos) {
        return durationNanos == 0 || System.nanoTime() - startNanos < durationNanos;
    }

    /** Sleeps, keeping the interrupt flag: the caller's loop checks the stop request next. */
    static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
