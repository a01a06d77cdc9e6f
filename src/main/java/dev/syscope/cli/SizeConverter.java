package dev.syscope.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses a buffer size: a power of two from 4K to 1G, in bytes or with K, M or G (binary units). */
public final class SizeConverter implements ITypeConverter<Integer> {
    private static final Pattern FORMAT = Pattern.compile("(\\d{1,10})([KMG]i?B?)?", Pattern.CASE_INSENSITIVE);

    @Override
    public Integer convert(String value) {
        Matcher m = FORMAT.matcher(value.trim());
        if (!m.matches()) {
            throw new TypeConversionException("'" + value + "' is not a size (e.g. 4096, 64K, 16M)");
        }
        long unit = m.group(2) == null ? 1 : switch (Character.toUpperCase(m.group(2).charAt(0))) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            default -> 1L << 30;
        };
        long bytes = Long.parseLong(m.group(1)) * unit;
        if (bytes < 4096 || bytes > 1L << 30 || Long.bitCount(bytes) != 1) {
            throw new TypeConversionException("'" + value + "' must be a power of two from 4K to 1G");
        }
        return (int) bytes;
    }
}
