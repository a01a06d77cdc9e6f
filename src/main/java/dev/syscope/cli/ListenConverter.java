package dev.syscope.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.net.InetSocketAddress;

/**
 * Parses a listen address: "HOST:PORT", "[IPv6]:PORT", ":PORT" or "PORT" (both on 127.0.0.1).
 * Port 0 picks a free port. The host is resolved when the server binds.
 */
public final class ListenConverter implements ITypeConverter<InetSocketAddress> {
    static final String LOOPBACK = "127.0.0.1";

    @Override
    public InetSocketAddress convert(String value) {
        return parse(value);
    }

    static InetSocketAddress parse(String value) {
        String v = value.trim();
        int colon = v.lastIndexOf(':');
        String host = colon < 0 ? LOOPBACK : v.substring(0, colon);
        String port = v.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new TypeConversionException("'" + value + "': write an IPv6 address in brackets, e.g. [::1]:9464");
        }
        if (host.isEmpty()) {
            host = LOOPBACK;
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            p = -1;
        }
        if (p < 0 || p > 65535) {
            throw new TypeConversionException("'" + value + "' is not a listen address (HOST:PORT, :PORT or PORT; port 0-65535)");
        }
        return InetSocketAddress.createUnresolved(host, p);
    }
}
