/*
 * floor - loads bench/floor.bpf.o, attaches one of its empty programs, prints "attached", and
 * stays until killed (the link goes with the process).
 *
 *   floor OBJECT tp       tracepoint syscalls:sys_enter_read
 *   floor OBJECT tp-exit  tracepoint syscalls:sys_exit_read (the hook of `stats`)
 *   floor OBJECT tp-pair  both (the hooks of `trace`)
 *   floor OBJECT raw      raw tracepoint sys_enter (raw_syscalls: every syscall)
 */
#include <bpf/libbpf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *p;
	const char *mode = argc == 3 ? argv[2] : "";
	int enter = strcmp(mode, "tp") == 0 || strcmp(mode, "tp-pair") == 0;
	int exit = strcmp(mode, "tp-exit") == 0 || strcmp(mode, "tp-pair") == 0;
	int raw = strcmp(mode, "raw") == 0;

	if (!enter && !exit && !raw) {
		fprintf(stderr, "usage: floor OBJECT tp|tp-exit|tp-pair|raw\n");
		return 2;
	}
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		perror("floor: open");
		return 1;
	}
	bpf_object__for_each_program(p, obj) {
		const char *name = bpf_program__name(p);

		bpf_program__set_autoload(p, (enter && strcmp(name, "floor_tp") == 0)
					  || (exit && strcmp(name, "floor_tp_exit") == 0)
					  || (raw && strcmp(name, "floor_raw") == 0));
	}
	if (bpf_object__load(obj) != 0) {
		perror("floor: load");
		return 1;
	}
	bpf_object__for_each_program(p, obj) {
		if (bpf_program__autoload(p) && !bpf_program__attach(p)) {
			perror("floor: attach");
			return 1;
		}
	}
	printf("attached %s\n", mode);
	fflush(stdout);
	for (;;)
		pause();
}
