package dev.syscope.cli;

import dev.syscope.api.SyscopeException;
import dev.syscope.bpf.BpfException;
import dev.syscope.bpf.Errno;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Environment errors say what failed, the errno, and what to do. */
class ErrorMessagesTest {

    @Test
    void permissionDeniedNamesTheCapabilities() {
        var e = new SyscopeException.PermissionDenied("load BPF object: Operation not permitted (EPERM)", Errno.EPERM, null);
        assertThat(e.getMessage())
                .isEqualTo("load BPF object: Operation not permitted (EPERM); syscope needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN, or root)");
        assertThat(e.errno()).isEqualTo(Errno.EPERM);
    }

    @Test
    void bpfErrorsCarryOperationMessageAndErrnoName() {
        var e = new BpfException("attach sc_tp_read_rb to tracepoint syscalls:sys_enter_read", Errno.ENOENT);
        assertThat(e.getMessage()).isEqualTo("attach sc_tp_read_rb to tracepoint syscalls:sys_enter_read: No such file or directory (ENOENT)");
    }

    @Test
    void errnoNamesComeFromTheCLibrary() {
        assertThat(Errno.name(Errno.EPERM)).isEqualTo("EPERM");
        assertThat(Errno.name(Errno.EOPNOTSUPP)).isEqualTo("EOPNOTSUPP");
        assertThat(Errno.describe(Errno.EACCES)).isEqualTo("Permission denied (EACCES)");
    }
}
