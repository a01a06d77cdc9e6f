package dev.syscope.container;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The container a cgroup belongs to: its id (the runtime's full id, 64 hex digits), its runtime
 * and, under Kubernetes, its pod's UID. {@link #HOST} stands for a cgroup of no container. The
 * JSON fields and the short id are encoded once here, so sinks write them per event without
 * allocating.
 *
 * @param id      the full container id; "" for the host
 * @param runtime docker, containerd, cri-o, podman, or cri (a kubepods cgroup of the cgroupfs
 *                driver, whose name does not tell the runtime); "" for the host
 * @param podUid  the Kubernetes pod UID with dashes, or null
 */
public record Container(String id, String runtime, String podUid, byte[] jsonFields, byte[] shortId) {
    /** Characters of the short id, as {@code docker ps} shows it. */
    public static final int SHORT = 12;
    /** Not in a container. */
    public static final Container HOST = new Container("", "", null);

    public Container {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(runtime, "runtime");
    }

    public Container(String id, String runtime, String podUid) {
        this(id, runtime, podUid, json(id, runtime, podUid), utf8(id.substring(0, Math.min(SHORT, id.length()))));
    }

    public boolean isHost() {
        return id.isEmpty();
    }

    /** The first {@value #SHORT} characters of the id ("" for the host). */
    public String shortIdText() {
        return id.substring(0, Math.min(SHORT, id.length()));
    }

    /**
     * {@code ,"container_id":…,"container_runtime":…[,"pod_uid":…]}, ready to append to a JSON
     * object; empty for the host: host events carry no container keys.
     */
    @Override
    public byte[] jsonFields() {
        return jsonFields; // shared, never written: callers copy it out
    }

    @Override
    public byte[] shortId() {
        return shortId;
    }

    private static byte[] json(String id, String runtime, String podUid) {
        if (id.isEmpty()) {
            return new byte[0];
        }
        return utf8(",\"container_id\":" + quoted(id) + ",\"container_runtime\":" + quoted(runtime)
                + (podUid != null ? ",\"pod_uid\":" + quoted(podUid) : ""));
    }

    private static String quoted(String s) {
        return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + '"';
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Container c && id.equals(c.id) && runtime.equals(c.runtime) && Objects.equals(podUid, c.podUid);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, runtime, podUid);
    }

    @Override
    public String toString() {
        return isHost() ? "host" : runtime + ":" + id + (podUid != null ? " pod " + podUid : "");
    }
}
