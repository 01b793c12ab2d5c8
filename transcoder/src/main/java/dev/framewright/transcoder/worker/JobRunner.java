package dev.framewright.transcoder.worker;

import dev.framewright.events.FailureCode;
import dev.framewright.events.JobRequested;
import dev.framewright.events.MediaInfo;
import dev.framewright.events.OutputFile;
import dev.framewright.events.OutputResult;
import dev.framewright.events.ImageOutput;
import dev.framewright.events.OutputSpec;
import dev.framewright.events.VideoOutput;
import dev.framewright.events.OutputType;
import dev.framewright.transcoder.events.LifecycleEmitter;
import dev.framewright.transcoder.media.MediaException;
import dev.framewright.transcoder.media.MediaProbe;
import dev.framewright.transcoder.media.StillImage;
import dev.framewright.transcoder.media.VideoEncoding;
import dev.framewright.transcoder.media.VideoTranscoder;
import dev.framewright.transcoder.storage.MediaBucket;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Runs one job in a scratch directory: download, probe, produce every output, upload. */
@ApplicationScoped
public class JobRunner {

    /** Weight of a still or of the download/upload stages, in "media seconds" of encode work. */
    private static final double SMALL_STAGE_WEIGHT = 0.5;

    private final MediaBucket bucket;
    private final LifecycleEmitter emitter;
    private final TranscoderConfig config;

    public JobRunner(MediaBucket bucket, LifecycleEmitter emitter, TranscoderConfig config) {
        this.bucket = bucket;
        this.emitter = emitter;
        this.config = config;
    }

    /** The outcome of a job the worker turns into {@code JobCompleted}. */
    public record Result(MediaInfo input, List<OutputResult> outputs) {
    }

    public Result run(JobRequested job, int attempt) throws MediaException {
        Path dir = scratchDir(job);
        try {
            Path input = dir.resolve("input");
            if (!bucket.download(job.input().key(), input)) {
                throw new MediaException(FailureCode.INPUT_MISSING, "The input object " + job.input().key() + " is gone");
            }
            MediaInfo inputInfo = MediaProbe.probe(input);
            double duration = inputInfo.durationSeconds() == null ? 0 : inputInfo.durationSeconds();
            double total = SMALL_STAGE_WEIGHT * 2 + job.outputs().stream()
                    .mapToDouble(o -> weight(o, duration)).sum();
            ProgressReporter progress = new ProgressReporter(emitter, job, attempt, config.progressInterval(), total);
            progress.stageDone("downloaded", SMALL_STAGE_WEIGHT);

            List<Produced> produced = new ArrayList<>();
            for (OutputSpec output : job.outputs()) {
                produced.add(produce(input, dir, output, duration, progress));
            }

            List<OutputResult> results = new ArrayList<>();
            for (Produced p : produced) {
                String path = p.file.getFileName().toString();
                OutputFile file = bucket.upload(path, MediaBucket.outputKey(job.jobId(), p.spec.name(), path),
                        p.file, p.contentType);
                results.add(new OutputResult(p.spec.name(), p.spec.type(), List.of(file), p.media));
            }
            progress.stageDone("uploaded", SMALL_STAGE_WEIGHT);
            return new Result(inputInfo, results);
        } finally {
            deleteRecursively(dir);
        }
    }

    private record Produced(OutputSpec spec, Path file, String contentType, MediaInfo media) {
    }

    private Produced produce(Path input, Path dir, OutputSpec output, double duration, ProgressReporter progress)
            throws MediaException {
        String stage = "transcoding:" + output.name();
        double weight = weight(output, duration);
        if (output instanceof VideoOutput video) {
            Path file = dir.resolve(output.name() + ".mp4");
            VideoEncoding encoding = new VideoEncoding(video.width(), video.height(), config.video().crf(),
                    config.video().preset(), config.video().audioBitrate(), 0);
            MediaInfo media = VideoTranscoder.transcode(input, file, encoding, (seconds, fps) ->
                    progress.inStage(stage, weight, duration > 0 ? seconds / duration : 0, seconds, fps));
            progress.stageDone(stage, weight);
            return new Produced(output, file, "video/mp4", media);
        }
        if (!(output instanceof ImageOutput image)) {
            throw new MediaException(FailureCode.INVALID_OUTPUT, "Output type " + output.type().wireName() + " is not supported yet");
        }
        Path file = dir.resolve(output.name() + ".jpg");
        MediaInfo media = StillImage.extract(input, file, image.width(), image.height(), image.atSeconds());
        progress.stageDone(stage, weight);
        return new Produced(output, file, "image/jpeg", media);
    }

    private static double weight(OutputSpec output, double duration) {
        return output.type() == OutputType.VIDEO ? Math.max(duration, SMALL_STAGE_WEIGHT) : SMALL_STAGE_WEIGHT;
    }

    private Path scratchDir(JobRequested job) {
        try {
            Path root = Path.of(config.workDir().orElse(System.getProperty("java.io.tmpdir")), "framewright-transcoder");
            Files.createDirectories(root);
            Path dir = root.resolve(job.jobId().toString());
            deleteRecursively(dir);
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
