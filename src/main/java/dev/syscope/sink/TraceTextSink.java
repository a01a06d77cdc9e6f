package dev.syscope.sink;

import dev.syscope.api.TraceHandler;
import dev.syscope.bpf.Errno;
import dev.syscope.container.Container;
import dev.syscope.container.ContainerResolver;
import dev.syscope.event.TraceEvent;
import dev.syscope.event.TraceEventLayout;
import dev.syscope.syscalls.Arch;
import dev.syscope.syscalls.ArgKind;
import dev.syscope.syscalls.Syscall;

import java.time.Instant;
import java.time.ZoneId;

/**
 * Trace events as a fixed-width table in the style of opensnoop: a header once, then one line per
 * call. RET is the return value (bytes transferred for read/write-like calls), or -ERRNO; LAT is
 * entry-to-exit in microseconds; ARGS are decoded as strace prints them. With a container resolver a
 * CONTAINER column (the short id, "-" for the host) comes before ARGS.
 */
public final class TraceTextSink implements TraceHandler {
    private static final int PID_END = 20;
    private static final int COMM_COL = 21;
    private static final int SYSCALL_COL = 37;
    private static final int RET_COL = 53;
    private static final int LAT_END = 70;

    private final LineOutput out;
    private final ZoneId zone;
    private final int maxColumns;
    private final ByteLine line = new ByteLine();
    private final byte[] bytes = new byte[TraceEventLayout.PATH_MAX];
    private final OpenFlagsText flags;
    private final ContainerResolver containers; // null: no CONTAINER column
    private long offsetValidUntilSec = Long.MIN_VALUE;
    private long zoneOffsetSec;

    /**
     * @param maxColumns cut lines longer than this (0: never); on a terminal the CLI passes 99
     */
    public TraceTextSink(LineOutput out, Arch arch, ZoneId zone, int maxColumns) {
        this(out, arch, zone, maxColumns, null);
    }

    /** @param containers adds a CONTAINER column, resolved from each event's cgroup; null for none */
    public TraceTextSink(LineOutput out, Arch arch, ZoneId zone, int maxColumns, ContainerResolver containers) {
        this.out = out;
        this.containers = containers;
        this.flags = new OpenFlagsText(arch);
        this.zone = zone;
        this.maxColumns = maxColumns;
    }

    /** The column headings, aligned as the rows. */
    public void header() {
        ByteLine l = line;
        l.reset();
        l.ascii("TIME");
        int start = l.padTo(13).length();
        l.ascii("PID").alignRight(start, PID_END);
        l.padTo(COMM_COL).ascii("COMM").padTo(SYSCALL_COL).ascii("SYSCALL").padTo(RET_COL).ascii("RET");
        start = l.padTo(RET_COL + 8).length();
        l.ascii("LAT(us)").alignRight(start, LAT_END);
        if (containers != null) {
            l.ascii(" CONTAINER   ");
        }
        l.ascii(" ARGS\n");
        l.writeTo(out);
        out.endLine();
    }

    @Override
    public void onEvent(TraceEvent e) {
        ByteLine l = line;
        l.reset();
        time(e.epochNanos());
        int start = l.padTo(13).length();
        l.decimal(Integer.toUnsignedLong(e.pid())).alignRight(start, PID_END);
        l.padTo(COMM_COL).escaped(bytes, e.comm(bytes), false);
        Syscall sc = e.syscall();
        l.padTo(SYSCALL_COL);
        if (sc != null) {
            l.ascii(sc.name());
        } else {
            l.ascii("sys_").decimal(e.syscallNr());
        }
        l.padTo(RET_COL);
        ret(e);
        l.padTo(RET_COL + 8);
        start = l.length();
        long lat = e.latencyNanos();
        l.decimal(lat / 1000).append((byte) '.').zeroPadded(lat % 1000, 3).alignRight(start, LAT_END);
        l.append((byte) ' ');
        if (containers != null) {
            Container c = containers.resolve(e.cgroupId());
            int col = l.length() + Container.SHORT + 1;
            (c.isHost() ? l.append((byte) '-') : l.bytes(c.shortId(), 0, c.shortId().length)).padTo(col);
        }
        args(e, sc);
        l.cut(maxColumns);
        l.append((byte) '\n');
        l.writeTo(out);
        out.endLine();
    }

    private void ret(TraceEvent e) {
        if (!e.returned()) {
            line.append((byte) '?');
            return;
        }
        int errno = e.errno();
        if (errno != 0) {
            String name = Errno.cachedName(errno);
            line.append((byte) '-');
            if (name != null) {
                line.ascii(name);
            } else {
                line.decimal(errno);
            }
        } else if (e.ret() >>> 32 != 0) {
            line.hex(e.ret()); // an address (mmap, brk)
        } else {
            line.decimal(e.ret());
        }
    }

    private void args(TraceEvent e, Syscall sc) {
        int n = sc != null ? sc.args().size() : 6;
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                line.append((byte) ',').append((byte) ' ');
            }
            long v = e.arg(i);
            ArgKind kind = sc != null ? sc.args().get(i).kind() : ArgKind.OTHER;
            switch (kind) {
                case FD -> line.decimal((int) v);
                case DIRFD -> {
                    if ((int) v == ArgValues.AT_FDCWD) {
                        line.ascii("AT_FDCWD");
                    } else {
                        line.decimal((int) v);
                    }
                }
                case PATH -> path(e, i, sc, v);
                case OPEN_FLAGS -> line.append(flags.of((int) v));
                case COUNT -> line.decimal(v);
                default -> {
                    if (v >= 0 && v < 0x10000) {
                        line.decimal(v);
                    } else {
                        line.hex(v);
                    }
                }
            }
        }
    }

    private void path(TraceEvent e, int i, Syscall sc, long pointer) {
        if (sc.pathArg() == i && e.hasPath()) {
            line.append((byte) '"').escaped(bytes, e.path(bytes), true).append((byte) '"');
            if (e.pathTruncated()) {
                line.ascii("..."); // as strace marks a cut string
            }
        } else {
            line.hex(pointer); // a second path argument, or the read failed
        }
    }

    /** HH:MM:SS.mmm in the sink's time zone; the zone offset is looked up once a minute. */
    private void time(long epochNanos) {
        long sec = Math.floorDiv(epochNanos, 1_000_000_000L);
        if (sec >= offsetValidUntilSec || sec < offsetValidUntilSec - 60) {
            zoneOffsetSec = zone.getRules().getOffset(Instant.ofEpochSecond(sec)).getTotalSeconds();
            offsetValidUntilSec = sec - Math.floorMod(sec, 60) + 60;
        }
        long local = Math.floorMod(sec + zoneOffsetSec, 86_400L);
        line.zeroPadded(local / 3600, 2).append((byte) ':').zeroPadded(local / 60 % 60, 2).append((byte) ':')
                .zeroPadded(local % 60, 2).append((byte) '.').zeroPadded(Math.floorMod(epochNanos, 1_000_000_000L) / 1_000_000, 3);
    }
}
