package dev.syscope.kernel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The packaged jar running as a separate process, its stdout and stderr collected line by line. */
public final class SyscopeProcess implements AutoCloseable {
    private final Process process;
    private final List<String> out = new CopyOnWriteArrayList<>();
    private final List<String> err = new CopyOnWriteArrayList<>();

    private SyscopeProcess(Process process) {
        this.process = process;
        collect(process.getInputStream(), out);
        collect(process.getErrorStream(), err);
    }

    public static Path jar() {
        String j = System.getenv("SYSCOPE_JAR");
        if (j == null) {
            throw new AssertionError("SYSCOPE_JAR is not set: run the *IT tests through `./mvnw verify`");
        }
        return Path.of(j);
    }

    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Starts {@code [prefix...] java -jar syscope.jar args...}. */
    public static SyscopeProcess start(List<String> prefix, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(java(), "-jar", jar().toString()));
        cmd.addAll(List.of(args));
        return new SyscopeProcess(new ProcessBuilder(cmd).start());
    }

    public static SyscopeProcess start(String... args) throws IOException {
        return start(List.of(), args);
    }

    private static void collect(java.io.InputStream in, List<String> into) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    into.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        t.setDaemon(true);
        t.start();
    }

    public int pid() {
        return (int) process.pid();
    }

    public List<String> out() {
        return out;
    }

    public List<String> err() {
        return err;
    }

    /** Waits until {@code count} stdout lines match, failing after {@code seconds}. */
    public void awaitOut(Predicate<String> match, int count, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (out.stream().filter(match).count() < count) {
            if (System.nanoTime() > deadline || !process.isAlive() && out.stream().filter(match).count() < count) {
                throw new AssertionError("expected " + count + " matching lines; stdout (last 20): "
                        + tail(out) + "; stderr: " + err + "; alive: " + process.isAlive());
            }
            Thread.sleep(20);
        }
    }

    /** Waits until a stderr line matches, failing after {@code seconds}. */
    public void awaitErr(Predicate<String> match, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (err.stream().noneMatch(match)) {
            if (System.nanoTime() > deadline || !process.isAlive() && err.stream().noneMatch(match)) {
                throw new AssertionError("expected a matching stderr line; stderr: " + err + "; alive: " + process.isAlive());
            }
            Thread.sleep(20);
        }
    }

    /** Waits for the attach, marked by the last header line. */
    public void awaitMonitoring() throws InterruptedException {
        awaitOut(l -> l.startsWith("Skipping self PID: "), 1, 30);
    }

    public void signal(String sig) throws IOException, InterruptedException {
        KernelTests.signal(process.pid(), sig);
    }

    /** Waits for exit and for the output readers to catch up; returns the exit code. */
    public int awaitExit(int seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("syscope did not exit within " + seconds + " s; stderr: " + err);
        }
        Thread.sleep(100); // let the collector threads read the last lines
        return process.exitValue();
    }

    private static List<String> tail(List<String> l) {
        return l.subList(Math.max(0, l.size() - 20), l.size());
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
