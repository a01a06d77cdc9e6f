package dev.syscope.bpf;

import dev.syscope.Startup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A libbpf {@code bpf_object}: opened from an ELF image, configured, then loaded into the kernel.
 * Closing it unloads its programs and maps (after their links are destroyed). Not thread-safe.
 */
public final class BpfObject implements AutoCloseable {
    private final MemorySegment obj;
    /** Holds the ELF image and open options, which libbpf points into until close. */
    private final Arena arena;
    private boolean closed;

    private BpfObject(MemorySegment obj, Arena arena) {
        this.obj = obj;
        this.arena = arena;
    }

    /**
     * Opens an object from its ELF bytes. {@code name} becomes the prefix of internal map names
     * such as {@code name.rodata}.
     */
    public static BpfObject open(byte[] elf, String name) {
        Startup.mark("open");
        Arena arena = Arena.ofShared();
        try {
            MemorySegment image = arena.allocate(elf.length, 8);
            image.copyFrom(MemorySegment.ofArray(elf));
            // struct bpf_object_open_opts { size_t sz; const char *object_name; ... }: only the
            // fields up to `sz` are read, so passing 16 works on every libbpf >= 1.0.
            MemorySegment opts = arena.allocate(16, 8);
            opts.set(JAVA_LONG, 0, 16);
            opts.set(ADDRESS, 8, arena.allocateFrom(name));
            MemorySegment errno = Native.errnoState(arena);
            MemorySegment p = LibBpf.nonNull("open BPF object " + name,
                    LibBpf.OBJECT_OPEN_MEM.call(errno, Native.addr(image), elf.length, Native.addr(opts)), errno);
            Startup.mark("opened");
            return new BpfObject(p, arena);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    public BpfProgram program(String name) {
        MemorySegment p = lookup(LibBpf.FIND_PROGRAM, name);
        if (p.address() == 0) {
            throw new BpfException("find program " + name + ": not in the BPF object");
        }
        return new BpfProgram(name, p);
    }

    public BpfMap map(String name) {
        MemorySegment p = lookup(LibBpf.FIND_MAP, name);
        if (p.address() == 0) {
            throw new BpfException("find map " + name + ": not in the BPF object");
        }
        return new BpfMap(name, p);
    }

    private MemorySegment lookup(Downcall f, String name) {
        ensureOpen();
        try (Arena a = Arena.ofConfined()) {
            return Native.at(f.call(obj.address(), Native.addr(a.allocateFrom(name))));
        }
    }

    /** The object's BTF, valid until close. */
    public Btf btf() {
        ensureOpen();
        long b = LibBpf.OBJECT_BTF.call(obj.address());
        if (b == 0) {
            throw new BpfException("BPF object has no BTF; compile it with clang -g");
        }
        return new Btf(Native.at(b));
    }

    /** Creates the maps and verifies and loads the autoloaded programs. */
    public void load() {
        ensureOpen();
        Startup.mark("load");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = Native.errnoState(a);
            LibBpf.nonNegative("load BPF object", (int) LibBpf.OBJECT_LOAD.call(errno, obj.address()), errno);
        }
        Startup.mark("loaded");
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("BPF object is closed");
        }
    }

    /** Unloads everything; idempotent. Destroy the links first (see {@link BpfLink}). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            LibBpf.OBJECT_CLOSE.call(obj.address());
        } finally {
            arena.close();
        }
    }
}
