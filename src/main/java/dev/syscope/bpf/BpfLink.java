package dev.syscope.bpf;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** An attachment of a program to a hook. Closing it detaches; idempotent. */
public final class BpfLink implements AutoCloseable {
    /** Threads that {@link #closeAll} closes links with. */
    private static final int MAX_CLOSERS = 16;

    private final String description;
    private MemorySegment link;

    BpfLink(String description, MemorySegment link) {
        this.description = description;
        this.link = link;
    }

    public String description() {
        return description;
    }

    /**
     * Closes every link, several at a time. Detaching a syscall tracepoint's link waits in the
     * kernel for RCU grace periods, part of it under a lock that serializes detaches (Linux 6.18,
     * 2 vCPUs: about 75 ms per link one after another, about 40 ms per link together). Each link
     * is closed even if another fails; the first failure is thrown at the end.
     */
    public static void closeAll(List<BpfLink> links) {
        int n = links.size();
        if (n < 2) {
            links.forEach(BpfLink::close);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Runnable closer = () -> {
            for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                try {
                    links.get(i).close();
                } catch (RuntimeException e) {
                    if (!failure.compareAndSet(null, e)) {
                        failure.get().addSuppressed(e);
                    }
                }
            }
        };
        Thread[] helpers = new Thread[Math.min(n, MAX_CLOSERS) - 1];
        for (int t = 0; t < helpers.length; t++) {
            helpers[t] = Thread.ofPlatform().name("syscope-detach").daemon().start(closer);
        }
        closer.run();
        boolean interrupted = false;
        for (Thread t : helpers) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true; // the links must be gone before the caller goes on
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    @Override
    public void close() {
        if (link == null) {
            return;
        }
        MemorySegment l = link;
        link = null;
        LibBpf.checkNegErrno("detach " + description, (int) LibBpf.LINK_DESTROY.call(l.address()));
    }
}
