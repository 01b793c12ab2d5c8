package dev.framewright.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Where Docker Compose is installed (Debian's docker-compose package is enough; no engine is needed), it must
 * accept docker-compose.yml. Skipped without it: CI needs no Docker tooling, ComposeTest is the must.
 */
class ComposeConfigTest {

    @Test
    void dockerComposeAcceptsTheFile() throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("docker-compose", "-f", "docker-compose.yml", "config", "-q")
                    .directory(Repo.root().toFile()).redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            assumeTrue(false, "docker-compose is not installed");
            return;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }
}
