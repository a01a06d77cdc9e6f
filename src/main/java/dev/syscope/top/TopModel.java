package dev.syscope.top;

import dev.syscope.api.StatsRow;
import dev.syscope.stats.Grouping;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What `top` shows: the (process, syscall) counts of the last interval, turned into rates, then
 * filtered by comm, grouped and sorted as the user asks. Sorting and filtering apply to the
 * interval already taken, so a key press redraws at once without touching the kernel.
 */
public final class TopModel {
    /** Ties (and equal keys) fall back to the busiest first, then a stable identity order. */
    private static final Comparator<TopRow> TIES = Column.CALLS.order()
            .thenComparingInt(TopRow::pid).thenComparing(TopRow::syscall);

    private final Grouping grouping;
    private List<StatsRow> interval = List.of();
    private long elapsedNanos;
    private Column sort = Column.CALLS;
    private boolean reversed;
    private String commFilter = "";

    public TopModel(Grouping grouping) {
        this.grouping = grouping;
    }

    /** Replaces the interval: {@code rows} are the counts of the {@code elapsedNanos} just ended. */
    public void update(List<StatsRow> rows, long elapsedNanos) {
        if (elapsedNanos <= 0) {
            throw new IllegalArgumentException("elapsed time must be positive: " + elapsedNanos);
        }
        this.interval = List.copyOf(rows);
        this.elapsedNanos = elapsedNanos;
    }

    /** Whether an interval has been taken yet. */
    public boolean hasInterval() {
        return elapsedNanos > 0;
    }

    public long elapsedNanos() {
        return elapsedNanos;
    }

    public Grouping grouping() {
        return grouping;
    }

    public Column sort() {
        return sort;
    }

    /** Sorts by {@code column} in its natural order (the largest numbers first, names A to Z). */
    public void sortBy(Column column) {
        sort = column;
        reversed = false;
    }

    public boolean reversed() {
        return reversed;
    }

    public void reverse() {
        reversed = !reversed;
    }

    public String commFilter() {
        return commFilter;
    }

    /** Keeps only processes whose comm contains {@code text}, ignoring case; "" keeps all. */
    public void filterComm(String text) {
        commFilter = text == null ? "" : text;
    }

    /** The rows of the last interval, filtered, grouped and sorted. */
    public List<TopRow> rows() {
        if (!hasInterval()) {
            return List.of();
        }
        String needle = commFilter.toLowerCase(Locale.ROOT);
        List<StatsRow> kept = new ArrayList<>(interval.size());
        for (StatsRow r : interval) {
            if (r.comm().toLowerCase(Locale.ROOT).contains(needle)) {
                kept.add(r);
            }
        }
        double seconds = elapsedNanos / 1e9;
        List<TopRow> out = new ArrayList<>();
        for (StatsRow g : grouping.apply(kept, 0)) {
            boolean timed = g.hasLatency();
            out.add(new TopRow(g.pid(), g.comm(), g.syscall(), g.count() / seconds, g.errors() / seconds, g.bytes() / seconds,
                    timed ? g.avgLatencyNanos() : -1, timed ? g.percentileNanos(0.5) : -1, timed ? g.percentileNanos(0.99) : -1));
        }
        Comparator<TopRow> order = reversed ? sort.order().reversed() : sort.order();
        out.sort(order.thenComparing(TIES));
        return out;
    }
}
