package dev.syscope.api;

import dev.syscope.event.TraceEvent;

/**
 * Receives trace events. The {@link TraceEvent} is a view of kernel-shared memory, reused for
 * every event and valid only during the call: copy what you keep.
 */
@FunctionalInterface
public interface TraceHandler {
    void onEvent(TraceEvent event);
}
