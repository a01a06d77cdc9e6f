package dev.syscope.bpf;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;

/** The reader on memory laid out as the kernel's ring buffer, with records that wrap around its end. */
class RingBufferReaderTest {
    private static final int PAGE = 4096;
    private static final int SIZE = 4096;

    private final Arena arena = Arena.ofAuto();
    private final MemorySegment consumer = arena.allocate(PAGE, PAGE);
    private final MemorySegment producerAndData = arena.allocate(PAGE + SIZE, PAGE);
    private final RingBufferReader reader = new RingBufferReader(consumer, producerAndData, PAGE, SIZE);
    private long producer;

    /** Writes a record of {@code len} bytes valued {@code fill} at the producer position, as the kernel does. */
    private void submit(int len, int fill, boolean discard) {
        MemorySegment data = producerAndData.asSlice(PAGE, SIZE);
        data.set(JAVA_INT, producer & (SIZE - 1), len | (discard ? 1 << 30 : 0));
        for (int i = 0; i < len; i++) {
            data.set(JAVA_BYTE, (producer + 8 + i) & (SIZE - 1), (byte) (fill + i));
        }
        producer += (len + 8 + 7) & ~7L;
        producerAndData.set(JAVA_LONG, 0, producer);
    }

    private List<byte[]> drain() {
        List<byte[]> got = new ArrayList<>();
        reader.drain((seg, off, len) -> got.add(seg.asSlice(off, len).toArray(JAVA_BYTE)));
        return got;
    }

    @Test
    void recordsThatWrapAroundTheEndArriveWhole() {
        for (int round = 0; round < 40; round++) { // 40 * 1000 bytes: the ring wraps at every offset class
            int len = 97 + round * 13 % 300;
            submit(len, round, false);
            submit(len + 1, round + 1, true);
            List<byte[]> got = drain();
            assertThat(got).hasSize(1);
            byte[] r = got.getFirst();
            assertThat(r).hasSize(len);
            for (int i = 0; i < len; i++) {
                assertThat(r[i]).isEqualTo((byte) (round + i));
            }
            assertThat(consumer.get(JAVA_LONG, 0)).isEqualTo(producer);
        }
    }

    @Test
    void aRecordWhoseHeaderEndsTheAreaStartsAtTheBeginning() {
        submit(SIZE - 16, 1, false); // ends 8 bytes before the end: the next header is the area's last word
        assertThat(drain()).hasSize(1);
        submit(24, 7, false);
        byte[] r = drain().getFirst();
        assertThat(r).containsExactly(7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30);
    }
}
