package dev.framewright.transcoder.worker;

import dev.framewright.events.MediaInfo;
import dev.framewright.events.OutputSpec;
import dev.framewright.transcoder.media.MediaException;
import dev.framewright.transcoder.media.MediaPipeline;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The production renderer: {@link MediaPipeline}. */
@ApplicationScoped
@DefaultBean
public class PipelineRenderer implements Renderer {

    @Override
    public MediaPipeline.Outcome render(Path input, MediaInfo inputInfo, List<OutputSpec> outputs,
            Map<String, Path> overlayImages, Path workDir, MediaPipeline.Listener listener) throws MediaException {
        return MediaPipeline.render(input, inputInfo, outputs, overlayImages, workDir, listener);
    }
}
