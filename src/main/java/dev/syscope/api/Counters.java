package dev.syscope.api;

/**
 * What a session has seen so far.
 *
 * @param received events handed to the handler
 * @param lost       events the kernel made but could not hand over (buffer full), counted per CPU
 *                   in the kernel; never hidden
 * @param aggregated trace mode with {@link Overload#AGGREGATE}: events not streamed but counted in
 *                   the kernel instead, as drained so far
 */
public record Counters(long received, long lost, long aggregated) {
    public Counters(long received, long lost) {
        this(received, lost, 0);
    }
}
