/*
 * syscall_child - a process whose syscalls the tests know exactly.
 *
 *   syscall_child write PATH N SIZE   open PATH, then N write(fd, buf, SIZE)
 *   syscall_child pacedwrite PATH N SIZE US
 *                                     the same, sleeping US microseconds (nanosleep) after each
 *   syscall_child pipe W R            pipe(), then W write(wfd, "x", 1), then R read(rfd, buf, 1)
 *   syscall_child open PATH1 PATH2    open(PATH1, O_RDONLY), then open(PATH2, O_RDONLY)
 *   syscall_child getpid N            N getpid() syscalls
 *   syscall_child thread              a second thread blocks in read(); prints "blocked",
 *                                     waits for another byte on stdin, then exits the process
 *   syscall_child execthread PROG     a second thread execs PROG (so it takes over the pid)
 *   syscall_child readwrite W WS R RS W write(/dev/null, buf, WS), then R read(/dev/zero, buf, RS)
 *   syscall_child failopen N          N open() of a path that does not exist
 *   syscall_child storm T MS          T threads alternate getpid() and read(/dev/zero, buf, 1) for
 *                                     MS milliseconds, then it prints "calls <getpid> <read>"
 *   syscall_child hostile             renames itself to "\x1b[31m\xc3\xa9v\xff\\" (an escape sequence,
 *                                     valid and invalid UTF-8, a backslash), then opens a
 *                                     300-byte path that does not exist
 *
 * Before the calls it prints "ready <fd>\n" on stdout and blocks in read(0) until the test
 * sends a byte, so the test can attach first; that read's entry happens before the attach.
 * After the calls it exits with _exit(): no stdio flush, no further read or write.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int block_fd;

static char *exec_prog;

static void *execer(void *arg)
{
	char *argv[] = {exec_prog, NULL};

	(void)arg;
	execv(exec_prog, argv);
	_exit(6);
}

static void *blocker(void *arg)
{
	char c;

	(void)arg;
	(void)read(block_fd, &c, 1);	/* never returns: nothing writes to the pipe */
	return NULL;
}

static long storm_ms;
static int storm_fd;

struct storm_count {
	long getpid;
	long read;
};

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);	/* vDSO: not a syscall */
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *stormer(void *arg)
{
	struct storm_count *c = arg;
	long end = now_ms() + storm_ms;
	char b;

	do {
		for (int i = 0; i < 256; i++) {
			syscall(SYS_getpid);
			c->getpid++;
			if (read(storm_fd, &b, 1) == 1)
				c->read++;
		}
	} while (now_ms() < end);
	return NULL;
}

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
	if (argc == 6 && strcmp(argv[1], "pacedwrite") == 0) {
		long n = atol(argv[3]), size = atol(argv[4]), us = atol(argv[5]);
		struct timespec pause = {us / 1000000, (us % 1000000) * 1000};
		int fd = open(argv[2], O_WRONLY);

		if (fd < 0 || size < 0 || size > (long)sizeof(buf) || us < 0)
			return 2;
		ready(fd);
		for (long i = 0; i < n; i++) {
			if (write(fd, buf, size) != size)
				_exit(4);
			nanosleep(&pause, NULL);
		}
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
	if (argc == 4 && strcmp(argv[1], "open") == 0) {
		ready(-1);
		if (open(argv[2], O_RDONLY) < 0)
			_exit(4);
		if (open(argv[3], O_RDONLY) >= 0)
			_exit(5);
		_exit(0);
	}
	if (argc == 3 && strcmp(argv[1], "getpid") == 0) {
		long n = atol(argv[2]);

		ready(-1);
		for (long i = 0; i < n; i++)
			syscall(SYS_getpid);
		_exit(0);
	}
	if (argc == 2 && strcmp(argv[1], "thread") == 0) {
		int p[2];
		pthread_t t;

		if (pipe(p) != 0)
			return 2;
		block_fd = p[0];
		ready(-1);
		if (pthread_create(&t, NULL, blocker, NULL) != 0)
			_exit(4);
		usleep(200000);		/* let the thread enter read() */
		printf("blocked\n");
		fflush(stdout);
		ready(-1);
		_exit(0);		/* exit_group: the blocked thread dies inside read() */
	}
	if (argc == 3 && strcmp(argv[1], "execthread") == 0) {
		pthread_t t;

		exec_prog = argv[2];
		ready(-1);
		if (pthread_create(&t, NULL, execer, NULL) != 0)
			_exit(4);
		pause();	/* the exec ends this thread */
		_exit(5);
	}
	if (argc == 6 && strcmp(argv[1], "readwrite") == 0) {
		long w = atol(argv[2]), ws = atol(argv[3]), r = atol(argv[4]), rs = atol(argv[5]);
		int out = open("/dev/null", O_WRONLY), in = open("/dev/zero", O_RDONLY);

		if (out < 0 || in < 0 || ws > (long)sizeof(buf) || rs > (long)sizeof(buf))
			return 2;
		ready(out);
		for (long i = 0; i < w; i++)
			if (write(out, buf, ws) != ws)
				_exit(4);
		for (long i = 0; i < r; i++)
			if (read(in, buf, rs) != rs)
				_exit(5);
		_exit(0);
	}
	if (argc == 3 && strcmp(argv[1], "failopen") == 0) {
		long n = atol(argv[2]);

		ready(-1);
		for (long i = 0; i < n; i++)
			if (open("/nonexistent/syscope-test", O_RDONLY) >= 0)
				_exit(4);
		_exit(0);
	}
	if (argc == 4 && strcmp(argv[1], "storm") == 0) {
		int n = atoi(argv[2]);
		pthread_t t[64];
		struct storm_count c[64] = {0};
		long g = 0, r = 0;

		storm_ms = atol(argv[3]);
		storm_fd = open("/dev/zero", O_RDONLY);
		if (n < 1 || n > 64 || storm_fd < 0)
			_exit(4);
		ready(storm_fd);
		for (int i = 0; i < n; i++)
			if (pthread_create(&t[i], NULL, stormer, &c[i]) != 0)
				_exit(5);
		for (int i = 0; i < n; i++) {
			pthread_join(t[i], NULL);
			g += c[i].getpid;
			r += c[i].read;
		}
		printf("calls %ld %ld\n", g, r);
		fflush(stdout);
		_exit(0);
	}
	if (argc == 2 && strcmp(argv[1], "hostile") == 0) {
		char path[301];

		memset(path, 'a', sizeof(path) - 1);
		path[0] = '/';
		path[sizeof(path) - 1] = 0;
		ready(-1);
		if (prctl(PR_SET_NAME, "\x1b[31m\xc3\xa9v\xff\\", 0, 0, 0) != 0)
			_exit(3);
		if (open(path, O_RDONLY) >= 0)
			_exit(4);
		_exit(0);
	}
	fprintf(stderr, "usage: syscall_child write PATH N SIZE | pacedwrite PATH N SIZE US | pipe W R | open PATH1 PATH2 | getpid N | thread | execthread PROG | readwrite W WS R RS | failopen N | storm T MS | hostile\n");
	return 2;
}
