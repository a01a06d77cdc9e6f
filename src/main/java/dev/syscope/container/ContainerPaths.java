package dev.syscope.container;

/**
 * Tells the container of a cgroup from its path, as container runtimes name their cgroups:
 * <ul>
 * <li>docker: {@code /docker/<id>} (cgroupfs driver), {@code .../docker-<id>.scope} (systemd driver);
 * <li>containerd under Kubernetes: {@code .../cri-containerd-<id>.scope};
 * <li>CRI-O: {@code .../crio-<id>.scope}, and its monitor {@code crio-conmon-<id>.scope};
 * <li>podman: {@code .../libpod-<id>.scope}, {@code /libpod_parent/libpod-<id>}, and its monitor
 *     {@code libpod-conmon-<id>.scope};
 * <li>Kubernetes' cgroupfs driver: {@code /kubepods/<qos>/pod<uid>/<id>}, which does not say
 *     which runtime (reported as "cri").
 * </ul>
 * An id is 64 hex digits. The deepest component that names a container wins, so cgroups nested
 * inside a container (systemd in a container, docker in docker) belong to the innermost one. The
 * pod UID comes from {@code kubepods-<qos>-pod<uid with _>.slice} (systemd driver) or
 * {@code pod<uid>} (cgroupfs driver). A monitor (conmon) is reported as the container it watches.
 */
public final class ContainerPaths {
    private static final int ID_LEN = 64;

    private ContainerPaths() {}

    /**
     * The container of a cgroup v2 path ({@code /system.slice/docker-….scope}) or of one line of
     * /proc/PID/cgroup, v1 ({@code 12:pids:/docker/…}) or v2 ({@code 0::/…}); {@link Container#HOST}
     * if the path names none.
     */
    public static Container parse(String pathOrLine) {
        String path = pathOrLine.strip();
        if (!path.startsWith("/")) { // HIERARCHY-ID:CONTROLLERS:PATH
            int first = path.indexOf(':');
            int second = first < 0 ? -1 : path.indexOf(':', first + 1);
            if (second < 0) {
                return Container.HOST;
            }
            path = path.substring(second + 1);
        }
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i > 0; i--) {
            String part = parts[i];
            String parent = i > 1 ? parts[i - 1] : "";
            String id;
            String runtime;
            if ((id = between(part, "docker-", ".scope")) != null) {
                runtime = "docker";
            } else if ((id = between(part, "cri-containerd-", ".scope")) != null) {
                runtime = "containerd";
            } else if ((id = between(part, "crio-conmon-", ".scope")) != null
                    || (id = between(part, "crio-", ".scope")) != null
                    || (id = between(part, "crio-", "")) != null) { // CRI-O with cgroupfs
                runtime = "cri-o";
            } else if ((id = between(part, "libpod-conmon-", ".scope")) != null
                    || (id = between(part, "libpod-", ".scope")) != null
                    || (id = between(part, "libpod-", "")) != null) {
                runtime = "podman";
            } else if (isId(part)) {
                id = part;
                runtime = parent.equals("docker") ? "docker" : podUid(parts, i) != null ? "cri" : "unknown";
            } else {
                continue;
            }
            return new Container(id, runtime, podUid(parts, i));
        }
        return Container.HOST;
    }

    /** The pod UID in the components above {@code parts[below]}, under a kubepods component; or null. */
    static String podUid(String[] parts, int below) {
        boolean kubepods = false;
        String uid = null;
        for (int i = 0; i < below; i++) {
            String p = parts[i];
            if (p.equals("kubepods") || p.startsWith("kubepods.") || p.startsWith("kubepods-")) {
                kubepods = true;
            }
            int pod = p.lastIndexOf("pod");
            if (kubepods && pod >= 0) {
                String rest = p.substring(pod + 3);
                if (rest.endsWith(".slice")) {
                    rest = rest.substring(0, rest.length() - ".slice".length()).replace('_', '-');
                }
                if (isUid(rest)) {
                    uid = rest;
                }
            }
        }
        return uid;
    }

    /** The id in {@code prefix<id>suffix}, if {@code s} is that; otherwise null. */
    private static String between(String s, String prefix, String suffix) {
        if (s.length() == prefix.length() + ID_LEN + suffix.length() && s.startsWith(prefix) && s.endsWith(suffix)) {
            String id = s.substring(prefix.length(), prefix.length() + ID_LEN);
            return isId(id) ? id : null;
        }
        return null;
    }

    private static boolean isId(String s) {
        if (s.length() != ID_LEN) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** A UUID as Kubernetes writes pod UIDs: 8-4-4-4-12 hex digits. */
    private static boolean isUid(String s) {
        if (s.length() != 36) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
