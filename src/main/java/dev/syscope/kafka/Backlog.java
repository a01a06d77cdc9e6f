package dev.syscope.kafka;

import dev.syscope.api.StatsRow;
import dev.syscope.event.TraceEvent;
import dev.syscope.event.TraceEventLayout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Events the Kafka export could not take (its buffers were full) under --on-overload=aggregate:
 * counted exactly per (process, syscall), with failures and bytes, as the kernel counts what the
 * ring buffer cannot take. One thread (the ring-buffer reader) counts and drains; {@link #total}
 * may be read from any. Counting an event allocates nothing; a new key allocates its comm once.
 * Beyond {@link #MAX_KEYS} keys between two drains, events are still counted, under pid 0 and
 * syscall "other".
 */
final class Backlog {
    static final int MAX_KEYS = 4096;
    private static final int SLOTS = MAX_KEYS * 2; // load factor <= 1/2
    private static final long EMPTY = Long.MIN_VALUE; // pid 0x80000000 does not exist

    private final long[] keys = new long[SLOTS];
    private final long[] count = new long[SLOTS];
    private final long[] errors = new long[SLOTS];
    private final long[] bytes = new long[SLOTS];
    private final byte[][] comm = new byte[SLOTS][];
    private final String[] syscall = new String[SLOTS];
    private final byte[] commBytes = new byte[TraceEventLayout.COMM_LEN];
    private int used;
    private long overflowCount;
    private volatile long total; // written by the counting thread only; read by any

    Backlog() {
        Arrays.fill(keys, EMPTY);
    }

    /** Counts {@code e}, which was not streamed. */
    void add(TraceEvent e) {
        total = total + 1;
        long key = ((long) e.pid() << 32) | (e.syscallNr() & 0xffff_ffffL);
        int i = slot(key);
        if (i < 0) {
            overflowCount++;
            return;
        }
        if (keys[i] == EMPTY) {
            keys[i] = key;
            int n = e.comm(commBytes);
            comm[i] = Arrays.copyOf(commBytes, n);
            syscall[i] = e.syscall() != null ? e.syscall().name() : "sys_" + e.syscallNr();
            used++;
        }
        count[i]++;
        int errno = e.errno();
        if (errno != 0) {
            errors[i]++;
        } else if (e.returned() && e.ret() > 0 && e.syscall() != null && e.syscall().transfersBytes()) {
            bytes[i] += e.ret();
        }
    }

    /** The slot of {@code key}, or of the empty slot where it goes; -1 when the table is full. */
    private int slot(long key) {
        int i = (int) (mix(key) & (SLOTS - 1));
        while (true) {
            long k = keys[i];
            if (k == key) {
                return i;
            }
            if (k == EMPTY) {
                return used < MAX_KEYS ? i : -1;
            }
            i = (i + 1) & (SLOTS - 1);
        }
    }

    private static long mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        return k ^ (k >>> 33);
    }

    /** Every event counted since start (not reset by drains). */
    long total() {
        return total;
    }

    /** Takes the counts gathered since the previous drain, one row per (process, syscall). */
    List<StatsRow> drain() {
        List<StatsRow> rows = new ArrayList<>(used + 1);
        long[] noHistogram = new long[0];
        for (int i = 0; i < SLOTS && used > 0; i++) {
            if (keys[i] != EMPTY) {
                rows.add(new StatsRow((int) (keys[i] >>> 32), new String(comm[i], StandardCharsets.UTF_8), syscall[i],
                        count[i], errors[i], bytes[i], 0, noHistogram));
                keys[i] = EMPTY;
                count[i] = errors[i] = bytes[i] = 0;
                comm[i] = null;
                syscall[i] = null;
                used--;
            }
        }
        if (overflowCount > 0) {
            rows.add(new StatsRow(0, "", "other", overflowCount, 0, 0, 0, noHistogram));
            overflowCount = 0;
        }
        return rows;
    }
}
