package dev.syscope.cli;

import dev.syscope.stats.Grouping;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code --by}: how stats and top group their rows. */
final class GroupingOption {
    @Option(names = "--by", paramLabel = "process|syscall|process,syscall", defaultValue = "process,syscall",
            converter = Converter.class, description = "Grouping of the rows (default: ${DEFAULT-VALUE}).")
    Grouping by;

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
