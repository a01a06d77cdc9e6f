package dev.syscope.stats;

import dev.syscope.api.StatsRow;
import dev.syscope.api.TraceSession;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * Takes a stats session's aggregates out of the kernel often enough that its map does not fill:
 * every second, and every 100 ms while a drain brings back more than an eighth of the map's
 * capacity (each short-lived process adds a few dozen (process, syscall) pairs, so a host that
 * starts hundreds of processes a second fills 10240 entries within a second). What it takes is
 * summed in user space until {@link #take}.
 */
public final class Drainer {
    static final long SLOW_NANOS = 1_000_000_000L;
    static final long FAST_NANOS = 100_000_000L;

    private final TraceSession session;
    private final int capacity;
    private final LongSupplier clock;
    private final Accumulator sum = new Accumulator();
    private long last;
    private long period = SLOW_NANOS;

    /** @param capacity the session's map size ({@code --max-entries}) */
    public Drainer(TraceSession session, int capacity) {
        this(session, capacity, System::nanoTime);
    }

    Drainer(TraceSession session, int capacity, LongSupplier clock) {
        this.session = session;
        this.capacity = capacity;
        this.clock = clock;
        this.last = clock.getAsLong();
    }

    /** Drains if one is due; call it at least every 100 ms. */
    public void tick() {
        if (clock.getAsLong() - last >= period) {
            drain();
        }
    }

    /** Drains now and returns everything taken since the previous call. */
    public List<StatsRow> take() {
        drain();
        List<StatsRow> rows = sum.rows();
        sum.clear();
        return rows;
    }

    private void drain() {
        List<StatsRow> rows = session.drainStats();
        sum.add(rows);
        period = rows.size() > capacity / 8 ? FAST_NANOS : SLOW_NANOS;
        last = clock.getAsLong();
    }
}
