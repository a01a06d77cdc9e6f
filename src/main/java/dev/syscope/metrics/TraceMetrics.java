package dev.syscope.metrics;

import dev.syscope.api.Counters;
import dev.syscope.kafka.KafkaExport;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.function.Supplier;

/**
 * {@code trace --listen}: what the trace has streamed, counted instead, and lost, and the Kafka
 * export's outcome, read from snapshots when Prometheus scrapes (nothing per event):
 * <pre>
 *   syscope_trace_events_total                      events received from the kernel
 *   syscope_events_lost_total                       events the kernel could not hand over (not counted)
 *   syscope_events_not_streamed_total{reason}       counted instead of streamed: "buffer" (the kernel's
 *                                                   ring was full), "kafka" (the export's buffers were)
 *   syscope_kafka_events_total{outcome}             delivered, failed (the producer gave up), dropped
 *   syscope_kafka_pending_events                    sent, not yet acknowledged
 *   syscope_kafka_buffered_bytes / _limit_bytes     memory holding events for Kafka, and its bound
 *   syscope_kafka_broker_acknowledging              0 while the broker has not acknowledged for 5 s
 * </pre>
 */
public final class TraceMetrics {
    private TraceMetrics() {}

    /** @param kafka the export's stats, or null without one */
    public static void register(PrometheusRegistry registry, Supplier<Counters> trace, Supplier<KafkaExport.Stats> kafka) {
        CounterWithCallback.builder().name("syscope_trace_events_total")
                .help("Trace events received from the kernel")
                .callback(cb -> cb.call(trace.get().received())).register(registry);
        CounterWithCallback.builder().name("syscope_events_lost_total")
                .help("Events the kernel could not hand over (buffer full), not counted anywhere else")
                .callback(cb -> cb.call(trace.get().lost())).register(registry);
        CounterWithCallback.builder().name("syscope_events_not_streamed_total")
                .help("Calls counted per process and syscall instead of streamed, by where the stream was full")
                .labelNames("reason")
                .callback(cb -> {
                    cb.call(trace.get().aggregated(), "buffer");
                    if (kafka != null) {
                        cb.call(kafka.get().notStreamed(), "kafka");
                    }
                }).register(registry);
        if (kafka == null) {
            return;
        }
        CounterWithCallback.builder().name("syscope_kafka_events_total")
                .help("Events handed to the Kafka export, by outcome")
                .labelNames("outcome")
                .callback(cb -> {
                    KafkaExport.Stats s = kafka.get();
                    cb.call(s.delivered(), "delivered");
                    cb.call(s.failed(), "failed");
                    cb.call(s.dropped(), "dropped");
                }).register(registry);
        GaugeWithCallback.builder().name("syscope_kafka_pending_events")
                .help("Events sent to the producer and not yet acknowledged by the broker")
                .callback(cb -> cb.call(kafka.get().pending())).register(registry);
        GaugeWithCallback.builder().name("syscope_kafka_buffered_bytes")
                .help("Memory holding events for Kafka: the hand-over ring and the producer's buffer")
                .callback(cb -> cb.call(kafka.get().bufferedBytes())).register(registry);
        GaugeWithCallback.builder().name("syscope_kafka_buffer_limit_bytes")
                .help("The bound of syscope_kafka_buffered_bytes (about --kafka-buffer)")
                .callback(cb -> cb.call(kafka.get().bufferLimitBytes())).register(registry);
        GaugeWithCallback.builder().name("syscope_kafka_broker_acknowledging")
                .help("1 while the broker acknowledges, 0 once it has left events unacknowledged for 5 s")
                .callback(cb -> cb.call(kafka.get().brokerAcknowledging() ? 1 : 0)).register(registry);
    }
}
