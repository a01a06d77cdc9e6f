package dev.syscope.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Bounds the {@code comm} label: at most {@code limit} commands get their own value, every other
 * command counts as {@value #OTHER}.
 *
 * <p>A command gets its own label as soon as it is seen while fewer than {@code limit} have one.
 * Every {@code rerankEvery} updates the labelled set becomes the top {@code limit} commands by a
 * decaying call count (half-life {@code rerankEvery} updates). A command that leaves the set loses
 * its series (Prometheus marks it stale) and its later calls go to "other"; one that enters starts
 * at zero. So every exported series only ever grows.
 */
public final class CommLabels {
    public static final String OTHER = "other";

    private final int limit;
    private final int rerankEvery;
    private final double decay;
    private final Set<String> labelled = new HashSet<>();
    private final Map<String, Double> scores = new HashMap<>();
    private int updates;

    public CommLabels(int limit, int rerankEvery) {
        if (limit < 1 || rerankEvery < 1) {
            throw new IllegalArgumentException("limit and rerankEvery must be positive");
        }
        this.limit = limit;
        this.rerankEvery = rerankEvery;
        this.decay = Math.pow(0.5, 1.0 / rerankEvery);
    }

    /**
     * Takes one update's calls per command, admits new commands while there is room (busiest first),
     * and reranks when due.
     *
     * @return the commands that lost their label in this update (their series must go)
     */
    public Set<String> update(Map<String, Long> callsByComm) {
        scores.replaceAll((comm, s) -> s * decay);
        callsByComm.forEach((comm, n) -> scores.merge(comm, (double) n, Double::sum));
        scores.values().removeIf(s -> s < 1e-3); // forgotten: bounded memory
        Set<String> evicted = new HashSet<>();
        if (++updates % rerankEvery == 0) {
            List<String> ranked = ranked(scores.keySet());
            Set<String> top = new HashSet<>(ranked.subList(0, Math.min(limit, ranked.size())));
            for (String comm : labelled) {
                if (!top.contains(comm)) {
                    evicted.add(comm);
                }
            }
            labelled.removeAll(evicted);
        }
        for (String comm : ranked(callsByComm.keySet())) {
            if (labelled.size() >= limit) {
                break;
            }
            if (!evicted.contains(comm)) {
                labelled.add(comm);
            }
        }
        return evicted;
    }

    /** The label value of {@code comm}: itself or {@value #OTHER}. */
    public String label(String comm) {
        return labelled.contains(comm) ? comm : OTHER;
    }

    private List<String> ranked(Set<String> comms) {
        List<String> r = new ArrayList<>(comms);
        r.sort(Comparator.comparingDouble((String c) -> scores.getOrDefault(c, 0.0)).reversed()
                .thenComparing(Comparator.naturalOrder()));
        return r;
    }
}
