package dev.framewright.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docker-compose.yml, parsed and checked against the services (no Docker engine needed). */
class ComposeTest {

    private static final Map<String, ServiceConfig> SERVICES = Fixtures.services();

    private static ObjectNode compose() {
        return Repo.readOne(Repo.root().resolve("docker-compose.yml"));
    }

    @Test
    void composeMatchesTheServices() {
        assertThat(ComposeChecks.check(compose(), SERVICES)).isEmpty();
    }

    @Test
    void laptopStackUsesTheDevelopmentKeyOfTheLocalStack() {
        String key = compose().path("services").path("job-api").path("environment").path("FRAMEWRIGHT_AUTH_BOOTSTRAP_KEYS").asText();
        String launcher = Repo.read(Repo.root().resolve("local-stack/src/main/java/dev/framewright/localstack/Framewright.java"));
        assertThat(key).startsWith("default:");
        assertThat(launcher).contains("\"" + key.substring("default:".length()) + "\"");
    }

    @Test
    void aRenamedVariableIsCaught() {
        ObjectNode c = compose();
        ObjectNode env = (ObjectNode) c.path("services").path("transcoder").path("environment");
        env.set("FRAMEWRIGHT_TRANSCODER_QUEUE", env.remove("FRAMEWRIGHT_TRANSCODER_QUEUES"));
        assertThat(ComposeChecks.check(c, SERVICES))
                .anyMatch(p -> p.contains("FRAMEWRIGHT_TRANSCODER_QUEUE is not read by transcoder"));
    }

    @Test
    void aWrongHealthcheckPortOrMissingTopicIsCaught() {
        ObjectNode c = compose();
        ArrayNode test = (ArrayNode) c.path("services").path("status-projector").path("healthcheck").path("test");
        test.set(test.size() - 1, test.get(test.size() - 1).asText().replace("/8082", "/8080"));
        ArrayNode init = (ArrayNode) c.path("services").path("kafka-init").path("command");
        init.set(0, init.get(0).asText().replace("framewright.job-requests.express.v1", ""));
        assertThat(ComposeChecks.check(c, SERVICES))
                .anyMatch(p -> p.startsWith("status-projector: healthcheck must GET /q/health/ready on port 8082"))
                .anyMatch(p -> p.equals("kafka-init: does not create framewright.job-requests.express.v1"));
    }
}
