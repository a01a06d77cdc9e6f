package dev.syscope.cli;

import dev.syscope.api.Syscope;
import dev.syscope.syscalls.Syscall;
import dev.syscope.syscalls.SyscallArg;
import dev.syscope.syscalls.SyscallClass;
import dev.syscope.syscalls.SyscallTable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code syscope list}: the compiled-in syscall table of this architecture. */
final class ListCommand implements Callable<Integer> {
    private final CommandSpec spec = Specs.command(this, "list");
    private List<String> specs = List.of();
    private final PrintStream out;

    ListCommand(PrintStream out) {
        this.out = out;
        spec.usageMessage()
                .header("Print the syscall table (numbers, names, classes, arguments).")
                .description(
                    "Prints the syscall table of this CPU architecture: number, name,",
                    "strace-style classes and arguments. With arguments: only the syscalls",
                    "they select (names, 'all', or %%file %%desc %%net %%process %%memory",
                    "%%signal %%ipc), as for 'syscope trace -e'.");
        spec.addPositional(Specs.listPositional(String.class, () -> specs, v -> specs = v)
                .paramLabel("SYSCALLS").arity("0..*").splitRegex(",").description("What to list (default: all).").build());
        Specs.addHelpOptions(spec);
    }

    /** The command as picocli parses and runs it. */
    CommandSpec spec() {
        return spec;
    }

    @Override
    public Integer call() {
        SyscallTable table = SyscallTable.of(Syscope.arch());
        java.util.BitSet set;
        try {
            set = table.resolve(specs.isEmpty() ? List.of("all") : specs);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        out.printf("%-4s %-24s %-24s %s%n", "NR", "NAME", "CLASSES", "ARGS");
        for (Syscall sc : table.all()) {
            if (!set.get(sc.nr())) {
                continue;
            }
            String classes = sc.classes().stream().map(SyscallClass::spec).sorted().collect(Collectors.joining(","));
            String args = sc.args().stream().map(SyscallArg::name).collect(Collectors.joining(", "));
            out.printf("%-4d %-24s %-24s %s%n", sc.nr(), sc.name(), classes.isEmpty() ? "-" : classes, args);
        }
        out.flush();
        return Cli.EXIT_OK;
    }
}
