package dev.syscope.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The help texts quoted in README.md are the ones the CLI prints. */
class ReadmeHelpTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--help       | $ ./syscope --help\\n",
        "trace --help | <summary><code>./syscope trace --help</code></summary>\\n\\n```\\n"})
    void readmeQuotesTheCurrentHelp(String args, String marker) throws Exception {
        marker = marker.replace("\\n", "\n"); // the CSV holds backslash-n: a newline would end the row
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf(marker);
        assertThat(start).as("README quotes '%s'", args).isNotNegative();
        start += marker.length();
        String quoted = readme.substring(start, readme.indexOf("```", start));
        CliUsageTest.Result r = CliUsageTest.run(args.trim().split(" "));
        assertThat(r.code()).isZero();
        assertThat(quoted).isEqualTo(r.out());
    }
}
