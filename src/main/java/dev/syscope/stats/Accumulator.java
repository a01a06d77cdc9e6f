package dev.syscope.stats;

import dev.syscope.api.StatsRow;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sums drained (process, syscall) rows in user space, so the kernel map only holds what came since
 * the last drain and stays small. A process that exec'd keeps a row per name.
 */
public final class Accumulator {
    private final Map<String, StatsRow> rows = new HashMap<>();

    public void add(List<StatsRow> drained) {
        for (StatsRow r : drained) {
            rows.merge(r.pid() + "/" + r.comm() + "/" + r.syscall(), r, StatsRow::plus);
        }
    }

    public List<StatsRow> rows() {
        return new ArrayList<>(rows.values());
    }

    public void clear() {
        rows.clear();
    }
}
