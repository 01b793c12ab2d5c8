package dev.framewright.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rule deciding which environment variables a service reads (ServiceConfig's class comment). */
class ServiceConfigTest {

    private static final Map<String, ServiceConfig> SERVICES = Fixtures.services();

    @Test
    void jobApiReadsItsExpansionsMappingsAndDeclaredProperties() {
        ServiceConfig api = SERVICES.get("job-api");
        assertThat(api.httpPort()).isEqualTo(8080);
        assertThat(api.envNames).contains(
                "KAFKA_BOOTSTRAP_SERVERS", "QUARKUS_DATASOURCE_REACTIVE_URL", "FRAMEWRIGHT_S3_BUCKET",
                "FRAMEWRIGHT_QUEUES",                 // framewright.queues, by the MicroProfile mapping
                "FRAMEWRIGHT_AUTH_BOOTSTRAP_KEYS",    // AuthConfig (and the %dev key)
                "FRAMEWRIGHT_LIMITS_TRANSCODER_GROUP", // LimitsConfig, a mapping member with a default only
                "FRAMEWRIGHT_UPLOADS_MAX_BYTES", "QUARKUS_HTTP_PORT", "JAVA_OPTS",
                "FRAMEWRIGHT_UPLOADS_MULTIPART_ABOVE_BYTES", "FRAMEWRIGHT_UPLOADS_PART_BYTES",
                "FRAMEWRIGHT_UPLOADS_MULTIPART_TTL",  // UploadConfig, multipart uploads
                "FRAMEWRIGHT_WEBHOOK_SECRET_KEY", "FRAMEWRIGHT_WEBHOOKS_ALLOW_DEV_SECRETS"); // WebhookSecretsConfig
        assertThat(api.envNames).doesNotContain("FRAMEWRIGHT_TRANSCODER_QUEUES", "FRAMEWRIGHT_WEBHOOK_SECRET", "QUARKUS_LOG_LEVEL");
    }

    @Test
    void transcoderReadsItsConfigMappingIncludingNestedGroups() {
        ServiceConfig t = SERVICES.get("transcoder");
        assertThat(t.httpPort()).isEqualTo(8081);
        assertThat(t.envNames).contains(
                "FRAMEWRIGHT_TRANSCODER_QUEUES", "FRAMEWRIGHT_TRANSCODER_INSTANCE_ID", "FRAMEWRIGHT_TRANSCODER_PARALLELISM",
                "FRAMEWRIGHT_TRANSCODER_LIMITS_MAX_VIDEO_PIXELS", "FRAMEWRIGHT_TRANSCODER_ADMISSION_DISK_FACTOR",
                "FRAMEWRIGHT_TRANSCODER_ADMISSION_MAX_WAIT", "MP_MESSAGING_INCOMING_JOB_REQUESTS_GROUP_ID",
                // read with System.getenv-style lookups by the redrive tool in the same image
                "FRAMEWRIGHT_S3_ENDPOINT", "KAFKA_BOOTSTRAP_SERVERS");
        assertThat(t.envNames).doesNotContain("FRAMEWRIGHT_QUEUES", "QUARKUS_DATASOURCE_REACTIVE_URL",
                "FRAMEWRIGHT_TRANSCODER_LIMITS", "FRAMEWRIGHT_TRANSCODER_QUEUE",
                "FRAMEWRIGHT_TRANSCODER_VIDEO_CRF"); // encoding defaults are the contract's, not a setting
    }

    @Test
    void projectorReadsNoStorageSettings() {
        ServiceConfig p = SERVICES.get("status-projector");
        assertThat(p.httpPort()).isEqualTo(8082);
        assertThat(p.envNames).contains("FRAMEWRIGHT_PROJECTOR_GROUP", "FRAMEWRIGHT_WEBHOOK_SECRET",
                "FRAMEWRIGHT_WEBHOOKS_MAX_IN_FLIGHT", "FRAMEWRIGHT_WEBHOOKS_MAX_IN_FLIGHT_PER_TENANT",
                "FRAMEWRIGHT_WEBHOOK_SECRET_KEY", "FRAMEWRIGHT_WEBHOOKS_ALLOW_DEV_SECRETS", "QUARKUS_DATASOURCE_JDBC_URL");
        assertThat(p.envNames).doesNotContain("FRAMEWRIGHT_S3_ENDPOINT", "FRAMEWRIGHT_AUTH_BOOTSTRAP_KEYS");
    }

    @Test
    void configMappingMembersAreKebabCasedAndGroupsFollowed() {
        String source = """
                @ConfigMapping(prefix = "acme.worker")
                public interface WorkerConfig {
                    /** jobs at once */
                    @WithDefault("1")
                    int maxParallelJobs();
                    Optional<List<String>> queueNames();
                    Limits limits();
                    interface Limits {
                        @WithDefault("5")
                        long maxInputBytes();
                        default boolean none() { return true; }
                    }
                }
                """;
        assertThat(ServiceConfig.mappingProperties("acme.worker", source)).containsExactlyInAnyOrder(
                "acme.worker.max-parallel-jobs", "acme.worker.queue-names", "acme.worker.limits.max-input-bytes");
        assertThat(ServiceConfig.envName("mp.messaging.incoming.job-requests.group.id"))
                .isEqualTo("MP_MESSAGING_INCOMING_JOB_REQUESTS_GROUP_ID");
    }
}
