package dev.framewright.transcoder.worker;

import dev.framewright.events.Topics;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Derives the Kafka consumer settings that depend on Framewright settings, which a property expression cannot:
 * {@code framewright.transcoder.queues=default,gpu} becomes the request topics
 * {@code framewright.job-requests.default.v1,framewright.job-requests.gpu.v1}, and
 * {@code framewright.transcoder.instance-id}, when set, becomes {@code group.instance.id} (static membership;
 * unset leaves the property out, i.e. dynamic membership). An explicit {@code mp.messaging...} setting from the
 * environment (ordinal 300) still wins.
 */
public class QueueTopicsConfigSourceFactory implements ConfigSourceFactory {

    static final String PREFIX = "mp.messaging.incoming." + JobWorker.CHANNEL + ".";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put(PREFIX + "topics", topics(value(context, "framewright.transcoder.queues", "default")));
        String instance = value(context, "framewright.transcoder.instance-id", "");
        if (!instance.isBlank()) {
            props.put(PREFIX + "group.instance.id", instance.trim());
        }
        return List.of(new PropertiesConfigSource(props, "framewright-transcoder-queues", 275));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(275);
    }

    /** {@code default, gpu} → the request topics of those queues, comma-separated. */
    static String topics(String queues) {
        return Arrays.stream(queues.split(",")).map(String::trim).filter(q -> !q.isEmpty()).distinct()
                .map(Topics::requests).collect(Collectors.joining(","));
    }

    private static String value(ConfigSourceContext context, String name, String fallback) {
        ConfigValue v = context.getValue(name);
        return v == null || v.getValue() == null || v.getValue().isBlank() ? fallback : v.getValue();
    }
}
