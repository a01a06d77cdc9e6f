package dev.syscope.probe;

import dev.syscope.Startup;
import dev.syscope.api.Counters;
import dev.syscope.bpf.BpfLink;
import dev.syscope.bpf.BpfMap;
import dev.syscope.bpf.BpfObject;
import dev.syscope.bpf.EventReader;
import dev.syscope.bpf.RecordHandler;

import java.util.List;

/**
 * What seed and trace sessions share: one BPF object, its links and its event reader, owned
 * together; polling with a record handler, detach-then-drain, and a close that releases
 * everything once. Subclasses decode records and count what they received.
 */
abstract class KernelSession {
    final BpfObject obj;
    private final List<BpfLink> links; // emptied by detach()
    private final EventReader reader;
    private final BpfMap drops;
    private final int pollMillis;
    private Counters finalCounters;
    private boolean closed;

    KernelSession(BpfObject obj, List<BpfLink> links, EventReader reader, int pollMillis) {
        this.obj = obj;
        this.links = links;
        this.reader = reader;
        this.drops = obj.map("sc_drops");
        this.pollMillis = pollMillis;
        Startup.mark("attached");
    }

    /** Releases what a failed open had created so far (any argument may be null). */
    static void release(List<BpfLink> links, EventReader reader, BpfObject obj) {
        BpfLink.closeAll(links);
        if (reader != null) {
            reader.close();
        }
        if (obj != null) {
            obj.close();
        }
    }

    /** Waits up to the poll interval (0: not at all), then hands every record to {@code onRecord}. */
    final int pollRecords(RecordHandler onRecord, boolean wait) {
        if (closed) {
            throw new IllegalStateException("session is closed");
        }
        return reader.poll(wait ? pollMillis : 0, onRecord);
    }

    /** Detaches, so no new events are made, then drains what is buffered through {@code drainOnce}. */
    final int detachAndDrain(java.util.function.IntSupplier drainOnce) {
        if (closed) {
            throw new IllegalStateException("session is closed");
        }
        detach();
        int total = 0;
        int n;
        do {
            n = drainOnce.getAsInt();
            total += n;
        } while (n > 0);
        return total;
    }

    /**
     * Events lost on the way to user space: the kernel's per-CPU buffer-full counts, or the perf
     * ring's own PERF_RECORD_LOST count for the same events (the larger, so nothing counts twice).
     */
    final long bufferLoss() {
        long kernel = drops.sumPerCpuU64(SeedConfigLayout.DROP_RINGBUF) + drops.sumPerCpuU64(SeedConfigLayout.DROP_PERFBUF);
        return Math.max(kernel, reader.bufferLost());
    }

    final long dropCount(int index) {
        return drops.sumPerCpuU64(index);
    }

    /** The live counters; read per poll, not per event. */
    abstract Counters liveCounters();

    public final Counters counters() {
        return closed ? finalCounters : liveCounters();
    }

    final boolean isClosed() {
        return closed;
    }

    private void detach() {
        if (links.isEmpty()) {
            return;
        }
        Startup.mark("detach");
        try {
            BpfLink.closeAll(links);
        } finally {
            links.clear();
        }
        Startup.mark("detached");
    }

    public void close() {
        if (closed) {
            return;
        }
        try {
            detach();
            finalCounters = liveCounters();
        } finally {
            closed = true;
            try {
                reader.close();
            } finally {
                obj.close();
            }
        }
    }
}
