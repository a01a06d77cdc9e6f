package dev.syscope.cli;

import picocli.CommandLine.Model.CommandSpec;

import static dev.syscope.cli.Specs.option;

/** Options of every command that runs a probe: how long, and how talkative. */
final class RunOptions {
    long durationNanos;
    boolean verbose;

    /** Adds these options to {@code spec}, in the order of its help. */
    void addTo(CommandSpec spec) {
        spec.addOption(option(long.class, () -> durationNanos, v -> durationNanos = v, "--duration")
                .paramLabel("SECONDS").converters(new DurationConverter())
                .description("Stop after this many seconds, or a duration with a unit: 500ms, 2m (default: until Ctrl-C or SIGTERM).").build());
        spec.addOption(option(boolean.class, () -> verbose, v -> verbose = v, "-v", "--verbose")
                .description("Print attach decisions, libbpf's log and stack traces to stderr.").build());
    }

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
