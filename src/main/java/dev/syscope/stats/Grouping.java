package dev.syscope.stats;

import dev.syscope.api.StatsRow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How stats rows are grouped: by process, by syscall, or by both (the kernel's own key). */
public enum Grouping {
    PROCESS, SYSCALL, PROCESS_SYSCALL;

    /** "process", "syscall", "process,syscall" (either order). */
    public static Grouping parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT).replace(" ", "")) {
            case "process", "pid" -> PROCESS;
            case "syscall" -> SYSCALL;
            case "process,syscall", "syscall,process" -> PROCESS_SYSCALL;
            default -> throw new IllegalArgumentException("--by takes process, syscall or process,syscall: '" + s + "'");
        };
    }

    public boolean showsProcess() {
        return this != SYSCALL;
    }

    public boolean showsSyscall() {
        return this != PROCESS;
    }

    /** Merges rows into this grouping, sorted by count (then errors, then name), at most {@code top} (0: all). */
    public List<StatsRow> apply(List<StatsRow> rows, int top) {
        Map<String, StatsRow> groups = new LinkedHashMap<>();
        for (StatsRow r : rows) {
            StatsRow g = switch (this) {
                case PROCESS -> new StatsRow(r.pid(), r.comm(), "", r.count(), r.errors(), r.bytes(), r.latencyNanos(),
                        r.histogram(), r.errnos(), r.cgroupId());
                case SYSCALL -> new StatsRow(0, "", r.syscall(), r.count(), r.errors(), r.bytes(), r.latencyNanos(),
                        r.histogram(), r.errnos());
                case PROCESS_SYSCALL -> r;
            };
            groups.merge(g.pid() + "/" + g.comm() + "/" + g.syscall(), g, StatsRow::plus);
        }
        List<StatsRow> out = new ArrayList<>(groups.values());
        out.sort(Comparator.comparingLong(StatsRow::count).reversed()
                .thenComparing(Comparator.comparingLong(StatsRow::errors).reversed())
                .thenComparing(StatsRow::syscall).thenComparingInt(StatsRow::pid));
        return top > 0 && out.size() > top ? out.subList(0, top) : out;
    }
}
