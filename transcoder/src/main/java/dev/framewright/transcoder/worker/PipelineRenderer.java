package dev.framewright.transcoder.worker;

import dev.framewright.events.MediaInfo;
import dev.framewright.events.OutputSpec;
import dev.framewright.events.rules.OutputRules;
import dev.framewright.transcoder.media.MediaException;
import dev.framewright.transcoder.media.MediaPipeline;
import dev.framewright.transcoder.media.describe.ModelSettings;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The production renderer: {@link MediaPipeline}, with this deployment's classifier model for {@code describe}
 * outputs ({@value OutputRules#DESCRIBE_MODEL}, the setting job-api reads too).
 */
@ApplicationScoped
@DefaultBean
public class PipelineRenderer implements Renderer {

    private final ModelSettings describeModel;

    public PipelineRenderer(@ConfigProperty(name = OutputRules.DESCRIBE_MODEL) Optional<String> model,
            @ConfigProperty(name = OutputRules.DESCRIBE_LABELS) Optional<String> labels) {
        this.describeModel = ModelSettings.of(model, labels).orElse(null);
    }

    @Override
    public MediaPipeline.Outcome render(Path input, MediaInfo inputInfo, List<OutputSpec> outputs,
            Map<String, Path> overlayImages, Path workDir, MediaPipeline.Listener listener) throws MediaException {
        return MediaPipeline.render(input, inputInfo, outputs, overlayImages, workDir, listener, describeModel);
    }
}
