package dev.syscope.api;

import java.util.BitSet;

/** A trace session whose events a daemon thread polls and hands to one handler. */
final class BackgroundTrace implements TraceSession {
    private final TraceSession session;
    private final TraceHandler handler;
    private final Thread poller;
    private volatile boolean stopping;
    private volatile Throwable failure;

    BackgroundTrace(TraceSession session, TraceHandler handler) {
        this.session = session;
        this.handler = handler;
        this.poller = Thread.ofPlatform().daemon().name("syscope-trace").unstarted(this::run);
        poller.start();
    }

    private void run() {
        try {
            while (!stopping) {
                session.poll(handler);
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    @Override
    public int poll(TraceHandler h) {
        throw new IllegalStateException("a started session polls on its own thread");
    }

    @Override
    public int finish(TraceHandler h) {
        throw new IllegalStateException("a started session finishes in close()");
    }

    @Override
    public Counters counters() {
        return session.counters();
    }

    @Override
    public java.util.List<StatsRow> drainStats() {
        return session.drainStats();
    }

    @Override
    public long statsMapFull() {
        return session.statsMapFull();
    }

    @Override
    public long errnoMapFull() {
        return session.errnoMapFull();
    }

    @Override
    public TraceAttach attachMode() {
        return session.attachMode();
    }

    @Override
    public BufferKind bufferKind() {
        return session.bufferKind();
    }

    @Override
    public BitSet syscalls() {
        return session.syscalls();
    }

    @Override
    public long realtimeOffsetNanos() {
        return session.realtimeOffsetNanos();
    }

    @Override
    public int selfPid() {
        return session.selfPid();
    }

    /** Stops the poller, delivers what is buffered, releases everything; rethrows a handler's failure. */
    @Override
    public void close() {
        stopping = true;
        try {
            poller.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (failure == null && !poller.isAlive()) {
                session.finish(handler);
            }
        } finally {
            session.close();
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }
}
