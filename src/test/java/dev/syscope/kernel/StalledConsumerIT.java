package dev.syscope.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reader of syscope's output stops for 10 s (SIGSTOP) while a child makes 2M traced syscalls:
 * syscope keeps running, the kernel drops what does not fit and syscope reports it, and once the
 * reader resumes every event of a later child arrives.
 */
class StalledConsumerIT {

    @BeforeEach
    void bpf() {
        KernelTests.requireBpf();
    }

    @Test
    void aStoppedReaderLosesEventsCountedThenRecovers(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("out.fifo");
        Path out = dir.resolve("out.jsonl");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        Process reader = new ProcessBuilder("cat", fifo.toString()).redirectOutput(out.toFile()).start();
        Process syscope = new ProcessBuilder(SyscopeProcess.java(), "-jar", SyscopeProcess.jar().toString(), "trace",
                "-e", "getpid", "-c", "syscall_child", "-o", "json", "--buffer-size", "256K", "-v")
                .redirectOutput(fifo.toFile()).redirectError(dir.resolve("err").toFile()).start();
        try {
            KernelTests.awaitFileContains(dir.resolve("err"), "syscope: attach: ", 30);
            KernelTests.signal(reader.pid(), "STOP");
            long stopped = System.nanoTime();
            int burstPid;
            try (Child burst = Child.start("getpid", "2000000")) {
                burstPid = burst.pid();
                burst.go();
            }
            Thread.sleep(Math.max(0, TimeUnit.SECONDS.toMillis(10) - (System.nanoTime() - stopped) / 1_000_000));
            assertThat(syscope.isAlive()).as("syscope survives a stalled reader").isTrue();
            KernelTests.signal(reader.pid(), "CONT");
            Thread.sleep(2000); // the backlog drains
            int laterPid;
            try (Child later = Child.start("getpid", "1000")) {
                laterPid = later.pid();
                later.go();
            }
            Thread.sleep(1000);
            KernelTests.signal(syscope.pid(), "INT");
            assertThat(syscope.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(syscope.exitValue()).isEqualTo(130);
            assertThat(reader.waitFor(10, TimeUnit.SECONDS)).isTrue();

            ObjectMapper json = new ObjectMapper();
            long burst = 0;
            long after = 0;
            long lost = 0;
            long notStreamed = 0;
            List<String> lines = Files.readAllLines(out);
            for (String l : lines) {
                JsonNode n = json.readTree(l);
                String type = n.get("type").asText();
                if (type.equals("lost")) {
                    lost += n.get("count").asLong();
                } else if (type.equals("not_streamed")) {
                    assertThat(n.get("pid").asInt()).isEqualTo(burstPid);
                    notStreamed += n.get("count").asLong();
                } else if (n.get("pid").asInt() == burstPid) {
                    burst++;
                } else if (n.get("pid").asInt() == laterPid) {
                    after++;
                }
            }
            String err = Files.readString(dir.resolve("err"));
            // --on-overload=aggregate (the default): what the ring could not take is counted in the kernel.
            assertThat(notStreamed).as("calls not streamed, reported in the output").isPositive();
            assertThat(burst + notStreamed + lost).as("the burst: delivered + not streamed + lost = made").isEqualTo(2_000_000);
            assertThat(after).as("after the reader resumed, everything is streamed").isEqualTo(1000);
            assertThat(err).contains(", " + notStreamed + " not streamed (counted in the kernel), " + lost + " lost");
        } finally {
            syscope.destroyForcibly();
            reader.destroyForcibly();
        }
    }
}
