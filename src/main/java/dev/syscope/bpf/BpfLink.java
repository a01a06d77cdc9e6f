package dev.syscope.bpf;

import java.lang.foreign.MemorySegment;

/** An attachment of a program to a hook. Closing it detaches; idempotent. */
public final class BpfLink implements AutoCloseable {
    private final String description;
    private MemorySegment link;

    BpfLink(String description, MemorySegment link) {
        this.description = description;
        this.link = link;
    }

    public String description() {
        return description;
    }

    @Override
    public void close() {
        if (link == null) {
            return;
        }
        MemorySegment l = link;
        link = null;
        try {
            int r = (int) LibBpf.LINK_DESTROY.invokeExact(l);
            LibBpf.checkNegErrno("detach " + description, r);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
