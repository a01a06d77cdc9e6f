/*
 * floor - loads bench/floor.bpf.o, attaches one of its empty programs, prints "attached", and
 * stays until killed (the link goes with the process).
 *
 *   floor OBJECT tp    tracepoint syscalls:sys_enter_read
 *   floor OBJECT raw   raw tracepoint sys_enter (raw_syscalls: every syscall)
 */
#include <bpf/libbpf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *prog, *p;
	const char *name;

	if (argc != 3 || (strcmp(argv[2], "tp") != 0 && strcmp(argv[2], "raw") != 0)) {
		fprintf(stderr, "usage: floor OBJECT tp|raw\n");
		return 2;
	}
	name = strcmp(argv[2], "tp") == 0 ? "floor_tp" : "floor_raw";
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		perror("floor: open");
		return 1;
	}
	prog = bpf_object__find_program_by_name(obj, name);
	bpf_object__for_each_program(p, obj)
		bpf_program__set_autoload(p, p == prog);
	if (bpf_object__load(obj) != 0) {
		perror("floor: load");
		return 1;
	}
	if (!bpf_program__attach(prog)) {
		perror("floor: attach");
		return 1;
	}
	printf("attached %s\n", name);
	fflush(stdout);
	for (;;)
		pause();
}
