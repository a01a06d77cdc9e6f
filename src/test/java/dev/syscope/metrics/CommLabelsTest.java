package dev.syscope.metrics;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommLabelsTest {

    @Test
    void admitsTheBusiestWhileThereIsRoomAndTheRestIsOther() {
        CommLabels c = new CommLabels(2, 10);
        assertThat(c.update(Map.of("a", 5L, "b", 50L, "c", 20L))).isEmpty();
        assertThat(c.label("b")).isEqualTo("b");
        assertThat(c.label("c")).isEqualTo("c");
        assertThat(c.label("a")).isEqualTo(CommLabels.OTHER);
        c.update(Map.of("d", 1000L)); // full: no rerank before the 10th update
        assertThat(c.label("d")).isEqualTo(CommLabels.OTHER);
    }

    @Test
    void rerankingEvictsTheQuietAndAdmitsTheBusy() {
        CommLabels c = new CommLabels(2, 3);
        c.update(Map.of("early", 10L, "idle", 10L));
        c.update(Map.of("busy", 1000L));
        assertThat(c.label("busy")).isEqualTo(CommLabels.OTHER);
        assertThat(c.update(Map.of("busy", 1000L, "early", 5L))).containsExactly("idle");
        assertThat(c.label("busy")).isEqualTo("busy");
        assertThat(c.label("early")).isEqualTo("early");
        assertThat(c.label("idle")).isEqualTo(CommLabels.OTHER);
    }

    @Test
    void anEvictedCommDoesNotComeBackInTheSameUpdate() {
        CommLabels c = new CommLabels(1, 2);
        c.update(Map.of("x", 1L));
        // The rerank puts y (busier) first; x is evicted and must not take a freed slot right away.
        assertThat(c.update(Map.of("y", 100L, "x", 1L))).containsExactly("x");
        assertThat(c.label("y")).isEqualTo("y");
        assertThat(c.label("x")).isEqualTo(CommLabels.OTHER);
    }

    @Test
    void rejectsNonPositiveLimits() {
        assertThatThrownBy(() -> new CommLabels(0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
