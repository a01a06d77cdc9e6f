package dev.syscope.cli;

import dev.syscope.api.TraceOptions;
import picocli.CommandLine.Model.CommandSpec;

import static dev.syscope.cli.Specs.option;

/** Options of the commands that aggregate in the kernel: stats, top, serve. */
final class AggregateOptions {
    int maxEntries;
    boolean latency;

    /** Adds these options to {@code spec}, in the order of its help. */
    void addTo(CommandSpec spec) {
        spec.addOption(option(int.class, () -> maxEntries, v -> maxEntries = v, "--max-entries")
                .paramLabel("N").defaultValue("" + TraceOptions.DEFAULT_STATS_ENTRIES)
                .description("Size of the kernel map of (process, syscall) pairs (default: ${DEFAULT-VALUE}).").build());
        spec.addOption(option(boolean.class, () -> latency, v -> latency = v, "-L", "--latency")
                .description("Also measure latency (AVG, P50, P99): hooks syscall entry as well as exit, about twice the cost per call.").build());
    }
}
