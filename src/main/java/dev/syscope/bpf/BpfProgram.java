package dev.syscope.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** A program inside a {@link BpfObject}; valid while the object is open. */
public record BpfProgram(String name, MemorySegment handle) {

    /** libbpf's {@code struct bpf_program *}. */
    private long h() {
        return Native.addr(handle);
    }

    /** Whether {@link BpfObject#load()} loads this program; call before load. */
    public void autoload(boolean on) {
        LibBpf.checkNegErrno("set autoload of " + name, (int) LibBpf.PROGRAM_SET_AUTOLOAD.call(h(), on ? 1 : 0));
    }

    /** Attaches to the tracepoint {@code category:event}, e.g. syscalls:sys_enter_read. */
    public BpfLink attachTracepoint(String category, String event) {
        String what = "attach " + name + " to tracepoint " + category + ":" + event;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = Native.errnoState(a);
            return link(what, LibBpf.ATTACH_TRACEPOINT.call(errno, h(),
                    Native.addr(a.allocateFrom(category)), Native.addr(a.allocateFrom(event))), errno);
        }
    }

    /** Attaches to the raw tracepoint {@code event}, e.g. sys_enter (no tracefs needed). */
    public BpfLink attachRawTracepoint(String event) {
        String what = "attach " + name + " to raw tracepoint " + event;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = Native.errnoState(a);
            return link(what, LibBpf.ATTACH_RAW_TRACEPOINT.call(errno, h(), Native.addr(a.allocateFrom(event))), errno);
        }
    }

    /** Attaches where the program's section names, e.g. {@code tp_btf/sys_exit}. */
    public BpfLink attach() {
        String what = "attach " + name;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = Native.errnoState(a);
            return link(what, LibBpf.ATTACH.call(errno, h()), errno);
        }
    }

    /** Attaches to the entry of the kernel function {@code symbol} (needs CONFIG_KPROBES). */
    public BpfLink attachKprobe(String symbol) {
        String what = "attach " + name + " to kprobe " + symbol;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = Native.errnoState(a);
            return link(what, LibBpf.ATTACH_KPROBE.call(errno, h(), 0 /* not a kretprobe */,
                    Native.addr(a.allocateFrom(symbol))), errno);
        }
    }

    private static BpfLink link(String what, long p, MemorySegment errno) {
        return new BpfLink(what, LibBpf.nonNull(what, p, errno));
    }
}
