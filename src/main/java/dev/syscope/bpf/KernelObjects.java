package dev.syscope.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Enumerates the BPF programs, maps and links loaded in the kernel (BPF_*_GET_NEXT_ID), as
 * {@code bpftool prog/map/link show} does. Used to prove that syscope leaves nothing behind.
 */
public final class KernelObjects {
    /** A loaded object: its kind, kernel id and name (a link's name is its program's name). */
    public record Info(String kind, int id, String name) {}

    private KernelObjects() {}

    public static List<Info> programs() {
        return list("prog", LibBpf.PROG_GET_NEXT_ID, LibBpf.PROG_GET_FD_BY_ID, 64);
    }

    public static List<Info> maps() {
        return list("map", LibBpf.MAP_GET_NEXT_ID, LibBpf.MAP_GET_FD_BY_ID, 24);
    }

    public static List<Info> links() {
        List<Info> out = new ArrayList<>();
        List<Info> progs = programs();
        for (int id : ids(LibBpf.LINK_GET_NEXT_ID)) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment info = info(a, LibBpf.LINK_GET_FD_BY_ID, id);
                if (info == null) {
                    continue;
                }
                int progId = info.get(JAVA_INT, 8); // struct bpf_link_info { type; id; prog_id; ... }
                String name = progs.stream().filter(p -> p.id() == progId).map(Info::name).findFirst().orElse("");
                out.add(new Info("link", id, name));
            }
        }
        return out;
    }

    private static List<Info> list(String kind, Downcall next, Downcall fdById, int nameOffset) {
        List<Info> out = new ArrayList<>();
        for (int id : ids(next)) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment info = info(a, fdById, id);
                if (info != null) {
                    out.add(new Info(kind, id, cString(info.asSlice(nameOffset, 16))));
                }
            }
        }
        return out;
    }

    private static List<Integer> ids(Downcall nextId) {
        List<Integer> ids = new ArrayList<>();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = Native.errnoState(a);
            MemorySegment out = a.allocate(JAVA_INT);
            int id = 0;
            while ((int) nextId.call(errno, id, Native.addr(out)) == 0) {
                id = out.get(JAVA_INT, 0);
                ids.add(id);
            }
            int e = Native.errno(errno);
            if (e != Errno.ENOENT) {
                throw new BpfException("enumerate BPF objects", e);
            }
        }
        return ids;
    }

    /** The object's info struct (first 128 bytes), or null if it vanished meanwhile. */
    private static MemorySegment info(Arena a, Downcall fdById, int id) {
        MemorySegment errno = Native.errnoState(a);
        int fd = (int) fdById.call(errno, id);
        if (fd < 0) {
            if (Native.errno(errno) == Errno.ENOENT) {
                return null;
            }
            throw new BpfException("open BPF object id " + id, Native.errno(errno));
        }
        try {
            MemorySegment info = a.allocate(128, 8);
            MemorySegment len = a.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, 128);
            int r = (int) LibBpf.OBJ_GET_INFO_BY_FD.call(errno, fd, Native.addr(info), Native.addr(len));
            if (r != 0) {
                throw new BpfException("read info of BPF object id " + id, Native.errno(errno));
            }
            return info;
        } finally {
            Fd.close(fd);
        }
    }

    private static String cString(MemorySegment s) {
        byte[] b = s.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }
}
