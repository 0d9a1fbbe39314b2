# Lookout's image: the runnable jar on a Java 17 runtime, run as a non-root user.
#
#   mvn -B -q -DskipTests package -pl operator      # operator/target/lookout.jar, the only file in the context
#   docker build -t lookout/lookout:0.1.0 .
#
# JRE_IMAGE is any image with java 17 on PATH, bash, and groupadd/useradd: the official eclipse-temurin (Ubuntu)
# by default; tests pass a Debian bookworm base made without a registry (.ci/lookout-base.sh).
ARG JRE_IMAGE=eclipse-temurin:17-jre
FROM ${JRE_IMAGE}

# A fixed uid/gid, so that files Lookout writes into volumes have the same owner on every host and after every
# rebuild. Talking to the Docker socket needs the socket's group, given at run time (compose: group_add with
# DOCKER_GID, which is `stat -c %g /var/run/docker.sock` on the host): a gid baked in here would be wrong elsewhere.
ARG LOOKOUT_UID=10001
ARG LOOKOUT_GID=10001
RUN groupadd --system --gid "${LOOKOUT_GID}" lookout \
 && useradd --system --uid "${LOOKOUT_UID}" --gid lookout --home-dir /var/lib/lookout --no-create-home \
      --shell /usr/sbin/nologin lookout \
 && mkdir -p /opt/lookout /etc/lookout/resources /var/lib/lookout/out /var/lib/lookout/state \
 && chown -R lookout:lookout /var/lib/lookout \
 && printf '%s\n' '# Embedded defaults: the local engine on /var/run/docker.sock, Prometheus at http://prometheus:9090,' \
      '# blackbox at http://blackbox-exporter:9115. Mount your own at /etc/lookout/lookout.yaml.' '{}' \
      > /etc/lookout/lookout.yaml

COPY operator/target/lookout.jar /opt/lookout/lookout.jar

# Numeric, so that a runtime can check it is not root without reading /etc/passwd (Kubernetes' runAsNonRoot).
USER ${LOOKOUT_UID}:${LOOKOUT_GID}
WORKDIR /var/lib/lookout
# No VOLUME: an anonymous volume per `docker run` would outlive every container. A named volume mounted at
# /var/lib/lookout/out or /state starts with the image's folder and its owner (lookout), so Lookout can write it.
EXPOSE 8080

# Neither base has curl or wget, and a second JVM per check would cost ~0.6 s of CPU and 60 MB each time: bash's
# /dev/tcp (bash is in both bases) sends one request and reads the status line, bounded by read -t and by the
# health check's own timeout. /healthz is 200 while Lookout's loop lives; /readyz would turn the container
# unhealthy whenever Prometheus is away, which is not Lookout's failure. Port 8080: the default command's --listen.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /healthz HTTP/1.0\\r\\nHost: lookout\\r\\n\\r\\n' >&3 && read -r -t 4 version status rest <&3 && [ \"$status\" = 200 ]"]

# java as PID 1 gets docker stop's SIGTERM itself: Lookout finishes the write in progress and saves its state.
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-XX:MaxRAMPercentage=75", "-jar", "/opt/lookout/lookout.jar"]
CMD ["run", "--watch", "/etc/lookout/resources", "--config", "/etc/lookout/lookout.yaml", \
     "--out", "/var/lib/lookout/out", "--state", "/var/lib/lookout/state", "--listen", "0.0.0.0:8080"]
