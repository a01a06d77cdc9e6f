package dev.syscope.sink;

import dev.syscope.api.TraceHandler;
import dev.syscope.syscalls.Arch;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WarmupTest {

    @Test
    void feedsTheSinkValidReadAndOpenatEvents() {
        List<String> seen = new ArrayList<>();
        TraceHandler counting = e -> seen.add(e.syscall().name() + " " + e.ret() + (e.hasPath() ? " path" : ""));
        Warmup.run(out -> counting, Arch.X86_64, 16);
        assertThat(seen).hasSize(16).containsOnly("openat 3 path", "read 1");
        assertThat(seen).filteredOn(s -> s.startsWith("openat")).hasSize(2);
    }

    @Test
    void aFailingSinkEndsTheWarmupThreadQuietly() throws InterruptedException {
        Thread t = Warmup.start(out -> e -> { throw new IllegalStateException("boom"); }, Arch.X86_64);
        t.join(10_000);
        assertThat(t.isAlive()).isFalse();
    }
}
