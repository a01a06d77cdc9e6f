package dev.syscope.kernel;

import dev.syscope.cli.Cli;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI in-process against the real kernel, with stdouts that fail the way real ones do. */
class SeedCommandKernelTest {

    @BeforeEach
    void bpf() {
        KernelTests.requireBpf();
    }

    /** A stdout whose every write fails with {@code message}, as the JDK reports errno. */
    private static OutputStream failing(String message) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException(message);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException(message);
            }
        };
    }

    private static String[] run(OutputStream stdout, int[] code) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        code[0] = Cli.run(new String[] {"--duration", "0.3"}, stdout,
                new PrintStream(err, true, StandardCharsets.UTF_8), false, new Cli.Stop());
        return err.toString(StandardCharsets.UTF_8).split("\n");
    }

    @Test
    void aClosedPipeStopsQuietlyWithTheCounts() {
        int[] code = {-1};
        String[] err = run(failing("Broken pipe"), code);
        assertThat(code[0]).isZero();
        assertThat(err).singleElement().asString().matches("syscope: \\d+ events received, \\d+ lost \\(output closed\\)");
    }

    @Test
    void anyOtherWriteErrorIsExit1WithTheCountsAndTheReason() {
        int[] code = {-1};
        String[] err = run(failing("No space left on device"), code);
        assertThat(code[0]).isEqualTo(1);
        assertThat(err).hasSize(2);
        assertThat(err[0]).matches("syscope: \\d+ events received, \\d+ lost");
        assertThat(err[1]).isEqualTo("syscope: cannot write output: No space left on device");
    }

    @Test
    void stopRequestEndsTheRunCleanly() throws Exception {
        Cli.Stop stop = new Cli.Stop();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread t = Thread.ofPlatform().start(() -> Cli.run(new String[0], out,
                new PrintStream(err, true, StandardCharsets.UTF_8), false, stop));
        Thread.sleep(1500);
        stop.request();
        t.join(10_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Loading eBPF program\nMonitoring sys_read and sys_write calls...\n");
        assertThat(err.toString(StandardCharsets.UTF_8)).matches("syscope: \\d+ events received, 0 lost\\n");
    }
}
