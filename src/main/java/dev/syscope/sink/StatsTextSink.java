package dev.syscope.sink;

import dev.syscope.api.StatsRow;
import dev.syscope.container.Container;
import dev.syscope.stats.Grouping;

import java.io.PrintStream;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Stats as a table sorted by count (COUNT, ERRORS, BYTES, and when measured the mean, p50 and p99
 * latency from the log2 histogram), and optionally a histogram per row in the style of bpftrace's hist().
 * With a container resolver, rows per process get a CONTAINER column (the short id; - for the host).
 */
public final class StatsTextSink {
    private static final int BAR = 40;
    private final PrintStream out;
    private final LongFunction<Container> containers; // by cgroup id; null: no CONTAINER column

    public StatsTextSink(PrintStream out) {
        this(out, null);
    }

    public StatsTextSink(PrintStream out, LongFunction<Container> containers) {
        this.out = out;
        this.containers = containers;
    }

    /** With {@code latency}, the AVG, P50 and P99 columns too. */
    public void table(List<StatsRow> rows, Grouping by, String title, boolean latency) {
        if (title != null) {
            out.println(title);
        }
        StringBuilder h = new StringBuilder();
        if (by.showsProcess()) {
            h.append(String.format("%7s %-15s ", "PID", "COMM"));
            if (containers != null) {
                h.append(String.format("%-12s ", "CONTAINER"));
            }
        }
        if (by.showsSyscall()) {
            h.append(String.format("%-18s ", "SYSCALL"));
        }
        h.append(String.format("%10s %8s %12s", "COUNT", "ERRORS", "BYTES"));
        if (latency) {
            h.append(String.format(" %9s %9s %9s", "AVG", "P50", "P99"));
        }
        out.println(h);
        for (StatsRow r : rows) {
            StringBuilder l = new StringBuilder();
            if (by.showsProcess()) {
                l.append(String.format("%7d %-15s ", r.pid(), r.comm()));
                if (containers != null) {
                    Container c = containers.apply(r.cgroupId());
                    l.append(String.format("%-12s ", c.isHost() ? "-" : c.shortIdText()));
                }
            }
            if (by.showsSyscall()) {
                l.append(String.format("%-18s ", r.syscall()));
            }
            l.append(String.format("%10d %8d %12d", r.count(), r.errors(), r.bytes()));
            if (latency) {
                l.append(String.format(" %9s %9s %9s", duration(r.avgLatencyNanos()), duration(r.percentileNanos(0.5)),
                        duration(r.percentileNanos(0.99))));
            }
            out.println(l);
        }
    }

    /** One log2 histogram per row, as bpftrace prints hist(): [low, high) count |@@@@| */
    public void histograms(List<StatsRow> rows, Grouping by) {
        for (StatsRow r : rows) {
            out.println();
            out.println("@" + label(r, by) + " latency (ns):");
            long[] hist = r.histogram();
            int lo = 0;
            int hi = hist.length - 1;
            while (lo < hist.length && hist[lo] == 0) {
                lo++;
            }
            while (hi >= 0 && hist[hi] == 0) {
                hi--;
            }
            long max = 0;
            for (long c : hist) {
                max = Math.max(max, c);
            }
            for (int i = lo; i <= hi; i++) {
                String range = "[" + size(i == 0 ? 0 : 1L << i) + ", " + size(1L << (i + 1)) + ")";
                int bar = max == 0 ? 0 : (int) Math.round((double) hist[i] * BAR / max);
                out.printf("%-16s %10d |%-" + BAR + "s|%n", range, hist[i], "@".repeat(bar));
            }
        }
    }

    private static String label(StatsRow r, Grouping by) {
        return switch (by) {
            case PROCESS -> r.comm() + "[" + r.pid() + "]";
            case SYSCALL -> r.syscall();
            case PROCESS_SYSCALL -> r.syscall() + " " + r.comm() + "[" + r.pid() + "]";
        };
    }

    /** 0, 1, 2, ... 512, 1K, 2K, ... 1M, ... as bpftrace labels buckets. */
    static String size(long v) {
        String[] units = {"", "K", "M", "G", "T"};
        int u = 0;
        while (v >= 1024 && v % 1024 == 0 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return v + units[u];
    }

    /** A latency in the largest unit that keeps it readable: 850ns, 12.3us, 4.56ms, 1.20s. */
    public static String duration(long ns) {
        if (ns < 1_000) {
            return ns + "ns";
        }
        if (ns < 1_000_000) {
            return String.format("%.1fus", ns / 1e3);
        }
        if (ns < 1_000_000_000) {
            return String.format("%.2fms", ns / 1e6);
        }
        return String.format("%.2fs", ns / 1e9);
    }
}
