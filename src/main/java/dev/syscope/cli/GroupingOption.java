package dev.syscope.cli;

import dev.syscope.stats.Grouping;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.TypeConversionException;

import static dev.syscope.cli.Specs.option;

/** {@code --by}: how stats and top group their rows. */
final class GroupingOption {
    Grouping by;

    /** Adds these options to {@code spec}, in the order of its help. */
    void addTo(CommandSpec spec) {
        spec.addOption(option(Grouping.class, () -> by, v -> by = v, "--by")
                .paramLabel("process|syscall|process,syscall").defaultValue("process,syscall").converters(new Converter())
                .description("Grouping of the rows (default: ${DEFAULT-VALUE}).").build());
    }

    static final class Converter implements ITypeConverter<Grouping> {
        @Override
        public Grouping convert(String value) {
            try {
                return Grouping.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
