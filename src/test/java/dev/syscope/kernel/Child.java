package dev.syscope.kernel;

import dev.syscope.api.Syscope;
import dev.syscope.syscalls.SyscallTable;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running syscall_child, stopped at its "ready" point until {@link #go()}.
 */
public final class Child implements AutoCloseable {
    private final Process process;
    private final BufferedReader stdout;
    private final int fd;

    private Child(Process process, BufferedReader stdout, int fd) {
        this.process = process;
        this.stdout = stdout;
        this.fd = fd;
    }

    /** Starts the child with {@code args} and waits until it is blocked before its calls. */
    public static Child start(String... args) throws IOException {
        return startAs(List.of(KernelTests.child().toString()), args);
    }

    /**
     * Starts {@code command} (a prefix such as setpriv, then the child binary or a copy of it)
     * with {@code args}, and waits until it is blocked before its calls.
     */
    public static Child startAs(List<String> command, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        String line = r.readLine();
        if (line == null || !line.startsWith("ready ")) {
            p.destroyForcibly();
            throw new IOException("syscall_child " + String.join(" ", args) + " did not get ready: " + line);
        }
        awaitBlockedInRead(p);
        return new Child(p, r, Integer.parseInt(line.substring(6).trim()));
    }

    /**
     * Waits until the child is blocked in read(0) (its /proc/PID/syscall names read and fd 0): it
     * prints "ready" first, so without this a tracer opened meanwhile could see that read, or, with
     * the perf buffer not yet set up, count it as lost.
     */
    private static void awaitBlockedInRead(Process p) throws IOException {
        String blocked = SyscallTable.of(Syscope.arch()).byName("read").nr() + " 0x0 ";
        Path f = Path.of("/proc", Long.toString(p.pid()), "syscall");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.readString(f).startsWith(blocked)) {
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IOException("syscall_child did not block in read(0): " + Files.readString(f).trim());
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    public int pid() {
        return (int) process.pid();
    }

    /** The fd the child reads or writes. */
    public int fd() {
        return fd;
    }

    /** Lets the child make its calls and waits for it to exit 0. */
    public void go() throws IOException, InterruptedException {
        release();
        awaitExit();
    }

    /** Sends the byte the child waits for, without waiting. */
    public void release() throws IOException {
        OutputStream in = process.getOutputStream();
        in.write('g');
        in.flush();
    }

    /** The child's next stdout line. */
    public String readLine() throws IOException {
        return stdout.readLine();
    }

    /** Waits for the child to exit 0. */
    public void awaitExit() throws InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("syscall_child did not finish");
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("syscall_child exited " + process.exitValue());
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
