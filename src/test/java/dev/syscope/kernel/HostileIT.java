package dev.syscope.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A process that names itself with an escape sequence, invalid UTF-8 and a backslash, and opens a
 * path longer than the capture buffer, cannot break syscope's text or JSON output.
 */
class HostileIT {
    /** What the child's comm "\x1b[31m\xc3\xa9v\xff\\" must look like: escaped, valid UTF-8 kept. */
    private static final String ESCAPED_COMM = "\\x1b[31m\u00e9v\\xff\\\\";

    @BeforeEach
    void bpf() {
        KernelTests.requireBpf();
    }

    private static List<String> run(String... args) throws Exception {
        try (Child child = Child.start("hostile")) {
            String[] all = new String[args.length + 4];
            System.arraycopy(args, 0, all, 0, args.length);
            System.arraycopy(new String[] {"-p", Integer.toString(child.pid()), "-e", "openat,prctl"}, 0, all, args.length, 4);
            try (SyscopeProcess sc = SyscopeProcess.start(all)) {
                sc.awaitErr(l -> l.startsWith("syscope: attach: "), 30);
                child.go();
                Thread.sleep(300);
                sc.signal("INT");
                sc.awaitExit(30);
                List<String> out = sc.out();
                // No raw control byte reaches the output, and it decoded as UTF-8 without replacement.
                assertThat(out).allSatisfy(l -> assertThat(l).doesNotContain("\u001b", "\ufffd"));
                return out;
            }
        }
    }

    @Test
    void jsonEscapesTheCommAndMarksTheCutPath() throws Exception {
        List<String> out = run("trace", "-o", "json", "-v");
        ObjectMapper json = new ObjectMapper();
        JsonNode open = null;
        for (String l : out) {
            JsonNode n = json.readTree(l);
            if ("openat".equals(n.path("syscall").asText())) {
                open = n;
            }
        }
        assertThat(open).as(String.join("\n", out)).isNotNull();
        assertThat(open.get("comm").asText()).isEqualTo(ESCAPED_COMM);
        assertThat(open.get("path_truncated").asBoolean()).isTrue();
        assertThat(open.get("args").get("filename").asText()).hasSize(255).startsWith("/aaa");
    }

    @Test
    void textEscapesTheCommAndMarksTheCutPath() throws Exception {
        List<String> out = run("trace", "-v");
        assertThat(out).anySatisfy(l -> assertThat(l).contains(ESCAPED_COMM, "openat", "\"/aaa", "aaa\"..."));
    }

    @Test
    void statsEscapeTheComm() throws Exception {
        List<String> out = run("stats", "-v");
        assertThat(out).anySatisfy(l -> assertThat(l).contains(ESCAPED_COMM, "openat"));
    }
}
