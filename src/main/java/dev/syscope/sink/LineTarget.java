package dev.syscope.sink;

/**
 * Where a sink hands its finished lines: stdout through a {@link LineOutput}, or the Kafka export.
 * One call per line, its '\n' included; the bytes are the caller's, valid only during the call.
 */
@FunctionalInterface
public interface LineTarget {
    void line(byte[] b, int off, int len);
}
