package dev.syscope.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** `syscope trace` and `syscope list` input errors: checked before anything is loaded. */
class TraceUsageTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "trace -e xyz                 | unknown syscall 'xyz' (see 'syscope list')",
        "trace -e opnat               | unknown syscall 'opnat' (see 'syscope list'); did you mean 'openat'?",
        "trace -e %bogus              | unknown syscall class '%bogus'",
        "trace -p 0                   | --pid must be between 1 and 4194304: '0'",
        "trace -p abc                 | Invalid value for option '--pid'",
        "trace --duration abc         | 'abc' is not a duration",
        "trace --min-latency 1parsec  | is not a duration",
        "trace --failed --errno ENOENT | --failed and --errno conflict",
        "trace --errno ENOTANERRNO    | unknown errno 'ENOTANERRNO'",
        "trace -c averyveryverylongcommandname | a command name has 1 to 15 bytes",
        "trace -u nosuchuser_syscope  | --uid: unknown user 'nosuchuser_syscope'",
        "trace -n 0                   | --count must be positive",
        "trace --cgroup /nonexistent-cgroup | not a cgroup v2 directory",
        "trace --container 3F4A             | --container takes a container id or its prefix (1 to 64 hex digits, as docker ps shows): '3F4A'",
        "trace --container=                 | --container needs an id or a prefix of one; for every container use --containers-only",
        "stats --container 12345678901234567890123456789012345678901234567890123456789012345 | --container takes a container id",
        "trace -o xml                 | Invalid value for option '--output'",
        "trace --buffer-size 3000     | must be a power of two from 4K to 1G",
        "trace --buffer-size 2G       | must be a power of two from 4K to 1G",
        "trace --buffer-size lots     | is not a size",
        "list bogus                   | unknown syscall 'bogus'",
        "stats --by pid,comm          | --by takes process, syscall or process,syscall",
        "stats --top -1               | --top must be positive",
        "stats --max-entries 0        | --max-entries must be positive",
        "stats -e xyz                 | unknown syscall 'xyz' (see 'syscope list')",
        "stats --interval 0           | must be greater than 0",
        "trace -p -5                  | --pid must be between 1 and 4194304: '-5'",
        "trace -p 4194305             | --pid must be between 1 and 4194304: '4194305'",
        "trace -p 99999999999         | '99999999999' is not an int",
        "trace --tid -1               | --tid must be between 1 and 4194304",
        "trace --duration -1          | '-1' is not a duration",
        "trace --duration 0           | '0' must be greater than 0 and at most 366 days",
        "trace --duration 99999999h   | must be greater than 0 and at most 366 days",
        "trace -n -1                  | --count must be positive: '-1'",
        "trace -n 99999999999999999999999 | is not a long",
        "trace --min-latency -5ms     | '-5ms' is not a duration",
        "trace --buffer-size 0        | must be a power of two from 4K to 1G",
        "trace -e %                   | unknown syscall class '%'",
        "trace --bogus                | Unknown option: '--bogus'",
        "trace -c 0123456789abcdef    | a command name has 1 to 15 bytes",
        "stats --interval -1          | '-1' is not a duration",
        "stats --interval 99999999h   | must be greater than 0 and at most 366 days",
        "stats --top 99999999999      | is not an int",
        "stats --max-entries -1       | --max-entries must be positive",
        "stats --max-entries 99999999 | of kernel memory on",
        "top --interval 99999999h     | must be greater than 0 and at most 366 days",
    })
    void badInputIsOneLineThenUsageAndExit2(String args, String message) {
        CliUsageTest.Result r = CliUsageTest.run(args.trim().split("\\s+"));
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        String[] lines = r.err().split("\n");
        assertThat(lines[0]).startsWith("syscope: ").contains(message);
        assertThat(lines[1]).startsWith("Usage: syscope " + args.trim().split("\\s+")[0]);
        assertThat(r.err()).contains("Try 'syscope " + args.trim().split("\\s+")[0] + " --help'").doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aCommFilterThatIsNotUtf8IsRefused() {
        // The JVM turns argument bytes that are not valid in the locale's encoding into U+FFFD.
        CliUsageTest.Result r = CliUsageTest.run("trace", "-c", "ab\uFFFD\uFFFD");
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err().split("\n")[0]).isEqualTo(
                "syscope: the command name is not valid UTF-8 (or not valid in this locale's encoding); give it as UTF-8 text");
    }

    @Test
    void listPrintsTheTableWithClassesAndArguments() {
        CliUsageTest.Result r = CliUsageTest.run("list");
        assertThat(r.code()).isZero();
        assertThat(r.out().lines().findFirst()).hasValueSatisfying(h -> assertThat(h).startsWith("NR"));
        assertThat(r.out()).containsPattern("(?m)^\\d+ +openat +%desc,%file +dfd, filename, flags, mode$");
        assertThat(r.out().lines().count()).isGreaterThan(300);
    }

    @Test
    void listSelectsLikeTrace() {
        CliUsageTest.Result r = CliUsageTest.run("list", "%ipc");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("shmget").doesNotContain("openat");
    }

    @Test
    void traceHelpDocumentsTheFiltersAndFormats() {
        CliUsageTest.Result r = CliUsageTest.run("trace", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--syscalls", "--pid", "--tid", "--comm", "--uid", "--cgroup", "--failed",
                "--errno", "--min-latency", "--include-self", "--output", "--count", "--duration", "--attach", "%file");
    }
}
