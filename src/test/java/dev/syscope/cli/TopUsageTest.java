package dev.syscope.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** `syscope top` input errors (checked before anything is loaded) and its help. */
class TopUsageTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "top --by pid,comm           | --by takes process, syscall or process,syscall: 'pid,comm'",
        "top --sort bogus            | Invalid value for option '--sort'",
        "top --interval 50ms         | --interval must be at least 100ms: '50ms'",
        "top --interval 0            | must be greater than 0",
        "top --max-entries 0         | --max-entries must be positive",
        "top -e xyz                  | unknown syscall 'xyz' (see 'syscope list')",
        "top --duration abc          | 'abc' is not a duration",
    })
    void badInputIsOneLineThenUsageAndExit2(String args, String message) {
        CliUsageTest.Result r = CliUsageTest.run(args.trim().split("\\s+"));
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        String[] lines = r.err().split("\n");
        assertThat(lines[0]).startsWith("syscope: ").contains(message).doesNotContain("Exception");
        assertThat(lines[1]).startsWith("Usage: syscope top");
        assertThat(r.err()).doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void helpNamesTheKeysTheFallbackAndTheOptions() {
        CliUsageTest.Result r = CliUsageTest.run("top", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: syscope top", "q or Ctrl-C quit", "When stdout is not a terminal",
                "--sort=COLUMN", "--interval=DURATION", "--by=process|syscall|process,syscall", "--max-entries=N",
                "-c, --comm=NAME", "--duration=SECONDS", "Examples:", "Exit status: 0 ok");
        assertThat(CliUsageTest.run("--help").out()).contains("  top    Live view, like top, of syscall rates");
    }
}
