package dev.syscope.sink;

import dev.syscope.syscalls.Arch;
import dev.syscope.syscalls.OpenFlags;

/**
 * open(2) flags as {@link OpenFlags} spells them ({@code O_RDONLY|O_CLOEXEC}), as bytes. Programs
 * open with a few flag sets over and over, so the last renderings are kept, in a small table keyed
 * by a hash of the value; a miss re-renders into the slot's own buffer.
 */
final class OpenFlagsText {
    private static final int SLOT_BITS = 3;

    private final Arch arch;
    private final int[] values = new int[1 << SLOT_BITS];
    private final ByteLine[] texts = new ByteLine[1 << SLOT_BITS]; // null: empty slot
    private final StringBuilder scratch = new StringBuilder();

    OpenFlagsText(Arch arch) {
        this.arch = arch;
    }

    /** The text of {@code flags}, valid until the next call. */
    ByteLine of(int flags) {
        int slot = flags * 0x9e3779b9 >>> 32 - SLOT_BITS; // Fibonacci hashing
        ByteLine t = texts[slot];
        if (t != null && values[slot] == flags) {
            return t;
        }
        if (t == null) {
            t = texts[slot] = new ByteLine(64);
        }
        scratch.setLength(0);
        OpenFlags.append(arch, flags, scratch);
        t.reset();
        t.ascii(scratch);
        values[slot] = flags;
        return t;
    }
}
