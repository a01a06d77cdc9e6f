package dev.syscope.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 8 threads alternate getpid() and read() while `trace -o json` writes into a pipe read at 1 MB/s.
 * The traced threads must not wait for syscope, every call must be delivered, or counted in the
 * kernel as not streamed or lost, and syscope's memory must stay bounded.
 */
class StormIT {
    static final int THREADS = 8;
    static final int MILLIS = 3000;
    /** syscope's peak RSS under the storm: the JVM, libbpf and fixed buffers; nothing grows per event. */
    static final long RSS_BOUND_KIB = 400 * 1024;

    @BeforeEach
    void bpf() {
        KernelTests.requireBpf();
    }

    private record Calls(long getpid, long read) {
        long total() {
            return getpid + read;
        }
    }

    private record Run(Calls made, long delivered, long notStreamed, long lost, long peakRssKib, String stderr) {}

    private static Calls calls(Child child) throws Exception {
        String line = child.readLine();
        assertThat(line).startsWith("calls ");
        String[] f = line.split(" ");
        return new Calls(Long.parseLong(f[1]), Long.parseLong(f[2]));
    }

    private static Calls untraced() throws Exception {
        try (Child child = Child.start("storm", Integer.toString(THREADS), Integer.toString(MILLIS))) {
            child.release();
            Calls c = calls(child);
            child.awaitExit();
            return c;
        }
    }

    /** One storm under `trace`, its output read at {@code bytesPerSecond} (0: as fast as it comes). */
    private static Run traced(long bytesPerSecond, Path dir) throws Exception {
        try (Child child = Child.start("storm", Integer.toString(THREADS), Integer.toString(MILLIS))) {
            Path err = dir.resolve("err-" + bytesPerSecond);
            Process sc = new ProcessBuilder(SyscopeProcess.java(), "-jar", SyscopeProcess.jar().toString(), "trace",
                    "-e", "getpid,read", "-p", Integer.toString(child.pid()), "-o", "json", "-v")
                    .redirectError(err.toFile()).start();
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                boolean[] fast = {bytesPerSecond == 0};
                Thread reader = Thread.ofPlatform().start(() -> drain(sc.getInputStream(), out, bytesPerSecond, fast));
                KernelTests.awaitFileContains(err, "syscope: attach: ", 30);
                child.release();
                Calls made = calls(child);
                child.awaitExit();
                long rss = peakRssKib(sc.pid());
                KernelTests.signal(sc.pid(), "INT");
                synchronized (fast) {
                    fast[0] = true; // drain the rest at full speed
                }
                assertThat(sc.waitFor(60, TimeUnit.SECONDS)).isTrue();
                reader.join(60_000);
                long delivered = 0;
                long lost = 0;
                long notStreamed = 0;
                ObjectMapper json = new ObjectMapper();
                try (BufferedReader r = new BufferedReader(new InputStreamReader(
                        new ByteArrayInputStream(out.toByteArray()), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        JsonNode n = json.readTree(l);
                        String type = n.get("type").asText();
                        if (type.equals("lost")) {
                            lost += n.get("count").asLong();
                        } else if (type.equals("not_streamed")) {
                            assertThat(n.get("pid").asInt()).isEqualTo(child.pid());
                            notStreamed += n.get("count").asLong();
                        } else if (n.get("pid").asInt() == child.pid()) {
                            delivered++;
                        }
                    }
                }
                return new Run(made, delivered, notStreamed, lost, rss, Files.readString(err));
            } finally {
                sc.destroyForcibly();
            }
        }
    }

    private static void drain(InputStream in, ByteArrayOutputStream out, long bytesPerSecond, boolean[] fast) {
        byte[] buf = new byte[65536];
        long start = System.nanoTime();
        long total = 0;
        try {
            while (true) {
                boolean f;
                synchronized (fast) {
                    f = fast[0];
                }
                int n = in.read(buf, 0, f ? buf.length : 16384);
                if (n < 0) {
                    return;
                }
                out.write(buf, 0, n);
                total += n;
                if (!f) { // sleep until total bytes fit the rate
                    long due = start + total * 1_000_000_000L / bytesPerSecond;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            }
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    private static long peakRssKib(long pid) throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("VmHWM:")) {
                return Long.parseLong(l.replaceAll("\\D", ""));
            }
        }
        throw new AssertionError("no VmHWM for " + pid);
    }

    @Test
    void aSlowReaderNeverSlowsTheTracedThreadsAndEveryCallIsAccountedFor(@TempDir Path dir) throws Exception {
        Calls alone = untraced();
        Run fast = traced(0, dir);
        Run slow = traced(1_000_000, dir);
        String rates = String.format("calls in %d ms: untraced %d, traced + fast reader %d, traced + 1 MB/s reader %d",
                MILLIS, alone.total(), fast.made().total(), slow.made().total());
        System.out.printf("%s; not streamed: fast %d, slow %d; lost: fast %d, slow %d; peak RSS: fast %d KiB, slow %d KiB%n",
                rates, fast.notStreamed(), slow.notStreamed(), fast.lost(), slow.lost(),
                fast.peakRssKib(), slow.peakRssKib()); // in target/failsafe-reports/*StormIT-output.txt
        for (Run r : new Run[] {fast, slow}) {
            assertThat(r.delivered() + r.notStreamed() + r.lost()).as("delivered + not streamed + lost = made; " + rates)
                    .isEqualTo(r.made().total());
            assertThat(r.stderr()).contains("syscope: " + r.delivered() + " events, " + r.notStreamed()
                    + " not streamed (counted in the kernel), " + r.lost() + " lost");
            assertThat(r.peakRssKib()).as("peak RSS (KiB)").isLessThan(RSS_BOUND_KIB);
        }
        // --on-overload=aggregate (the default): what a 1 MB/s reader cannot take is counted in the kernel.
        assertThat(slow.notStreamed()).as("a 1 MB/s reader cannot keep up: the rest is counted").isPositive();
        // A producer that waited for the reader would make ~4000 calls a second; it must run at the
        // speed tracing allows (the fast-reader run), give or take the 2-CPU machine's noise.
        assertThat(slow.made().total()).as(rates).isGreaterThan(fast.made().total() / 2);
    }
}
