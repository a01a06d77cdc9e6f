package dev.syscope.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** A map inside a {@link BpfObject}; valid while the object is open. */
public record BpfMap(String name, MemorySegment handle) {

    /** libbpf's {@code struct bpf_map *}. */
    private long h() {
        return Native.addr(handle);
    }

    /** Sets the map's size before load (for a ring buffer: bytes, a power-of-2 multiple of the page size). */
    public void maxEntries(int n) {
        LibBpf.checkNegErrno("set size of map " + name, (int) LibBpf.MAP_SET_MAX_ENTRIES.call(h(), n));
    }

    public int maxEntries() {
        return (int) LibBpf.MAP_MAX_ENTRIES.call(h());
    }

    /** Whether load creates this map; a map that no loaded program uses need not exist. */
    public void autocreate(boolean on) {
        LibBpf.checkNegErrno("set autocreate of map " + name, (int) LibBpf.MAP_SET_AUTOCREATE.call(h(), on ? 1 : 0));
    }

    /** A copy of the initial contents of a global-data map (.rodata, .data, .bss), before load. */
    public byte[] initialValue() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment size = a.allocate(JAVA_LONG);
            long p = LibBpf.MAP_INITIAL_VALUE.call(h(), Native.addr(size));
            if (p == 0) {
                throw new BpfException("read initial value of map " + name + ": not a global-data map");
            }
            return Native.at(p).reinterpret(size.get(JAVA_LONG, 0)).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        }
    }

    /** Replaces the initial contents of a global-data map; before load. */
    public void initialValue(byte[] data) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment src = a.allocate(data.length, 8);
            src.copyFrom(MemorySegment.ofArray(data));
            LibBpf.checkNegErrno("set initial value of map " + name,
                    (int) LibBpf.MAP_SET_INITIAL_VALUE.call(h(), Native.addr(src), data.length));
        }
    }

    /** The kernel map's fd; valid after load. */
    public int fd() {
        return LibBpf.checkNegErrno("get fd of map " + name, (int) LibBpf.MAP_FD.call(h()));
    }

    /**
     * Points slot {@code key} of this array of maps at {@code inner}. The kernel returns only after
     * every program that may still use the previous inner map has finished (an RCU grace period).
     */
    public void setInner(int key, BpfMap inner) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment k = a.allocate(JAVA_INT);
            k.set(JAVA_INT, 0, key);
            MemorySegment v = a.allocate(JAVA_INT);
            v.set(JAVA_INT, 0, inner.fd());
            int r = (int) LibBpf.MAP_UPDATE_ELEM.call(h(), Native.addr(k), 4, Native.addr(v), 4, 0);
            LibBpf.checkNegErrno("swap map " + inner.name + " into " + name, r);
        }
    }

    /**
     * Makes this hash of u64 keys to u8 values hold exactly {@code keys} (value 1): adds the new
     * ones, deletes the others. Not for the hot path.
     *
     * @return how many keys are in the map now
     * @throws BpfException if an update fails (E2BIG: the map is full)
     */
    public int syncU64Keys(java.util.Set<Long> keys) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cur = a.allocate(JAVA_LONG);
            MemorySegment next = a.allocate(JAVA_LONG);
            MemorySegment one = a.allocate(1);
            one.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 1);
            java.util.Set<Long> present = new java.util.HashSet<>();
            long prev = 0; // NULL: the first key
            while ((int) LibBpf.MAP_GET_NEXT_KEY.call(h(), prev, Native.addr(next), 8) == 0) {
                present.add(next.get(JAVA_LONG, 0));
                cur.copyFrom(next);
                prev = Native.addr(cur);
            }
            for (long k : present) {
                if (!keys.contains(k)) {
                    cur.set(JAVA_LONG, 0, k);
                    int r = (int) LibBpf.MAP_DELETE_ELEM.call(h(), Native.addr(cur), 8, 0);
                    if (r != 0 && r != -Errno.ENOENT) {
                        LibBpf.checkNegErrno("delete a key of map " + name, r);
                    }
                }
            }
            for (long k : keys) {
                if (!present.contains(k)) {
                    cur.set(JAVA_LONG, 0, k);
                    int r = (int) LibBpf.MAP_UPDATE_ELEM.call(h(), Native.addr(cur), 8, Native.addr(one), 1, 0);
                    LibBpf.checkNegErrno("add a key to map " + name, r);
                }
            }
            return keys.size();
        }
    }

    /**
     * Sums a per-CPU array slot of u64 counters over all possible CPUs.
     * Kernel per-CPU values are laid out 8-byte aligned, one per possible CPU.
     */
    public long sumPerCpuU64(int key) {
        int cpus = LibBpf.numPossibleCpus();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment k = a.allocate(JAVA_INT);
            k.set(JAVA_INT, 0, key);
            MemorySegment v = a.allocate(8L * cpus, 8);
            int r = (int) LibBpf.MAP_LOOKUP_ELEM.call(h(), Native.addr(k), 4, Native.addr(v), 8L * cpus, 0);
            LibBpf.checkNegErrno("read map " + name, r);
            long sum = 0;
            for (int i = 0; i < cpus; i++) {
                sum += v.getAtIndex(JAVA_LONG, i);
            }
            return sum;
        }
    }

    /** The number of keys in a hash map right now (walks the keys; not for the hot path). */
    public int countKeys(int keySize) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cur = a.allocate(keySize, 8);
            MemorySegment next = a.allocate(keySize, 8);
            long prev = 0; // NULL: the first key
            int n = 0;
            while (true) {
                int r = (int) LibBpf.MAP_GET_NEXT_KEY.call(h(), prev, Native.addr(next), keySize);
                if (r == -Errno.ENOENT) {
                    return n;
                }
                LibBpf.checkNegErrno("walk map " + name, r);
                n++;
                cur.copyFrom(next);
                prev = Native.addr(cur);
            }
        }
    }

    /** Receives one drained entry: its key and its per-CPU values (one slot per possible CPU). */
    @FunctionalInterface
    public interface PerCpuEntry {
        void accept(MemorySegment key, MemorySegment values, int cpus, long valueStride);
    }

    /**
     * Removes every entry of a per-CPU hash map and hands it to {@code sink}. Uses the kernel's
     * lookup-and-delete batch (Linux 5.6+), which takes each bucket's entries out under its lock;
     * where that is refused (EINVAL, ENOTSUPP, EOPNOTSUPP), walks the keys, then looks each up and
     * deletes it, which can miss an update made between the two.
     *
     * @return whether the batch operation was used
     */
    public boolean drainPerCpu(int keySize, int valueSize, PerCpuEntry sink) {
        int cpus = LibBpf.numPossibleCpus();
        long stride = (valueSize + 7L) & ~7L;
        int batch = 256;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment in = a.allocate(8, 8);
            MemorySegment out = a.allocate(8, 8);
            MemorySegment keys = a.allocate((long) keySize * batch, 8);
            MemorySegment values = a.allocate(stride * cpus * batch, 8);
            MemorySegment count = a.allocate(JAVA_INT);
            boolean first = true;
            while (true) {
                count.set(JAVA_INT, 0, batch);
                long inBatch = first ? 0 : Native.addr(in); // NULL: from the start
                int r = (int) LibBpf.MAP_LOOKUP_AND_DELETE_BATCH.call(fd(), inBatch, Native.addr(out),
                        Native.addr(keys), Native.addr(values), Native.addr(count), 0);
                if (first && (r == -Errno.EINVAL || r == -524 /* ENOTSUPP */ || r == -Errno.EOPNOTSUPP)) {
                    drainByKeys(keySize, stride, cpus, sink, a);
                    return false;
                }
                if (r < 0 && r != -Errno.ENOENT) {
                    LibBpf.checkNegErrno("drain map " + name, r);
                }
                int n = count.get(JAVA_INT, 0);
                for (int i = 0; i < n; i++) {
                    sink.accept(keys.asSlice((long) i * keySize, keySize), values.asSlice(i * stride * cpus, stride * cpus), cpus, stride);
                }
                if (r == -Errno.ENOENT) {
                    return true; // the last batch (possibly empty) has been handed over
                }
                in.copyFrom(out);
                first = false;
            }
        }
    }

    private void drainByKeys(int keySize, long stride, int cpus, PerCpuEntry sink, Arena a) {
        java.util.List<MemorySegment> all = new java.util.ArrayList<>();
        long prev = 0; // NULL: the first key
        while (true) {
            MemorySegment next = a.allocate(keySize, 8);
            int r = (int) LibBpf.MAP_GET_NEXT_KEY.call(h(), prev, Native.addr(next), keySize);
            if (r == -Errno.ENOENT) {
                break;
            }
            LibBpf.checkNegErrno("walk map " + name, r);
            all.add(next);
            prev = Native.addr(next);
        }
        MemorySegment values = a.allocate(stride * cpus, 8);
        for (MemorySegment key : all) {
            int r = (int) LibBpf.MAP_LOOKUP_ELEM.call(h(), Native.addr(key), keySize, Native.addr(values), stride * cpus, 0);
            if (r == -Errno.ENOENT) {
                continue;
            }
            LibBpf.checkNegErrno("read map " + name, r);
            int d = (int) LibBpf.MAP_DELETE_ELEM.call(h(), Native.addr(key), keySize, 0);
            if (d < 0 && d != -Errno.ENOENT) {
                LibBpf.checkNegErrno("delete from map " + name, d);
            }
            sink.accept(key, values, cpus, stride);
        }
    }
}
