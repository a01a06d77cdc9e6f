package dev.syscope.cli;

import java.io.UncheckedIOException;

/**
 * Runs the part of a command that writes events to stdout. A closed reader ({@code | head}) is a
 * normal way to stop: it ends the run quietly. Any other write error also ends it, and is
 * rethrown after the summary (exit 1, "syscope: cannot write output: …").
 */
final class OutputGuard {
    private boolean brokenPipe;
    private UncheckedIOException writeError;

    void run(Runnable writing) {
        try {
            writing.run();
        } catch (UncheckedIOException e) {
            brokenPipe = "Broken pipe".equals(e.getCause().getMessage());
            writeError = brokenPipe ? null : e;
        }
    }

    /** Appended to the summary line. */
    String summarySuffix() {
        return brokenPipe ? " (output closed)" : "";
    }

    void rethrow() {
        if (writeError != null) {
            throw writeError;
        }
    }
}
