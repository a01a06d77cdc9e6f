package dev.syscope.sink;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class ByteLineTest {

    private static String decimal(long v) {
        byte[] b = new byte[30];
        int end = ByteLine.putDecimal(b, 3, v);
        return new String(b, 3, end - 3, StandardCharsets.US_ASCII);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 9, 10, 99, 100, -1, -9, -10, Integer.MAX_VALUE, Integer.MIN_VALUE, 0xffff_ffffL,
        999_999_999_999_999_999L, 1_000_000_000_000_000_000L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1})
    void decimalsAreLongToString(long v) {
        assertThat(decimal(v)).isEqualTo(Long.toString(v));
    }

    @Test
    void randomDecimals() {
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 10_000; i++) {
            long v = r.nextLong() >> r.nextInt(64);
            assertThat(decimal(v)).isEqualTo(Long.toString(v));
        }
    }

    @Test
    void zeroPaddedKeepsTheLastDigits() {
        ByteLine l = new ByteLine(4);
        l.zeroPadded(5, 3).zeroPadded(123_456_789, 9).zeroPadded(0, 2).zeroPadded(1234, 2);
        assertThat(l.toString()).isEqualTo("0051234567890034");
    }

    @Test
    void roomKeepsWhatIsBeforeWhenItGrows() {
        ByteLine l = new ByteLine(4);
        byte[] b = l.room(0, 3);
        int p = ByteLine.put(b, 0, "abc".getBytes(StandardCharsets.US_ASCII));
        b = l.room(p, 100);
        assertThat(b.length).isGreaterThanOrEqualTo(103);
        p = ByteLine.putDecimal(b, p, -42);
        assertThat(new String(b, 0, p, StandardCharsets.US_ASCII)).isEqualTo("abc-42");
    }
}
