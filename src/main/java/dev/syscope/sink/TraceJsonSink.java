package dev.syscope.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.syscope.api.StatsRow;
import dev.syscope.api.TraceHandler;
import dev.syscope.bpf.Errno;
import dev.syscope.event.Escape;
import dev.syscope.event.TraceEvent;
import dev.syscope.event.TraceEventLayout;
import dev.syscope.syscalls.Arch;
import dev.syscope.syscalls.ArgKind;
import dev.syscope.syscalls.OpenFlags;
import dev.syscope.syscalls.Syscall;
import dev.syscope.syscalls.SyscallArg;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Trace events as JSON Lines through Jackson's streaming generator, one object per event:
 * {@code {"type":"syscall","time":"2026-11-24T10:00:00.123456789Z","pid":…,"tid":…,"uid":…,
 * "comm":…,"syscall":"openat","args":{…},"ret":3,"errno":null,"latency_ns":…,"cgroup_id":…}}.
 * Lost events become {@code {"type":"lost","count":N,"time":…}} records (N: lost since the last one).
 * Field names are pre-encoded and strings are written from reused buffers, so a steady stream of
 * events allocates next to nothing.
 */
public final class TraceJsonSink implements TraceHandler {
    private static final SerializableString TYPE = new SerializedString("type");
    private static final SerializableString SYSCALL_TYPE = new SerializedString("syscall");
    private static final SerializableString TIME = new SerializedString("time");
    private static final SerializableString PID = new SerializedString("pid");
    private static final SerializableString TID = new SerializedString("tid");
    private static final SerializableString UID = new SerializedString("uid");
    private static final SerializableString COMM = new SerializedString("comm");
    private static final SerializableString PATH_TRUNCATED = new SerializedString("path_truncated");
    private static final SerializableString SYSCALL = new SerializedString("syscall");
    private static final SerializableString ARGS = new SerializedString("args");
    private static final SerializableString RET = new SerializedString("ret");
    private static final SerializableString ERRNO = new SerializedString("errno");
    private static final SerializableString LATENCY = new SerializedString("latency_ns");
    private static final SerializableString CGROUP = new SerializedString("cgroup_id");
    private static final SerializableString COUNT = new SerializedString("count");
    private static final String[] RAW_ARG_NAMES = {"arg0", "arg1", "arg2", "arg3", "arg4", "arg5"};

    private final LineOutput out;
    private final JsonGenerator gen;
    private final Arch arch;
    private final byte[] bytes = new byte[TraceEventLayout.PATH_MAX];
    private final byte[] escaped = new byte[TraceEventLayout.PATH_MAX * Escape.MAX_EXPANSION];
    private final StringBuilder flags = new StringBuilder();
    private final char[] chars = new char[128];
    private final char[] time = new char[30]; // yyyy-MM-ddTHH:mm:ss.nnnnnnnnnZ
    private long timeSecond = Long.MIN_VALUE;

    public TraceJsonSink(LineOutput out, Arch arch) {
        this.out = out;
        this.arch = arch;
        try {
            this.gen = JsonFactory.builder().build().createGenerator(new Adapter(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        gen.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM); // LineOutput owns the flush policy
        gen.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        gen.setRootValueSeparator(null); // records end with '\n', written by endRecord()
    }

    @Override
    public void onEvent(TraceEvent e) {
        try {
            JsonGenerator g = gen;
            g.writeStartObject();
            g.writeFieldName(TYPE);
            g.writeString(SYSCALL_TYPE);
            g.writeFieldName(TIME);
            writeTime(e.epochNanos());
            g.writeFieldName(PID);
            g.writeNumber(Integer.toUnsignedLong(e.pid()));
            g.writeFieldName(TID);
            g.writeNumber(Integer.toUnsignedLong(e.tid()));
            g.writeFieldName(UID);
            g.writeNumber(Integer.toUnsignedLong(e.uid()));
            g.writeFieldName(COMM);
            g.writeUTF8String(escaped, 0, Escape.escape(bytes, e.comm(bytes), escaped, false));
            Syscall sc = e.syscall();
            g.writeFieldName(SYSCALL);
            if (sc != null) {
                g.writeString(sc.name());
            } else {
                g.writeString("sys_" + e.syscallNr()); // unknown number: rare, allocates
            }
            g.writeFieldName(ARGS);
            writeArgs(e, sc);
            if (e.pathTruncated()) {
                g.writeFieldName(PATH_TRUNCATED);
                g.writeBoolean(true);
            }
            g.writeFieldName(RET);
            if (e.returned()) {
                g.writeNumber(e.ret());
            } else {
                g.writeNull();
            }
            g.writeFieldName(ERRNO);
            int errno = e.errno();
            if (errno == 0) {
                g.writeNull();
            } else {
                String name = Errno.cachedName(errno);
                g.writeString(name != null ? name : "E" + errno);
            }
            g.writeFieldName(LATENCY);
            g.writeNumber(e.latencyNanos());
            g.writeFieldName(CGROUP);
            g.writeNumber(e.cgroupId());
            g.writeEndObject();
            endRecord();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** A {"type":"lost","count":N,"time":…} record for N events lost since the previous one. */
    public void lost(long count, long epochNanos) {
        try {
            gen.writeStartObject();
            gen.writeFieldName(TYPE);
            gen.writeString("lost");
            gen.writeFieldName(COUNT);
            gen.writeNumber(count);
            gen.writeFieldName(TIME);
            writeTime(epochNanos);
            gen.writeEndObject();
            endRecord();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * A {"type":"not_streamed","time":…,"pid":…,"comm":…,"syscall":…,"count":N,"errors":…,"bytes":…}
     * record: N calls the buffer could not take, counted in the kernel instead (--on-overload=aggregate).
     */
    public void notStreamed(StatsRow r, long epochNanos) {
        try {
            gen.writeStartObject();
            gen.writeFieldName(TYPE);
            gen.writeString("not_streamed");
            gen.writeFieldName(TIME);
            writeTime(epochNanos);
            gen.writeNumberField("pid", r.pid());
            gen.writeStringField("comm", r.comm());
            gen.writeStringField("syscall", r.syscall());
            gen.writeFieldName(COUNT);
            gen.writeNumber(r.count());
            gen.writeNumberField("errors", r.errors());
            gen.writeNumberField("bytes", r.bytes());
            gen.writeEndObject();
            endRecord();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private void endRecord() throws IOException {
        gen.writeRaw('\n');
        gen.flush(); // into LineOutput's buffer, not to the stream
        out.endLine();
    }

    private void writeArgs(TraceEvent e, Syscall sc) throws IOException {
        JsonGenerator g = gen;
        g.writeStartObject();
        int n = sc != null ? sc.args().size() : 6;
        for (int i = 0; i < n; i++) {
            SyscallArg a = sc != null ? sc.args().get(i) : null;
            g.writeFieldName(a != null ? a.name() : RAW_ARG_NAMES[i]);
            long v = e.arg(i);
            ArgKind kind = a != null ? a.kind() : ArgKind.OTHER;
            switch (kind) {
                case FD -> g.writeNumber((int) v);
                case DIRFD -> {
                    if ((int) v == ArgValues.AT_FDCWD) {
                        g.writeString("AT_FDCWD");
                    } else {
                        g.writeNumber((int) v);
                    }
                }
                case PATH -> {
                    if (sc.pathArg() == i && e.hasPath()) {
                        g.writeUTF8String(escaped, 0, Escape.escape(bytes, e.path(bytes), escaped, false));
                    } else {
                        g.writeNumber(v); // the pointer: a second path, or the read failed
                    }
                }
                case OPEN_FLAGS -> {
                    flags.setLength(0);
                    OpenFlags.append(arch, (int) v, flags);
                    int len = Math.min(flags.length(), chars.length);
                    flags.getChars(0, len, chars, 0);
                    g.writeString(chars, 0, len);
                }
                default -> g.writeNumber(v);
            }
        }
        g.writeEndObject();
    }

    /** RFC 3339 in UTC with nanoseconds; the date part is formatted once per second. */
    private void writeTime(long epochNanos) throws IOException {
        long sec = Math.floorDiv(epochNanos, 1_000_000_000L);
        if (sec != timeSecond) {
            String s = LocalDateTime.ofEpochSecond(sec, 0, ZoneOffset.UTC).toString(); // yyyy-MM-ddTHH:mm(:ss)
            if (s.length() == 16) {
                s += ":00";
            }
            s.getChars(0, 19, time, 0);
            time[19] = '.';
            time[29] = 'Z';
            timeSecond = sec;
        }
        long ns = Math.floorMod(epochNanos, 1_000_000_000L);
        for (int i = 28; i >= 20; i--) {
            time[i] = (char) ('0' + ns % 10);
            ns /= 10;
        }
        gen.writeString(time, 0, 30);
    }

    /** Flushes the generator's own buffer into the LineOutput. */
    public void flush() {
        try {
            gen.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Jackson writes here; the bytes land in LineOutput's buffer. */
    private static final class Adapter extends OutputStream {
        private final LineOutput out;

        Adapter(LineOutput out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            out.write(new byte[] {(byte) b}); // Jackson writes arrays; this is not on the hot path
        }

        @Override
        public void write(byte[] b, int off, int len) {
            out.write(b, off, len);
        }
    }
}
