package dev.syscope.probe;

import dev.syscope.api.BufferKind;
import dev.syscope.api.Syscope;
import dev.syscope.api.SyscopeException;
import dev.syscope.bpf.BpfException;
import dev.syscope.bpf.BpfObject;
import dev.syscope.bpf.Errno;
import dev.syscope.bpf.LibbpfLog;
import dev.syscope.bpf.Native;
import dev.syscope.syscalls.Arch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/** What every probe does the same way: environment checks, the embedded objects, load, errors. */
final class Loader {
    private Loader() {}

    private static final Pattern PROG_FAILED = Pattern.compile("prog '([^']+)': failed to load");
    private static volatile String lastFailedProgram;

    /** libbpf present, privileges held, libbpf's log routed to {@code log} (warnings only for {@link Syscope#NO_LOG}). */
    static void requireEnvironment(Consumer<String> log) {
        if (!Native.libbpfAvailable()) {
            throw new SyscopeException("cannot load " + Native.LIBBPF
                    + ": install libbpf >= 1.1 (Debian/Ubuntu: apt-get install libbpf1)");
        }
        Privileges.require();
        LibbpfLog.route((level, msg) -> {
            Matcher m = PROG_FAILED.matcher(msg);
            if (m.find()) {
                lastFailedProgram = m.group(1);
            }
            log.accept(msg); // libbpf prefixes its own "libbpf: "
        }, log == Syscope.NO_LOG ? LibbpfLog.Level.WARN : LibbpfLog.Level.DEBUG);
    }

    /** The committed BPF object {@code mode.arch.bpf.o} (see scripts/gen-bpf.sh) from the jar. */
    static byte[] objectBytes(String mode, Arch arch) {
        String res = "/dev/syscope/bpf/" + mode + "." + arch.bpfTarget() + ".bpf.o";
        try (InputStream in = Loader.class.getResourceAsStream(res)) {
            if (in == null) {
                throw new SyscopeException("BPF object " + res + " is missing from the jar; rebuild with ./mvnw package");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The ring buffer where the kernel has it (>= 5.8), else the perf buffer, which every kernel has. */
    static BufferKind buffer(BufferKind requested, boolean ringSupported, Consumer<String> log) {
        if (requested == BufferKind.RING && !ringSupported) {
            log.accept("buffer: this kernel has no BPF ring buffer (Linux < 5.8); falling back to the perf buffer");
            return BufferKind.PERF;
        }
        return requested;
    }

    /**
     * Loads. The capabilities were checked before, so EACCES means the verifier rejected a
     * program (say which, and where its log is); EPERM is still a permission problem.
     */
    static void load(BpfObject obj) {
        lastFailedProgram = null;
        try {
            obj.load();
        } catch (BpfException e) {
            if (e.errno() == Errno.EACCES) {
                String prog = lastFailedProgram;
                throw new SyscopeException("the kernel's verifier rejected BPF program " + (prog != null ? prog : "(unknown)")
                        + " (EACCES) on Linux " + System.getProperty("os.version")
                        + "; run with -v for the verifier's log, and please report it", e.errno(), e);
            }
            if (e.errno() == Errno.EPERM) {
                throw new SyscopeException.PermissionDenied(e.getMessage(), e.errno(), e);
            }
            throw e;
        }
    }

    /** Writes self-exclusion into a config struct at {@code cfg} with the given field offsets. */
    static void writeSelf(MemorySegment m, long cfg, Self self, long tgidOff, long devOff, long inoOff, long nsTgidOff) {
        if (self.inInitialPidNamespace()) {
            m.set(JAVA_INT_UNALIGNED, cfg + tgidOff, self.pid());
        } else {
            m.set(JAVA_LONG_UNALIGNED, cfg + devOff, self.pidnsDev());
            m.set(JAVA_LONG_UNALIGNED, cfg + inoOff, self.pidnsIno());
            m.set(JAVA_INT_UNALIGNED, cfg + nsTgidOff, self.pid());
        }
    }

    /** A libbpf failure as the SyscopeException that says what to do. */
    static SyscopeException translate(RuntimeException e, boolean usesTracefs) {
        if (e instanceof SyscopeException se) {
            return se;
        }
        if (e instanceof BpfException be) {
            String msg = be.getMessage();
            if (be.errno() == Errno.ENOENT && usesTracefs && !KernelFeatures.tracefsMounted()) {
                msg += "; tracefs is not mounted: mount -t tracefs tracefs /sys/kernel/tracing";
            } else if (be.errno() == Errno.EPERM || be.errno() == Errno.EACCES) {
                return new SyscopeException.PermissionDenied(msg, be.errno(), be);
            }
            return new SyscopeException(msg, be.errno(), be);
        }
        throw e;
    }
}
