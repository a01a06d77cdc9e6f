package dev.syscope.kernel;

import dev.syscope.bpf.KernelObjects;
import org.opentest4j.TestAbortedException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Support for tests that load real BPF programs. Outside CI a machine without BPF privileges skips
 * them with the reason; with CI=true they fail instead, because CI runs as root on a real kernel.
 */
public final class KernelTests {
    private KernelTests() {}

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Fails (CI) or skips (elsewhere) unless this process can load BPF programs. */
    public static void requireBpf() {
        String why = missing();
        require(why == null, "BPF tests must run in CI, but " + why, "BPF tests need root on a BPF-capable kernel: " + why);
    }

    /** Fails (CI) or skips (elsewhere) with {@code why} unless {@code ok}. */
    private static void require(boolean ok, String inCi, String elsewhere) {
        if (ok) {
            return;
        }
        if (inCi()) {
            throw new AssertionError(inCi);
        }
        throw new TestAbortedException(elsewhere);
    }

    /** Fails (CI) or skips (elsewhere) with {@code why} unless the kernel or host offers what a test needs. */
    public static void requireHost(boolean ok, String why) {
        require(ok, "kernel tests must run in CI, but " + why, why);
    }

    /** Fails (CI) or skips (elsewhere) unless {@code command} is on the PATH; scripts/test.sh installs it. */
    public static void requireCommand(String command, String debianPackage) {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            found |= Files.isExecutable(Path.of(dir, command));
        }
        String why = command + " is not installed (apt-get install " + debianPackage + ", or run scripts/test.sh)";
        require(found, why, why);
    }

    /** Fails (CI) or skips (elsewhere) unless {@code file} exists; scripts/test.sh installs its package. */
    public static void requireFile(Path file, String debianPackage) {
        String why = file + " is not installed (apt-get install " + debianPackage + ", or run scripts/test.sh)";
        require(Files.isRegularFile(file), why, why);
    }

    /** This node's name as syscope keys its Kafka records: $NODE_NAME, else the host name. */
    public static String hostName() throws IOException {
        String n = System.getenv("NODE_NAME");
        return n != null && !n.isBlank() ? n.trim() : Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
    }

    /** Sends SIG{@code signal} (TERM, INT, KILL, STOP, CONT…) to {@code pid}. */
    public static void signal(long pid, String signal) throws IOException, InterruptedException {
        if (new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor() != 0) {
            throw new AssertionError("kill -" + signal + " " + pid + " failed");
        }
    }

    /** Waits until {@code file} contains {@code text}, failing after {@code seconds}. */
    public static void awaitFileContains(Path file, String text, int seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!Files.exists(file) || !Files.readString(file).contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' in " + file + " after " + seconds + " s");
            }
            Thread.sleep(20);
        }
    }

    private static String missing() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "not running as root (user " + System.getProperty("user.name") + ")";
        }
        if (!Files.exists(Path.of("/sys/kernel/btf/vmlinux"))) {
            return "the kernel has no BTF (/sys/kernel/btf/vmlinux)";
        }
        if (!Files.isDirectory(Path.of("/sys/kernel/tracing/events/syscalls"))) {
            return "tracefs is not mounted with syscall events at /sys/kernel/tracing (mount -t tracefs tracefs /sys/kernel/tracing)";
        }
        return null;
    }

    /**
     * The BPF programs, maps and links that process {@code pid}'s file descriptors hold, as
     * "prog:ID", "map:ID" and "link:ID" (from /proc/PID/fdinfo). Only that process's objects: other
     * tracers on the host, syscope included, cannot disturb a test built on this.
     */
    public static Set<String> heldBy(long pid) {
        Set<String> out = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fdinfo"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                List<String> lines;
                try {
                    lines = Files.readAllLines(fd);
                } catch (IOException closedMeanwhile) {
                    continue;
                }
                for (String l : lines) {
                    for (String kind : List.of("prog", "map", "link")) {
                        if (l.startsWith(kind + "_id:")) {
                            out.add(kind + ":" + l.substring(kind.length() + 4).strip());
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the fds of process " + pid, e);
        }
        return out;
    }

    /** {@link #heldBy} this JVM. */
    public static Set<String> heldBySelf() {
        return heldBy(ProcessHandle.current().pid());
    }

    /** The BPF objects that exist in the kernel now, as {@link #heldBy} names them. */
    private static Set<String> existing() {
        return Stream.of(KernelObjects.programs(), KernelObjects.maps(), KernelObjects.links())
                .flatMap(List::stream)
                .map(o -> o.kind() + ":" + o.id())
                .collect(Collectors.toSet());
    }

    /**
     * Waits up to 5 s (the kernel frees objects after an RCU grace period) until none of
     * {@code objects} exists any more; kernel ids are not reused soon, so an id that is still
     * there is the same object.
     */
    public static void assertGone(Set<String> objects) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        Set<String> left = left(objects);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            left = left(objects);
        }
        org.assertj.core.api.Assertions.assertThat(left).as("syscope's BPF programs, maps and links left behind").isEmpty();
    }

    private static Set<String> left(Set<String> objects) {
        Set<String> now = existing();
        now.retainAll(objects);
        return now;
    }

    /** The objects this JVM holds beyond {@code before}: what a session opened since then holds. */
    public static Set<String> heldSince(Set<String> before) {
        Set<String> now = heldBySelf();
        now.removeAll(before);
        return now;
    }

    /**
     * The C child (src/test/c/syscall_child.c), compiled once per build into target/. Static: no
     * dynamic loader reads or opens libraries after exec, so its syscalls after exec are exactly its own.
     */
    public static synchronized Path child() {
        Path bin = Path.of("target", "syscall_child");
        Path src = Path.of("src", "test", "c", "syscall_child.c");
        try {
            if (Files.exists(bin) && Files.getLastModifiedTime(bin).compareTo(Files.getLastModifiedTime(src)) >= 0) {
                return bin.toAbsolutePath();
            }
            Process cc = new ProcessBuilder(List.of("cc", "-O2", "-Wall", "-Werror", "-pthread", "-static", "-o", bin.toString(), src.toString()))
                    .redirectErrorStream(true).start();
            String out = new String(cc.getInputStream().readAllBytes());
            if (cc.waitFor() != 0) {
                throw new AssertionError("compiling " + src + " failed:\n" + out);
            }
            return bin.toAbsolutePath();
        } catch (IOException e) {
            throw new AssertionError("compiling " + src + " needs a C compiler (apt-get install gcc): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
