package dev.syscope.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.function.BooleanSupplier;

/**
 * What a running command writes to and listens to: stdout (events), stderr (diagnostics and the
 * summary), whether stdout is a terminal (flush per line, cut long lines; asked when a command
 * needs it, since the first native call costs start-up time), and the stop request.
 */
record Streams(OutputStream stdout, PrintStream stderr, BooleanSupplier tty, Cli.Stop stop) {
    Streams(OutputStream stdout, PrintStream stderr, boolean stdoutIsTty, Cli.Stop stop) {
        this(stdout, stderr, () -> stdoutIsTty, stop);
    }

    boolean stdoutIsTty() {
        return tty.getAsBoolean();
    }
}
