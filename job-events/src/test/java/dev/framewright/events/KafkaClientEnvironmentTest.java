package dev.framewright.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaClientEnvironmentTest {

    @Test
    void kafkaVariablesBecomeClientPropertiesAsQuarkusMapsThem() {
        Map<String, Object> p = KafkaClientEnvironment.properties(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "broker:9093",
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/ca.p12",
                "FRAMEWRIGHT_S3_BUCKET", "media",
                "KAFKA_", "ignored"));
        assertThat(p).containsOnly(
                Map.entry("bootstrap.servers", "broker:9093"),
                Map.entry("security.protocol", "SASL_SSL"),
                Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
                Map.entry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;"),
                Map.entry("ssl.truststore.location", "/etc/kafka/ca.p12"));
    }

    @Test
    void aCommandsOwnOptionsWinOverTheEnvironment() {
        assertThat(KafkaClientEnvironment.properties(
                Map.of("KAFKA_BOOTSTRAP_SERVERS", "env:9092", "KAFKA_SECURITY_PROTOCOL", "SSL"),
                Map.of("bootstrap.servers", "option:9092")))
                .containsEntry("bootstrap.servers", "option:9092")
                .containsEntry("security.protocol", "SSL");
    }
}
