package dev.syscope.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** A program inside a {@link BpfObject}; valid while the object is open. */
public record BpfProgram(String name, MemorySegment handle) {

    /** Whether {@link BpfObject#load()} loads this program; call before load. */
    public void autoload(boolean on) {
        try {
            LibBpf.checkNegErrno("set autoload of " + name, (int) LibBpf.PROGRAM_SET_AUTOLOAD.handle().invokeExact(handle, on));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Attaches to the tracepoint {@code category:event}, e.g. syscalls:sys_enter_read. */
    public BpfLink attachTracepoint(String category, String event) {
        String what = "attach " + name + " to tracepoint " + category + ":" + event;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = Native.errnoState(a);
            return link(what, (MemorySegment) LibBpf.ATTACH_TRACEPOINT.handle().invokeExact(errno, handle,
                    a.allocateFrom(category), a.allocateFrom(event)), errno);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Attaches to the raw tracepoint {@code event}, e.g. sys_enter (no tracefs needed). */
    public BpfLink attachRawTracepoint(String event) {
        String what = "attach " + name + " to raw tracepoint " + event;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = Native.errnoState(a);
            return link(what, (MemorySegment) LibBpf.ATTACH_RAW_TRACEPOINT.handle().invokeExact(errno, handle,
                    a.allocateFrom(event)), errno);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Attaches where the program's section names, e.g. {@code tp_btf/sys_exit}. */
    public BpfLink attach() {
        String what = "attach " + name;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = Native.errnoState(a);
            return link(what, (MemorySegment) LibBpf.ATTACH.handle().invokeExact(errno, handle), errno);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Attaches to the entry of the kernel function {@code symbol} (needs CONFIG_KPROBES). */
    public BpfLink attachKprobe(String symbol) {
        String what = "attach " + name + " to kprobe " + symbol;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = Native.errnoState(a);
            return link(what, (MemorySegment) LibBpf.ATTACH_KPROBE.handle().invokeExact(errno, handle, false,
                    a.allocateFrom(symbol)), errno);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static BpfLink link(String what, MemorySegment p, MemorySegment errno) {
        return new BpfLink(what, LibBpf.nonNull(what, p, errno));
    }
}
