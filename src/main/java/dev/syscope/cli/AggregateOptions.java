package dev.syscope.cli;

import dev.syscope.api.TraceOptions;
import picocli.CommandLine.Option;

/** Options of the commands that aggregate in the kernel: stats, top, serve. */
final class AggregateOptions {
    @Option(names = "--max-entries", paramLabel = "N", defaultValue = "" + TraceOptions.DEFAULT_STATS_ENTRIES,
            description = "Size of the kernel map of (process, syscall) pairs (default: ${DEFAULT-VALUE}).")
    int maxEntries;

    @Option(names = {"-L", "--latency"},
            description = "Also measure latency (AVG, P50, P99): hooks syscall entry as well as exit, about twice the cost per call.")
    boolean latency;
}
