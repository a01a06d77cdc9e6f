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

/**
 * The reader on memory laid out as the kernel's ring buffer: records that wrap around the data
 * area's end, and a window that moves through an area larger than it. The data area is doubled,
 * each write landing in both copies, as the kernel's mapping shows it.
 */
class RingBufferReaderTest {
    private static final int PAGE = 4096;

    private final Arena arena = Arena.ofAuto();
    private final MemorySegment consumer = arena.allocate(PAGE, PAGE);
    private final MemorySegment producerPage = arena.allocate(PAGE, PAGE);
    private long producer;

    /** A ring of {@code size} bytes and its reader, whose mapper checks what the kernel checks. */
    private final class Ring {
        final long size;
        final MemorySegment doubled;
        final List<long[]> maps = new ArrayList<>();
        int mapped;
        final RingBufferReader reader;

        Ring(long size) {
            this.size = size;
            this.doubled = arena.allocate(2 * size, PAGE);
            this.reader = new RingBufferReader(consumer, producerPage, new RingBufferReader.DataMapper() {
                @Override
                public MemorySegment map(long offset, long length) {
                    assertThat(offset % PAGE).isZero();
                    assertThat(length % PAGE).isZero();
                    assertThat(offset + length).isLessThanOrEqualTo(2 * size);
                    assertThat(mapped).as("one window at a time").isZero();
                    mapped++;
                    maps.add(new long[] {offset, length});
                    return doubled.asSlice(offset, length);
                }

                @Override
                public void unmap(MemorySegment window) {
                    mapped--;
                }
            }, PAGE, size);
        }

        /** Writes a record of {@code len} bytes valued {@code fill + i} at the producer position, in both copies. */
        void submit(int len, int fill, boolean discard) {
            put(producer, JAVA_INT.byteSize(), len | (discard ? 1 << 30 : 0));
            for (int i = 0; i < len; i++) {
                put(producer + 8 + i, 1, fill + i);
            }
            producer += (len + 8 + 7) & ~7L;
            producerPage.set(JAVA_LONG, 0, producer);
        }

        private void put(long pos, long width, int value) {
            for (long copy = 0; copy < 2 * size; copy += size) {
                long at = (pos & (size - 1)) + copy;
                if (width == 1) {
                    doubled.set(JAVA_BYTE, at, (byte) value);
                } else if (at + width <= 2 * size) {
                    doubled.set(JAVA_INT, at, value);
                }
            }
        }

        List<byte[]> drain() {
            List<byte[]> got = new ArrayList<>();
            reader.drain((seg, off, len) -> got.add(seg.asSlice(off, len).toArray(JAVA_BYTE)));
            assertThat(consumer.get(JAVA_LONG, 0)).isEqualTo(producer);
            return got;
        }
    }

    private static void assertRecord(byte[] r, int len, int fill) {
        assertThat(r).hasSize(len);
        for (int i = 0; i < len; i++) {
            assertThat(r[i]).isEqualTo((byte) (fill + i));
        }
    }

    @Test
    void recordsThatWrapAroundTheEndArriveWhole() {
        Ring ring = new Ring(PAGE);
        for (int round = 0; round < 40; round++) { // 40 * 1000 bytes: the ring wraps at every offset class
            int len = 97 + round * 13 % 300;
            ring.submit(len, round, false);
            ring.submit(len + 1, round + 1, true);
            List<byte[]> got = ring.drain();
            assertThat(got).hasSize(1);
            assertRecord(got.getFirst(), len, round);
        }
    }

    @Test
    void aRecordWhoseHeaderEndsTheAreaStartsAtTheBeginning() {
        Ring ring = new Ring(PAGE);
        ring.submit(PAGE - 16, 1, false); // ends 8 bytes before the end: the next header is the area's last word
        assertThat(ring.drain()).hasSize(1);
        ring.submit(24, 7, false);
        assertRecord(ring.drain().getFirst(), 24, 7);
    }

    @Test
    void theWindowMovesThroughALargerAreaAndMapsAtMostItsSizeAndAPage() {
        long size = 4 * RingBufferReader.WINDOW;
        Ring ring = new Ring(size);
        long total = 0;
        int records = 0;
        for (int batch = 0; batch < 400; batch++) { // 400 batches of ~29 KiB: 11 MiB, the area wraps twice
            List<int[]> sent = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                int len = 33 + (batch * 100 + i) * 7 % 500;
                ring.submit(len, batch + i, false);
                sent.add(new int[] {len, batch + i});
                total += (len + 8 + 7) & ~7L;
            }
            List<byte[]> got = ring.drain();
            assertThat(got).hasSize(sent.size());
            for (int i = 0; i < got.size(); i++) {
                assertRecord(got.get(i), sent.get(i)[0], sent.get(i)[1]);
            }
            records += got.size();
        }
        assertThat(records).isEqualTo(40_000);
        assertThat(ring.maps).allSatisfy(m -> assertThat(m[1]).isEqualTo(RingBufferReader.WINDOW + PAGE));
        // One window per WINDOW bytes read, give or take the page a move starts back.
        assertThat((long) ring.maps.size()).isBetween(total / RingBufferReader.WINDOW, total / (RingBufferReader.WINDOW - PAGE) + 1);
        ring.reader.close();
        assertThat(ring.mapped).isZero();
    }
}
