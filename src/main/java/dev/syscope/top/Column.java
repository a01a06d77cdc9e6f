package dev.syscope.top;

import java.util.Comparator;

/** A column `top` can sort by: its key, its name in --sort and the status line, and its order. */
public enum Column {
    CALLS('c', Comparator.comparingDouble(TopRow::callsPerSec).reversed()),
    ERRORS('e', Comparator.comparingDouble(TopRow::errorsPerSec).reversed()),
    BYTES('b', Comparator.comparingDouble(TopRow::bytesPerSec).reversed()),
    AVG('a', Comparator.comparingLong(TopRow::avgNanos).reversed()),
    P99('l', Comparator.comparingLong(TopRow::p99Nanos).reversed()),
    PID('p', Comparator.comparingInt(TopRow::pid)),
    COMM('n', Comparator.comparing(TopRow::comm)),
    SYSCALL('s', Comparator.comparing(TopRow::syscall));

    private final char key;
    /** The natural order: the largest first for numbers, ascending for pid and names. */
    private final Comparator<TopRow> order;

    Column(char key, Comparator<TopRow> order) {
        this.key = key;
        this.order = order;
    }

    public char key() {
        return key;
    }

    Comparator<TopRow> order() {
        return order;
    }

    /** The column bound to {@code key}, or null. */
    public static Column forKey(int key) {
        for (Column c : values()) {
            if (c.key == key) {
                return c;
            }
        }
        return null;
    }
}
