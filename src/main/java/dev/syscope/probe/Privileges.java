package dev.syscope.probe;

import dev.syscope.api.SyscopeException;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks the effective capabilities before touching the kernel, to fail with one clear line. */
public final class Privileges {
    static final int CAP_SYS_ADMIN = 21;
    static final int CAP_PERFMON = 38;
    static final int CAP_BPF = 39;

    private Privileges() {}

    /** Throws PermissionDenied unless the process may load and attach tracing programs. */
    public static void require() {
        BigInteger eff = effective();
        if (eff == null || sufficient(eff)) {
            return; // unknown: let the kernel decide, and map its EPERM
        }
        throw new SyscopeException.PermissionDenied(
                "cannot load BPF programs: effective capabilities are 0x" + eff.toString(16), 1, null);
    }

    /** CAP_SYS_ADMIN alone, or CAP_BPF with CAP_PERFMON (kernel >= 5.8). */
    static boolean sufficient(BigInteger eff) {
        return eff.testBit(CAP_SYS_ADMIN) || (eff.testBit(CAP_BPF) && eff.testBit(CAP_PERFMON));
    }

    /** CapEff from /proc/self/status, or null if it cannot be read. */
    static BigInteger effective() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return new BigInteger(line.substring(7).trim(), 16);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return null;
        }
        return null;
    }
}
