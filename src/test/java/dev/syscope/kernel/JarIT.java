package dev.syscope.kernel;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged jar is what the README and the Dockerfile promise. */
class JarIT {

    @Test
    void isExecutableGrantsNativeAccessAndCarriesBothBpfObjects() throws IOException {
        try (JarFile jar = new JarFile(SyscopeProcess.jar().toFile())) {
            var attrs = jar.getManifest().getMainAttributes();
            assertThat(attrs.getValue("Main-Class")).isEqualTo("dev.syscope.cli.Main");
            assertThat(attrs.getValue("Enable-Native-Access")).isEqualTo("ALL-UNNAMED");
            assertThat(jar.getEntry("dev/syscope/bpf/seed.x86.bpf.o")).isNotNull();
            assertThat(jar.getEntry("dev/syscope/bpf/seed.arm64.bpf.o")).isNotNull();
            assertThat(jar.getEntry("picocli/CommandLine.class")).as("dependencies are shaded in").isNotNull();
        }
    }

    @Test
    void runsWithJavaJarWithoutNativeAccessWarnings() throws Exception {
        try (SyscopeProcess sc = SyscopeProcess.start("--version")) {
            assertThat(sc.awaitExit(30)).isZero();
            assertThat(sc.out()).singleElement().asString().matches("syscope \\d+\\.\\d+\\.\\d+\\S*"); // from the manifest, not "dev"
            assertThat(sc.err()).isEmpty();
        }
    }
}
