package dev.syscope.probe;

import java.nio.file.Files;
import java.nio.file.Path;

/** What this kernel offers, found the way libbpf finds it. */
public final class KernelFeatures {
    /** The perf PMU that kprobe attachment uses; present only with CONFIG_KPROBES. */
    public static final Path KPROBE_PMU = Path.of("/sys/bus/event_source/devices/kprobe");
    static final Path TRACEFS = Path.of("/sys/kernel/tracing");
    static final Path DEBUGFS_TRACING = Path.of("/sys/kernel/debug/tracing");

    private KernelFeatures() {}

    /** Whether kprobes can be attached: the perf kprobe PMU, or legacy tracefs kprobe_events. */
    public static boolean kprobes() {
        return Files.exists(KPROBE_PMU)
                || Files.exists(TRACEFS.resolve("kprobe_events"))
                || Files.exists(DEBUGFS_TRACING.resolve("kprobe_events"));
    }

    /** Whether tracefs is mounted where libbpf looks for tracepoint ids. */
    public static boolean tracefsMounted() {
        return Files.isDirectory(TRACEFS.resolve("events")) || Files.isDirectory(DEBUGFS_TRACING.resolve("events"));
    }
}
