package dev.syscope.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a positive duration into nanoseconds: a number of seconds ("10", "2.5"), or a number
 * with a unit: ns, us, ms, s, m, h ("500ms", "1.5m"). At most one year, at least 1 ns.
 */
public final class DurationConverter implements ITypeConverter<Long> {
    static final long MAX_NANOS = 366L * 24 * 3600 * 1_000_000_000L;
    private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|ms|s|m|h)?");

    @Override
    public Long convert(String value) {
        return parse(value);
    }

    static long parse(String value) {
        Matcher m = FORMAT.matcher(value.trim());
        if (!m.matches()) {
            throw new TypeConversionException("'" + value + "' is not a duration (e.g. 10, 2.5s, 500ms, 1m)");
        }
        double unit = switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ns" -> 1;
            case "us" -> 1e3;
            case "ms" -> 1e6;
            case "m" -> 60e9;
            case "h" -> 3600e9;
            default -> 1e9;
        };
        double nanos = Double.parseDouble(m.group(1)) * unit;
        if (nanos < 1 || nanos > MAX_NANOS) {
            throw new TypeConversionException("'" + value + "' must be greater than 0 and at most 366 days");
        }
        return (long) nanos;
    }
}
