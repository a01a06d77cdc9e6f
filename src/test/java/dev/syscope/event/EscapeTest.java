package dev.syscope.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class EscapeTest {

    private static String escape(String hex, boolean quote) {
        byte[] src = HexFormat.of().parseHex(hex);
        byte[] dst = new byte[src.length * Escape.MAX_EXPANSION];
        return new String(dst, 0, Escape.escape(src, src.length, dst, quote), StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "2f746d702f61         | /tmp/a",                 // plain ASCII
        "1b5b33316d           | \\x1b[31m",              // an escape sequence
        "0a09007f             | \\x0a\\x09\\x00\\x7f",   // newline, tab, NUL, DEL
        "5c                   | \\\\",                    // a backslash
        "c3a9                 | \u00e9",                 // valid 2-byte UTF-8
        "e282ac               | \u20ac",                 // valid 3-byte UTF-8
        "f09f9880             | \ud83d\ude00",           // valid 4-byte UTF-8
        "ff                   | \\xff",                  // never valid
        "c080                 | \\xc0\\x80",             // overlong NUL
        "eda080               | \\xed\\xa0\\x80",        // a surrogate
        "f4908080             | \\xf4\\x90\\x80\\x80",   // past U+10FFFF
        "61c3                 | a\\xc3",                 // cut at the end
        "22                   | '\"'",                   // a quote, unquoted output
    })
    void escapesWhatIsNotPrintableUtf8(String hex, String expected) {
        assertThat(escape(hex, false)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "2261            | '\\\"a'",
        "61              | a",
    })
    void quotedOutputAlsoEscapesQuotes(String hex, String expected) {
        assertThat(escape(hex, true)).isEqualTo(expected);
    }

    /** The JSON string body whose value is the escaped text: JSON escapes the escape's backslashes. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "2f746d702f61         | /tmp/a",
        "1b5b33316d           | \\\\x1b[31m",
        "0a09007f             | \\\\x0a\\\\x09\\\\x00\\\\x7f",
        "5c                   | \\\\\\\\",
        "22                   | '\\\"'",
        "c3a9                 | \u00e9",
        "ff                   | \\\\xff",
        "61c3                 | a\\\\xc3",
    })
    void jsonEscapesTheEscapedText(String hex, String expected) throws Exception {
        byte[] src = HexFormat.of().parseHex(hex);
        byte[] dst = new byte[3 + src.length * Escape.MAX_JSON_EXPANSION];
        int n = Escape.escapeJson(src, src.length, dst, 3);
        String body = new String(dst, 3, n, StandardCharsets.UTF_8);
        assertThat(body).isEqualTo(expected);
        assertThat(new ObjectMapper().readValue('"' + body + '"', String.class)).isEqualTo(escape(hex, false));
    }

    @Test
    void jsonOfEveryByteIsAValidStringOfItsEscape() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (int b = 0; b < 256; b++) {
            byte[] src = {'a', (byte) b, 'z'};
            byte[] dst = new byte[src.length * Escape.MAX_JSON_EXPANSION];
            String body = new String(dst, 0, Escape.escapeJson(src, src.length, dst, 0), StandardCharsets.UTF_8);
            assertThat(json.readValue('"' + body + '"', String.class)).as("byte %02x", b).isEqualTo(Escape.toString(src, 3));
        }
    }

    @ParameterizedTest
    @CsvSource({"2f746d70, true", "2f1b, false", "c3a9, false", "5c, false"})
    void plainMeansNothingToEscape(String hex, boolean plain) {
        byte[] b = HexFormat.of().parseHex(hex);
        assertThat(Escape.isPlain(b, b.length)).isEqualTo(plain);
        assertThat(Escape.toString(b, b.length)).isEqualTo(escape(hex, false));
    }
}
