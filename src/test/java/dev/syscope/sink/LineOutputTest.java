package dev.syscope.sink;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class LineOutputTest {
    private static final byte[] LINE = "x\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void terminalOutputIsFlushedPerLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LineOutput out = new LineOutput(bytes, 1024, true);
        out.write(LINE);
        out.endLine();
        assertThat(bytes.size()).isEqualTo(2);
    }

    @Test
    void pipeOutputIsHeldUntilTheDelayPassesOrTheBufferFills() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LineOutput out = new LineOutput(bytes, 8, false);
        out.write(LINE);
        out.endLine();
        out.tick(System.nanoTime());
        assertThat(bytes.size()).as("not yet due").isZero();
        out.tick(System.nanoTime() + LineOutput.MAX_DELAY_NANOS);
        assertThat(bytes.size()).as("due").isEqualTo(2);
        for (int i = 0; i < 5; i++) {
            out.write(LINE);
            out.endLine();
        }
        assertThat(bytes.size()).as("a full buffer is written").isEqualTo(10);
    }

    @Test
    void decimalsAreUnsigned() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LineOutput out = new LineOutput(bytes, 64, false);
        out.writeUnsigned(0);
        out.write(LINE);
        out.writeUnsigned(-1);
        out.write(LINE);
        out.writeUnsigned(1000000);
        out.flush();
        assertThat(bytes.toString(StandardCharsets.US_ASCII)).isEqualTo("0x\n4294967295x\n1000000");
    }
}
