/*
 * count - counts the non-overlapping occurrences of PATTERN in its input (stdin, or FILE) and
 * prints the number: bench/run.sh's reader, which counts one process's events in a tracer's
 * output as fast as it comes, e.g. count '"pid":1234,' for syscope's JSON Lines.
 *
 *   count [-m MARK -s FILE] [-e TEXT] [-p FILE] PATTERN < INPUT
 *
 * -m MARK -s FILE   once MARK has come, write it to FILE (a tracer's "attached" line that must
 *                   go into the same pipe as its events, as bpftrace's BEGIN printf)
 * -e TEXT           copy the lines holding TEXT to stderr (e.g. bpftrace's "Lost N events")
 * -p FILE           keep the count so far in FILE (replaced at most every 50 ms, and when the
 *                   input pauses for 50 ms): how far a tracer has delivered
 *
 * MARK and TEXT are looked for within each read(): they must come in one write() (a pipe
 * keeps writes of up to PIPE_BUF bytes whole). PATTERN may straddle two reads.
 */
#define _GNU_SOURCE /* memmem */
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char buf[1 << 20];

/* Copies the line around each occurrence of text in [p, end) to stderr. */
static void echo_lines(const char *p, const char *end, const char *text)
{
	size_t len = strlen(text);

	while ((p = memmem(p, end - p, text, len)) != NULL) {
		const char *nl = memchr(p, '\n', end - p);
		const char *stop = nl ? nl : end;

		fprintf(stderr, "%.*s\n", (int)(stop - p), p);
		p = stop;
	}
}

/* Replaces file with "n\n" (written aside, then renamed: a reader never sees half of it). */
static int progress(const char *file, long long n)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", file);
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%lld\n", n) < 0 || fclose(f) != 0 || rename(tmp, file) != 0) {
		perror(file);
		return -1;
	}
	return 0;
}

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	const char *pat, *mark = NULL, *mark_file = NULL, *echo = NULL, *prog = NULL;
	size_t len, have = 0;
	long long n = 0, shown = -1, shown_at = 0;
	ssize_t r;
	int opt;

	while ((opt = getopt(argc, argv, "m:s:e:p:")) != -1) {
		if (opt == 'm')
			mark = optarg;
		else if (opt == 's')
			mark_file = optarg;
		else if (opt == 'e')
			echo = optarg;
		else if (opt == 'p')
			prog = optarg;
		else
			goto usage;
	}
	if (argc - optind != 1 || argv[optind][0] == '\0' || !mark != !mark_file)
		goto usage;
	pat = argv[optind];
	len = strlen(pat);
	if (len >= sizeof(buf) / 2) {
		fprintf(stderr, "count: pattern too long\n");
		return 2;
	}
	if (prog) {
		if (progress(prog, 0) != 0)
			return 1;
		shown = 0;
		shown_at = now_ms();
	}
	for (;;) {
		char *p, *end;

		if (prog && n != shown) {
			struct pollfd in = { .fd = 0, .events = POLLIN };

			if (now_ms() - shown_at >= 50 || poll(&in, 1, 50) == 0) {
				if (progress(prog, n) != 0)
					return 1;
				shown = n;
				shown_at = now_ms();
			}
		}
		r = read(0, buf + have, sizeof(buf) - have);
		if (r <= 0)
			break;
		p = buf;
		end = buf + have + r;
		if (mark && memmem(buf + have, r, mark, strlen(mark))) {
			FILE *f = fopen(mark_file, "w");

			if (!f || fprintf(f, "%s\n", mark) < 0 || fclose(f) != 0) {
				perror(mark_file);
				return 1;
			}
			mark = NULL;
		}
		if (echo)
			echo_lines(buf + have, end, echo);
		while ((p = memmem(p, end - p, pat, len)) != NULL) {
			n++;
			p += len;
		}
		/* Keep the last len-1 bytes: a match may straddle two reads. */
		have = len - 1 < (size_t)(end - buf) ? len - 1 : (size_t)(end - buf);
		memmove(buf, end - have, have);
	}
	if (r < 0) {
		perror("count: read");
		return 1;
	}
	printf("%lld\n", n);
	return 0;
usage:
	fprintf(stderr, "usage: count [-m MARK -s FILE] [-e TEXT] [-p FILE] PATTERN < INPUT\n");
	return 2;
}
