/*
 * syscall_child - a process whose read()/write() calls the tests know exactly.
 *
 *   syscall_child write PATH N SIZE   open PATH, then N write(fd, buf, SIZE)
 *   syscall_child pipe W R            pipe(), then W write(wfd, "x", 1), then R read(rfd, buf, 1)
 *
 * Before the calls it prints "ready <fd>\n" on stdout and blocks in read(0) until the test
 * sends a byte, so the test can attach first; that read's entry happens before the attach.
 * After the calls it exits with _exit(): no stdio flush, no further read or write.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void ready(int fd)
{
	char go;

	printf("ready %d\n", fd);
	fflush(stdout);
	if (read(0, &go, 1) != 1)
		_exit(3);
}

int main(int argc, char **argv)
{
	static char buf[1 << 16];

	if (argc == 5 && strcmp(argv[1], "write") == 0) {
		long n = atol(argv[3]), size = atol(argv[4]);
		int fd = open(argv[2], O_WRONLY);

		if (fd < 0 || size < 0 || size > (long)sizeof(buf))
			return 2;
		ready(fd);
		for (long i = 0; i < n; i++)
			if (write(fd, buf, size) != size)
				_exit(4);
		_exit(0);
	}
	if (argc == 4 && strcmp(argv[1], "pipe") == 0) {
		long w = atol(argv[2]), r = atol(argv[3]);
		int p[2];

		if (pipe(p) != 0 || r > w)
			return 2;
		ready(p[1]);
		for (long i = 0; i < w; i++)
			if (write(p[1], "x", 1) != 1)
				_exit(4);
		for (long i = 0; i < r; i++)
			if (read(p[0], buf, 1) != 1)
				_exit(5);
		_exit(0);
	}
	fprintf(stderr, "usage: syscall_child write PATH N SIZE | pipe W R\n");
	return 2;
}
