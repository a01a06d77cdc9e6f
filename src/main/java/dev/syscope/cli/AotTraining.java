package dev.syscope.cli;

import dev.syscope.Startup;
import dev.syscope.api.Syscope;
import dev.syscope.bpf.Native;
import dev.syscope.event.SeedEvent;
import dev.syscope.event.SeedEventLayout;
import dev.syscope.event.TraceEvent;
import dev.syscope.sink.LineOutput;
import dev.syscope.sink.SeedTextSink;
import dev.syscope.sink.TraceJsonSink;
import dev.syscope.sink.TraceRecords;
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
import static java.lang.foreign.ValueLayout.JAVA_INT;

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
            MemorySegment read = TraceRecords.record(arena, table, "read", 1, new long[] {3, 0x7ffd0000L, 1}, null, false);
            MemorySegment open = TraceRecords.record(arena, table, "openat", -2, new long[] {-100, 0x7ffd0000L, 0x80000},
                    "/etc/ld.so.preload", false);
            MemorySegment seedRecord = arena.allocate(SeedEventLayout.SIZE, 8);
            seedRecord.set(JAVA_INT, SeedEventLayout.LAYOUT.byteOffset(groupElement("pid")), 4242);
            for (int i = 0; i < RECORDS; i++) {
                MemorySegment r = (i & 7) == 0 ? open : read;
                view.wrap(r, 0, TraceRecords.length(r));
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
}
