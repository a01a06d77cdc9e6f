package dev.syscope.cli;

import dev.syscope.Startup;
import dev.syscope.api.Syscope;
import dev.syscope.bpf.Native;
import dev.syscope.event.SeedEvent;
import dev.syscope.event.SeedEventLayout;
import dev.syscope.event.TraceEvent;
import dev.syscope.event.TraceEventLayout;
import dev.syscope.sink.LineOutput;
import dev.syscope.sink.SeedTextSink;
import dev.syscope.sink.TraceJsonSink;
import dev.syscope.sink.TraceTextSink;
import dev.syscope.syscalls.Arch;
import dev.syscope.syscalls.SyscallTable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The training run of syscope's AOT cache (JDK 25, JEP 483/514/515), which the build makes with
 * {@code java -XX:AOTCacheOutput=target/syscope.aot -cp target/syscope.jar dev.syscope.cli.AotTraining target/syscope.aot}.
 * The classes it loads and the profiles it gathers are what the cache holds. It needs neither root
 * nor BPF: it parses typical command lines, links every native function, and feeds synthetic
 * records through the decoders and sinks. The commands that need BPF trace for a moment where
 * they can (root), and otherwise stop at the privilege check. It writes {@code CACHE.jvm}: the JVM
 * the cache belongs to, which the launcher compares with the one it runs.
 */
public final class AotTraining {
    private static final int RECORDS = 200_000;

    private AotTraining() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: AotTraining CACHE");
            System.exit(2);
        }
        String[][] commandLines = {
            {"--help"}, {"--version"}, {"trace", "--help"}, {"stats", "--help"}, {"list"}, {"list", "%file"},
            {"trace", "-e", "opnat"}, {"--pid", "0"},
            {"--duration", "0.1"},
            {"trace", "-e", "read", "--duration", "0.1"},
            {"trace", "-e", "read,openat", "-o", "json", "--duration", "0.1"},
            {"trace", "-e", "read", "--attach", "raw", "--duration", "0.1"},
            {"stats", "-e", "read", "--duration", "0.1"},
        };
        for (String[] line : commandLines) {
            Cli.run(line, OutputStream.nullOutputStream(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    false, new Cli.Stop());
        }
        Native.linkAll();
        sinks();
        Startup.line("training"); // bench/startup.sh's marks, which are not on at training
        Files.writeString(Path.of(args[0] + ".jvm"), jvm() + "\n");
    }

    /** The JVM as the launcher identifies it: its home (real path) and runtime version. */
    static String jvm() {
        try {
            return Path.of(System.getProperty("java.home")).toRealPath() + " " + System.getProperty("java.runtime.version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Synthetic ring records of read (short) and openat (with a path) through the trace and seed sinks. */
    private static void sinks() {
        Arch arch = Syscope.arch();
        SyscallTable table = SyscallTable.of(arch);
        LineOutput out = new LineOutput(OutputStream.nullOutputStream(), 1 << 16, false);
        TraceJsonSink json = new TraceJsonSink(out, arch);
        TraceTextSink text = new TraceTextSink(out, arch, ZoneId.systemDefault(), 0);
        SeedTextSink seed = new SeedTextSink(out, arch);
        TraceEvent view = new TraceEvent(table, 0);
        SeedEvent seedView = new SeedEvent();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment read = traceRecord(arena, table.byName("read").nr(), 1, null);
            MemorySegment open = traceRecord(arena, table.byName("openat").nr(), -2, "/etc/ld.so.preload");
            MemorySegment seedRecord = arena.allocate(SeedEventLayout.SIZE, 8);
            seedRecord.set(JAVA_INT, SeedEventLayout.LAYOUT.byteOffset(groupElement("pid")), 4242);
            for (int i = 0; i < RECORDS; i++) {
                MemorySegment r = (i & 7) == 0 ? open : read;
                view.wrap(r, 0, (int) r.byteSize());
                json.onEvent(view);
                text.onEvent(view);
                seedView.wrap(seedRecord, 0, (int) SeedEventLayout.SIZE);
                seed.onEvent(seedView);
            }
            json.lost(1, 0);
            json.flush();
            out.flush();
        }
    }

    private static MemorySegment traceRecord(Arena arena, int nr, long ret, String path) {
        MemorySegment m = arena.allocate(TraceEventLayout.SIZE + (path != null ? TraceEventLayout.PATH_MAX : 0), 8);
        m.set(JAVA_LONG, offset("ts_ns"), 1_000_123_456_789L);
        m.set(JAVA_LONG, offset("latency_ns"), 12_345);
        m.set(JAVA_LONG, offset("args"), path != null ? -100 : 3);
        m.set(JAVA_LONG, offset("args") + 8, 0x7ffd0000L);
        m.set(JAVA_LONG, offset("args") + 16, path != null ? 0x80000 : 1);
        m.set(JAVA_LONG, offset("ret"), ret);
        m.set(JAVA_INT, offset("pid"), 1234);
        m.set(JAVA_INT, offset("tid"), 1235);
        m.set(JAVA_INT, offset("syscall_nr"), nr);
        byte[] comm = "training".getBytes(StandardCharsets.UTF_8);
        MemorySegment.copy(comm, 0, m, JAVA_BYTE, offset("comm"), comm.length);
        if (path != null) {
            byte[] p = path.getBytes(StandardCharsets.UTF_8);
            MemorySegment.copy(p, 0, m, JAVA_BYTE, TraceEventLayout.SIZE, p.length);
            m.set(JAVA_INT, offset("path_len"), p.length + 1);
            m.set(JAVA_INT, offset("flags"), TraceEventLayout.EV_PATH);
        }
        return m;
    }

    private static long offset(String field) {
        return TraceEventLayout.LAYOUT.byteOffset(groupElement(field));
    }
}
