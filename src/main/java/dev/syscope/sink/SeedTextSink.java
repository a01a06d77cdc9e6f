package dev.syscope.sink;

import dev.syscope.api.SeedHandler;
import dev.syscope.event.SeedEvent;
import dev.syscope.syscalls.Arch;

import java.nio.charset.StandardCharsets;

/**
 * The seed tool's output, byte for byte: a header, then {@code <pid> - hello sys_<name> was called}
 * per event. The per-syscall line tails are built once, so an event costs a few byte copies.
 */
public final class SeedTextSink implements SeedHandler {
    private final LineOutput out;
    private final byte[][] tails;

    public SeedTextSink(LineOutput out, Arch arch) {
        this.out = out;
        this.tails = new byte[arch.maxSyscallNr() + 1][];
        for (int nr = 0; nr <= arch.maxSyscallNr(); nr++) {
            String name = arch.syscallName(nr);
            if (name != null) {
                tails[nr] = tail(name);
            }
        }
    }

    private static byte[] tail(String name) {
        return (" - hello sys_" + name + " was called\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The first header line, printed before loading (loading can take a moment, or fail). */
    public void loading() {
        line("Loading eBPF program");
    }

    /** The rest of the header, once the programs are attached. */
    public void monitoring(int selfPid) {
        line("Monitoring sys_read and sys_write calls...");
        line("Host PID: " + selfPid);
        line("Skipping self PID: " + selfPid);
    }

    private void line(String s) {
        out.write((s + "\n").getBytes(StandardCharsets.UTF_8));
        out.endLine();
    }

    @Override
    public void onEvent(SeedEvent e) {
        out.writeUnsigned(e.pid());
        int nr = e.syscallNr();
        byte[] t = nr >= 0 && nr < tails.length ? tails[nr] : null;
        out.write(t != null ? t : tail(Integer.toString(nr))); // unknown number: rare, may allocate
        out.endLine();
    }
}
