package dev.framewright.transcoder.worker;

import dev.framewright.events.MediaInfo;
import dev.framewright.events.OutputSpec;
import dev.framewright.transcoder.media.MediaException;
import dev.framewright.transcoder.media.MediaPipeline;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The media work of a job, behind a seam so the worker's delivery guarantees can be tested without encoding. */
public interface Renderer {

    MediaPipeline.Outcome render(Path input, MediaInfo inputInfo, List<OutputSpec> outputs,
            Map<String, Path> overlayImages, Path workDir, MediaPipeline.Listener listener) throws MediaException;
}
