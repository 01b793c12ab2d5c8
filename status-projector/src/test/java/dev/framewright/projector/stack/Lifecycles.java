package dev.framewright.projector.stack;

import dev.framewright.events.ImageOutput;
import dev.framewright.events.InputObject;
import dev.framewright.events.JobCompleted;
import dev.framewright.events.JobProgress;
import dev.framewright.events.JobRequested;
import dev.framewright.events.JobStarted;
import dev.framewright.events.MediaInfo;
import dev.framewright.events.OutputFile;
import dev.framewright.events.OutputResult;
import dev.framewright.events.OutputType;
import dev.framewright.events.VideoOutput;
import dev.framewright.events.Webhook;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Events of one job as the services would emit them. */
public record Lifecycles(UUID jobId, String tenant, Instant t0) {

    public static Lifecycles newJob() {
        return new Lifecycles(UUID.randomUUID(), "acme", Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MICROS));
    }

    public JobRequested requested(String queue, Webhook webhook) {
        return new JobRequested(UUID.randomUUID(), jobId, tenant, 0, t0, queue,
                new InputObject("uploads/" + tenant + "/" + jobId, "clip.mp4", "video/mp4", 1234),
                List.of(VideoOutput.of("small", 640, 360), ImageOutput.of("poster", 320, null)),
                Map.of("project", "apollo"), webhook, 600, null, false);
    }

    public JobStarted started(int attempt, int second) {
        return new JobStarted(UUID.randomUUID(), jobId, tenant, attempt, t0.plusSeconds(second), "worker-1");
    }

    public JobProgress progress(int attempt, int second, double percent) {
        return progress(attempt, second, percent, Map.of("small", percent));
    }

    public JobProgress progress(int attempt, int second, double percent, Map<String, Double> outputs) {
        return new JobProgress(UUID.randomUUID(), jobId, tenant, attempt, t0.plusSeconds(second), percent,
                "transcoding", second, 48.0, 100 - percent, outputs);
    }

    public JobCompleted completed(int attempt, int second) {
        MediaInfo input = MediaInfo.summary("mov,mp4,m4a,3gp,3g2,mj2", 8.0, 1280, 720, "h264", 25.0, "aac", 48000, 2);
        return new JobCompleted(UUID.randomUUID(), jobId, tenant, attempt, t0.plusSeconds(second), input, List.of(
                new OutputResult("small", OutputType.VIDEO, List.of(new OutputFile("video.mp4",
                        "jobs/" + jobId + "/small/video.mp4", 4096, "video/mp4")),
                        MediaInfo.summary("mov,mp4,m4a,3gp,3g2,mj2", 8.0, 640, 360, "h264", 25.0, "aac", 48000, 2)),
                new OutputResult("poster", OutputType.IMAGE, List.of(new OutputFile("image.jpg",
                        "jobs/" + jobId + "/poster/image.jpg", 512, "image/jpeg")), null)));
    }
}
