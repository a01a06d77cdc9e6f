package dev.syscope.probe;

import dev.syscope.api.AttachMode;
import dev.syscope.api.BufferKind;
import dev.syscope.api.Counters;
import dev.syscope.api.SeedHandler;
import dev.syscope.api.SeedOptions;
import dev.syscope.api.SeedSession;
import dev.syscope.api.Syscope;
import dev.syscope.api.SyscopeException;
import dev.syscope.bpf.BpfLink;
import dev.syscope.bpf.BpfMap;
import dev.syscope.bpf.BpfObject;
import dev.syscope.bpf.EventReader;
import dev.syscope.bpf.KernelSupport;
import dev.syscope.bpf.PerfBufferReader;
import dev.syscope.bpf.RecordHandler;
import dev.syscope.bpf.RingBufferReader;
import dev.syscope.event.SeedEvent;
import dev.syscope.syscalls.Arch;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;

/**
 * Seed mode's use of the BPF object: picks the two programs the options need (hook × buffer),
 * writes the filters into .rodata, loads, attaches, and reads. The lifecycle is
 * open → configure → load → attach → poll → close, all owned by this one AutoCloseable.
 *
 * <p>Attach ladder for AUTO: kprobes when the kernel has them, otherwise (or if they fail to
 * attach) syscall tracepoints; the decision goes to the log.
 */
public final class SeedProbe extends KernelSession implements SeedSession {
    static final String OBJECT_NAME = "seed";
    static final String[] SYSCALLS = {"read", "write"};

    private final AttachMode attached;
    private final BufferKind buffer;
    private final Self self;
    private final boolean includeSelf;
    private final SeedEvent view = new SeedEvent();
    private final RecordHandler onRecord = this::onRecord;
    private SeedHandler handler;
    private long received;
    private long malformed;

    private SeedProbe(BpfObject obj, List<BpfLink> links, EventReader reader,
                      AttachMode attached, BufferKind buffer, Self self, boolean includeSelf, int pollMillis) {
        super(obj, links, reader, pollMillis);
        this.attached = attached;
        this.buffer = buffer;
        this.self = self;
        this.includeSelf = includeSelf;
    }

    /** Loads and attaches according to {@code o}; see {@link dev.syscope.api.Syscope#seed}. */
    public static SeedSession open(SeedOptions o) {
        Consumer<String> log = o.log();
        Loader.requireEnvironment(log);
        Arch arch = Syscope.arch();
        byte[] elf = Loader.objectBytes(OBJECT_NAME, arch);
        Self self = Self.detect(); // outside the initial PID namespace, see hostPidNamespace()

        o = o.withBuffer(Loader.buffer(o.buffer(), KernelSupport.ringBuffer(), log));
        switch (o.attach()) {
            case TRACEPOINT:
                return start(elf, arch, AttachMode.TRACEPOINT, o, self);
            case KPROBE:
                if (!KernelFeatures.kprobes()) {
                    throw kprobesMissing();
                }
                return start(elf, arch, AttachMode.KPROBE, o, self);
            default:
                if (KernelFeatures.kprobes()) {
                    try {
                        SeedProbe p = start(elf, arch, AttachMode.KPROBE, o, self);
                        log.accept("attach: auto: using kprobes on " + arch.syscallSymbol("read") + "/" + arch.syscallSymbol("write"));
                        return p;
                    } catch (SyscopeException.PermissionDenied e) {
                        throw e;
                    } catch (SyscopeException e) {
                        log.accept("attach: auto: kprobes failed (" + e.getMessage() + "); falling back to tracepoints");
                    }
                } else {
                    log.accept("attach: auto: kprobes unavailable (CONFIG_KPROBES is not set: no "
                            + KernelFeatures.KPROBE_PMU + "); falling back to tracepoints");
                }
                SeedProbe p = start(elf, arch, AttachMode.TRACEPOINT, o, self);
                log.accept("attach: using tracepoints syscalls:sys_enter_read/sys_enter_write");
                return p;
        }
    }

    static SyscopeException.Unsupported kprobesMissing() {
        return new SyscopeException.Unsupported("kprobes", "kprobes are not available on this kernel: CONFIG_KPROBES is not set (no "
                + KernelFeatures.KPROBE_PMU + "); use --attach tracepoint (or auto)");
    }

    /** The program name for one hook, syscall and buffer, as in seed.bpf.c. */
    static String programName(AttachMode hook, String syscall, BufferKind buffer) {
        return "sc_" + (hook == AttachMode.KPROBE ? "kp" : "tp") + "_" + syscall + "_" + (buffer == BufferKind.RING ? "rb" : "pb");
    }

    private static SeedProbe start(byte[] elf, Arch arch, AttachMode hook, SeedOptions o, Self self) {
        BpfObject obj = null;
        List<BpfLink> links = new ArrayList<>();
        EventReader reader = null;
        try {
            obj = BpfObject.open(elf, OBJECT_NAME);
            configure(obj, hook, o, self);
            Loader.load(obj);
            for (String sc : SYSCALLS) {
                var prog = obj.program(programName(hook, sc, o.buffer()));
                links.add(hook == AttachMode.KPROBE
                        ? prog.attachKprobe(arch.syscallSymbol(sc))
                        : prog.attachTracepoint("syscalls", "sys_enter_" + sc));
            }
            reader = o.buffer() == BufferKind.RING
                    ? new RingBufferReader(obj.map("sc_ring"))
                    : new PerfBufferReader(obj.map("sc_perf"), o.perfPagesPerCpu());
            return new SeedProbe(obj, links, reader, hook, o.buffer(), self, o.includeSelf(), o.pollMillis());
        } catch (RuntimeException e) {
            release(links, reader, obj);
            throw Loader.translate(e, hook == AttachMode.TRACEPOINT);
        }
    }

    /** Autoloads only the chosen programs, creates only the chosen buffer, writes .rodata. */
    private static void configure(BpfObject obj, AttachMode hook, SeedOptions o, Self self) {
        for (AttachMode h : List.of(AttachMode.TRACEPOINT, AttachMode.KPROBE)) {
            for (BufferKind b : BufferKind.values()) {
                for (String sc : SYSCALLS) {
                    obj.program(programName(h, sc, b)).autoload(h == hook && b == o.buffer());
                }
            }
        }
        BpfMap ring = obj.map("sc_ring");
        ring.autocreate(o.buffer() == BufferKind.RING);
        ring.maxEntries(o.ringBufferBytes());
        obj.map("sc_perf").autocreate(o.buffer() == BufferKind.PERF);

        BpfMap rodata = obj.map(".rodata");
        byte[] init = rodata.initialValue();
        long cfg = obj.btf().variableOffset(".rodata", "seed_cfg");
        MemorySegment m = MemorySegment.ofArray(init);
        m.set(JAVA_INT_UNALIGNED, cfg + SeedConfigLayout.FILTER_TGID, o.pid());
        if (!o.includeSelf()) {
            Loader.writeSelf(m, cfg, self, SeedConfigLayout.SELF_TGID, SeedConfigLayout.SELF_PIDNS_DEV,
                    SeedConfigLayout.SELF_PIDNS_INO, SeedConfigLayout.SELF_NS_TGID);
        }
        rodata.initialValue(init);
    }

    private void onRecord(MemorySegment data, long offset, int length) {
        if (view.wrap(data, offset, length)) {
            received++;
            handler.onEvent(view);
        } else {
            malformed++;
        }
    }

    @Override
    public int poll(SeedHandler h) {
        return drain(h, true);
    }

    private int drain(SeedHandler h, boolean wait) {
        handler = h;
        try {
            return pollRecords(onRecord, wait);
        } finally {
            handler = null;
        }
    }

    @Override
    Counters liveCounters() {
        return new Counters(received, bufferLoss() + malformed);
    }

    @Override
    public AttachMode attachMode() {
        return attached;
    }

    @Override
    public BufferKind bufferKind() {
        return buffer;
    }

    @Override
    public int selfPid() {
        return includeSelf ? 0 : self.pid();
    }

    @Override
    public boolean hostPidNamespace() {
        return self.inInitialPidNamespace();
    }

    @Override
    public int finish(SeedHandler h) {
        return detachAndDrain(() -> drain(h, false));
    }
}
