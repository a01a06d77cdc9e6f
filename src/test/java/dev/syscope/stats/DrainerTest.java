package dev.syscope.stats;

import dev.syscope.api.StatsRow;
import dev.syscope.api.TraceSession;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DrainerTest {
    private final Deque<List<StatsRow>> drains = new ArrayDeque<>();
    private int drained;
    private long now;

    /** A session whose drainStats() hands out the queued drains (then nothing) and counts the calls. */
    private TraceSession session() {
        return (TraceSession) Proxy.newProxyInstance(TraceSession.class.getClassLoader(), new Class<?>[] {TraceSession.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("drainStats")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    drained++;
                    return drains.isEmpty() ? List.of() : drains.poll();
                });
    }

    private static List<StatsRow> rows(int pids, String syscall) {
        List<StatsRow> r = new ArrayList<>();
        for (int pid = 1; pid <= pids; pid++) {
            r.add(new StatsRow(pid, "p" + pid, syscall, 1, 0, 0, 10, new long[32]));
        }
        return r;
    }

    @Test
    void drainsEverySecondThenEvery100msWhileTheMapFillsFast() {
        Drainer d = new Drainer(session(), 80, () -> now); // fast above 10 rows per drain
        now = 999_000_000L;
        d.tick();
        assertThat(drained).isZero();
        drains.add(rows(11, "read"));
        now = 1_000_000_000L;
        d.tick();
        assertThat(drained).isEqualTo(1);
        now += 100_000_000L;
        d.tick(); // fast now; this drain returns nothing, so the next is a second away
        assertThat(drained).isEqualTo(2);
        now += 900_000_000L;
        d.tick();
        assertThat(drained).isEqualTo(2);
        now += 100_000_000L;
        d.tick();
        assertThat(drained).isEqualTo(3);
    }

    @Test
    void takeSumsEveryDrainSinceTheLastTake() {
        Drainer d = new Drainer(session(), 80, () -> now);
        drains.add(rows(11, "read"));
        drains.add(rows(2, "read"));
        now = 1_000_000_000L;
        d.tick();
        List<StatsRow> taken = d.take();
        assertThat(taken).hasSize(11);
        assertThat(taken.stream().mapToLong(StatsRow::count).sum()).isEqualTo(13);
        assertThat(d.take()).isEmpty();
    }
}
