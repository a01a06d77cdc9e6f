package dev.syscope.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** What start-up cuts short must not change what the CLI does. */
class CliStartupTest {
    private static final Streams IO = new Streams(new ByteArrayOutputStream(), System.err, false, new Cli.Stop());

    @ParameterizedTest
    @ValueSource(strings = {"trace", "stats", "top", "serve", "list"})
    void aSubcommandAloneHasTheSameHelpAsInTheWholeTree(String name) {
        CommandLine alone = Cli.commandsFor(IO, new String[] {name, "-v"});
        assertThat(alone.getSubcommands()).containsOnlyKeys(name);
        assertThat(usage(alone.getSubcommands().get(name))).isEqualTo(usage(Cli.commands(IO).getSubcommands().get(name)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "--duration 1", "-v --buffer perf -p 1", "--attach=kprobe"})
    void theSeedsMonitorGetsTheRootAlone(String args) {
        assertThat(Cli.commandsFor(IO, args.isEmpty() ? new String[0] : args.split(" ")).getSubcommands()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-vh", "-V", "tracee", "--duration", "--bogus", "-v trace", "--duration list"})
    void helpErrorsAndSubcommandsElsewhereGetTheWholeTree(String args) {
        assertThat(Cli.commandsFor(IO, args.split(" ")).getSubcommands()).containsOnlyKeys("trace", "stats", "top", "serve", "list");
    }

    @Test
    void aMisspeltSubcommandIsStillAUsageError() {
        CliUsageTest.Result r = CliUsageTest.run("tracee", "-e", "read");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("syscope: Unmatched arguments from index 0: 'tracee'");
    }

    @ParameterizedTest
    @CsvSource({
        "--duration 1, true", "trace -e read, true", "stats, true", "top, true", "serve, true",
        "list, false", "list %file, false", "--help, false", "trace --help, false", "-V, false", "stats --version, false"})
    void onlyCommandsThatLoadAProbePrepareIt(String args, boolean prepares) {
        assertThat(Main.loadsProbe(args.split(" "))).isEqualTo(prepares);
    }

    @Test
    void theLauncherIdentifiesTheJvmAsTheTrainingRunRecordsIt() throws Exception {
        Process p = new ProcessBuilder("bash", "-c", ". scripts/lib/env.sh && syscope_java_id \"$1\"", "bash",
                System.getProperty("java.home")).redirectErrorStream(true).start();
        String id = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor()).isZero();
        assertThat(id).isEqualTo(AotTraining.jvm()).startsWith(Path.of(System.getProperty("java.home")).toRealPath().toString());
    }

    private static String usage(CommandLine c) {
        StringWriter w = new StringWriter();
        c.usage(new PrintWriter(w));
        return w.toString();
    }
}
