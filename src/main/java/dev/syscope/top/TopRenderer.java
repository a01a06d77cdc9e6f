package dev.syscope.top;

import dev.syscope.sink.StatsTextSink;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Lays out `top` as plain lines: the totals; the session's losses, the grouping, sort and filter;
 * an optional key-help (or prompt) line; the column header and the rows. Each line is cut to
 * {@code width}, the whole to {@code height}. The full-screen view styles the lines; the non-terminal fallback prints them.
 */
public final class TopRenderer {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    public static final String KEY_HELP =
            "keys: c calls  e errors  b bytes  a avg  l p99  p pid  n comm  s syscall  r reverse  / filter  q quit";

    /** What the session reports besides the rows. */
    public record Status(LocalTime time, long lost, long mapFull) {}

    /** The lines of one screen; {@code columnHeader} is the index of the column header line. */
    public record Frame(List<String> lines, int columnHeader) {}

    /**
     * @param footer the key-help or prompt line, or null for none (the non-terminal tables)
     */
    public Frame render(TopModel model, Status status, int width, int height, String footer) {
        List<TopRow> rows = model.rows();
        List<String> lines = new ArrayList<>();
        lines.add(statusLine(model, status, rows));
        lines.add("lost " + status.lost() + "  map full " + status.mapFull()
                + "  by " + model.grouping().name().toLowerCase(Locale.ROOT).replace('_', ',')
                + "  sort: " + model.sort().name().toLowerCase(Locale.ROOT) + ", "
                + (model.reversed() ? "reversed" : "default order")
                + (model.commFilter().isEmpty() ? "" : "  filter: comm contains \"" + model.commFilter() + "\""));
        if (footer != null) {
            lines.add(footer);
        }
        int header = lines.size();
        boolean proc = model.grouping().showsProcess();
        boolean sys = model.grouping().showsSyscall();
        StringBuilder h = new StringBuilder();
        if (proc) {
            h.append(String.format("%7s %-15s ", "PID", "COMM"));
        }
        if (sys) {
            h.append(String.format("%-18s ", "SYSCALL"));
        }
        h.append(String.format("%10s %9s %9s %9s %9s %9s", "CALLS/S", "ERRORS/S", "BYTES/S", "AVG", "P50", "P99"));
        lines.add(h.toString());
        for (TopRow r : rows) {
            if (lines.size() >= height) {
                break;
            }
            StringBuilder l = new StringBuilder();
            if (proc) {
                l.append(String.format("%7d %-15s ", r.pid(), printable(r.comm())));
            }
            if (sys) {
                l.append(String.format("%-18s ", r.syscall()));
            }
            l.append(String.format("%10s %9s %9s %9s %9s %9s", rate(r.callsPerSec()), rate(r.errorsPerSec()),
                    bytes(r.bytesPerSec()), latency(r.avgNanos()), latency(r.p50Nanos()), latency(r.p99Nanos())));
            lines.add(l.toString());
        }
        List<String> out = new ArrayList<>(Math.min(lines.size(), height));
        for (int i = 0; i < lines.size() && i < height; i++) {
            String l = lines.get(i);
            out.add(l.length() > width ? l.substring(0, width) : l);
        }
        return new Frame(out, header);
    }

    private static String statusLine(TopModel model, Status status, List<TopRow> rows) {
        String time = status.time().format(TIME);
        if (!model.hasInterval()) {
            return "syscope top  " + time + "  collecting the first interval...";
        }
        double calls = 0;
        double errors = 0;
        for (TopRow r : rows) {
            calls += r.callsPerSec();
            errors += r.errorsPerSec();
        }
        return "syscope top  " + time + "  interval " + StatsTextSink.duration(model.elapsedNanos())
                + "  rows " + rows.size() + "  calls/s " + rate(calls) + "  errors/s " + rate(errors);
    }

    /** A rate: whole numbers, with one decimal below 10 (2 calls in 4 s is 0.5/s, not 0 or 1). */
    static String rate(double perSec) {
        long whole = Math.round(perSec);
        return perSec < 10 && Math.abs(perSec - whole) > 1e-9 ? String.format(Locale.ROOT, "%.1f", perSec) : Long.toString(whole);
    }

    /** Bytes per second in binary units: 512, 1.5K, 204.8M. */
    static String bytes(double perSec) {
        String[] units = {"", "K", "M", "G", "T", "P"};
        int u = 0;
        while (perSec >= 1024 && u < units.length - 1) {
            perSec /= 1024;
            u++;
        }
        return u == 0 ? Long.toString(Math.round(perSec)) : String.format(Locale.ROOT, "%.1f%s", perSec, units[u]);
    }

    /** A comm as the kernel keeps it may hold control characters: never send them to the terminal. */
    static String printable(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                if (b == null) {
                    b = new StringBuilder(s);
                }
                b.setCharAt(i, '?');
            }
        }
        return b == null ? s : b.toString();
    }

    /** A latency column: "-" when it was not measured. */
    private static String latency(long nanos) {
        return nanos < 0 ? "-" : StatsTextSink.duration(nanos);
    }
}
