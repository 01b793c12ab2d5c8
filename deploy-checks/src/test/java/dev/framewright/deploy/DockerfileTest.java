package dev.framewright.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The images, checked without Docker: base, user, port, the fast-jar paths they copy. */
class DockerfileTest {

    private static final Map<String, ServiceConfig> SERVICES = Fixtures.services();

    private static Dockerfile dockerfile(String module) {
        return Dockerfile.parse(SERVICES.get(module).dir.resolve("src/main/docker/Dockerfile.jvm"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"job-api", "transcoder", "status-projector"})
    void dockerfileIsPinnedNonRootAndExposesTheServicePort(String module) {
        assertThat(DockerfileChecks.check(SERVICES.get(module), dockerfile(module))).isEmpty();
    }

    /** After `package` (a full `./mvnw verify` builds the services before this module), every COPY source exists. */
    @ParameterizedTest
    @ValueSource(strings = {"job-api", "transcoder", "status-projector"})
    void copiedPathsExistAfterPackage(String module) {
        Path dir = SERVICES.get(module).dir;
        assumeTrue(Files.isRegularFile(dir.resolve("target/quarkus-app/quarkus-run.jar")),
                module + " is not packaged (run ./mvnw package first); the layout itself is checked statically");
        for (String copy : dockerfile(module).all("COPY")) {
            String source = copy.split("\\s+")[1];
            assertThat(DockerfileChecks.resolve(dir, source)).as(module + ": COPY " + source).isNotEmpty();
        }
        assertThat(DockerfileChecks.resolve(dir, "target/quarkus-app/*.jar")).extracting(p -> p.getFileName().toString())
                .containsExactly("quarkus-run.jar");
    }

    /** The image's architecture guard matches the jar names Quarkus writes, and the arm64 profile exists. */
    @Test
    void transcoderNativesGuardMatchesTheBuild() throws IOException {
        String run = String.join("\n", dockerfile("transcoder").all("RUN"));
        Matcher m = Pattern.compile("grep -q \"(\\^org\\\\\\.bytedeco\\\\\\.ffmpeg-[^\"]+)\"").matcher(run);
        assertThat(m.find()).as("the RUN guard greps lib/main for the ffmpeg natives").isTrue();
        Pattern x86 = Pattern.compile(m.group(1).replace("${want}", "linux-x86_64"));
        Pattern arm = Pattern.compile(m.group(1).replace("${want}", "linux-arm64"));
        assertThat(x86.matcher("org.bytedeco.ffmpeg-8.1.2-1.5.14-linux-x86_64-gpl.jar").matches()).isTrue();
        assertThat(arm.matcher("org.bytedeco.ffmpeg-8.1.2-1.5.14-linux-arm64-gpl.jar").matches()).isTrue();
        assertThat(x86.matcher("org.bytedeco.ffmpeg-8.1.2-1.5.14-linux-arm64-gpl.jar").matches()).isFalse();

        String pom = Repo.read(Repo.root().resolve("pom.xml"));
        assertThat(pom).contains("<ffmpeg.classifier>linux-x86_64-gpl</ffmpeg.classifier>")
                .containsPattern("(?s)<id>linux-arm64</id>.*<ffmpeg.classifier>linux-arm64-gpl</ffmpeg.classifier>"
                        + ".*<javacpp.classifier>linux-arm64</javacpp.classifier>");

        Path lib = SERVICES.get("transcoder").dir.resolve("target/quarkus-app/lib/main");
        assumeTrue(Files.isDirectory(lib), "transcoder is not packaged");
        try (Stream<Path> files = Files.list(lib)) {
            List<String> natives = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("org.bytedeco.ffmpeg-") && n.contains("-linux-")).toList();
            assertThat(natives).as("one architecture's natives in the build").hasSize(1);
            assertThat(x86.matcher(natives.get(0)).matches() || arm.matcher(natives.get(0)).matches()).isTrue();
        }
    }

    @Test
    void driftIsCaught(@TempDir Path tmp) throws IOException {
        String original = Repo.read(SERVICES.get("job-api").dir.resolve("src/main/docker/Dockerfile.jvm"));
        Path broken = tmp.resolve("Dockerfile.jvm");
        Files.writeString(broken, original.replace("EXPOSE 8080", "EXPOSE 9090")
                .replace("USER 185", "USER root")
                .replace("openjdk-17-runtime:1.21", "openjdk-17-runtime")
                .replace("COPY --chown=185 target/quarkus-app/app/ /deployments/app/\n", ""));
        assertThat(DockerfileChecks.check(SERVICES.get("job-api"), Dockerfile.parse(broken)))
                .anyMatch(p -> p.contains("EXPOSE [9090]"))
                .anyMatch(p -> p.contains("non-root USER"))
                .anyMatch(p -> p.contains("not pinned"))
                .anyMatch(p -> p.contains("fast-jar layout"));
    }
}
