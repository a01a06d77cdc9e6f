/*
 * loadgen - a syscall loop for benchmarks: prints the mean ns per call.
 *
 *   loadgen [-t THREADS] [-r RATE] [-w] read N      N read(fd, buf, 1) from /dev/zero (a traced syscall)
 *   loadgen [-t THREADS] [-r RATE] [-w] getppid N   N getppid() (an untraced syscall: what raw_syscalls
 *                                         costs everyone)
 *
 * N is the total, split evenly over THREADS threads (default 1) that start together. The
 * result is the wall time of the loop times THREADS / N: what one call costs each thread.
 *
 * -r RATE paces each thread to RATE/THREADS calls per second (sleeping with clock_nanosleep every
 * 1000 calls, a syscall -e read does not see): a steady load for a tracer's sustained rate.
 *
 * -w (gated, for tracers that must attach first): print the pid on a line, wait for SIGUSR1,
 * run the loop, print the result, then wait for a second SIGUSR1 before exiting, so a tracer
 * can be read and stopped while the process is still there. Its comm is the binary's name
 * (loadgen); linked statically (bench/run.sh does), it makes no read() but the loop's.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int fd;
static int is_read;
static double rate; /* calls per second per thread; 0: as fast as possible */
static pthread_barrier_t start;

static void *loop(void *arg)
{
	long n = (long)arg;
	char c;

	pthread_barrier_wait(&start);
	if (is_read && rate > 0) {
		struct timespec t0, due;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (long i = 0; i < n; i++) {
			if (read(fd, &c, 1) != 1)
				exit(1);
			if (i % 1000 == 999) {
				double at = (i + 1) / rate;
				long ns = t0.tv_nsec + (long)((at - (long)at) * 1e9);

				due.tv_sec = t0.tv_sec + (long)at + ns / 1000000000L;
				due.tv_nsec = ns % 1000000000L;
				clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, NULL);
			}
		}
	} else if (is_read) {
		for (long i = 0; i < n; i++)
			if (read(fd, &c, 1) != 1)
				exit(1);
	} else {
		for (long i = 0; i < n; i++)
			syscall(SYS_getppid);
	}
	return NULL;
}

static void await_usr1(const sigset_t *set)
{
	int sig;

	fflush(stdout);
	sigwait(set, &sig);
}

int main(int argc, char **argv)
{
	struct timespec a, b;
	long n, threads = 1;
	int gated = 0, opt;
	sigset_t usr1;
	pthread_t tid[1024];

	while ((opt = getopt(argc, argv, "r:t:w")) != -1) {
		if (opt == 't')
			threads = atol(optarg);
		else if (opt == 'r')
			rate = atof(optarg);
		else if (opt == 'w')
			gated = 1;
		else
			goto usage;
	}
	if (argc - optind != 2 || threads < 1 || threads > 1024 || rate < 0)
		goto usage;
	rate /= threads;
	if (strcmp(argv[optind], "read") == 0)
		is_read = 1;
	else if (strcmp(argv[optind], "getppid") != 0)
		goto usage;
	n = atol(argv[optind + 1]);
	if (n < threads)
		goto usage;
	fd = open("/dev/zero", O_RDONLY);
	if (fd < 0) {
		perror("loadgen: /dev/zero");
		return 1;
	}

	/* Blocked before the pid is printed, so a signal sent as soon as it is read stays pending. */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	if (gated) {
		printf("%d\n", getpid());
		await_usr1(&usr1);
	}

	pthread_barrier_init(&start, NULL, threads + 1);
	for (long t = 0; t < threads; t++) {
		long share = n / threads + (t < n % threads);
		if (pthread_create(&tid[t], NULL, loop, (void *)share) != 0) {
			perror("loadgen: pthread_create");
			return 1;
		}
	}
	pthread_barrier_wait(&start);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long t = 0; t < threads; t++)
		pthread_join(tid[t], NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.1f\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) * threads / n);
	if (gated)
		await_usr1(&usr1);
	return 0;
usage:
	fprintf(stderr, "usage: loadgen [-t THREADS] [-r RATE] [-w] read|getppid N\n");
	return 2;
}
