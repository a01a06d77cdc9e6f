package dev.syscope.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

/** `syscope serve` input errors (checked before anything is loaded), --listen parsing and its help. */
class ServeUsageTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "serve --listen 127.0.0.1:99999 | '127.0.0.1:99999' is not a listen address",
        "serve --listen host:port       | 'host:port' is not a listen address",
        "serve --listen ::1:9464        | write an IPv6 address in brackets, e.g. [::1]:9464",
        "serve --comm-limit 0           | --comm-limit must be positive: '0'",
        "serve --label pod              | --label: unknown label 'pod' (known: container)",
        "serve --max-entries 0          | --max-entries must be positive",
        "serve -e xyz                   | unknown syscall 'xyz' (see 'syscope list')",
    })
    void badInputIsOneLineThenUsageAndExit2(String args, String message) {
        CliUsageTest.Result r = CliUsageTest.run(args.trim().split("\\s+"));
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        String[] lines = r.err().split("\n");
        assertThat(lines[0]).startsWith("syscope: ").contains(message).doesNotContain("Exception");
        assertThat(lines[1]).startsWith("Usage: syscope serve");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aListenAddressInUseIsBadUsage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CliUsageTest.Result r = CliUsageTest.run("serve", "--listen", "127.0.0.1:" + taken.getLocalPort(), "--duration", "1");
            assertThat(r.code()).as(r.err()).isEqualTo(2);
            assertThat(r.err().split("\n")[0]).isEqualTo("syscope: --listen 127.0.0.1:" + taken.getLocalPort()
                    + ": Address already in use; pick another address or port");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "9464            | 127.0.0.1 | 9464",
        ":0              | 127.0.0.1 | 0",
        "0.0.0.0:9100    | 0.0.0.0   | 9100",
        "[::1]:9464      | ::1       | 9464",
        "localhost:9464  | localhost | 9464",
    })
    void listenAddresses(String value, String host, int port) {
        InetSocketAddress a = ListenConverter.parse(value);
        assertThat(a.getHostString()).isEqualTo(host);
        assertThat(a.getPort()).isEqualTo(port);
    }

    @Test
    void helpNamesTheMetricsAndTheDefaults() {
        CliUsageTest.Result r = CliUsageTest.run("serve", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: syscope serve", "syscope_syscalls_total{syscall,comm}",
                "syscope_syscall_errors_total{syscall,comm,errno}", "--listen=[HOST:]PORT", "default: 127.0.0.1:9464",
                "--comm-limit=N", "comm=\"other\"", "--max-entries=N", "Exit status: 0 ok");
        assertThat(CliUsageTest.run("--help").out()).contains("  serve  Export exact syscall counts");
    }
}
