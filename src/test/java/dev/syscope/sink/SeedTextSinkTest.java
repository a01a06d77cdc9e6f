package dev.syscope.sink;

import dev.syscope.event.SeedEvent;
import dev.syscope.event.SeedEventLayout;
import dev.syscope.syscalls.Arch;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;

class SeedTextSinkTest {

    private static MemorySegment event(Arena a, int pid, int nr) {
        MemorySegment m = a.allocate(SeedEventLayout.LAYOUT);
        m.set(JAVA_INT, SeedEventLayout.LAYOUT.byteOffset(groupElement("pid")), pid);
        m.set(JAVA_INT, SeedEventLayout.LAYOUT.byteOffset(groupElement("syscall_nr")), nr);
        return m;
    }

    @Test
    void printsTheSeedsLinesExactly() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LineOutput out = new LineOutput(bytes, 1 << 16, false);
        Arch arch = Arch.current();
        SeedTextSink sink = new SeedTextSink(out, arch);
        sink.loading();
        sink.monitoring(12345);
        SeedEvent view = new SeedEvent();
        try (Arena a = Arena.ofConfined()) {
            view.wrap(event(a, 45678, arch.syscallNr("read")), 0, (int) SeedEventLayout.SIZE);
            sink.onEvent(view);
            view.wrap(event(a, 78901, arch.syscallNr("write")), 0, (int) SeedEventLayout.SIZE);
            sink.onEvent(view);
            view.wrap(event(a, Integer.MAX_VALUE, 9999), 0, (int) SeedEventLayout.SIZE);
            sink.onEvent(view);
        }
        out.flush();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("""
                Loading eBPF program
                Monitoring sys_read and sys_write calls...
                Host PID: 12345
                Skipping self PID: 12345
                45678 - hello sys_read was called
                78901 - hello sys_write was called
                2147483647 - hello sys_9999 was called
                """);
    }

    @Test
    void shortRecordsAreRejectedByTheView() {
        try (Arena a = Arena.ofConfined()) {
            assertThat(new SeedEvent().wrap(a.allocate(64), 0, (int) SeedEventLayout.SIZE - 1)).isFalse();
        }
    }
}
