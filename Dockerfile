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
RUN mvn -B -q dependency:go-offline -DexcludeArtifactIds=check-api,bot-core,check-testkit,nginx-support,store,config,checks || true
COPY . .
RUN mvn -B -q package -DskipTests -Dchatops.cds.skip=true

# Run: a JRE and the one jar, as an unprivileged user.
FROM eclipse-temurin:17-jre
RUN groupadd --system chatops && useradd --system --gid chatops --home-dir /home/chatops --create-home chatops
COPY --from=build /src/adapters/target/chatops-bot.jar /opt/chatops/chatops-bot.jar
# the launcher and its class data sharing archive, built here by this image's own java for the jar
# at this path (an archive only fits the java and the jar path it was made with); if the training
# fails the image still builds and the launcher starts the jar without the archive
COPY --from=build /src/adapters/src/main/sh/chatops-bot /src/adapters/src/build/cds-archive \
     /src/checks/src/test/resources/evidence/upstream-down-tcp.json /tmp/cds/
RUN sh /tmp/cds/cds-archive java /opt/chatops /tmp/cds/chatops-bot /tmp/cds/upstream-down-tcp.json \
    && rm -rf /tmp/cds /opt/chatops/cds-training
# bot.yaml, the SSH key (mode 0600) and known_hosts are mounted here, plugin jars in a folder that
# bot.yaml names under plugins: (e.g. /config/plugins); tokens come from the environment
VOLUME /config
WORKDIR /config
USER chatops
# a 100-host sweep stays under 256 MiB resident with a 128 MiB heap (BENCHMARKS.md)
ENV JAVA_OPTS=-Xmx192m
ENTRYPOINT ["/opt/chatops/chatops-bot"]
CMD ["serve", "--config", "/config/bot.yaml"]
