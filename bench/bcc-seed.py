#!/usr/bin/python3
# The seed's original design, on BCC, as a peer for bench/run.sh: a perf buffer whose reader is
# woken for every event, and one line per read()/write() entry of every process but itself:
# '<pid> - hello sys_read was called'. Prints "bcc-seed: attached" on stderr once attached; on
# SIGINT or SIGTERM it flushes and prints "bcc-seed: N lost" on stderr.
# Needs kernel headers (or CONFIG_IKHEADERS): BCC compiles the program at run time.
import os
import signal
import sys

from bcc import BPF

PROGRAM = r"""
struct event { u32 pid; u32 write; };
BPF_PERF_OUTPUT(events);

static int submit(void *ctx, u32 write)
{
	struct event e = { .pid = bpf_get_current_pid_tgid() >> 32, .write = write };
	if (e.pid == SELF)
		return 0;
	events.perf_submit(ctx, &e, sizeof(e));
	return 0;
}

TRACEPOINT_PROBE(syscalls, sys_enter_read) { return submit(args, 0); }
TRACEPOINT_PROBE(syscalls, sys_enter_write) { return submit(args, 1); }
"""

lost = 0
running = True


def on_event(cpu, data, size):
    e = b["events"].event(data)
    out.write("%d - hello sys_%s was called\n" % (e.pid, "write" if e.write else "read"))


def on_lost(n):
    global lost
    lost += n


def stop(signum, frame):
    global running
    running = False


signal.signal(signal.SIGINT, stop)
signal.signal(signal.SIGTERM, stop)
out = sys.stdout
b = BPF(text=PROGRAM, cflags=["-DSELF=%d" % os.getpid()])
b["events"].open_perf_buffer(on_event, lost_cb=on_lost)
out.write("Monitoring sys_read and sys_write calls...\n")
print("bcc-seed: attached", file=sys.stderr, flush=True)
while running:
    b.perf_buffer_poll(timeout=100)
out.flush()
print("bcc-seed: %d lost" % lost, file=sys.stderr, flush=True)
