package dev.framewright.transcoder.media;

import static dev.framewright.transcoder.media.MediaPipelineTestSupport.output;
import static dev.framewright.transcoder.media.MediaPipelineTestSupport.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.framewright.events.AudioOutput;
import dev.framewright.events.FailureCode;
import dev.framewright.events.HlsOutput;
import dev.framewright.events.OutputFailure;
import dev.framewright.events.Overlay;
import dev.framewright.events.PreviewOutput;
import dev.framewright.events.VideoOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MediaPipelineFailureTest {

    @Test
    void aFailingOutputFailsAloneAndLeavesNoFiles() throws Exception {
        Path work = TestMedia.newDir();
        MediaPipeline.Outcome outcome = MediaPipeline.render(TestMedia.clip320WithAudio(),
                MediaProbe.probe(TestMedia.clip320WithAudio()), List.of(
                        VideoOutput.of("ok", 160, null),
                        new VideoOutput("late", null, null, null, null, null, null, null, 5.0, null, null),
                        new VideoOutput("nologo", null, null, null, null, null, null, null, null, null,
                                new Overlay("missing", null, null, null, null, null, null, null, null)),
                        // libopus allows at most 256 kbit/s per channel (the input is mono): the encoder refuses to open
                        new AudioOutput("loud", AudioOutput.Codec.OPUS, 500),
                        new AudioOutput("fine", AudioOutput.Codec.AAC, 64)),
                Map.of(), work, null);

        assertThat(outcome.rendered()).extracting(RenderedOutput::name).containsExactly("ok", "fine");
        assertThat(outcome.failed()).extracting(OutputFailure::name).containsExactly("late", "nologo", "loud");
        assertThat(outcome.failed()).allMatch(f -> f.code().equals("invalid_output"));
        assertThat(outcome.failed().get(0).message()).contains("beyond the end");
        assertThat(outcome.failed().get(1).message()).contains("not provided");
        assertThat(work.resolve("outputs/late")).doesNotExist();
        assertThat(work.resolve("outputs/loud")).doesNotExist();
        assertThat(MediaProbe.probe(output(outcome, "ok").files().get(0).local()).width()).isEqualTo(160);
    }

    @Test
    void audioOnlyInputFailsVideoOutputsButRendersAudio() throws Exception {
        MediaPipeline.Outcome outcome = render(TestMedia.audioOnly(), List.of(VideoOutput.of("v", null, null),
                new HlsOutput("h", null, null), new PreviewOutput("p", null, null, null, null, null),
                new AudioOutput("a", AudioOutput.Codec.OPUS, null)));
        assertThat(outcome.failed()).extracting(OutputFailure::name).containsExactly("v", "h", "p");
        assertThat(outcome.failed()).allMatch(f -> f.code().equals(FailureCode.INVALID_OUTPUT.wireName())
                && f.message().contains("no video stream"));
        assertThat(MediaProbe.probe(output(outcome, "a").files().get(0).local()).audioCodec()).isEqualTo("opus");
    }

    @Test
    void imageInputFailsVideoOutputs() throws Exception {
        MediaPipeline.Outcome outcome = render(TestMedia.png400x300(), List.of(VideoOutput.of("v", null, null),
                new AudioOutput("a", null, null)));
        assertThat(outcome.rendered()).isEmpty();
        assertThat(outcome.failed()).extracting(OutputFailure::message)
                .containsExactly("the input is a still image, not a video", "the input has no audio track");
    }

    @Test
    void undecodableInputFailsTheWholeCall() {
        MediaException e = catchThrowableOfType(MediaException.class, () -> MediaPipeline.render(
                TestMedia.textAsMp4(), null, List.of(VideoOutput.of("v", null, null)), Map.of(),
                TestMedia.newDir(), null));
        assertThat(e.code()).isEqualTo(FailureCode.UNSUPPORTED_MEDIA);
    }

    @Test
    void progressCoversEveryOutputAndInterruptCancelsEverything() throws Exception {
        Path input = TestMedia.clip720WithAudio();
        Path work = TestMedia.newDir();
        CountDownLatch progressing = new CountDownLatch(3);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<java.util.Map<String, Double>> lastPercent = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                MediaPipeline.render(input, MediaProbe.probe(input), List.of(VideoOutput.of("a", null, 720),
                        new HlsOutput("b", null, null)), Map.of(), work, (stage, seconds, fps, percent) -> {
                            assertThat(stage).isEqualTo("transcoding");
                            lastPercent.set(percent);
                            progressing.countDown();
                        });
                thrown.set(new AssertionError("finished without being cancelled"));
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        worker.start();
        assertThat(progressing.await(60, TimeUnit.SECONDS)).isTrue();
        worker.interrupt();
        worker.join(30_000);
        assertThat(worker.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(CancellationException.class);
        assertThat(lastPercent.get()).containsOnlyKeys("a", "b");
        // no encoder thread is left running, no partial output is left behind
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("fw-encode-"));
        try (var files = Files.walk(work)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }
}
