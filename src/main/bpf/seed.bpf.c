// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * seed.bpf.c - seed mode: one event per read()/write() entry.
 *
 * Two hooks (syscall tracepoints, or kprobes on the arch's syscall functions)
 * times two outputs (BPF ring buffer, perf buffer) give eight programs; user
 * space autoloads only the two that its options need. Filters run here, before
 * any buffer space is used. Events that cannot be handed over are counted in
 * `sc_drops`, never lost silently.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "common.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Syscall numbers for the kprobe path, which does not get them from the context. */
#if defined(__TARGET_ARCH_x86)
#define NR_read 0
#define NR_write 1
#elif defined(__TARGET_ARCH_arm64)
#define NR_read 63
#define NR_write 64
#endif

const volatile struct seed_config seed_cfg = {};

/* Anchor: keeps the shared type in the object's BTF so Java can be checked against it. */
const struct seed_event seed_event_btf_anchor __attribute__((unused)) = {};

/* Returns the tgid if this task passes the filters, 0 if it is to be skipped. */
static __always_inline __u32 wanted(__u64 pid_tgid)
{
	__u32 tgid = pid_tgid >> 32;

	if (is_self(tgid, seed_cfg.self_tgid, seed_cfg.self_pidns_dev, seed_cfg.self_pidns_ino, seed_cfg.self_ns_tgid))
		return 0;
	if (seed_cfg.filter_tgid && tgid != seed_cfg.filter_tgid)
		return 0;
	return tgid;
}

static __always_inline void fill(struct seed_event *e, __u64 pid_tgid, int nr, long fd, __u64 count)
{
	e->ts_ns = bpf_ktime_get_ns();
	e->pid = pid_tgid >> 32;
	e->tid = (__u32)pid_tgid;
	e->syscall_nr = nr;
	e->fd = (__s32)fd;
	e->count = count;
	bpf_get_current_comm(&e->comm, sizeof(e->comm));
}

static __always_inline int emit_ringbuf(int nr, long fd, __u64 count)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct seed_event *e;

	if (!wanted(pid_tgid))
		return 0;
	e = bpf_ringbuf_reserve(&sc_ring, sizeof(*e), 0);
	if (!e) {
		count_drop(SYSCOPE_DROP_RINGBUF);
		return 0;
	}
	fill(e, pid_tgid, nr, fd, count);
	/* Never wake the reader: it polls on a short timer and drains in batches. */
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
	return 0;
}

static __always_inline int emit_perfbuf(void *ctx, int nr, long fd, __u64 count)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct seed_event e;

	if (!wanted(pid_tgid))
		return 0;
	fill(&e, pid_tgid, nr, fd, count);
	/* Wakeups are batched by the perf event's watermark, set by user space. */
	if (bpf_perf_event_output(ctx, &sc_perf, BPF_F_CURRENT_CPU, &e, sizeof(e)))
		count_drop(SYSCOPE_DROP_PERFBUF);
	return 0;
}

/* ---- syscall tracepoints ---- */

SEC("tracepoint/syscalls/sys_enter_read")
int sc_tp_read_rb(struct syscalls_enter_ctx *ctx)
{
	return emit_ringbuf(ctx->syscall_nr, ctx->args[0], ctx->args[2]);
}

SEC("tracepoint/syscalls/sys_enter_write")
int sc_tp_write_rb(struct syscalls_enter_ctx *ctx)
{
	return emit_ringbuf(ctx->syscall_nr, ctx->args[0], ctx->args[2]);
}

SEC("tracepoint/syscalls/sys_enter_read")
int sc_tp_read_pb(struct syscalls_enter_ctx *ctx)
{
	return emit_perfbuf(ctx, ctx->syscall_nr, ctx->args[0], ctx->args[2]);
}

SEC("tracepoint/syscalls/sys_enter_write")
int sc_tp_write_pb(struct syscalls_enter_ctx *ctx)
{
	return emit_perfbuf(ctx, ctx->syscall_nr, ctx->args[0], ctx->args[2]);
}

/* ---- kprobes on the arch's syscall functions; user space picks the symbol ---- */

SEC("kprobe")
int BPF_KSYSCALL(sc_kp_read_rb, unsigned int fd, void *buf, __u64 count)
{
	return emit_ringbuf(NR_read, fd, count);
}

SEC("kprobe")
int BPF_KSYSCALL(sc_kp_write_rb, unsigned int fd, const void *buf, __u64 count)
{
	return emit_ringbuf(NR_write, fd, count);
}

SEC("kprobe")
int BPF_KSYSCALL(sc_kp_read_pb, unsigned int fd, void *buf, __u64 count)
{
	return emit_perfbuf(ctx, NR_read, fd, count);
}

SEC("kprobe")
int BPF_KSYSCALL(sc_kp_write_pb, unsigned int fd, const void *buf, __u64 count)
{
	return emit_perfbuf(ctx, NR_write, fd, count);
}
