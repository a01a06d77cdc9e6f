/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * kernel_types.h - the few kernel types the BPF programs touch, instead of
 * a multi-megabyte vmlinux.h. preserve_access_index makes every field access a
 * CO-RE relocation, so libbpf fixes the offsets up against the running
 * kernel's BTF at load time; only the field names have to match.
 */
#ifndef SYSCOPE_KERNEL_TYPES_H
#define SYSCOPE_KERNEL_TYPES_H

/* Tells bpf_tracing.h to use the kernel's register names (di, regs[0], ...). */
#define __VMLINUX_H__

#if defined(__TARGET_ARCH_x86)
struct pt_regs {
	unsigned long r10;
	unsigned long r9;
	unsigned long r8;
	unsigned long ax;
	unsigned long cx;
	unsigned long dx;
	unsigned long si;
	unsigned long di;
	unsigned long orig_ax;	/* the syscall number */
	unsigned long ip;
	unsigned long sp;
	unsigned long bp;
} __attribute__((preserve_access_index));
#elif defined(__TARGET_ARCH_arm64)
struct user_pt_regs {
	__u64 regs[31];
	__u64 sp;
	__u64 pc;
	__u64 pstate;
} __attribute__((preserve_access_index));
struct pt_regs {
	union {
		struct user_pt_regs user_regs;
		struct {
			__u64 regs[31];
			__u64 sp;
			__u64 pc;
			__u64 pstate;
		};
	};
	__u64 orig_x0;
	__s32 syscallno;
} __attribute__((preserve_access_index));
#else
#error "syscope's BPF programs support __TARGET_ARCH_x86 and __TARGET_ARCH_arm64"
#endif

typedef struct {
	__u32 val;
} kuid_t;

struct cred {
	kuid_t uid;
} __attribute__((preserve_access_index));

/*
 * Stats name a process by its thread group leader's comm, as ps does, not by the calling thread's,
 * and tell process images apart by self_exec_id (u32 before Linux 5.7, u64 since: the low half,
 * read as a u32, is the same on little-endian machines). pid, tgid and cred->uid are read by every
 * trace event (trace.bpf.c, task_pid_tgid and task_uid).
 */
struct task_struct {
	struct task_struct *group_leader;
	char comm[16];
	__u32 self_exec_id;
	int pid;
	int tgid;
	const struct cred *cred;
} __attribute__((preserve_access_index));

#endif /* SYSCOPE_KERNEL_TYPES_H */
