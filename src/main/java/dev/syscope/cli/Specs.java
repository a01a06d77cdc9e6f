package dev.syscope.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The commands' picocli model, built in code. Read from annotations it cost over 100 ms at start-up:
 * picocli reflected on every command and option class, and the annotation proxies and method
 * handles that made are not in the AOT cache. Each option is bound to a field of its command
 * through two lambdas and, like an annotated field, starts from the field's value as constructed
 * and returns to it before every parse.
 */
final class Specs {
    private Specs() {}

    /** A command named {@code name} that runs {@code command}, with syscope's version. */
    static CommandSpec command(Object command, String name) {
        return CommandSpec.wrapWithoutInspection(command).name(name).versionProvider(new SeedCommand.Version());
    }

    /**
     * Adds -h/--help and -V/--version as picocli's mixinStandardHelpOptions does (which reads
     * annotations): with its names and descriptions, after the command's own options.
     */
    static void addHelpOptions(CommandSpec spec) {
        spec.addOption(OptionSpec.builder("${picocli.help.name.0:--h}", "${picocli.help.name.1:---help}").usageHelp(true)
                .type(boolean.class).initialValue(false).descriptionKey("mixinStandardHelpOptions.help")
                .description("Show this help message and exit.").build());
        spec.addOption(OptionSpec.builder("${picocli.version.name.0:--V}", "${picocli.version.name.1:---version}").versionHelp(true)
                .type(boolean.class).initialValue(false).descriptionKey("mixinStandardHelpOptions.version")
                .description("Print version information and exit.").build());
    }

    /** An option of {@code type} (int.class for an int field) bound to a field. */
    static <T> OptionSpec.Builder option(Class<T> type, Supplier<T> get, Consumer<T> set, String... names) {
        Binding<T> b = new Binding<>(get, set);
        return OptionSpec.builder(names).type(type).getter(b).setter(b).initialValue(get.get());
    }

    /** A repeatable option bound to a list field of {@code element} values. */
    static <E> OptionSpec.Builder listOption(Class<E> element, Supplier<List<E>> get, Consumer<List<E>> set, String... names) {
        Binding<List<E>> b = new Binding<>(get, set);
        return OptionSpec.builder(names).type(List.class).auxiliaryTypes(element).getter(b).setter(b).initialValue(get.get());
    }

    /** Positional parameters bound to a list field of {@code element} values. */
    static <E> PositionalParamSpec.Builder listPositional(Class<E> element, Supplier<List<E>> get, Consumer<List<E>> set) {
        Binding<List<E>> b = new Binding<>(get, set);
        return PositionalParamSpec.builder().type(List.class).auxiliaryTypes(element).getter(b).setter(b).initialValue(get.get());
    }

    /** A field as picocli reads and writes it. */
    private static final class Binding<T> implements IGetter, ISetter {
        private final Supplier<T> get;
        private final Consumer<T> set;

        Binding(Supplier<T> get, Consumer<T> set) {
            this.get = get;
            this.set = set;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <R> R get() {
            return (R) get.get();
        }

        @Override
        @SuppressWarnings("unchecked")
        public <R> R set(R value) {
            R old = get();
            set.accept((T) value);
            return old;
        }
    }
}
