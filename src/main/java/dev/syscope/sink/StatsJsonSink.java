package dev.syscope.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.syscope.api.StatsRow;
import dev.syscope.bpf.Errno;
import dev.syscope.container.Container;
import dev.syscope.stats.Grouping;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.function.LongFunction;

/**
 * One JSON document per interval, on one line: {"time":…,"interval_ns":…,"lost":…,"map_full":…,
 * "rows":[{"pid":…,"comm":…,"syscall":…,"count":…,"errors":…,"bytes":…, "errnos":{"ENOENT":…} (when some failed),
 * "latency_ns":{"avg":…,"p50":…,"p99":…} (when measured)}]}, with "histogram":[…] (log2 buckets) on request. Grouping leaves out pid and comm
 * (by syscall) or syscall (by process). Rows of a process in a container have "container_id",
 * "container_runtime" and, under Kubernetes, "pod_uid" after comm; the host's have none.
 */
public final class StatsJsonSink {
    private final OutputStream out;
    private final JsonFactory json = JsonFactory.builder().build();
    private final LongFunction<Container> containers; // by cgroup id; null: no container fields

    public StatsJsonSink(OutputStream out) {
        this(out, null);
    }

    public StatsJsonSink(OutputStream out, LongFunction<Container> containers) {
        this.out = out;
        this.containers = containers;
    }

    public void document(List<StatsRow> rows, Grouping by, Instant time, long intervalNanos, long lost, long mapFull,
                         boolean latency, boolean histogram) {
        try (JsonGenerator g = json.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeStringField("time", time.toString());
            g.writeNumberField("interval_ns", intervalNanos);
            g.writeNumberField("lost", lost);
            g.writeNumberField("map_full", mapFull);
            g.writeArrayFieldStart("rows");
            for (StatsRow r : rows) {
                g.writeStartObject();
                if (by.showsProcess()) {
                    g.writeNumberField("pid", r.pid());
                    g.writeStringField("comm", r.comm());
                    Container c = containers != null ? containers.apply(r.cgroupId()) : Container.HOST;
                    if (!c.isHost()) {
                        g.writeStringField("container_id", c.id());
                        g.writeStringField("container_runtime", c.runtime());
                        if (c.podUid() != null) {
                            g.writeStringField("pod_uid", c.podUid());
                        }
                    }
                }
                if (by.showsSyscall()) {
                    g.writeStringField("syscall", r.syscall());
                }
                g.writeNumberField("count", r.count());
                g.writeNumberField("errors", r.errors());
                g.writeNumberField("bytes", r.bytes());
                if (!r.errnos().isEmpty()) {
                    g.writeObjectFieldStart("errnos");
                    for (var e : r.errnos().entrySet()) {
                        g.writeNumberField(Errno.label(e.getKey()), e.getValue());
                    }
                    g.writeEndObject();
                }
                if (latency) {
                    g.writeObjectFieldStart("latency_ns");
                    g.writeNumberField("avg", r.avgLatencyNanos());
                    g.writeNumberField("p50", r.percentileNanos(0.5));
                    g.writeNumberField("p99", r.percentileNanos(0.99));
                    g.writeEndObject();
                }
                if (histogram) {
                    long[] h = r.histogram();
                    g.writeFieldName("histogram");
                    g.writeArray(h, 0, h.length);
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
