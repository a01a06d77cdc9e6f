// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * trace.bpf.c - trace mode: every selected syscall as one event, entry paired
 * with exit in the kernel; and stats mode: the same calls counted in per-CPU maps.
 *
 * sys_enter stores the entry time in the thread's task storage (`sc_inflight`);
 * sys_exit reads it, applies the result filters (errors, errno, latency), and
 * emits one trace_event with the six arguments (read from the saved user
 * registers, which still hold them; before Linux 5.15, and for execve, stored
 * at entry), the return value, the latency and, for syscalls with a path
 * argument, the path. Stats mode adds
 * the call to `sc_stats` instead, at exit only unless latency is wanted. Two hook
 * sets share this logic: per-syscall tracepoints (syscalls:sys_{enter,exit}_X,
 * for a few syscalls) and the raw_syscalls tracepoints as BTF programs, with the
 * `trace_cfg.syscalls` bitmap (for many). exit/exit_group are reported at entry
 * (they never return); the kernel frees a thread's storage when it dies.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "common.bpf.h"

#define EEXIST 17	/* asm-generic/errno-base.h: BPF_NOEXIST lost a race with another CPU */
#define E2BIG 7		/* a full hash map refuses a new key */

char LICENSE[] SEC("license") = "Dual BSD/GPL";

const volatile struct trace_config trace_cfg = {};

/* Anchors: keep the shared types in the object's BTF so Java can be checked against them. */
const struct trace_event trace_event_btf_anchor __attribute__((unused)) = {};
const struct trace_inflight trace_inflight_btf_anchor __attribute__((unused)) = {};
const enum syscope_sc syscope_sc_btf_anchor __attribute__((unused)) = SYSCOPE_SC_TRACE;
const enum syscope_ev syscope_ev_btf_anchor __attribute__((unused)) = SYSCOPE_EV_PATH;
const enum syscope_agg syscope_agg_btf_anchor __attribute__((unused)) = SYSCOPE_AGG_OFF;
const struct stats_key stats_key_btf_anchor __attribute__((unused)) = {};
const struct stats_value stats_value_btf_anchor __attribute__((unused)) = {};
const struct errno_key errno_key_btf_anchor __attribute__((unused)) = {};

/*
 * The syscall each thread is in: task-local storage (Linux 5.11+), created at a thread's first
 * traced entry and freed by the kernel with the thread. ts_ns == 0: no syscall in progress.
 */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct trace_inflight);
} sc_inflight SEC(".maps");

struct exec_path {
	__s32 len;
	char path[SYSCOPE_PATH_MAX];
};

/* execve(at) paths, read at entry because a successful exec replaces the memory they were in. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);			/* tid */
	__type(value, struct exec_path);
} sc_execpath SEC(".maps");

#define EVENT_MAX (sizeof(struct trace_event) + SYSCOPE_PATH_MAX)

/* Per-CPU staging for the perf buffer (which copies from memory) and for exec paths. */
struct scratch {
	union {
		struct trace_event ev;
		char buf[EVENT_MAX];
		struct stats_value stats;
	};
	struct exec_path exec;
};

/*
 * Stats mode (and trace mode's overload counts): calls per (pid, syscall, exec), and failures per
 * errno beside them. Each is a pair of per-CPU hashes (sized by user space before load,
 * --max-entries) behind a one-slot map of maps that names the one in use. To drain, user space
 * swaps the spare in; the kernel returns from that update only once every program that could
 * still hold the old map has finished (an RCU grace period), so the old map is read and emptied
 * with no update in flight: not one call is lost between a program's lookup and its increment.
 * The slots start empty and user space fills them after load, both at once: each update costs
 * that grace period (~10 ms here), and libbpf would make them one after the other inside the load.
 * Stats fill them before attaching; trace, whose maps only count what the ring cannot take, does
 * while a large ring takes the first events. A call that found its slot empty counts as a drop.
 * Not preallocated: a preallocated per-CPU hash costs entries x CPUs x value size of memory, and
 * its creation took 15 ms per map here (2 CPUs), 90 ms of a trace's start-up for the six maps
 * (both pairs and libbpf's inner-map templates). An entry is allocated at a key's first call
 * after a drain; the calls after it only look it up.
 */
struct stats_map {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 10240);
	__type(key, struct stats_key);
	__type(value, struct stats_value);
} sc_stats_a SEC(".maps"), sc_stats_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, struct stats_map);
} sc_stats SEC(".maps");

struct errno_map {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 10240);
	__type(key, struct errno_key);
	__type(value, __u64);
} sc_errnos_a SEC(".maps"), sc_errnos_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, struct errno_map);
} sc_errnos SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} sc_scratch SEC(".maps");

/*
 * --container, --containers-only: the cgroups whose tasks are traced (trace_cfg.filter_cgroups),
 * by id. User space fills it from a scan of the cgroup2 mount and refreshes it every second.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, __u8);
} sc_cgroups SEC(".maps");

/*
 * Whether sys_exit reads the arguments from the task's saved user registers (bpf_task_pt_regs,
 * Linux 5.15+; a load-time constant): they still hold them at exit, except after execve, which
 * replaces them. Otherwise sys_enter stores the arguments in task storage.
 */
static __always_inline int args_at_exit(__u8 f)
{
	return bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_task_pt_regs) && !(f & SYSCOPE_SC_EXEC);
}

/* The six arguments of the syscall in progress, from its saved user registers (at entry or exit). */
static __always_inline void regs_args(const struct pt_regs *regs, __u64 *args)
{
#if defined(__TARGET_ARCH_x86)
	args[0] = regs->di;
	args[1] = regs->si;
	args[2] = regs->dx;
	args[3] = regs->r10;
	args[4] = regs->r8;
	args[5] = regs->r9;
#else
	args[0] = regs->orig_x0;	/* x0 holds the return value at exit */
	args[1] = regs->regs[1];
	args[2] = regs->regs[2];
	args[3] = regs->regs[3];
	args[4] = regs->regs[4];
	args[5] = regs->regs[5];
#endif
}

/* The user pointer of the syscall's path argument, if it has one. */
static __always_inline const void *path_ptr(__u8 f, const __u64 *args)
{
	__u32 i = ((f & SYSCOPE_SC_PATH_MASK) >> SYSCOPE_SC_PATH_SHIFT) - 1;

	barrier_var(i);	/* keeps clang from folding the bounds check into the index, which the verifier rejects */
	if (i >= 6)
		return 0;
	return (const void *)args[i];
}

static __always_inline __u8 sc_flags(long nr)
{
	if ((unsigned long)nr >= SYSCOPE_NR_MAX)
		return 0;
	return trace_cfg.syscalls[nr];
}

/*
 * The calling thread's ids are read with plain loads through its BTF pointer (`t`, from
 * bpf_get_current_task_btf(), fetched once per program run), not with the helpers that return
 * them: each helper is a call, and bpf_get_current_uid_gid() also maps the ids through the initial
 * user namespace (an identity). The values are the same: global pid and tgid, the kernel uid.
 * Not the cgroup id: the three pointer hops to it (css_set, cgroup, kernfs node) cost the verifier
 * ~90 ms at load here (it looks each pointer field's type up by name in the kernel's BTF, on every
 * path), for ~10 ns per event.
 */
static __always_inline __u64 task_pid_tgid(const struct task_struct *t)
{
	return (__u64)(__u32)t->tgid << 32 | (__u32)t->pid;
}

static __always_inline __u32 task_uid(const struct task_struct *t)
{
	return t->cred->uid.val;
}

/* The thread's comm, NUL-padded as the kernel keeps it (bpf_get_current_comm() copies byte by byte). */
static __always_inline void thread_comm(const struct task_struct *t, char *dst)
{
	__builtin_memcpy(dst, t->comm, SYSCOPE_COMM_LEN);
}

/* The task filters, checked at entry so unwanted calls never touch a map. */
static __always_inline int wanted(const struct task_struct *t, __u64 pid_tgid)
{
	__u32 tgid = pid_tgid >> 32;

	if (is_self(tgid, trace_cfg.self_tgid, trace_cfg.self_pidns_dev, trace_cfg.self_pidns_ino, trace_cfg.self_ns_tgid))
		return 0;
	if (trace_cfg.tid && (__u32)pid_tgid != trace_cfg.tid)
		return 0;
	if (trace_cfg.npids) {
		int found = 0;

		for (int i = 0; i < SYSCOPE_MAX_PIDS; i++) {
			if (i >= trace_cfg.npids)
				break;
			if (trace_cfg.pids[i] == tgid) {
				found = 1;
				break;
			}
		}
		if (!found)
			return 0;
	}
	if (trace_cfg.filter_uid && task_uid(t) != trace_cfg.uid)
		return 0;
	if (trace_cfg.comm[0]) {
		char comm[SYSCOPE_COMM_LEN];

		thread_comm(t, comm);	/* NUL-padded, as trace_cfg.comm */
		if (*(__u64 *)&comm[0] != *(const volatile __u64 *)&trace_cfg.comm[0]
		    || *(__u64 *)&comm[8] != *(const volatile __u64 *)&trace_cfg.comm[8])
			return 0;
	}
	if (trace_cfg.cgroup_id && bpf_get_current_cgroup_id() != trace_cfg.cgroup_id)
		return 0;
	if (trace_cfg.filter_cgroups) {	/* a constant at load: pruned when off */
		__u64 id = bpf_get_current_cgroup_id();

		if (!bpf_map_lookup_elem(&sc_cgroups, &id))
			return 0;
	}
	return 1;
}

/* Result filters, checked at exit. */
static __always_inline int wanted_result(__s64 ret, __u64 latency)
{
	if (trace_cfg.failed_only && !(ret < 0 && ret >= -4095))
		return 0;
	if (trace_cfg.errno_only && ret != -(__s64)trace_cfg.errno_only)
		return 0;
	if (latency < trace_cfg.min_latency_ns)
		return 0;
	return 1;
}

static __always_inline __u32 log2_bucket(__u64 v)
{
	__u32 r = 0;

	if (v >> 32) { v >>= 32; r += 32; }
	if (v >> 16) { v >>= 16; r += 16; }
	if (v >> 8) { v >>= 8; r += 8; }
	if (v >> 4) { v >>= 4; r += 4; }
	if (v >> 2) { v >>= 2; r += 2; }
	if (v >> 1) { r += 1; }
	return r < SYSCOPE_HIST_BUCKETS ? r : SYSCOPE_HIST_BUCKETS - 1;
}

/* The calling process's name: its thread group leader's comm. */
static __always_inline void process_comm(char *dst)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct task_struct *leader = BPF_CORE_READ(task, group_leader);

	if (!leader || bpf_core_read_str(dst, SYSCOPE_COMM_LEN, &leader->comm) <= 0)
		bpf_get_current_comm(dst, SYSCOPE_COMM_LEN);
}

/* Stats mode: one more failure with errno -ret for (pid, syscall) on this CPU. */
static __always_inline void aggregate_errno(const struct stats_key *row, __s64 ret)
{
	struct errno_key k = {
		.pid = row->pid,
		.syscall_nr = row->syscall_nr,
		.exec_id = row->exec_id,
		.err = -ret,
	};
	__u32 zero = 0;
	void *errnos = bpf_map_lookup_elem(&sc_errnos, &zero);
	__u64 one = 1, *c;
	long err;

	if (!errnos) {
		count_drop(SYSCOPE_DROP_ERRNO_FULL);	/* the slot is not filled yet */
		return;
	}
	c = bpf_map_lookup_elem(errnos, &k);
	if (c) {
		*c += 1;
		return;
	}
	err = bpf_map_update_elem(errnos, &k, &one, BPF_NOEXIST);
	if (err == -EEXIST) {	/* another CPU created it: this CPU's slot is zeroed */
		c = bpf_map_lookup_elem(errnos, &k);
		if (c)
			*c += 1;
	} else if (err) {
		count_drop(SYSCOPE_DROP_ERRNO_FULL);
	}
}

/* Stats mode: adds one call to its (pid, exec, syscall) aggregate on this CPU. */
static __always_inline void aggregate(const struct task_struct *t, __u64 pid_tgid, long nr, __u8 f, __s64 ret,
				      __u64 latency)
{
	struct stats_key k = {
		.pid = pid_tgid >> 32,
		.syscall_nr = nr,
		.exec_id = t->self_exec_id,	/* the process's exec counter: tells its images apart */
	};
	__u32 zero = 0;
	void *stats = bpf_map_lookup_elem(&sc_stats, &zero);
	struct stats_value *v;

	if (!stats) {
		count_drop(SYSCOPE_DROP_STATS_FULL);	/* the slot is not filled yet */
		return;
	}
	v = bpf_map_lookup_elem(stats, &k);
	if (!v) {
		struct scratch *s = bpf_map_lookup_elem(&sc_scratch, &zero);

		if (!s)
			return;
		__builtin_memset(&s->stats, 0, sizeof(s->stats));
		process_comm(s->stats.comm);
		s->stats.cgroup_id = bpf_get_current_cgroup_id();
		/* -EEXIST: another CPU created it meanwhile; this CPU's slot is still zeroed. */
		if (bpf_map_update_elem(stats, &k, &s->stats, BPF_NOEXIST) == -E2BIG) {
			count_drop(SYSCOPE_DROP_STATS_FULL);
			return;
		}
		v = bpf_map_lookup_elem(stats, &k);
		if (!v) {
			count_drop(SYSCOPE_DROP_STATS_FULL);
			return;
		}
		if (!v->comm[0]) {
			process_comm(v->comm);
			v->cgroup_id = bpf_get_current_cgroup_id();
		}
	}
	v->count += 1;	/* per-CPU value: no atomics needed */
	if (ret < 0 && ret >= -4095) {
		v->errors += 1;
		aggregate_errno(&k, ret);
	} else if ((f & SYSCOPE_SC_BYTES) && ret > 0) {
		v->bytes += ret;
	}
	if (trace_cfg.aggregate != SYSCOPE_AGG_COUNT) {
		v->latency_ns += latency;
		v->hist[log2_bucket(latency) & (SYSCOPE_HIST_BUCKETS - 1)] += 1;
	}
}

/*
 * An event the buffer could not take: with --on-overload=aggregate it is counted in sc_stats
 * (user space reports those counts as not streamed), otherwise it is a drop of kind `drop`.
 */
static __always_inline void overflow(const struct task_struct *t, __u64 pid_tgid, long nr, __u8 f, __u64 latency,
				     __s64 ret, __u32 drop)
{
	if (trace_cfg.overload)
		aggregate(t, pid_tgid, nr, f, ret, latency);
	else
		count_drop(drop);
}


/*
 * Emits one event of `size` bytes, with the path when `with_path`. Both are constants at each call
 * site (see emit()), so every inlined copy reserves a fixed size and only the large copy writes
 * a path: older verifiers (6.1) cannot prove a write in bounds when size and path are decided by
 * two separate tests of the same value. `args` points to the six arguments (the in-flight entry
 * or a copy of the entry context); `exec` is the path read at execve's entry, if any.
 */
static __always_inline void emit_sized(void *ctx, const struct task_struct *t, __u64 pid_tgid, long nr, __u8 f, __u64 ts, __u64 latency,
				       const __u64 *args, __s64 ret, __u32 flags, const struct exec_path *exec,
				       const __u32 size, const int with_path)
{
	struct scratch *s;
	struct trace_event *e;
	__u32 zero = 0;

	if (trace_cfg.use_perf) {
		s = bpf_map_lookup_elem(&sc_scratch, &zero);
		if (!s)
			return;
		e = &s->ev;
	} else {
		e = bpf_ringbuf_reserve(&sc_ring, size, 0);
		if (!e) {
			overflow(t, pid_tgid, nr, f, latency, ret, SYSCOPE_DROP_RINGBUF);
			return;
		}
	}
	e->ts_ns = ts;
	e->latency_ns = latency;
	e->cgroup_id = bpf_get_current_cgroup_id();
	for (int i = 0; i < 6; i++)
		e->args[i] = args[i];
	e->ret = ret;
	e->pid = pid_tgid >> 32;
	e->tid = (__u32)pid_tgid;
	e->uid = task_uid(t);
	e->syscall_nr = nr;
	e->path_len = 0;
	thread_comm(t, e->comm);
	if (with_path) {
		char *path = (char *)(e + 1);

		flags |= SYSCOPE_EV_PATH;
		if (exec) {
			e->path_len = exec->len;
			bpf_probe_read_kernel(path, SYSCOPE_PATH_MAX, exec->path);
		} else {
			/* At exit the kernel has just read this string, so its pages are resident. */
			e->path_len = bpf_probe_read_user_str(path, SYSCOPE_PATH_MAX, path_ptr(f, args));
		}
	}
	e->flags = flags;
	if (trace_cfg.use_perf) {
		if (bpf_perf_event_output(ctx, &sc_perf, BPF_F_CURRENT_CPU, e, size))
			overflow(t, pid_tgid, nr, f, latency, ret, SYSCOPE_DROP_PERFBUF);
	} else {
		/* Never wake the reader: it polls on a short timer and drains in batches. */
		bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
	}
}

/* One event; with the path argument for syscalls that have one (a larger record). */
static __always_inline void emit(void *ctx, const struct task_struct *t, __u64 pid_tgid, long nr, __u8 f, __u64 ts, __u64 latency, const __u64 *args,
				 __s64 ret, __u32 flags, const struct exec_path *exec)
{
	if (f & SYSCOPE_SC_PATH_MASK)
		emit_sized(ctx, t, pid_tgid, nr, f, ts, latency, args, ret, flags, exec, EVENT_MAX, 1);
	else
		emit_sized(ctx, t, pid_tgid, nr, f, ts, latency, args, ret, flags, exec, sizeof(struct trace_event), 0);
}

static __always_inline void on_enter(void *ctx, long nr, const __u64 *args)
{
	__u8 f = sc_flags(nr);
	struct trace_inflight *in;
	struct task_struct *t;
	__u64 pid_tgid;

	if (!(f & SYSCOPE_SC_TRACE))
		return;
	t = bpf_get_current_task_btf();
	pid_tgid = task_pid_tgid(t);
	if (!wanted(t, pid_tgid))
		return;
	if (f & SYSCOPE_SC_NORETURN) {
		/* exit/exit_group: there is no sys_exit to pair with; report now, store nothing. */
		if (!wanted_result(0, ~0ULL))
			return;
		if (trace_cfg.aggregate)
			aggregate(t, pid_tgid, nr, f, 0, 0);
		else
			emit(ctx, t, pid_tgid, nr, f, bpf_ktime_get_ns(), 0, args, 0, SYSCOPE_EV_NORETURN, 0);
		return;
	}
	if (trace_cfg.aggregate == SYSCOPE_AGG_COUNT)
		return;		/* counted at exit */
	in = bpf_task_storage_get(&sc_inflight, t, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!in) {
		count_drop(SYSCOPE_DROP_INFLIGHT);
		return;
	}
	if (!trace_cfg.aggregate && !args_at_exit(f))	/* stats need no arguments */
		for (int i = 0; i < 6; i++)
			in->args[i] = args[i];
	in->ts_ns = bpf_ktime_get_ns();
	if ((f & SYSCOPE_SC_EXEC) && !trace_cfg.aggregate) {
		__u32 zero = 0, tid = (__u32)pid_tgid;
		struct scratch *s = bpf_map_lookup_elem(&sc_scratch, &zero);

		if (!s)
			return;
		s->exec.len = bpf_probe_read_user_str(s->exec.path, SYSCOPE_PATH_MAX, path_ptr(f, args));
		bpf_map_update_elem(&sc_execpath, &tid, &s->exec, BPF_ANY);
	}
}

/* regs: the saved user registers (tp_btf), or 0 where the context has none. */
static __always_inline void on_exit(void *ctx, long nr, __s64 ret, const struct pt_regs *regs)
{
	__u8 f = sc_flags(nr);
	struct trace_inflight *in;
	struct exec_path *exec = 0;
	struct task_struct *t;
	__u64 pid_tgid, latency;
	__u32 tid;

	if (!(f & SYSCOPE_SC_TRACE))
		return;
	t = bpf_get_current_task_btf();
	pid_tgid = task_pid_tgid(t);
	if (trace_cfg.aggregate == SYSCOPE_AGG_COUNT) {
		/* One hook per call: the task filters are checked here, and no latency is known. */
		if (wanted(t, pid_tgid) && wanted_result(ret, 0))
			aggregate(t, pid_tgid, nr, f, ret, 0);
		return;
	}
	in = bpf_task_storage_get(&sc_inflight, t, 0, 0);
	if (!in || !in->ts_ns)
		return;		/* entered before we attached, or filtered at entry */
	tid = (__u32)pid_tgid;
	if (f & SYSCOPE_SC_EXEC)
		exec = bpf_map_lookup_elem(&sc_execpath, &tid);
	latency = bpf_ktime_get_ns() - in->ts_ns;
	if (wanted_result(ret, latency)) {
		if (trace_cfg.aggregate) {
			aggregate(t, pid_tgid, nr, f, ret, latency);
		} else {
			/* One array for both sources, so that emit() is inlined, and verified, once. */
			__u64 args[6];

			/*
			 * The barriers keep clang from merging the two branches' loads into one instruction
			 * through either pointer, which the verifier refuses.
			 */
			if (args_at_exit(f)) {
				if (!regs)	/* a per-syscall tracepoint: no registers in the context */
					regs = (const struct pt_regs *)bpf_task_pt_regs(t);
				regs_args(regs, args);
				barrier();
			} else {
				for (int i = 0; i < 6; i++)
					args[i] = in->args[i];
				barrier();
			}
			emit(ctx, t, pid_tgid, nr, f, in->ts_ns, latency, args, ret, 0, exec);
		}
	}
	if (exec)
		bpf_map_delete_elem(&sc_execpath, &tid);
	in->ts_ns = 0;
}

/* ---- per-syscall tracepoints: attached to syscalls:sys_{enter,exit}_X for each selected X ---- */

SEC("tracepoint/syscalls/sys_enter_X")
int sc_sys_enter(struct syscalls_enter_ctx *ctx)
{
	__u64 args[6];

	/*
	 * A copy, because the context may not be indexed with a variable (the path argument's
	 * index), read with a helper, because the kernel refuses to attach a program whose direct
	 * context reads go past the event's record, which only holds the syscall's own arguments.
	 * Slots beyond them hold whatever follows the record.
	 */
	long nr = ctx->syscall_nr;
	__u8 f = sc_flags(nr);

	/* Stats need no arguments; trace needs them here only for what cannot wait for the exit. */
	if (trace_cfg.aggregate || (args_at_exit(f) && !(f & SYSCOPE_SC_NORETURN)))
		__builtin_memset(args, 0, sizeof(args));
	else
		bpf_probe_read_kernel(args, sizeof(args), ctx->args);
	on_enter(ctx, nr, args);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_X")
int sc_sys_exit(struct syscalls_exit_ctx *ctx)
{
	on_exit(ctx, ctx->syscall_nr, ctx->ret, 0);
	return 0;
}

/*
 * ---- raw_syscalls: every syscall, filtered by the trace_cfg.syscalls bitmap. BTF-typed raw
 * tracepoints (tp_btf): the registers are read with plain loads, not probe reads ----
 */

SEC("tp_btf/sys_enter")
int BPF_PROG(sc_raw_enter, struct pt_regs *regs, long nr)
{
	__u64 args[6];

	if (!(sc_flags(nr) & SYSCOPE_SC_TRACE))
		return 0;	/* the common case for unselected syscalls: no register reads */
	if (trace_cfg.aggregate)	/* stats need no arguments */
		__builtin_memset(args, 0, sizeof(args));
	else
		regs_args(regs, args);	/* plain loads: cheaper than deciding whether the exit will read them */
	on_enter(ctx, nr, args);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sc_raw_exit, struct pt_regs *regs, long ret)
{
#if defined(__TARGET_ARCH_x86)
	on_exit(ctx, regs->orig_ax, ret, regs);
#else
	on_exit(ctx, regs->syscallno, ret, regs);
#endif
	return 0;
}

/*
 * ---- execve from a thread other than the leader: de_thread() gives it the leader's tid, so
 * its sys_exit comes with another tid than its sys_enter; move the exec path over (the task
 * storage moves with the task) ----
 */

SEC("raw_tp/sched_process_exec")
int sc_exec_rekey(struct bpf_raw_tracepoint_args *ctx)
{
	__u32 old = (__u32)ctx->args[1];	/* TP_PROTO(task, old_pid, bprm) */
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct exec_path *path;

	if (old == tid)
		return 0;
	path = bpf_map_lookup_elem(&sc_execpath, &old);
	if (path) {
		bpf_map_update_elem(&sc_execpath, &tid, path, BPF_ANY);
		bpf_map_delete_elem(&sc_execpath, &old);
	}
	return 0;
}

/* ---- cleanup: a thread that dies inside execve leaves no exec path behind ---- */

SEC("raw_tp/sched_process_exit")
int sc_thread_exit(void *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	bpf_map_delete_elem(&sc_execpath, &tid);
	return 0;
}
