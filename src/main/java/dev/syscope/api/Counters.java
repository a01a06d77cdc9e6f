package dev.syscope.api;

/**
 * What a session has seen so far.
 *
 * @param received events handed to the handler
 * @param lost     events the kernel made but could not hand over (buffer full), counted per CPU
 *                 in the kernel; never hidden
 */
public record Counters(long received, long lost) {}
