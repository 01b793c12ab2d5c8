package dev.framewright.localstack;

import java.lang.reflect.InvocationTargetException;
import java.util.Map;

/**
 * Kafka, PostgreSQL and S3 as the services see them, whoever provides them: {@link LocalStack} (embedded, the
 * default and what CI runs) or Testcontainers ({@code containers-stack}, opt-in with {@code -Pcontainers}).
 */
public interface Infrastructure extends AutoCloseable {

    /** System property choosing the provider: {@value #EMBEDDED} (default) or {@value #CONTAINERS}. */
    String PROPERTY = "framewright.infrastructure";
    String EMBEDDED = "embedded";
    String CONTAINERS = "containers";
    /** Loaded by name, so that local-stack needs no Testcontainers on the default path. */
    String CONTAINERS_CLASS = "dev.framewright.containers.ContainersStack";

    /** Exactly the environment variables the services read to find this infrastructure. */
    Map<String, String> serviceEnvironment();

    String kafkaBootstrapServers();

    String jdbcUrl();

    String dbUser();

    String dbPassword();

    /** Stops everything it started; failures are logged, not thrown. */
    @Override
    void close();

    /** The provider named by {@value #PROPERTY}. */
    static String configured() {
        return System.getProperty(PROPERTY, EMBEDDED);
    }

    /** Starts the provider named by {@value #PROPERTY}; the containers one ignores {@code config} (Docker maps the ports). */
    static Infrastructure start(StackConfig config) throws Exception {
        String kind = configured();
        switch (kind) {
            case EMBEDDED:
                return LocalStack.start(config);
            case CONTAINERS:
                try {
                    return (Infrastructure) Class.forName(CONTAINERS_CLASS).getMethod("start", StackConfig.class)
                            .invoke(null, config);
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException(PROPERTY + "=" + CONTAINERS + " but " + CONTAINERS_CLASS
                            + " is not on the classpath: run with the Maven profile -Pcontainers", e);
                } catch (InvocationTargetException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            default:
                throw new IllegalArgumentException("Unknown " + PROPERTY + "=" + kind + " (expected " + EMBEDDED
                        + " or " + CONTAINERS + ")");
        }
    }
}
