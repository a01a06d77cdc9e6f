package dev.syscope.top;

import dev.syscope.stats.Grouping;
import org.junit.jupiter.api.Test;

import static dev.syscope.top.TopKeys.Action.NONE;
import static dev.syscope.top.TopKeys.Action.QUIT;
import static dev.syscope.top.TopKeys.Action.REDRAW;
import static org.assertj.core.api.Assertions.assertThat;

/** Keys, as characters read from the terminal, and what they do to the model. */
class TopKeysTest {
    private final TopModel model = new TopModel(Grouping.PROCESS_SYSCALL);
    private final TopKeys keys = new TopKeys(model);

    private TopKeys.Action type(String s) {
        TopKeys.Action last = NONE;
        for (char c : s.toCharArray()) {
            last = keys.key(c);
        }
        return last;
    }

    @Test
    void columnKeysSortAndRReverses() {
        for (Column c : Column.values()) {
            assertThat(keys.key(c.key())).isEqualTo(REDRAW);
            assertThat(model.sort()).isEqualTo(c);
        }
        assertThat(keys.key('r')).isEqualTo(REDRAW);
        assertThat(model.reversed()).isTrue();
        assertThat(keys.key('r')).isEqualTo(REDRAW);
        assertThat(model.reversed()).isFalse();
        assertThat(keys.key('x')).isEqualTo(NONE);
        assertThat(model.sort()).isEqualTo(Column.SYSCALL);
    }

    @Test
    void qAndCtrlCQuit() {
        assertThat(keys.key('q')).isEqualTo(QUIT);
        assertThat(keys.key(3)).isEqualTo(QUIT);
        type("/ab");
        assertThat(keys.key(3)).as("Ctrl-C quits even while typing a filter").isEqualTo(QUIT);
    }

    @Test
    void slashTypesAFilterThatEnterApplies() {
        assertThat(keys.footer()).isEqualTo(TopRenderer.KEY_HELP);
        type("/ddx");
        assertThat(keys.footer()).endsWith(": ddx_");
        assertThat(model.commFilter()).as("not applied before Enter").isEmpty();
        assertThat(keys.key(127)).isEqualTo(REDRAW);
        type("q\r"); // q is text in the prompt, not quit
        assertThat(model.commFilter()).isEqualTo("ddq");
        assertThat(keys.footer()).isEqualTo(TopRenderer.KEY_HELP);
        assertThat(keys.key('q')).isEqualTo(QUIT);
    }

    @Test
    void escCancelsAndAnEmptyFilterClears() {
        type("/dd\r");
        type("/cat");
        keys.key(TopKeys.ESC);
        assertThat(model.commFilter()).isEqualTo("dd");
        assertThat(keys.footer()).isEqualTo(TopRenderer.KEY_HELP);
        type("/\r");
        assertThat(model.commFilter()).isEmpty();
        type("/\b\b\n"); // backspace on an empty prompt does nothing
        assertThat(model.commFilter()).isEmpty();
    }

    @Test
    void controlCharactersAreNotTyped() {
        type("/a\u0001\u0085b\r");
        assertThat(model.commFilter()).isEqualTo("ab");
    }

    @Test
    void theFilterTakesAtMost32Characters() {
        type("/" + "x".repeat(40) + "\r");
        assertThat(model.commFilter()).hasSize(32);
    }
}
