package dev.syscope.top;

import dev.syscope.stats.Grouping;
import org.junit.jupiter.api.Test;

import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;

import static dev.syscope.top.TopModelTest.SECOND;
import static dev.syscope.top.TopModelTest.row;
import static org.assertj.core.api.Assertions.assertThat;

/** The screen as lines: header, columns, values, and cutting to the terminal's size. */
class TopRendererTest {
    private static final TopRenderer.Status STATUS = new TopRenderer.Status(LocalTime.of(12, 34, 56), 3, 7);
    private final TopRenderer renderer = new TopRenderer();

    private static TopModel model(Grouping g) {
        TopModel m = new TopModel(g);
        m.update(List.of(row(4242, "dd", "write", 2_000, 0, 3 * 1024 * 1024, 512),
                row(17, "cat", "openat", 3, 3, 0, 1 << 20)), 2 * SECOND);
        return m;
    }

    @Test
    void headerColumnsAndRows() {
        TopRenderer.Frame f = renderer.render(model(Grouping.PROCESS_SYSCALL), STATUS, 200, 50, TopRenderer.KEY_HELP);
        List<String> l = f.lines();
        assertThat(l.get(0)).isEqualTo(
                "syscope top  12:34:56  interval 2.00s  rows 2  calls/s 1002  errors/s 1.5");
        assertThat(l.get(1)).isEqualTo("lost 3  map full 7  by process,syscall  sort: calls, default order");
        assertThat(l.get(2)).isEqualTo(TopRenderer.KEY_HELP);
        assertThat(f.columnHeader()).isEqualTo(3);
        assertThat(l.get(3)).matches(" +PID COMM +SYSCALL +CALLS/S +ERRORS/S +BYTES/S +AVG +P50 +P99");
        assertThat(l.get(4)).matches(" +4242 dd +write +1000 +0 +1\\.5M +512ns +1\\.0us +1\\.0us");
        assertThat(l.get(5)).matches(" +17 cat +openat +1\\.5 +1\\.5 +0 +1\\.05ms +2\\.10ms +2\\.10ms");
        assertThat(l).hasSize(6);
        // Values sit under their headers (right-aligned numbers).
        assertThat(l.get(4).indexOf("1000") + 4).isEqualTo(l.get(3).indexOf("CALLS/S") + 7);
    }

    @Test
    void theGroupingDecidesTheIdentityColumns() {
        List<String> bySyscall = renderer.render(model(Grouping.SYSCALL), STATUS, 200, 50, null).lines();
        assertThat(bySyscall.get(2)).matches("SYSCALL +CALLS/S .*").doesNotContain("PID");
        List<String> byProcess = renderer.render(model(Grouping.PROCESS), STATUS, 200, 50, null).lines();
        assertThat(byProcess.get(2)).matches(" +PID COMM +CALLS/S .*").doesNotContain("SYSCALL");
    }

    @Test
    void sortReverseAndFilterAreShown() {
        TopModel m = model(Grouping.PROCESS_SYSCALL);
        m.sortBy(Column.P99);
        m.reverse();
        m.filterComm("ca");
        List<String> l = renderer.render(m, STATUS, 200, 50, null).lines();
        assertThat(l.get(1)).isEqualTo("lost 3  map full 7  by process,syscall  sort: p99, reversed  filter: comm contains \"ca\"");
        assertThat(l.get(0)).contains("  rows 1  ");
        assertThat(l).hasSize(4).last().asString().contains(" cat ");
    }

    @Test
    void linesAreCutToTheWidthAndRowsToTheHeight() {
        TopModel m = new TopModel(Grouping.PROCESS_SYSCALL);
        List<dev.syscope.api.StatsRow> rows = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            rows.add(row(i, "p" + i, "read", i, 0, 0, 64));
        }
        m.update(rows, SECOND);
        TopRenderer.Frame f = renderer.render(m, STATUS, 40, 10, TopRenderer.KEY_HELP);
        assertThat(f.lines()).hasSize(10).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(40));
        assertThat(f.lines().get(0)).isEqualTo("syscope top  12:34:56  interval 1.00s  r");
        assertThat(f.lines().get(4)).startsWith("    100 p100");
        assertThat(f.lines().get(9)).startsWith("     95 p95");

        // Smaller than the header: the first lines only.
        assertThat(renderer.render(m, STATUS, 80, 2, TopRenderer.KEY_HELP).lines()).hasSize(2);
    }

    @Test
    void beforeTheFirstIntervalTheHeaderSaysSo() {
        List<String> l = renderer.render(new TopModel(Grouping.PROCESS), STATUS, 200, 50, null).lines();
        assertThat(l.get(0)).isEqualTo("syscope top  12:34:56  collecting the first interval...");
        assertThat(l).hasSize(3);
    }

    @Test
    void controlCharactersInACommNeverReachTheTerminal() {
        TopModel m = new TopModel(Grouping.PROCESS);
        m.update(List.of(row(1, "ev\u001b[2Jil\u0007", "read", 1, 0, 0, 64)), SECOND);
        assertThat(renderer.render(m, STATUS, 200, 50, null).lines().get(3)).contains(" ev?[2Jil? ").doesNotContain("\u001b");
    }

    @Test
    void ratesAndBytesFormats() {
        assertThat(TopRenderer.rate(0)).isEqualTo("0");
        assertThat(TopRenderer.rate(0.5)).isEqualTo("0.5");
        assertThat(TopRenderer.rate(9.96)).isEqualTo("10.0");
        assertThat(TopRenderer.rate(12.4)).isEqualTo("12");
        assertThat(TopRenderer.rate(2_250_000.6)).isEqualTo("2250001");
        assertThat(TopRenderer.bytes(1023)).isEqualTo("1023");
        assertThat(TopRenderer.bytes(1536)).isEqualTo("1.5K");
        assertThat(TopRenderer.bytes(204.8 * 1024 * 1024)).isEqualTo("204.8M");
        assertThat(TopRenderer.bytes(3.0 * (1L << 40))).isEqualTo("3.0T");
    }
}
