# syscope container image: multi-stage build of the executable jar, then a JRE with libbpf.
#
#   docker-compose build && docker-compose up          (see docker-compose.yml for the run options)
#
# The base images are build arguments. The defaults are the official images on Docker Hub; where
# no registry can be reached, scripts/docker-base-images.sh builds local stand-ins:
#   docker-compose build \
#     --build-arg BUILD_IMAGE=syscope-local/build:25 --build-arg RUNTIME_IMAGE=syscope-local/runtime:25
# (or export SYSCOPE_BUILD_IMAGE / SYSCOPE_RUNTIME_IMAGE, which docker-compose.yml passes on).
# The build stage needs network access to Maven Central, the runtime stage to an apt repository:
# build with host networking (docker-compose.yml does; plain docker: docker build --network host).
#
# No clang in the image: the compiled BPF objects are committed under src/main/bpf and ship
# inside target/syscope.jar.

ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-25
ARG RUNTIME_IMAGE=eclipse-temurin:25-jre

# ---- build ---------------------------------------------------------------------------------------
FROM ${BUILD_IMAGE} AS build
# Marks this stage's intermediate images, so that scripts/docker-smoke.sh can clean them up.
LABEL dev.syscope.stage="build"
WORKDIR /build

# The pom alone first: downloading plugins and dependencies is cached in its own layer and only
# redone when pom.xml changes. go-offline does not fetch everything (and may fail on a new
# plugin), so this is best effort; the package step below fetches whatever is still missing.
COPY pom.xml ./
RUN mvn -B -q dependency:go-offline \
    || echo "warning: dependency warm-up failed; 'mvn package' will download what it needs" >&2

COPY src ./src
# No AOT cache here: it fits only the JVM that made it, so the aot stage below makes it.
RUN mvn -B -DskipTests -Dsyscope.aot.skip=true package \
    && test -s target/syscope.jar

# ---- runtime -------------------------------------------------------------------------------------
FROM ${RUNTIME_IMAGE} AS runtime
LABEL org.opencontainers.image.title="syscope" \
      org.opencontainers.image.description="Linux system-call monitor on eBPF (libbpf), in Java 25 with the Foreign Function & Memory API. Run with the host's PID namespace, CAP_SYS_ADMIN (or CAP_BPF + CAP_PERFMON) and tracefs mounted; see docker-compose.yml."

# libbpf.so.1 is all syscope needs from the system; the jar loads it through FFM.
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get update \
    && apt-get install -y --no-install-recommends libbpf1 \
    && rm -rf /var/lib/apt/lists/*

COPY --from=build /build/target/syscope.jar /opt/syscope/syscope.jar
COPY src/main/jvm/syscope.jvmopts /opt/syscope/syscope.jvmopts

# ---- AOT cache -----------------------------------------------------------------------------------
# The JDK's AOT cache (JEP 483/514/515: classes loaded and linked, method profiles) takes 50-70 ms
# off each start (bench/startup.sh). It fits only the JVM and jar that made it, so it is made with
# this image's JVM, from a training run that needs no BPF (dev.syscope.cli.AotTraining); its log is
# printed only if it fails.
FROM runtime AS aot
RUN java @/opt/syscope/syscope.jvmopts -XX:AOTCacheOutput=/opt/syscope/syscope.aot \
        -cp /opt/syscope/syscope.jar dev.syscope.cli.AotTraining /opt/syscope/syscope.aot > /tmp/aot.log 2>&1 \
    && test -s /opt/syscope/syscope.aot \
    || { cat /tmp/aot.log >&2; exit 1; }

FROM runtime
COPY --from=aot /opt/syscope/syscope.aot /opt/syscope/syscope.aot
ENTRYPOINT ["java", "@/opt/syscope/syscope.jvmopts", "-XX:AOTCache=/opt/syscope/syscope.aot", "-Xlog:aot*=off", \
            "-jar", "/opt/syscope/syscope.jar"]
