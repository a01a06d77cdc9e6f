package dev.syscope.kafka;

import dev.syscope.api.StatsRow;
import dev.syscope.api.TraceHandler;
import dev.syscope.container.ContainerResolver;
import dev.syscope.event.TraceEvent;
import dev.syscope.sink.TraceJsonSink;
import dev.syscope.syscalls.Arch;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Publishes trace events to a Kafka topic as JSON, one record per event, keyed by "HOST/PID" so
 * that a process's events stay in order within one partition; lost, not_streamed and periodic
 * stats records go to the same topic, keyed by the host.
 *
 * <p>The ring-buffer reader never waits for Kafka. {@link #onEvent} formats the event straight
 * into a {@link ByteRing} (no allocation, no lock, no wakeup); a sender thread takes records from
 * it every millisecond and hands them to the official producer (batched, compressed, idempotent,
 * acks=all, retried). When the ring is full (the broker is slow or gone and the producer's own
 * buffer is full too), an event is counted instead: per (process, syscall) and reported as
 * not_streamed with reason "kafka" (--on-overload=aggregate), or as dropped. Memory is bounded by
 * --kafka-buffer: the ring, the producer's compressed batches, and a cap on the records it has not
 * had acknowledged (each keeps a future and a callback). Every event ends up in exactly one of: delivered, failed
 * (the producer gave up on it: delivery timeout, or still unsent at close), not streamed, dropped.
 */
public final class KafkaExport implements TraceHandler, AutoCloseable {
    /** Room for the longest JSON line an event can make: a 255-byte path escaped 6 to 1, its args, keys and host. */
    static final int MAX_EVENT_LINE = 4096;
    /** How long a broker may leave waiting events unacknowledged before syscope says so. */
    static final long STALL_NANOS = 5_000_000_000L;
    /** The heap a record costs while the producer holds it (its future and callback), besides its compressed bytes. */
    static final int PENDING_RECORD_BYTES = 128;
    /** How long close() lets the producer deliver what is still buffered. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(3);
    private static final int SEND_BATCH = 4096;

    /**
     * @param bootstrap   the brokers, HOST:PORT[,HOST:PORT...]
     * @param topic       the topic of every record
     * @param compression lz4, zstd, gzip or none
     * @param bufferBytes memory for events waiting for Kafka: half for the hand-over ring (JSON), a quarter for the
     *                    producer's compressed batches, a quarter for its records' objects (a cap on unacknowledged records)
     * @param host        this node's name: the key's first part and every record's "host"
     * @param aggregate   count what does not fit per (process, syscall) (true), or as dropped (false)
     * @param verbose     let the Kafka client log its warnings on stderr
     */
    public record Options(String bootstrap, String topic, String compression, long bufferBytes, String host,
                          boolean aggregate, boolean verbose) {}

    /** What became of the events handed to {@link #onEvent}, and the export's state. */
    public record Stats(long delivered, long failed, long notStreamed, long dropped, long pending, long bufferedBytes,
                        long bufferLimitBytes, boolean brokerAcknowledging) {}

    private final Options options;
    private final Consumer<String> log;
    private final ByteRing ring;
    private final TraceJsonSink json;
    private final Backlog backlog = new Backlog();
    private final ConcurrentLinkedQueue<byte[]> control = new ConcurrentLinkedQueue<>();
    private final KafkaProducer<byte[], byte[]> producer;
    private final byte[] hostKey;
    private final Thread sender;
    private final long producerBytes;
    private final long maxPending;

    // The reader's side.
    private boolean inEvent;
    private int eventPid;
    private volatile long dropped; // written by the reader only

    // The sender's side, and the producer's callbacks (its I/O thread, or the sender on an immediate failure).
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Map<Integer, byte[]> keys = new HashMap<>();
    private volatile long lastProgressNanos = System.nanoTime();
    private volatile boolean stalled;
    private volatile boolean stopping; // close() began: send what is left, then end
    private volatile boolean givingUp; // close()'s deadline passed: count what the producer refuses as failed
    private volatile String lastRefusal; // why the producer last refused a record for now
    private boolean closed;
    private volatile String firstFailure;
    private long failuresLogged;
    private long lastFailureLogNanos;
    private boolean offering; // the sender thread is in send()
    private boolean refusedNow; // ... and the producer refused the record for now
    private final Callback onEventDone = (metadata, e) -> {
        if (e == null) {
            delivered.incrementAndGet();
            lastProgressNanos = System.nanoTime();
        } else if (!refusedInSend(e)) {
            failed.incrementAndGet();
            noteFailure(e);
        }
    };
    private final Callback onControlDone = (metadata, e) -> {
        if (e == null) {
            lastProgressNanos = System.nanoTime();
        } else if (!refusedInSend(e)) {
            noteFailure(e);
        }
    };

    /**
     * Connects lazily (the producer retries until a broker answers) and starts the sender thread.
     * A bad option (an unknown compression, a malformed bootstrap list) is an IllegalArgumentException.
     */
    public KafkaExport(Options options, Arch arch, ContainerResolver containers, Consumer<String> log) {
        this.options = options;
        this.log = log;
        int ringBytes = Integer.highestOneBit((int) Math.min(1 << 30, Math.max(1 << 20, options.bufferBytes() / 2)));
        this.ring = new ByteRing(ringBytes);
        this.producerBytes = Math.max(1 << 20, options.bufferBytes() / 4);
        this.maxPending = Math.max(1024, options.bufferBytes() / 4 / PENDING_RECORD_BYTES);
        this.json = new TraceJsonSink(this::line, arch, containers, options.host());
        this.hostKey = options.host().getBytes(StandardCharsets.UTF_8);
        configureClientLogging(options.verbose());
        this.producer = new KafkaProducer<>(producerConfig(options, producerBytes), new ByteArraySerializer(), new ByteArraySerializer());
        this.sender = Thread.ofPlatform().name("syscope-kafka").daemon().unstarted(this::sendLoop);
        sender.start(); // after the field is set: the callbacks compare threads with it
    }

    /** The node name of the keys and records (see {@link #nodeName}). */
    public String host() {
        return options.host();
    }

    /** This node's name for keys and records: $NODE_NAME (a DaemonSet sets it from spec.nodeName), else the host name. */
    public static String nodeName() {
        String n = System.getenv("NODE_NAME");
        if (n != null && !n.isBlank()) {
            return n.trim();
        }
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    static Properties producerConfig(Options o, long producerBytes) {
        String compression = switch (o.compression()) {
            case "lz4", "zstd", "gzip", "none" -> o.compression();
            default -> throw new IllegalArgumentException("unknown Kafka compression '" + o.compression() + "' (lz4, zstd, gzip or none)");
        };
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, o.bootstrap());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "syscope-" + o.host());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"); // retries never duplicate or reorder
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 << 10));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(producerBytes));
        // send() never waits: without room or metadata it fails at once, and the sender holds the
        // record and offers it again (see sendLoop).
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "0");
        // Keep the topic's metadata while no broker answers. The default (rebootstrap) forgets it
        // once the last known broker is gone, and without metadata nothing can wait in the
        // producer's buffer: an outage would go straight to not-streamed counts.
        p.put(CommonClientConfigs.METADATA_RECOVERY_STRATEGY_CONFIG, "none");
        return p;
    }

    /** The client logs through SLF4J's simple binding: silent, or its warnings on stderr with -v. */
    private static void configureClientLogging(boolean verbose) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "warn" : "off");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
    }

    // ---- the reader's side: never waits, allocates nothing per event ----

    @Override
    public void onEvent(TraceEvent e) {
        if (!ring.hasRoom(MAX_EVENT_LINE)) {
            if (options.aggregate()) {
                backlog.add(e);
            } else {
                dropped = dropped + 1;
            }
            return;
        }
        inEvent = true;
        eventPid = e.pid();
        try {
            json.onEvent(e);
        } finally {
            inEvent = false;
        }
    }

    /** The JSON sink's output: an event into the ring; any other record (rare) onto the control queue. */
    private void line(byte[] b, int off, int len) {
        int n = len - 1; // without the '\n'
        if (inEvent) {
            ring.offer(b, off, n, eventPid); // fits: room for the longest line was checked
        } else {
            control.add(Arrays.copyOfRange(b, off, off + n));
        }
    }

    /** The sink for lost and not_streamed records (kernel-side counts), which go to the topic too. */
    public TraceJsonSink records() {
        return json;
    }

    /** Reports what the export itself could not take since the last call, as not_streamed records (reason "kafka"). */
    public void reportBacklog(long epochNanos) {
        for (StatsRow r : backlog.drain()) {
            json.notStreamed(r, epochNanos, "kafka");
        }
    }

    /** Publishes a stats record: the given counters and the export's own. */
    public void publishStats(long epochNanos, long events, long notStreamedInKernel, long lost) {
        Stats s = stats();
        json.stats(epochNanos,
                new String[] {"events", "kafka_delivered", "kafka_failed", "kafka_pending", "not_streamed_kernel",
                    "not_streamed_kafka", "dropped", "lost"},
                new long[] {events, s.delivered(), s.failed(), s.pending(), notStreamedInKernel, s.notStreamed(),
                    s.dropped(), lost});
    }

    // ---- the sender's side ----

    /**
     * Takes records from the control queue and the ring and hands them to the producer. A record the
     * producer cannot take yet (its buffer is full, or the topic's metadata has not arrived) is held
     * and offered again every millisecond; meanwhile the ring fills, and then the reader counts.
     */
    private void sendLoop() {
        while (true) {
            boolean last = stopping;
            if (held != null) {
                if (!offer(held.key(), held.value(), held.done(), held.event())) {
                    LockSupport.parkNanos(1_000_000L);
                    continue;
                }
                held = null;
            }
            for (byte[] c; held == null && (c = control.poll()) != null; ) {
                if (!offer(hostKey, c, onControlDone, false)) {
                    held = new Held(hostKey, c, onControlDone, false);
                }
            }
            if (held != null) {
                continue; // offered again above; a refusal there pauses before the next try
            }
            int n = ring.poll(this::sendEvent, SEND_BATCH);
            if (n == 0 && held == null) {
                if (last && ring.isEmpty() && control.isEmpty()) {
                    return;
                }
                LockSupport.parkNanos(1_000_000L);
            }
        }
    }

    /** A record (an event, or a control record) the producer refused for now (no room, no metadata yet), to offer again. */
    private record Held(byte[] key, byte[] value, Callback done, boolean event) {}

    private Held held; // the sender thread's only

    /** One event from the ring to the producer; false (stop polling) when the producer refused it and it is held. */
    private boolean sendEvent(byte[] buf, int off, int len, int pid) {
        byte[] key = keyOf(pid);
        byte[] value = Arrays.copyOfRange(buf, off, off + len);
        if (offer(key, value, onEventDone, true)) {
            return true;
        }
        held = new Held(key, value, onEventDone, true);
        return false;
    }

    /**
     * Offers one record; false if the producer refused it for now (then nothing is counted). A
     * record refused for good (a closed producer, a record over the broker's size limit) counts as
     * failed. Producer failures during send() come through the callback on this thread.
     */
    private boolean offer(byte[] key, byte[] value, Callback done, boolean event) {
        if (event && !givingUp && pending() >= maxPending) { // bounds the records' objects, not only their bytes
            lastRefusal = maxPending + " events wait for acknowledgement";
            return false;
        }
        refusedNow = false;
        offering = true;
        try {
            producer.send(new ProducerRecord<>(options.topic(), key, value), done);
        } catch (IllegalStateException | KafkaException e) { // closed, or a record it can never take
            if (event) {
                sent.incrementAndGet();
                failed.incrementAndGet();
            }
            noteFailure(e);
            return true;
        } finally {
            offering = false;
        }
        if (refusedNow && !givingUp) {
            return false;
        }
        lastRefusal = null;
        if (event) {
            sent.incrementAndGet();
            if (refusedNow) { // close()'s deadline passed: give up on it
                failed.incrementAndGet();
            }
        }
        return true;
    }

    /**
     * Whether a callback reports the producer refusing a record synchronously, in send() on the
     * sender thread, for want of room or metadata: the record is offered again, not failed.
     */
    private boolean refusedInSend(Exception e) {
        if (offering && Thread.currentThread() == sender && e instanceof TimeoutException) {
            refusedNow = true;
            lastRefusal = e.getMessage();
            return true;
        }
        return false;
    }

    private byte[] keyOf(int pid) {
        byte[] k = keys.get(pid);
        if (k == null) {
            if (keys.size() >= 65536) {
                keys.clear();
            }
            k = (options.host() + "/" + Integer.toUnsignedString(pid)).getBytes(StandardCharsets.UTF_8);
            keys.put(pid, k);
        }
        return k;
    }

    private void noteFailure(Exception e) {
        if (firstFailure == null) {
            firstFailure = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    /**
     * Says once when the broker stops acknowledging, once when it resumes, and every 10 s while
     * events fail. Called every second by the reader's loop (the sender may be blocked in send()).
     */
    public void tick(long now) {
        long pending = pending();
        boolean waiting = pending > 0 || !ring.isEmpty();
        if (!stalled && waiting && now - lastProgressNanos > STALL_NANOS) {
            stalled = true;
            log.accept("syscope: kafka: no acknowledgement from " + options.bootstrap() + " for "
                    + (now - lastProgressNanos) / 1_000_000_000L + " s; " + pending + " events sent and waiting, "
                    + mib(bufferedBytes()) + " of " + mib(bufferLimit()) + " MiB of buffers in use"
                    + (lastRefusal != null ? " (producer: " + lastRefusal + ")" : "")
                    + "; retrying. When the buffers are full, events are "
                    + (options.aggregate() ? "counted per process and syscall as not streamed" : "dropped and counted"));
        } else if (stalled && now - lastProgressNanos < STALL_NANOS) {
            stalled = false;
            log.accept("syscope: kafka: " + options.bootstrap() + " acknowledges again; streaming resumed ("
                    + failed.get() + " failed, " + backlog.total() + " not streamed, " + dropped + " dropped so far)");
        }
        long f = failed.get();
        if (f > failuresLogged && now - lastFailureLogNanos >= 10_000_000_000L) {
            log.accept("syscope: kafka: " + (f - failuresLogged) + " events failed delivery and are counted as failed ("
                    + f + " in all; " + firstFailure + ")");
            failuresLogged = f;
            lastFailureLogNanos = now;
        }
    }

    private long pending() {
        return Math.max(0, sent.get() - delivered.get() - failed.get());
    }

    /** The ring's bytes, the producer's batches, and an estimate of its records' objects. */
    private long bufferedBytes() {
        return ring.usedBytes() + (producerBytes - (long) producerMetric("buffer-available-bytes", producerBytes))
                + pending() * PENDING_RECORD_BYTES;
    }

    private long bufferLimit() {
        return ring.capacity() + producerBytes + maxPending * PENDING_RECORD_BYTES;
    }

    private double producerMetric(String name, double otherwise) {
        for (Map.Entry<MetricName, ? extends Metric> m : producer.metrics().entrySet()) {
            if (m.getKey().name().equals(name) && m.getKey().group().equals("producer-metrics")) {
                Object v = m.getValue().metricValue();
                return v instanceof Number n ? n.doubleValue() : otherwise;
            }
        }
        return otherwise;
    }

    private static long mib(long bytes) {
        return (bytes + (1 << 19)) >> 20;
    }

    /** A snapshot, from any thread. */
    public Stats stats() {
        return new Stats(delivered.get(), failed.get(), backlog.total(), dropped, pending(), bufferedBytes(), bufferLimit(),
                !stalled);
    }

    /**
     * Sends what is buffered, waiting up to {@link #CLOSE_TIMEOUT} for the broker; whatever is still
     * unsent or unacknowledged then counts as failed. Call after the last {@link #onEvent}, from the
     * reader's thread.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
        stopping = true;
        join(deadline);
        givingUp = true;
        // Fails what the broker has not acknowledged by the deadline.
        producer.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        join(System.nanoTime() + 10_000_000_000L); // the rest fails at once on a closed producer
        long p = pending();
        if (p > 0) { // callbacks that never came (not expected): count them, so that totals reconcile
            failed.addAndGet(p);
        }
    }

    private void join(long deadlineNanos) {
        try {
            sender.join(Duration.ofNanos(Math.max(1, deadlineNanos - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
