package dev.syscope.top;

/**
 * The keys of `top`, applied to the model: a column key sorts, {@code r} reverses, {@code /}
 * opens a comm-filter prompt (Enter applies, an empty filter clears, Esc cancels), {@code q} and
 * Ctrl-C quit. Terminal-free, so it is tested on its own.
 */
public final class TopKeys {
    static final int CTRL_C = 3;
    static final int BACKSPACE = 8;
    public static final int ESC = 27;
    static final int DEL = 127;
    /** A comm has at most 15 bytes; a little more lets a paste show what it was. */
    private static final int MAX_FILTER = 32;

    /** What the key asks of the screen. */
    public enum Action { NONE, REDRAW, QUIT }

    private final TopModel model;
    private StringBuilder prompt; // null when not typing a filter

    public TopKeys(TopModel model) {
        this.model = model;
    }

    /** Applies one character read from the terminal. */
    public Action key(int c) {
        if (c == CTRL_C) {
            return Action.QUIT;
        }
        if (prompt != null) {
            return promptKey(c);
        }
        Column column = Column.forKey(c);
        if (column != null) {
            model.sortBy(column);
            return Action.REDRAW;
        }
        return switch (c) {
            case 'q', 'Q' -> Action.QUIT;
            case 'r' -> {
                model.reverse();
                yield Action.REDRAW;
            }
            case '/' -> {
                prompt = new StringBuilder();
                yield Action.REDRAW;
            }
            default -> Action.NONE;
        };
    }

    private Action promptKey(int c) {
        switch (c) {
            case '\r', '\n' -> {
                model.filterComm(prompt.toString());
                prompt = null;
            }
            case ESC -> prompt = null;
            case BACKSPACE, DEL -> {
                if (!prompt.isEmpty()) {
                    prompt.setLength(prompt.length() - 1);
                }
            }
            default -> {
                if (!Character.isISOControl(c) && prompt.length() < MAX_FILTER) {
                    prompt.appendCodePoint(c);
                }
            }
        }
        return Action.REDRAW;
    }

    /** The bottom help line: the keys, or the filter being typed. */
    public String footer() {
        return prompt == null ? TopRenderer.KEY_HELP
                : "filter comm (Enter applies, empty clears, Esc cancels): " + prompt + "_";
    }
}
