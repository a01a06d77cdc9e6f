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
            LibBpf.checkNegErrno("set size of map " + name, (int) LibBpf.MAP_SET_MAX_ENTRIES.handle().invokeExact(handle, n));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public int maxEntries() {
        try {
            return (int) LibBpf.MAP_MAX_ENTRIES.handle().invokeExact(handle);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Whether load creates this map; a map that no loaded program uses need not exist. */
    public void autocreate(boolean on) {
        try {
            LibBpf.checkNegErrno("set autocreate of map " + name, (int) LibBpf.MAP_SET_AUTOCREATE.handle().invokeExact(handle, on));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** A copy of the initial contents of a global-data map (.rodata, .data, .bss), before load. */
    public byte[] initialValue() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment size = a.allocate(JAVA_LONG);
            MemorySegment p = (MemorySegment) LibBpf.MAP_INITIAL_VALUE.handle().invokeExact(handle, size);
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
                    (int) LibBpf.MAP_SET_INITIAL_VALUE.handle().invokeExact(handle, src, (long) data.length));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** The kernel map's fd; valid after load. */
    public int fd() {
        try {
            return LibBpf.checkNegErrno("get fd of map " + name, (int) LibBpf.MAP_FD.handle().invokeExact(handle));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
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
            int r = (int) LibBpf.MAP_UPDATE_ELEM.handle().invokeExact(handle, k, 4L, v, 4L, 0L);
            LibBpf.checkNegErrno("swap map " + inner.name + " into " + name, r);
        } catch (Throwable t) {
            throw Native.rethrow(t);
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
            MemorySegment prev = MemorySegment.NULL;
            while ((int) LibBpf.MAP_GET_NEXT_KEY.handle().invokeExact(handle, prev, next, 8L) == 0) {
                present.add(next.get(JAVA_LONG, 0));
                cur.copyFrom(next);
                prev = cur;
            }
            for (long k : present) {
                if (!keys.contains(k)) {
                    cur.set(JAVA_LONG, 0, k);
                    int r = (int) LibBpf.MAP_DELETE_ELEM.handle().invokeExact(handle, cur, 8L, 0L);
                    if (r != 0 && r != -Errno.ENOENT) {
                        LibBpf.checkNegErrno("delete a key of map " + name, r);
                    }
                }
            }
            for (long k : keys) {
                if (!present.contains(k)) {
                    cur.set(JAVA_LONG, 0, k);
                    int r = (int) LibBpf.MAP_UPDATE_ELEM.handle().invokeExact(handle, cur, 8L, one, 1L, 0L);
                    LibBpf.checkNegErrno("add a key to map " + name, r);
                }
            }
            return keys.size();
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
            int r = (int) LibBpf.MAP_LOOKUP_ELEM.handle().invokeExact(handle, k, 4L, v, 8L * cpus, 0L);
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
                int r = (int) LibBpf.MAP_GET_NEXT_KEY.handle().invokeExact(handle, prev, next, (long) keySize);
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
                MemorySegment inBatch = first ? MemorySegment.NULL : in; // NULL: from the start
                int r = (int) LibBpf.MAP_LOOKUP_AND_DELETE_BATCH.handle().invokeExact(fd(), inBatch, out,
                        keys, values, count, MemorySegment.NULL);
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
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private void drainByKeys(int keySize, long stride, int cpus, PerCpuEntry sink, Arena a) throws Throwable {
        java.util.List<MemorySegment> all = new java.util.ArrayList<>();
        MemorySegment prev = MemorySegment.NULL;
        while (true) {
            MemorySegment next = a.allocate(keySize, 8);
            int r = (int) LibBpf.MAP_GET_NEXT_KEY.handle().invokeExact(handle, prev, next, (long) keySize);
            if (r == -Errno.ENOENT) {
                break;
            }
            LibBpf.checkNegErrno("walk map " + name, r);
            all.add(next);
            prev = next;
        }
        MemorySegment values = a.allocate(stride * cpus, 8);
        for (MemorySegment key : all) {
            int r = (int) LibBpf.MAP_LOOKUP_ELEM.handle().invokeExact(handle, key, (long) keySize, values, stride * cpus, 0L);
            if (r == -Errno.ENOENT) {
                continue;
            }
            LibBpf.checkNegErrno("read map " + name, r);
            int d = (int) LibBpf.MAP_DELETE_ELEM.handle().invokeExact(handle, key, (long) keySize, 0L);
            if (d < 0 && d != -Errno.ENOENT) {
                LibBpf.checkNegErrno("delete from map " + name, d);
            }
            sink.accept(key, values, cpus, stride);
        }
    }
}
