package dev.syscope;

import java.time.Instant;

/**
 * Opt-in start-up timing for bench/startup.sh: with SYSCOPE_STARTUP_LOG set, each phase prints
 * {@code syscope: startup: PHASE EPOCH_SECONDS.MICROS} to stderr; otherwise nothing happens.
 */
public final class Startup {
    private static final boolean ON = System.getenv("SYSCOPE_STARTUP_LOG") != null;

    private Startup() {}

    public static void mark(String phase) {
        if (ON) {
            System.err.println(line(phase));
        }
    }

    /** The line for {@code phase} now; AotTraining calls it so that its classes are in the AOT cache. */
    public static String line(String phase) {
        Instant t = Instant.now();
        // No string concatenation: linking its invokedynamic costs milliseconds the first time.
        return new StringBuilder(48).append("syscope: startup: ").append(phase).append(' ').append(t.getEpochSecond())
                .append('.').append(Integer.toString(1_000_000 + t.getNano() / 1000), 1, 7).toString();
    }
}
