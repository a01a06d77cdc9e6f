package dev.syscope.kernel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running syscall_child, stopped at its "ready" point until {@link #go()}.
 */
public final class Child implements AutoCloseable {
    private final Process process;
    private final int fd;

    private Child(Process process, int fd) {
        this.process = process;
        this.fd = fd;
    }

    /** Starts the child with {@code args} and waits until it is blocked before its calls. */
    public static Child start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(KernelTests.child().toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        String line = r.readLine();
        if (line == null || !line.startsWith("ready ")) {
            p.destroyForcibly();
            throw new IOException("syscall_child " + String.join(" ", args) + " did not get ready: " + line);
        }
        return new Child(p, Integer.parseInt(line.substring(6).trim()));
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
        OutputStream in = process.getOutputStream();
        in.write('g');
        in.flush();
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
