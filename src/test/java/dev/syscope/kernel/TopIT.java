package dev.syscope.kernel;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `syscope top` from the packaged jar: on a pseudo-terminal (a detached tmux session on a private
 * server) with keys sent by tmux, and with stdout piped (plain tables).
 */
class TopIT {
    private Path socket; // a private tmux server, removed after each test
    private final List<Child> children = new ArrayList<>();
    private Path exitFile;
    private Path errFile;

    @BeforeEach
    void setUp() throws IOException {
        KernelTests.requireBpf();
        socket = Files.createTempFile("topit-tmux", ".sock");
        Files.delete(socket);
        exitFile = Files.createTempFile("topit-exit", ".txt");
        errFile = Files.createTempFile("topit-err", ".txt");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (tmuxAvailable()) {
            tmux("kill-server"); // fails harmlessly when the session is already gone
        }
        children.forEach(Child::close);
        Files.deleteIfExists(socket);
        Files.deleteIfExists(exitFile);
        Files.deleteIfExists(errFile);
    }

    @Test
    void showsTheChildAndQQuitsWithStatus0() throws Exception {
        Child child = busyChild("topit_a");
        startTop("top", "-c", "topit_a", "-v");
        String screen = awaitScreen(s -> s.contains(" topit_a ") && s.contains(" write "), "the child's row");
        assertThat(screen).contains("syscope top").contains(Integer.toString(child.pid()))
                .containsPattern(" +PID COMM +SYSCALL +CALLS/S +ERRORS/S +BYTES/S +AVG +P50 +P99");
        tmux("send-keys", "-t", "top", "q");
        assertExit0();
        // A real terminal through JLine's FFM provider, from the shaded jar.
        assertThat(Files.readAllLines(errFile)).anyMatch(l -> l.matches("syscope: top: terminal (screen|tmux)\\S* \\(provider ffm\\)"));
    }

    @Test
    void sortAndFilterKeysChangeTheScreen() throws Exception {
        Child a = busyChild("topit_a");
        Child b = busyChild("topit_b");
        startTop("top", "-e", "write");
        awaitScreen(s -> s.contains(" topit_a ") && s.contains(" topit_b "), "both children");

        boolean aFirst = a.pid() < b.pid();
        tmux("send-keys", "-t", "top", "p");
        String byPid = awaitScreen(s -> s.contains("sort: pid, default order") && s.contains(" topit_a ") && s.contains(" topit_b "), "the pid order");
        assertThat(byPid.indexOf(" topit_a ") < byPid.indexOf(" topit_b ")).as(byPid).isEqualTo(aFirst);
        tmux("send-keys", "-t", "top", "r");
        String reversed = awaitScreen(s -> s.contains("sort: pid, reversed") && s.contains(" topit_a ") && s.contains(" topit_b "), "the reversed pid order");
        assertThat(reversed.indexOf(" topit_a ") < reversed.indexOf(" topit_b ")).as(reversed).isEqualTo(!aFirst);

        tmux("send-keys", "-t", "top", "/", "topit_b", "Enter");
        String filtered = awaitScreen(s -> s.contains("filter: comm contains \"topit_b\""), "the filter");
        assertThat(filtered).contains(" topit_b ").doesNotContain(" topit_a ");

        tmux("send-keys", "-t", "top", "C-c");
        assertExit0();
        assertThat(Files.readAllLines(errFile)).as("no terminal warnings on stderr")
                .singleElement().asString().matches("syscope: \\d+ lost, \\d+ not counted \\(map full\\)");
    }

    @Test
    void withoutATerminalPrintsPlainTablesUntilTheDuration() throws Exception {
        Child child = busyChild("topit_a");
        try (SyscopeProcess sc = SyscopeProcess.start("top", "--duration", "3", "-c", "topit_a")) {
            assertThat(sc.awaitExit(30)).as("stderr: %s", sc.err()).isZero();
            List<String> out = sc.out();
            assertThat(out).as("stdout").filteredOn(l -> l.startsWith("syscope top ")).hasSizeBetween(2, 4);
            assertThat(out).filteredOn(l -> l.startsWith("lost ")).hasSizeBetween(2, 4)
                    .allSatisfy(l -> assertThat(l).startsWith("lost 0  map full 0  by process,syscall  sort: calls"));
            assertThat(out).noneMatch(l -> l.contains("\u001b")).noneMatch(l -> l.startsWith("keys:"));
            assertThat(out).anyMatch(l -> l.matches(" +PID COMM +SYSCALL +CALLS/S +ERRORS/S +BYTES/S +AVG +P50 +P99"));
            assertThat(out).anyMatch(l -> l.matches(" +" + child.pid() + " topit_a +write +[1-9]\\d* +0 .*"));
            assertThat(sc.err()).containsExactly("syscope: 0 lost, 0 not counted (map full)");
        }
    }

    /** A copy of syscall_child named {@code comm}, writing 1 byte to /dev/null in a loop, at nice 19. */
    private Child busyChild(String comm) throws IOException {
        Path bin = KernelTests.child().resolveSibling(comm);
        Files.copy(KernelTests.child(), bin, StandardCopyOption.REPLACE_EXISTING);
        Child c = Child.startAs(List.of("nice", "-n", "19", bin.toString()), "write", "/dev/null", "4000000000", "1");
        children.add(c);
        c.release();
        return c;
    }

    /** Runs the jar with {@code args} in a 160x40 tmux session "top"; its exit status goes to exitFile. */
    private void startTop(String... args) throws Exception {
        if (!tmuxAvailable()) {
            String why = "tmux is not installed (apt-get install tmux)";
            if (KernelTests.inCi()) {
                throw new AssertionError("TopIT must run in CI, but " + why);
            }
            throw new TestAbortedException(why);
        }
        StringBuilder cmd = new StringBuilder(quote(SyscopeProcess.java())).append(" -jar ").append(quote(SyscopeProcess.jar().toString()));
        for (String a : args) {
            cmd.append(' ').append(quote(a));
        }
        cmd.append(" 2>").append(quote(errFile.toString())).append("; echo $? >").append(quote(exitFile.toString()));
        assertThat(tmux("new-session", "-d", "-s", "top", "-x", "160", "-y", "40", cmd.toString())).isZero();
    }

    /** Polls the screen until it matches, for up to 20 s; the failure shows the last screen and stderr. */
    private String awaitScreen(Predicate<String> match, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String screen = "";
        while (System.nanoTime() < deadline) {
            screen = capture();
            if (match.test(screen)) {
                return screen;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the screen did not show " + what + " within 20 s. Screen:\n" + screen
                + "\nstderr (last lines): " + tail(errFile) + "\nexit status file: " + Files.readString(exitFile));
    }

    private void assertExit0() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (Files.readString(exitFile).isBlank() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(Files.readString(exitFile).trim()).as("exit status; stderr: %s", tail(errFile)).isEqualTo("0");
        while (tmux("has-session", "-t", "top") == 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(tmux("has-session", "-t", "top")).as("the tmux session is gone").isNotZero();
    }

    private String capture() throws Exception {
        Process p = new ProcessBuilder("tmux", "-S", socket.toString(), "capture-pane", "-p", "-t", "top").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    private int tmux(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-S", socket.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("tmux " + String.join(" ", args) + " did not finish");
        }
        return p.exitValue();
    }

    private static boolean tmuxAvailable() {
        try {
            return new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static List<String> tail(Path f) throws IOException {
        List<String> l = Files.readAllLines(f);
        return l.subList(Math.max(0, l.size() - 10), l.size());
    }
}
