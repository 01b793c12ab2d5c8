package dev.framewright.events;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Kafka client settings from the environment, by the rule Quarkus applies to its own channels: every variable
 * {@code KAFKA_X_Y} is the client property {@code x.y} ({@code KAFKA_SECURITY_PROTOCOL=SASL_SSL},
 * {@code KAFKA_SASL_MECHANISM}, {@code KAFKA_SASL_JAAS_CONFIG}, {@code KAFKA_SSL_TRUSTSTORE_LOCATION}, ...). The
 * clients a service or a command builds by hand (admin clients, the redrive and event-tail commands) use this, so
 * SASL and TLS reach every client the project creates, configured once.
 */
public final class KafkaClientEnvironment {

    private static final String PREFIX = "KAFKA_";

    private KafkaClientEnvironment() {
    }

    /** The client properties named by {@code env}'s {@code KAFKA_*} variables, bootstrap servers included. */
    public static Map<String, Object> properties(Map<String, String> env) {
        Map<String, Object> properties = new TreeMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith(PREFIX) && name.length() > PREFIX.length() && value != null) {
                properties.put(name.substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        return properties;
    }

    /**
     * Client properties: {@code env}'s {@code KAFKA_*} settings, then {@code explicit} over them (what a command's own
     * options say, such as {@code --bootstrap-servers}, wins).
     */
    public static Properties properties(Map<String, String> env, Map<String, ?> explicit) {
        Properties p = new Properties();
        p.putAll(properties(env));
        p.putAll(explicit);
        return p;
    }
}
