package dev.framewright.transcoder.oneshot;

import dev.framewright.transcoder.worker.JobWorker;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * In one-shot mode the request channel is disabled ({@code mp.messaging.incoming.job-requests.enabled=false}): the
 * process runs the work item it was given and must not join the consumer group, where it would take (and hold)
 * records meant for the StatefulSet's members. Above the environment (300), so nothing re-enables it by accident.
 */
public class OneShotConfigSourceFactory implements ConfigSourceFactory {

    static final String MODE = "framewright.transcoder.mode";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue mode = context.getValue(MODE);
        if (mode == null || mode.getValue() == null || !mode.getValue().trim().equalsIgnoreCase("oneshot")) {
            return List.of();
        }
        return List.of(new PropertiesConfigSource(
                Map.of("mp.messaging.incoming." + JobWorker.CHANNEL + ".enabled", "false"),
                "framewright-transcoder-oneshot", 350));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(350);
    }
}
