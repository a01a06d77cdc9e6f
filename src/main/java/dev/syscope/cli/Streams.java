package dev.syscope.cli;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * What a running command writes to and listens to: stdout (events), stderr (diagnostics and the
 * summary), whether stdout is a terminal (flush per line, cut long lines), and the stop request.
 */
record Streams(OutputStream stdout, PrintStream stderr, boolean stdoutIsTty, Cli.Stop stop) {}
