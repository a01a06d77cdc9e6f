package dev.syscope.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A periodic report (a table, a JSON document) rendered in memory, then written to stdout in one
 * go, so a reader never sees half a report and a write error keeps its cause.
 */
final class Report {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    /** Where the report is rendered. */
    final PrintStream out = new PrintStream(buf, false, StandardCharsets.UTF_8);

    /** Writes what was rendered since the last call to {@code stdout}, flushes it, and starts over. */
    void writeTo(OutputStream stdout) {
        out.flush();
        try {
            buf.writeTo(stdout);
            stdout.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            buf.reset();
        }
    }
}
