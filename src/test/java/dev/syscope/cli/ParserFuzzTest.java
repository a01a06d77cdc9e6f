package dev.syscope.cli;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.syscope.api.Syscope;
import dev.syscope.api.TraceBuilder;
import dev.syscope.stats.Grouping;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes every parser of user input (Jazzer): the option converters, the syscall and grouping
 * specs, the filter validation of the API, and picocli's parsing of whole command lines. Each may
 * refuse its input only with the exception that becomes one line and exit 2; anything else (a
 * NullPointerException, an ArithmeticException, a hang) is a bug. `./mvnw test` replays the
 * stored inputs; scripts/fuzz.sh fuzzes (JAZZER_FUZZ=1) for a while.
 */
class ParserFuzzTest {
    private static final String[] OPTIONS = {
        "-e", "-p", "--tid", "-c", "-u", "--cgroup", "--failed", "--errno", "--min-latency", "--include-self",
        "--attach", "--duration", "-v", "-o", "-n", "--buffer", "--buffer-size", "--by", "--top", "--interval",
        "--histogram", "--max-entries", "--listen", "--comm-limit", "--sort", "--pid", "--comm", "--", "-h",
        "--container", "--containers-only", "--show-container", "--label", "--kafka-bootstrap", "--kafka-topic",
        "--kafka-compression", "--kafka-buffer"};
    private static final String[] COMMANDS = {"trace", "stats", "top", "serve", "list", "-p"};

    @FuzzTest(maxDuration = "30s")
    void parsersRefuseBadInputOnlyAsBadUsage(FuzzedDataProvider data) {
        int which = data.consumeInt(0, 7);
        String s = data.consumeString(200);
        try {
            switch (which) {
                case 0 -> assertThat(DurationConverter.parse(s)).isPositive();
                case 1 -> assertThat(new SizeConverter().convert(s)).isPositive();
                case 2 -> assertThat(ListenConverter.parse(s).getPort()).isBetween(0, 65535);
                case 3 -> Grouping.parse(s);
                case 4 -> Syscope.trace().syscalls(s.split(",", -1)).options();
                case 5 -> filters(data, s).options();
                case 6 -> Syscope.trace().aggregate(data.consumeInt()).options();
                default -> parseCommandLine(data, s);
            }
        } catch (CommandLine.PicocliException | IllegalArgumentException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }

    private static TraceBuilder filters(FuzzedDataProvider data, String comm) {
        TraceBuilder b = Syscope.trace().comm(comm).uid(data.consumeInt()).tid(data.consumeInt());
        if (data.consumeBoolean()) {
            b.pid(data.consumeInt());
        }
        if (data.consumeBoolean()) {
            b.errno(data.consumeString(20));
        }
        if (data.consumeBoolean()) {
            b.minLatency(Duration.ofNanos(data.consumeLong()));
        }
        return data.consumeBoolean() ? b.failedOnly() : b;
    }

    /** Parses (never runs) a command line of known options with fuzzed values. */
    private static void parseCommandLine(FuzzedDataProvider data, String first) {
        Streams io = new Streams(new ByteArrayOutputStream(), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), false, new Cli.Stop());
        int n = data.consumeInt(0, 6);
        String[] args = new String[2 * n + 2];
        args[0] = data.pickValue(COMMANDS);
        args[1] = first;
        for (int i = 0; i < n; i++) {
            args[2 + 2 * i] = data.pickValue(OPTIONS);
            args[3 + 2 * i] = data.consumeString(40);
        }
        Cli.commands(io).parseArgs(args);
    }
}
