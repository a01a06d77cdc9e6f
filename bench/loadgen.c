/*
 * loadgen - a syscall loop for benchmarks: prints the mean ns per call.
 *
 *   loadgen read N      N read(fd, buf, 1) from /dev/zero (a traced syscall)
 *   loadgen getppid N   N getppid() (an untraced syscall: what raw_syscalls costs everyone)
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec a, b;
	long n;
	char c;
	int fd;

	if (argc != 3)
		goto usage;
	n = atol(argv[2]);
	fd = open("/dev/zero", O_RDONLY);
	clock_gettime(CLOCK_MONOTONIC, &a);
	if (strcmp(argv[1], "read") == 0) {
		for (long i = 0; i < n; i++)
			if (read(fd, &c, 1) != 1)
				return 1;
	} else if (strcmp(argv[1], "getppid") == 0) {
		for (long i = 0; i < n; i++)
			syscall(SYS_getppid);
	} else {
		goto usage;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.1f\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n);
	return 0;
usage:
	fprintf(stderr, "usage: loadgen read|getppid N\n");
	return 2;
}
