package dev.syscope.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Read-only view of a BPF object's BTF, through libbpf's btf__ API. Reads the UAPI
 * {@code struct btf_type} records (linux/btf.h) that libbpf returns. Valid while its object is open.
 */
public final class Btf {
    static final int KIND_STRUCT = 4;
    static final int KIND_ENUM = 6;
    static final int KIND_DATASEC = 15;

    /** sizeof(struct btf_type): name_off, info, size/type. */
    private static final long TYPE_HEADER = 12;

    private final MemorySegment btf;

    Btf(MemorySegment btf) {
        this.btf = btf;
    }

    /** A struct member: its name, byte offset and byte size. */
    public record Member(String name, long offset, long size) {}

    /** The members of {@code struct name}, in declaration order. */
    public List<Member> structMembers(String name) {
        int id = find(name, KIND_STRUCT);
        MemorySegment t = type(id);
        int info = t.get(JAVA_INT, 4);
        boolean bitfieldEncoding = (info >>> 31) != 0;
        List<Member> out = new ArrayList<>();
        for (int i = 0; i < vlen(info); i++) {
            long m = TYPE_HEADER + 12L * i; // struct btf_member { name_off, type, offset }
            int bits = t.get(JAVA_INT, m + 8);
            long bitOffset = bitfieldEncoding ? (bits & 0xffffff) : Integer.toUnsignedLong(bits);
            if (bitOffset % 8 != 0) {
                throw new BpfException("struct " + name + " has a bitfield; not supported");
            }
            out.add(new Member(name(t.get(JAVA_INT, m)), bitOffset / 8, resolveSize(t.get(JAVA_INT, m + 4))));
        }
        return out;
    }

    /** sizeof(struct name). */
    public long structSize(String name) {
        return Integer.toUnsignedLong(type(find(name, KIND_STRUCT)).get(JAVA_INT, 8));
    }

    /** The enumerators of {@code enum name} and their values. */
    public Map<String, Long> enumValues(String name) {
        MemorySegment t = type(find(name, KIND_ENUM));
        int info = t.get(JAVA_INT, 4);
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < vlen(info); i++) {
            long e = TYPE_HEADER + 8L * i; // struct btf_enum { name_off; __s32 val; }
            out.put(name(t.get(JAVA_INT, e)), (long) t.get(JAVA_INT, e + 4));
        }
        return out;
    }

    /** Byte offset of global variable {@code var} inside data section {@code section} (e.g. ".rodata"). */
    public long variableOffset(String section, String var) {
        MemorySegment sec = type(find(section, KIND_DATASEC));
        int info = sec.get(JAVA_INT, 4);
        for (int i = 0; i < vlen(info); i++) {
            long v = TYPE_HEADER + 12L * i; // struct btf_var_secinfo { type; offset; size; }
            MemorySegment varType = type(sec.get(JAVA_INT, v));
            if (name(varType.get(JAVA_INT, 0)).equals(var)) {
                return Integer.toUnsignedLong(sec.get(JAVA_INT, v + 4));
            }
        }
        throw new BpfException("find variable " + var + " in " + section + ": not in the BTF");
    }

    private int find(String name, int kind) {
        try (Arena a = Arena.ofConfined()) {
            int id = (int) LibBpf.BTF_FIND_BY_NAME_KIND.call(btf.address(), Native.addr(a.allocateFrom(name)), kind);
            if (id < 0) {
                throw new BpfException("find BTF type " + name + ": not in the object's BTF");
            }
            return id;
        }
    }

    private MemorySegment type(int id) {
        long t = LibBpf.BTF_TYPE_BY_ID.call(btf.address(), id);
        if (t == 0) {
            throw new BpfException("read BTF type " + id + ": no such type");
        }
        int vlen = vlen(Native.at(t).reinterpret(TYPE_HEADER).get(JAVA_INT, 4));
        return Native.at(t).reinterpret(TYPE_HEADER + 12L * vlen);
    }

    private String name(int offset) {
        String s = Native.string(LibBpf.BTF_NAME_BY_OFFSET.call(btf.address(), offset));
        if (s == null) {
            throw new BpfException("read BTF name at offset " + offset + ": out of range");
        }
        return s;
    }

    private long resolveSize(int typeId) {
        long s = LibBpf.BTF_RESOLVE_SIZE.call(btf.address(), typeId);
        if (s < 0) {
            throw new BpfException("resolve size of BTF type " + typeId, (int) -s);
        }
        return s;
    }

    private static int vlen(int info) {
        return info & 0xffff;
    }
}
