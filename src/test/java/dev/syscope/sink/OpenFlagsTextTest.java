package dev.syscope.sink;

import dev.syscope.syscalls.Arch;
import dev.syscope.syscalls.OpenFlags;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class OpenFlagsTextTest {

    @Test
    void everyValueReadsAsOpenFlagsSpellsItThoughTheyShareSlots() {
        for (Arch arch : Arch.values()) {
            OpenFlagsText text = new OpenFlagsText(arch);
            SplittableRandom r = new SplittableRandom(2);
            int[] values = new int[40]; // more than the slots: some collide
            for (int i = 0; i < values.length; i++) {
                values[i] = i < 3 ? new int[] {0, -1, 0x80000}[i] : r.nextInt();
            }
            for (int round = 0; round < 3; round++) {
                for (int v : values) {
                    StringBuilder expected = new StringBuilder();
                    OpenFlags.append(arch, v, expected);
                    assertThat(text.of(v).toString()).as("%s %x", arch, v).isEqualTo(expected.toString());
                }
            }
        }
    }
}
