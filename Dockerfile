# Build: the whole reactor, tests are run by CI, not here.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY check-api/pom.xml check-api/
COPY bot-core/pom.xml bot-core/
COPY check-testkit/pom.xml check-testkit/
COPY nginx-support/pom.xml nginx-support/
COPY store/pom.xml store/
COPY config/pom.xml config/
COPY checks/pom.xml checks/
COPY adapters/pom.xml adapters/
COPY tls-check/pom.xml tls-check/
RUN mvn -B -q dependency:go-offline -DexcludeArtifactIds=check-api,bot-core,check-testkit,nginx-support,store,config,checks,tls-check || true
COPY . .
RUN mvn -B -q package -DskipTests -Dchatops.cds.skip=true

# Run: a JRE and the one jar, as an unprivileged user.
FROM eclipse-temurin:17-jre
RUN groupadd --system chatops && useradd --system --gid chatops --home-dir /home/chatops --create-home chatops
COPY --from=build /src/adapters/target/chatops-bot.jar /opt/chatops/chatops-bot.jar
# the tls check ships as a plugin jar beside it, root's and read-only, loaded when bot.yaml names the
# folder: plugins: [/opt/chatops/plugins] (docs/plugins.md); without that line only nginx502 runs
COPY --from=build /src/tls-check/target/tls-check.jar /opt/chatops/plugins/tls-check.jar
# the launcher and its class data sharing archive, built here by this image's own java for the jar
# at this path (an archive only fits the java and the jar path it was made with); if the training
# fails the image still builds and the launcher starts the jar without the archive
COPY --from=build /src/adapters/src/main/sh/chatops-bot /src/adapters/src/build/cds-archive \
     /src/adapters/src/build/cds-ssh.classes \
     /src/checks/src/test/resources/evidence/upstream-down-tcp.json /tmp/cds/
RUN sh /tmp/cds/cds-archive java /opt/chatops /tmp/cds/chatops-bot /tmp/cds/upstream-down-tcp.json \
    && rm -rf /tmp/cds /opt/chatops/cds-training
# SQLite's native library as the build stage took it out of the jar (this JRE has no unzip, jar or
# python3 to do it), so no start extracts it again; after the archive's step, which clears it, and
# newer than the jar, as the launcher requires
COPY --from=build /src/adapters/target/sqlite-native /opt/chatops/sqlite-native
# bot.yaml, the SSH key (mode 0600) and known_hosts are mounted here, other plugin jars in a folder
# that bot.yaml names under plugins: (e.g. /config/plugins); tokens come from the environment
VOLUME /config
WORKDIR /config
USER chatops
# the JVM of an always-on bot in little memory (docs/operations.md, "Memory: the JVM's settings"):
# the serial collector; a heap that starts at 32 MiB and grows with what it holds, up to 192 MiB (the
# Slack bot's kept evidence, 32 MiB, and a sweep); the quick compiler only; two malloc arenas. A
# 100-host sweep peaks at about 195 MiB resident with the kept evidence full (BENCHMARKS.md, figure 6).
# bench/run reads these two lines: keep each as ENV NAME=value or ENV NAME="value", one to a line.
ENV JAVA_OPTS="-XX:+UseSerialGC -Xms32m -Xmx192m -XX:MinHeapFreeRatio=20 -XX:MaxHeapFreeRatio=40 -XX:TieredStopAtLevel=1"
ENV MALLOC_ARENA_MAX=2
ENTRYPOINT ["/opt/chatops/chatops-bot"]
CMD ["serve", "--config", "/config/bot.yaml"]
