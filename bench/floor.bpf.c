// SPDX-License-Identifier: GPL-2.0
/* The floor of bench/run.sh: empty programs, so a hook's cost is measured with nothing in it. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("tracepoint/syscalls/sys_enter_read")
int floor_tp(void *ctx)
{
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_read")
int floor_tp_exit(void *ctx)
{
	return 0;
}

SEC("raw_tp/sys_enter")
int floor_raw(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
