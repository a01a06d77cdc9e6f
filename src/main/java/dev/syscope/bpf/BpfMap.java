package dev.syscope.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** A map inside a {@link BpfObject}; valid while the object is open. */
public record BpfMap(String name, MemorySegment handle) {

    /** Sets the map's size before load (for a ring buffer: bytes, a power-of-2 multiple of the page size). */
    public void maxEntries(int n) {
        try {
            LibBpf.checkNegErrno("set size of map " + name, (int) LibBpf.MAP_SET_MAX_ENTRIES.invokeExact(handle, n));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public int maxEntries() {
        try {
            return (int) LibBpf.MAP_MAX_ENTRIES.invokeExact(handle);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Whether load creates this map; a map that no loaded program uses need not exist. */
    public void autocreate(boolean on) {
        try {
            LibBpf.checkNegErrno("set autocreate of map " + name, (int) LibBpf.MAP_SET_AUTOCREATE.invokeExact(handle, on));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** A copy of the initial contents of a global-data map (.rodata, .data, .bss), before load. */
    public byte[] initialValue() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment size = a.allocate(JAVA_LONG);
            MemorySegment p = (MemorySegment) LibBpf.MAP_INITIAL_VALUE.invokeExact(handle, size);
            if (p.equals(MemorySegment.NULL)) {
                throw new BpfException("read initial value of map " + name + ": not a global-data map");
            }
            return p.reinterpret(size.get(JAVA_LONG, 0)).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Replaces the initial contents of a global-data map; before load. */
    public void initialValue(byte[] data) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment src = a.allocate(data.length, 8);
            src.copyFrom(MemorySegment.ofArray(data));
            LibBpf.checkNegErrno("set initial value of map " + name,
                    (int) LibBpf.MAP_SET_INITIAL_VALUE.invokeExact(handle, src, (long) data.length));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** The kernel map's fd; valid after load. */
    public int fd() {
        try {
            return LibBpf.checkNegErrno("get fd of map " + name, (int) LibBpf.MAP_FD.invokeExact(handle));
        } catch (Throwable t) {
            throw Native.rethrow(t);
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
            int r = (int) LibBpf.MAP_LOOKUP_ELEM.invokeExact(handle, k, 4L, v, 8L * cpus, 0L);
            LibBpf.checkNegErrno("read map " + name, r);
            long sum = 0;
            for (int i = 0; i < cpus; i++) {
                sum += v.getAtIndex(JAVA_LONG, i);
            }
            return sum;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** The number of keys in a hash map right now (walks the keys; not for the hot path). */
    public int countKeys(int keySize) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cur = a.allocate(keySize, 8);
            MemorySegment next = a.allocate(keySize, 8);
            MemorySegment prev = MemorySegment.NULL; // NULL: the first key
            int n = 0;
            while (true) {
                int r = (int) LibBpf.MAP_GET_NEXT_KEY.invokeExact(handle, prev, next, (long) keySize);
                if (r == -Errno.ENOENT) {
                    return n;
                }
                LibBpf.checkNegErrno("walk map " + name, r);
                n++;
                cur.copyFrom(next);
                prev = cur;
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
