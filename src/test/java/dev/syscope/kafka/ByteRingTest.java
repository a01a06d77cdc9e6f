package dev.syscope.kafka;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ByteRingTest {
    private record Rec(byte[] bytes, int tag) {}

    private static List<Rec> pollAll(ByteRing r) {
        List<Rec> out = new ArrayList<>();
        r.poll((buf, off, len, tag) -> out.add(new Rec(java.util.Arrays.copyOfRange(buf, off, off + len), tag)), Integer.MAX_VALUE);
        return out;
    }

    @Test
    void recordsComeOutInOrderWithTheirTagsAcrossTheEnd() {
        ByteRing r = new ByteRing(256);
        int next = 0;
        for (int round = 0; round < 50; round++) { // 50 rounds of 3 records cross the end many times
            for (int i = 0; i < 3; i++) {
                byte[] b = new byte[13 + i * 10];
                java.util.Arrays.fill(b, (byte) (next + i));
                assertThat(r.offer(b, 0, b.length, next + i)).isTrue();
            }
            List<Rec> got = pollAll(r);
            assertThat(got).hasSize(3);
            for (int i = 0; i < 3; i++) {
                assertThat(got.get(i).tag()).isEqualTo(next + i);
                assertThat(got.get(i).bytes()).hasSize(13 + i * 10).containsOnly((byte) (next + i));
            }
            next += 3;
            assertThat(r.isEmpty()).isTrue();
            assertThat(r.usedBytes()).isZero();
        }
    }

    @Test
    void aFullRingRefusesWithoutWritingAndTakesAgainOnceRead() {
        ByteRing r = new ByteRing(128);
        byte[] b = new byte[24]; // 32 bytes with its header
        for (int i = 0; i < 4; i++) {
            assertThat(r.offer(b, 0, b.length, i)).isTrue();
        }
        assertThat(r.hasRoom(1)).isFalse();
        assertThat(r.offer(b, 0, 1, 99)).isFalse();
        assertThat(r.poll((buf, off, len, tag) -> tag == 0, 1)).isEqualTo(1);
        assertThat(r.offer(b, 0, b.length, 4)).isTrue();
        assertThat(pollAll(r)).extracting(Rec::tag).containsExactly(1, 2, 3, 4);
    }

    @Test
    void aReaderThatSaysStopEndsThePollAfterThatRecord() {
        ByteRing r = new ByteRing(256);
        for (int i = 0; i < 5; i++) {
            assertThat(r.offer(new byte[8], 0, 8, i)).isTrue();
        }
        List<Integer> seen = new ArrayList<>();
        assertThat(r.poll((buf, off, len, tag) -> seen.add(tag) && tag < 2, 10)).isEqualTo(3);
        assertThat(seen).containsExactly(0, 1, 2);
        assertThat(pollAll(r)).extracting(Rec::tag).containsExactly(3, 4);
    }

    @Test
    void oversizedRecordsAndBadCapacitiesAreRefused() {
        ByteRing r = new ByteRing(128);
        assertThat(r.maxRecord()).isEqualTo(56);
        assertThat(r.offer(new byte[57], 0, 57, 0)).isFalse();
        assertThat(r.offer(new byte[56], 0, 56, 0)).isTrue();
        assertThatThrownBy(() -> new ByteRing(100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ByteRing(32)).isInstanceOf(IllegalArgumentException.class);
    }

    /** One producer and one consumer thread: every record arrives once, whole and in order. */
    @Test
    void twoThreadsExchangeAMillionRecordsIntact() throws Exception {
        ByteRing r = new ByteRing(1 << 14);
        int n = 1_000_000;
        long[] sumSeen = {0};
        int[] expected = {0};
        Thread consumer = Thread.ofPlatform().start(() -> {
            while (expected[0] < n) {
                r.poll((buf, off, len, tag) -> {
                    if (tag != expected[0]) {
                        throw new AssertionError("record " + tag + " where " + expected[0] + " was due");
                    }
                    int seq = ByteBuffer.wrap(buf, off, 4).getInt();
                    if (seq != tag || len != 4 + tag % 200) {
                        throw new AssertionError("record " + tag + " is damaged: seq " + seq + ", length " + len);
                    }
                    for (int i = 4; i < len; i++) {
                        sumSeen[0] += buf[off + i];
                    }
                    expected[0]++;
                    return true;
                }, 64);
            }
        });
        SplittableRandom rnd = new SplittableRandom(7);
        long sumSent = 0;
        byte[] b = new byte[4 + 200];
        for (int i = 0; i < n; i++) {
            int len = 4 + i % 200;
            ByteBuffer.wrap(b).putInt(i);
            for (int k = 4; k < len; k++) {
                b[k] = (byte) rnd.nextInt(100);
                sumSent += b[k];
            }
            while (!r.offer(b, 0, len, i)) {
                assertThat(consumer.isAlive()).as("the consumer failed").isTrue();
                Thread.onSpinWait();
            }
        }
        consumer.join(60_000);
        assertThat(consumer.isAlive()).isFalse();
        assertThat(expected[0]).isEqualTo(n);
        assertThat(sumSeen[0]).isEqualTo(sumSent);
    }
}
