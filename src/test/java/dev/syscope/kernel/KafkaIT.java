package dev.syscope.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.syscope.kernel.Metrics.series;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * `trace --kafka-bootstrap` against a real Kafka broker (KRaft, from the Maven Central artifacts)
 * on loopback: the child's exact events are in the topic, keyed HOST/PID; and across a broker crash
 * and restart every call the child made is accounted for: delivered + failed + not streamed +
 * dropped + lost = made, with the export's counters in /metrics.
 */
class KafkaIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SUMMARY = Pattern.compile("syscope: (\\d+) events: (\\d+) delivered to Kafka, (\\d+) failed, "
            + "(\\d+) not streamed \\(Kafka buffers full, counted\\), (\\d+) dropped; (\\d+) not streamed \\(counted in the kernel\\), (\\d+) lost");

    @TempDir
    Path dir;

    @BeforeEach
    void bpf() {
        KernelTests.requireBpf();
    }

    private record Summary(long events, long delivered, long failed, long notStreamedKafka, long dropped,
                           long notStreamedKernel, long lost) {
        long accounted() {
            return delivered + failed + notStreamedKafka + dropped + notStreamedKernel + lost;
        }
    }

    private static Summary summary(SyscopeProcess sc) {
        for (String l : sc.err()) {
            Matcher m = SUMMARY.matcher(l);
            if (m.matches()) {
                return new Summary(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                        Long.parseLong(m.group(4)), Long.parseLong(m.group(5)), Long.parseLong(m.group(6)), Long.parseLong(m.group(7)));
            }
        }
        throw new AssertionError("no summary line; stderr: " + sc.err());
    }

    private static List<JsonNode> values(List<ConsumerRecord<byte[], byte[]>> records) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            out.add(JSON.readTree(r.value()));
        }
        return out;
    }

    @Test
    void theChildsThousandWritesOfSevenBytesAreInTheTopicKeyedByHostAndPid() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir);
             Child child = Child.start("write", "/dev/null", "1000", "7");
             SyscopeProcess sc = SyscopeProcess.start("trace", "-e", "write", "-p", Integer.toString(child.pid()),
                     "--kafka-bootstrap", broker.bootstrap(), "--kafka-topic", "it.events", "--listen", "127.0.0.1:0")) {
            String metrics = Metrics.url(sc);
            sc.awaitErr(l -> l.startsWith("syscope: tracing into Kafka topic "), 60);
            child.go();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (Metrics.scrape(metrics).getOrDefault(series("syscope_kafka_events_total", "outcome", "delivered"), -1.0) < 1000) {
                assertThat(System.nanoTime()).as("1000 events delivered within 60 s; stderr: %s", sc.err()).isLessThan(deadline);
                Thread.sleep(200);
            }
            Map<String, Double> exposition = Metrics.scrape(metrics);
            assertThat(exposition.get(series("syscope_trace_events_total"))).isEqualTo(1000);
            assertThat(exposition.get(series("syscope_kafka_events_total", "outcome", "failed"))).isZero();
            assertThat(exposition.get(series("syscope_kafka_broker_acknowledging"))).isEqualTo(1);
            sc.signal("INT");
            sc.awaitExit(30);
            Summary s = summary(sc);
            assertThat(s).isEqualTo(new Summary(1000, 1000, 0, 0, 0, 0, 0));

            List<ConsumerRecord<byte[], byte[]>> records = broker.readAll("it.events");
            String host = KernelTests.hostName();
            List<ConsumerRecord<byte[], byte[]>> events = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : records) {
                JsonNode v = JSON.readTree(r.value());
                assertThat(v.get("host").asText()).isEqualTo(host);
                if (v.get("type").asText().equals("syscall")) {
                    events.add(r);
                }
            }
            assertThat(events).hasSize(1000).allSatisfy(r -> {
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(host + "/" + child.pid());
                JsonNode v = JSON.readTree(r.value());
                assertThat(v.get("pid").asInt()).isEqualTo(child.pid());
                assertThat(v.get("syscall").asText()).isEqualTo("write");
                assertThat(v.get("args").get("fd").asInt()).isEqualTo(child.fd());
                assertThat(v.get("args").get("count").asLong()).isEqualTo(7);
                assertThat(v.get("ret").asLong()).isEqualTo(7);
            });
            // One key, one partition, in the order the calls were made.
            assertThat(events.stream().map(ConsumerRecord::partition).distinct()).hasSize(1);
            List<String> times = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : events) {
                times.add(JSON.readTree(r.value()).get("time").asText());
            }
            assertThat(times).isSorted();
            // The final stats record agrees with the summary.
            JsonNode stats = values(records).stream().filter(v -> v.get("type").asText().equals("stats")).reduce((a, b) -> b).orElseThrow();
            assertThat(stats.get("events").asLong()).isEqualTo(1000);
            assertThat(stats.get("lost").asLong()).isZero();
        }
    }

    @Test
    void aBrokerCrashAndRestartMidRunReconcilesEveryCall() throws Exception {
        // ~28 s of writes at 500 us apiece: the child is still writing well after the restarted broker
        // acknowledges again (it re-registers only once its old session expires, ~9 s), so that
        // "streaming resumed" can be seen in events made after the restart.
        int made = 50_000;
        try (KafkaBroker broker = KafkaBroker.start(dir);
             Child child = Child.start("pacedwrite", "/dev/null", Integer.toString(made), "7", "500");
             SyscopeProcess sc = SyscopeProcess.start("trace", "-e", "write", "-p", Integer.toString(child.pid()),
                     "--kafka-bootstrap", broker.bootstrap(), "--kafka-topic", "it.outage", "--kafka-buffer", "4M",
                     "--listen", "127.0.0.1:0")) {
            String metrics = Metrics.url(sc);
            sc.awaitErr(l -> l.startsWith("syscope: tracing into Kafka topic "), 60);
            child.release();
            Thread.sleep(2000);
            broker.kill();
            sc.awaitErr(l -> l.startsWith("syscope: kafka: no acknowledgement from " + broker.bootstrap()), 30);
            Map<String, Double> during = Metrics.scrape(metrics);
            assertThat(during.get(series("syscope_kafka_broker_acknowledging"))).isZero();
            assertThat(during.get(series("syscope_kafka_buffered_bytes"))).isPositive()
                    .isLessThanOrEqualTo(during.get(series("syscope_kafka_buffer_limit_bytes")));
            Thread.sleep(2000);
            long restartedAt = System.currentTimeMillis();
            broker.restart();
            sc.awaitErr(l -> l.startsWith("syscope: kafka: " + broker.bootstrap() + " acknowledges again"), 90);
            child.awaitExit();
            Thread.sleep(1500); // the last events through the ring and the producer
            sc.signal("INT");
            sc.awaitExit(30);

            Summary s = summary(sc);
            assertThat(s.events()).isEqualTo(made);
            assertThat(s.accounted()).as("delivered + failed + not streamed + dropped + lost = made: %s", s).isEqualTo(made);
            assertThat(s.dropped()).isZero(); // --on-overload=aggregate counts instead
            assertThat(s.lost()).isZero();

            List<JsonNode> values = values(broker.readAll("it.outage"));
            Set<String> seen = new HashSet<>();
            long notStreamed = 0;
            long afterRestart = 0;
            for (JsonNode v : values) {
                switch (v.get("type").asText()) {
                    case "syscall" -> {
                        assertThat(v.get("pid").asInt()).isEqualTo(child.pid());
                        assertThat(seen.add(v.get("time").asText())).as("no duplicate: %s", v).isTrue();
                        if (java.time.Instant.parse(v.get("time").asText()).toEpochMilli() > restartedAt) {
                            afterRestart++;
                        }
                    }
                    case "not_streamed" -> {
                        assertThat(v.get("pid").asInt()).isEqualTo(child.pid());
                        notStreamed += v.get("count").asLong();
                    }
                    default -> { }
                }
            }
            assertThat(seen).hasSize((int) s.delivered());
            assertThat(notStreamed).isEqualTo(s.notStreamedKafka() + s.notStreamedKernel());
            assertThat(afterRestart).as("streaming resumed after the restart").isPositive();
        }
    }
}
