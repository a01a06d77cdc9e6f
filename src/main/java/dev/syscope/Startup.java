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
            Instant t = Instant.now();
            String us = Integer.toString(1_000_000 + t.getNano() / 1000).substring(1);
            System.err.println("syscope: startup: " + phase + " " + t.getEpochSecond() + "." + us);
        }
    }
}
