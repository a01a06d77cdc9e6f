package dev.syscope.top;

import org.jline.keymap.BindingReader;
import org.jline.keymap.KeyMap;
import org.jline.terminal.Attributes;
import org.jline.terminal.Attributes.LocalFlag;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingReader;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The full-screen view on a JLine terminal: raw mode on the alternate screen, a redraw every
 * interval and right after each key, the terminal's size read at each redraw. The terminal is
 * restored however {@link #run} ends.
 */
public final class TopScreen {
    /** Longest wait for a key, so a stop request or a resize is seen quickly. */
    private static final long SLICE_MS = 100;
    /** How long after an Esc the rest of a sequence (an arrow key) may come; else it is a lone Esc. */
    private static final long SEQUENCE_MS = 50;
    /** Keys that send escape sequences: read whole and ignored, so their bytes are not taken as keys. */
    private static final Capability[] UNBOUND = {
        Capability.key_up, Capability.key_down, Capability.key_left, Capability.key_right,
        Capability.key_home, Capability.key_end, Capability.key_ppage, Capability.key_npage,
        Capability.key_ic, Capability.key_dc, Capability.key_btab,
        Capability.key_f1, Capability.key_f2, Capability.key_f3, Capability.key_f4, Capability.key_f5,
        Capability.key_f6, Capability.key_f7, Capability.key_f8, Capability.key_f9, Capability.key_f10,
        Capability.key_f11, Capability.key_f12};

    private final Terminal terminal;
    private final TopModel model;
    private final TopKeys keys;
    private final TopRenderer renderer = new TopRenderer();
    private final Supplier<TopRenderer.Status> sample;
    private final long intervalNanos;
    private final Display display;
    private TopRenderer.Status status;
    private Size shown = new Size(0, 0);

    /**
     * @param sample takes the interval just ended into {@code model} and returns the session's status
     */
    public TopScreen(Terminal terminal, TopModel model, Supplier<TopRenderer.Status> sample,
                     TopRenderer.Status initial, long intervalNanos) {
        this.terminal = terminal;
        this.model = model;
        this.keys = new TopKeys(model);
        this.sample = sample;
        this.status = initial;
        this.intervalNanos = intervalNanos;
        this.display = new Display(terminal, true);
    }

    /** Runs until {@code q}, Ctrl-C, the end of the terminal's input, or {@code running} turns false. */
    public void run(BooleanSupplier running) throws IOException {
        Attributes saved = terminal.enterRawMode();
        Attributes raw = terminal.getAttributes();
        raw.setLocalFlag(LocalFlag.ISIG, false); // Ctrl-C is a key that quits, like q
        terminal.setAttributes(raw);
        terminal.puts(Capability.enter_ca_mode);
        terminal.puts(Capability.keypad_xmit); // the keys then send the sequences terminfo lists
        terminal.puts(Capability.cursor_invisible);
        terminal.flush();
        try {
            loop(running);
        } finally {
            terminal.puts(Capability.cursor_visible);
            terminal.puts(Capability.keypad_local);
            terminal.puts(Capability.exit_ca_mode);
            terminal.setAttributes(saved);
            terminal.flush();
        }
    }

    private void loop(BooleanSupplier running) throws IOException {
        BindingReader reader = new BindingReader(terminal.reader());
        KeyMap<Boolean> keyMap = keyMap();
        long next = System.nanoTime() + intervalNanos;
        draw();
        while (running.getAsBoolean()) {
            long now = System.nanoTime();
            if (now >= next) {
                status = sample.get();
                next = Math.max(next + intervalNanos, now + intervalNanos / 2);
                draw();
                continue;
            }
            if (!terminal.getSize().equals(shown)) {
                draw();
            }
            int c = reader.peekCharacter(Math.clamp((next - now) / 1_000_000, 1, SLICE_MS));
            if (c == NonBlockingReader.EOF) {
                return;
            }
            if (c == NonBlockingReader.READ_EXPIRED || reader.readBinding(keyMap, null, false) != Boolean.TRUE) {
                continue; // no key yet, part of a sequence, or a sequence that is not bound
            }
            switch (keys.key(reader.getLastBinding().codePointAt(0))) {
                case QUIT -> {
                    return;
                }
                case REDRAW -> draw();
                case NONE -> { }
            }
        }
    }

    /** TRUE for a character (TopKeys decides), FALSE for a cursor or function key. */
    private KeyMap<Boolean> keyMap() {
        KeyMap<Boolean> map = new KeyMap<>();
        for (char c = 0; c < KeyMap.KEYMAP_LENGTH; c++) {
            map.bind(Boolean.TRUE, Character.toString(c));
        }
        map.setUnicode(Boolean.TRUE);
        map.setNomatch(Boolean.FALSE);
        for (Capability cap : UNBOUND) {
            String seq = KeyMap.key(terminal, cap);
            if (seq != null && seq.length() > 1) {
                map.bind(Boolean.FALSE, seq);
            }
        }
        for (char c : "ABCDHF".toCharArray()) { // the cursor keys' other (normal mode) form
            map.bind(Boolean.FALSE, "\033[" + c);
        }
        map.setAmbiguousTimeout(SEQUENCE_MS);
        return map;
    }

    private void draw() {
        Size size = terminal.getSize();
        int rows = size.getRows() > 0 ? size.getRows() : 24;
        int cols = size.getColumns() > 0 ? size.getColumns() : 80;
        if (!size.equals(shown)) {
            display.clear();
            display.resize(rows, cols);
            shown = size;
        }
        TopRenderer.Frame frame = renderer.render(model, status, cols, rows, keys.footer());
        List<AttributedString> lines = new ArrayList<>(frame.lines().size());
        for (int i = 0; i < frame.lines().size(); i++) {
            String l = frame.lines().get(i);
            AttributedStyle style = i == 0 ? AttributedStyle.BOLD
                    : i == frame.columnHeader() ? AttributedStyle.INVERSE : AttributedStyle.DEFAULT;
            AttributedString line = new AttributedString(l, style);
            if (i == frame.columnHeader() && line.columnLength() < cols) { // a full-width bar
                line = new AttributedString(l + " ".repeat(cols - line.columnLength()), style);
            }
            lines.add(line.columnSubSequence(0, cols)); // wide characters count twice
        }
        display.update(lines, 0);
        terminal.flush();
    }
}
