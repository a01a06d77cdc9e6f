package dev.syscope.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Parsing and usage errors: no kernel involved, so these run anywhere. */
class CliUsageTest {

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(args, out, new PrintStream(err, true, StandardCharsets.UTF_8), false, new Cli.Stop());
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "--attach=bogus", "--buffer=ring2", "--duration=abc", "--duration=0", "--duration=-1",
        "--duration=1e12", "--duration=NaN", "--duration=400d", "--duration=0ms", "--duration=", "--pid=0", "--pid=-5", "--pid=99999999", "--pid=abc",
        "--bogus", "extra-argument"})
    void badInputIsOneLineThenUsageAndExit2(String arg) {
        Result r = run(arg);
        assertThat(r.code()).isEqualTo(2);
        String[] lines = r.err().split("\n");
        assertThat(lines[0]).startsWith("syscope: ").doesNotContain("Exception");
        assertThat(lines[1]).startsWith("Usage: syscope");
        assertThat(r.err()).contains("Try 'syscope --help'").doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void badValuesNameTheOptionAndTheValue() {
        assertThat(run("--duration=-1").err()).startsWith("syscope: Invalid value for option '--duration': '-1' is not a duration");
        assertThat(run("--duration=0").err()).startsWith("syscope: Invalid value for option '--duration': '0' must be greater than 0");
        assertThat(run("--pid=0").err()).startsWith("syscope: --pid must be between 1 and 4194304: '0'");
        assertThat(run("--attach=bogus").err()).startsWith("syscope: Invalid value for option '--attach'").contains("bogus");
        assertThat(run("--bogus").err()).startsWith("syscope: Unknown option: '--bogus'");
    }

    @Test
    void helpListsEveryOptionWithExamples() {
        Result r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--attach=auto|tracepoint|kprobe", "--buffer=ring|perf", "--duration=SECONDS",
                "-p, --pid=PID", "-v, --verbose", "-h, --help", "-V, --version", "Examples:", "CAP_BPF");
    }

    @Test
    void durationsTakeSecondsOrAUnit() {
        assertThat(DurationConverter.parse("10")).isEqualTo(10_000_000_000L);
        assertThat(DurationConverter.parse("2.5")).isEqualTo(2_500_000_000L);
        assertThat(DurationConverter.parse("500ms")).isEqualTo(500_000_000L);
        assertThat(DurationConverter.parse("3us")).isEqualTo(3_000L);
        assertThat(DurationConverter.parse("1m")).isEqualTo(60_000_000_000L);
        assertThat(DurationConverter.parse("1h")).isEqualTo(3_600_000_000_000L);
    }

    @Test
    void versionIsOneLine() {
        Result r = run("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).matches("syscope \\S+\\n");
    }

    @Test
    void enumValuesAreCaseInsensitive() {
        // Parsing succeeds (the error, if any, comes from the environment, not from usage).
        assertThat(run("--attach=TRACEPOINT", "--buffer=Perf", "--duration=0.01").code()).isNotEqualTo(2);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "-v, true", "--duration 1, false", "trace -v -e read, true", "trace -e read, false",
        "stats --verbose, true", "serve -p 1, false", "-v trace, false"})
    void verboseMeansTheRunningCommandHadV(String args, boolean verbose) {
        Streams io = new Streams(new java.io.ByteArrayOutputStream(), System.err, false, new Cli.Stop());
        assertThat(Cli.verbose(Cli.commands(io).parseArgs(args.split(" ")))).isEqualTo(verbose);
    }
}
