package dev.syscope.cli;

/** {@code java -jar syscope.jar}: parse, run, exit with the command's code. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(Cli.runFromMain(args));
    }
}
