package dev.syscope.syscalls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An architecture's syscalls: numbers, names, arguments and strace classes, read from the
 * resource {@code <arch>.tsv} that scripts/gen-syscalls.sh generates from the kernel's tables.
 *
 * <p>Every command loads a table at startup, mostly in the interpreter, so loading reads only each
 * line's number, name and classes; a {@link Syscall} with its arguments is parsed on first use.
 */
public final class SyscallTable {
    private static final SyscallClass[] CLASSES = SyscallClass.values();
    private static final ArgKind[] KINDS = ArgKind.values();

    private final String text;       // the resource
    private final String[] names;    // by number; null for unused numbers
    private final String[] events;   // by number: the tracepoint event name (usually the name)
    private final int[] classBits;   // by number: 1 << SyscallClass.ordinal()
    private final int[] argsFrom;    // by number: where its line's arguments start in text
    private final Map<String, Integer> nrs;
    private final Syscall[] parsed;  // by number, filled on demand
    private volatile List<Syscall> all;
    private final String[] flagNames;
    private final int[] flagValues;

    // Lazy holders: each table loads on first use, thread-safely and without a lambda (the first
    // lambda of a JVM costs milliseconds).
    private static final class X86 {
        static final SyscallTable TABLE = load(Arch.X86_64);
    }

    private static final class Arm64 {
        static final SyscallTable TABLE = load(Arch.ARM64);
    }

    /** The table of {@code arch}, loaded once. */
    public static SyscallTable of(Arch arch) {
        return arch == Arch.X86_64 ? X86.TABLE : Arm64.TABLE;
    }

    /** One more than the highest syscall number. */
    public int size() {
        return names.length;
    }

    /** Syscall {@code nr}, or null when no syscall has that number. */
    public Syscall byNr(int nr) {
        if (nr < 0 || nr >= names.length || names[nr] == null) {
            return null;
        }
        Syscall s = parsed[nr]; // a racy read is safe: records have final fields
        return s != null ? s : parse(nr);
    }

    /** The syscall called {@code name}, or null. */
    public Syscall byName(String name) {
        Integer nr = nrs.get(name);
        return nr == null ? null : byNr(nr);
    }

    /** Every syscall, by number. */
    public List<Syscall> all() {
        List<Syscall> a = all;
        if (a == null) {
            List<Syscall> list = new ArrayList<>(nrs.size());
            for (int nr = 0; nr < names.length; nr++) {
                if (names[nr] != null) {
                    list.add(byNr(nr));
                }
            }
            all = a = List.copyOf(list);
        }
        return a;
    }

    /** The name of syscall {@code nr}, or null, without parsing its arguments. */
    String name(int nr) {
        return nr >= 0 && nr < names.length ? names[nr] : null;
    }

    /** The number of syscall {@code name}, or -1. */
    int nr(String name) {
        Integer nr = nrs.get(name);
        return nr == null ? -1 : nr;
    }

    /** The O_* flags other than the access mode, in printing order (multi-bit ones first). */
    String[] openFlagNames() {
        return flagNames;
    }

    int[] openFlagValues() {
        return flagValues;
    }

    /**
     * The numbers a trace spec selects: each item a syscall name, {@code all} or a class such as
     * {@code %file}; an item may hold several, comma-separated ({@code openat,read}).
     */
    public BitSet resolve(Collection<String> specs) {
        BitSet out = new BitSet(size());
        for (String spec : specs) {
            for (String item : spec.split(",")) {
                item = item.strip();
                if (item.isEmpty()) {
                    continue;
                }
                int mask;
                if (item.equals("all")) {
                    mask = -1;
                } else if (item.startsWith("%")) {
                    SyscallClass c = SyscallClass.fromSpec(item);
                    if (c == null) {
                        throw UnknownSyscallException.syscallClass(item);
                    }
                    mask = 1 << c.ordinal();
                } else {
                    Integer nr = nrs.get(item);
                    if (nr == null) {
                        throw UnknownSyscallException.syscall(item, suggest(item));
                    }
                    out.set(nr);
                    continue;
                }
                for (int nr = 0; nr < names.length; nr++) {
                    if (names[nr] != null && (mask == -1 || (classBits[nr] & mask) != 0)) {
                        out.set(nr);
                    }
                }
            }
        }
        return out;
    }

    /** The closest name: within edit distance 2, or having {@code name} as prefix or suffix. */
    private String suggest(String name) {
        String q = name.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String n : names) {
            if (n == null) {
                continue;
            }
            int d = distance(q, n);
            boolean affix = q.length() >= 3 && (n.startsWith(q) || n.endsWith(q));
            if ((d <= 2 || affix) && d < bestDistance) { // ties go to the lower number
                best = n;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** Parses the arguments of syscall {@code nr}: tab-separated name:kind:C type after the classes. */
    private synchronized Syscall parse(int nr) {
        if (parsed[nr] != null) {
            return parsed[nr];
        }
        List<SyscallArg> args = new ArrayList<>(6);
        int end = lineEnd(argsFrom[nr]);
        for (int from = argsFrom[nr]; from < end; ) {
            int to = text.indexOf('\t', from);
            if (to < 0 || to > end) {
                to = end;
            }
            int k = text.indexOf(':', from);
            int t = text.indexOf(':', k + 1);
            args.add(new SyscallArg(text.substring(from, k), text.substring(t + 1, to), kind(k + 1, t)));
            from = to + 1;
        }
        EnumSet<SyscallClass> classes = EnumSet.noneOf(SyscallClass.class);
        for (SyscallClass c : CLASSES) {
            if ((classBits[nr] & 1 << c.ordinal()) != 0) {
                classes.add(c);
            }
        }
        return parsed[nr] = new Syscall(nr, names[nr], args, classes, events[nr]);
    }

    private ArgKind kind(int from, int to) {
        for (ArgKind k : KINDS) {
            String n = k.name();
            if (n.length() == to - from && n.regionMatches(true, 0, text, from, to - from)) {
                return k;
            }
        }
        throw new IllegalStateException("unknown argument kind: ".concat(text.substring(from, to)));
    }

    private int lineEnd(int from) {
        int end = text.indexOf('\n', from);
        return end < 0 ? text.length() : end;
    }

    /** Reads the generated resource; see its header for the format. */
    static SyscallTable load(Arch arch) {
        String resource = arch.name().toLowerCase(Locale.ROOT).concat(".tsv"); // no indy concat at startup
        String text;
        try (InputStream in = SyscallTable.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource dev/syscope/syscalls/".concat(resource));
            }
            text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SyscallTable(text);
    }

    private SyscallTable(String text) {
        this.text = text;
        String[] names = new String[1024];
        String[] events = new String[1024];
        int[] classBits = new int[1024];
        int[] argsFrom = new int[1024];
        Map<String, Integer> nrs = HashMap.newHashMap(512);
        List<String> flagNames = new ArrayList<>();
        List<Integer> flagValues = new ArrayList<>();
        int max = -1;
        for (int start = 0, end; start < text.length(); start = end + 1) {
            end = lineEnd(start);
            char c = start < end ? text.charAt(start) : '#';
            if (c == 'f') { // flag NAME VALUE
                int t1 = text.indexOf('\t', start);
                int t2 = text.indexOf('\t', t1 + 1);
                flagNames.add(text.substring(t1 + 1, t2));
                flagValues.add(Integer.parseUnsignedInt(text, t2 + 3, end, 16)); // after "0x"
            } else if (c >= '0' && c <= '9') { // NR NAME EVENT CLASSES ARG...
                int t1 = text.indexOf('\t', start);
                int t2 = text.indexOf('\t', t1 + 1);
                int te = text.indexOf('\t', t2 + 1);
                int t3 = text.indexOf('\t', te + 1);
                if (t3 < 0 || t3 > end) {
                    t3 = end;
                }
                int nr = Integer.parseInt(text, start, t1, 10);
                if (nr >= names.length) {
                    names = Arrays.copyOf(names, nr * 2);
                    events = Arrays.copyOf(events, nr * 2);
                    classBits = Arrays.copyOf(classBits, nr * 2);
                    argsFrom = Arrays.copyOf(argsFrom, nr * 2);
                }
                names[nr] = text.substring(t1 + 1, t2);
                events[nr] = te - t2 - 1 == t2 - t1 - 1 && text.regionMatches(t2 + 1, names[nr], 0, t2 - t1 - 1)
                        ? names[nr] : text.substring(t2 + 1, te);
                classBits[nr] = classBits(text, te + 1, t3);
                argsFrom[nr] = Math.min(t3 + 1, end);
                nrs.put(names[nr], nr);
                max = Math.max(max, nr);
            }
        }
        this.names = Arrays.copyOf(names, max + 1);
        this.events = Arrays.copyOf(events, max + 1);
        this.classBits = Arrays.copyOf(classBits, max + 1);
        this.argsFrom = Arrays.copyOf(argsFrom, max + 1);
        this.nrs = nrs;
        this.parsed = new Syscall[max + 1];
        this.flagNames = flagNames.toArray(new String[0]);
        this.flagValues = new int[flagValues.size()];
        for (int i = 0; i < this.flagValues.length; i++) {
            this.flagValues[i] = flagValues.get(i);
        }
    }

    /** The bits of a comma-separated class list ("file,desc"; "-" for none). */
    private static int classBits(String text, int from, int to) {
        int bits = 0;
        while (from < to) {
            int comma = text.indexOf(',', from);
            if (comma < 0 || comma > to) {
                comma = to;
            }
            for (SyscallClass c : CLASSES) {
                String n = c.name();
                if (n.length() == comma - from && n.regionMatches(true, 0, text, from, comma - from)) {
                    bits |= 1 << c.ordinal();
                }
            }
            from = comma + 1;
        }
        return bits;
    }
}
