package dev.syscope.cli;

import dev.syscope.Startup;

/** {@code java -jar syscope.jar}: parse, run, exit with the command's code. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Startup.mark("main");
        System.exit(Cli.runFromMain(args));
    }
}
