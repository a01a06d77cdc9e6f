package dev.syscope.api;

import dev.syscope.event.SeedEvent;

/**
 * Receives seed-mode events. The {@link SeedEvent} is a view of kernel-shared memory, reused for
 * every event and valid only during the call: copy what you keep.
 */
@FunctionalInterface
public interface SeedHandler {
    void onEvent(SeedEvent event);
}
