package dev.framewright.transcoder.media;

import static dev.framewright.transcoder.media.MediaPipelineTestSupport.file;
import static dev.framewright.transcoder.media.MediaPipelineTestSupport.output;
import static dev.framewright.transcoder.media.MediaPipelineTestSupport.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.framewright.events.AudioOutput;
import dev.framewright.events.Container;
import dev.framewright.events.MediaInfo;
import dev.framewright.events.VideoOutput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MediaPipelineVideoTest {

    @Test
    void mp4WebmAndAudioFromOneDecode() throws Exception {
        Path input = TestMedia.clip320WithAudio(); // 3 s, 75 frames
        TestMedia.countVideoFrames(input);
        long before = DecodeFanOut.DECODED_VIDEO_FRAMES.get();

        MediaPipeline.Outcome outcome = render(input, List.of(
                VideoOutput.of("small", 160, null),
                new VideoOutput("web", Container.WEBM, null, 120, null, 40, null, null, null, null, null),
                new AudioOutput("sound", null, null)));

        assertThat(DecodeFanOut.DECODED_VIDEO_FRAMES.get() - before).as("frames decoded for 3 outputs")
                .isEqualTo(TestMedia.countVideoFrames(input));
        assertThat(outcome.failed()).isEmpty();

        RenderedOutput small = output(outcome, "small");
        assertThat(small.files()).extracting(RenderedOutput.File::path).containsExactly("video.mp4");
        assertThat(small.files().get(0).contentType()).isEqualTo("video/mp4");
        Path mp4 = file(small, "video.mp4");
        MediaInfo info = MediaProbe.probe(mp4);
        assertThat(small.media()).isEqualTo(info);
        assertThat(info.videoCodec()).isEqualTo("h264");
        assertThat(info.width()).isEqualTo(160);
        assertThat(info.height()).isEqualTo(120);
        assertThat(info.frameRate()).isCloseTo(25.0, within(0.01));
        assertThat(info.durationSeconds()).isCloseTo(3.0, within(0.1));
        assertThat(info.audioCodec()).isEqualTo("aac");
        assertThat(TestMedia.countVideoFrames(mp4)).isBetween(74, 76);
        String head = new String(Files.readAllBytes(mp4), 0, 4096, StandardCharsets.ISO_8859_1);
        assertThat(head.indexOf("moov")).as("faststart").isPositive();

        Path webm = file(output(outcome, "web"), "video.webm");
        info = MediaProbe.probe(webm);
        assertThat(info.format()).contains("webm");
        assertThat(info.videoCodec()).isEqualTo("vp9");
        assertThat(info.width()).isEqualTo(160);
        assertThat(info.height()).isEqualTo(120);
        assertThat(info.audioCodec()).isEqualTo("opus");
        assertThat(info.durationSeconds()).isCloseTo(3.0, within(0.15));
        assertThat(TestMedia.countVideoFrames(webm)).isBetween(74, 76);

        RenderedOutput sound = output(outcome, "sound");
        assertThat(sound.files()).extracting(RenderedOutput.File::path).containsExactly("audio.m4a");
        info = MediaProbe.probe(file(sound, "audio.m4a"));
        assertThat(info.width()).isNull();
        assertThat(info.videoCodec()).isNull();
        assertThat(info.audioCodec()).isEqualTo("aac");
        assertThat(info.durationSeconds()).isCloseTo(3.0, within(0.1));
    }

    @Test
    void trimFrameRateAndNoAudio() throws Exception {
        MediaPipeline.Outcome outcome = render(TestMedia.clip320WithAudio(), List.of(
                new VideoOutput("cut", null, null, null, 10.0, null, 300, false, 1.0, 1.5, null)));
        Path mp4 = file(output(outcome, "cut"), "video.mp4");
        MediaInfo info = MediaProbe.probe(mp4);
        assertThat(info.width()).isEqualTo(320);
        assertThat(info.height()).isEqualTo(240);
        assertThat(info.audioCodec()).as("audio off").isNull();
        assertThat(info.frameRate()).isCloseTo(10.0, within(0.01));
        assertThat(info.durationSeconds()).isCloseTo(1.5, within(0.15));
        assertThat(TestMedia.countVideoFrames(mp4)).isBetween(14, 16);
    }

    @Test
    void trimKeepsAudioInSync() throws Exception {
        MediaPipeline.Outcome outcome = render(TestMedia.clip320WithAudio(), List.of(
                new VideoOutput("tail", Container.MP4, 160, 160, null, null, null, null, 2.0, null, null)));
        MediaInfo info = MediaProbe.probe(file(output(outcome, "tail"), "video.mp4"));
        assertThat(info.width()).isEqualTo(160); // fits inside the 160x160 box
        assertThat(info.height()).isEqualTo(120);
        assertThat(info.audioCodec()).isEqualTo("aac");
        assertThat(info.durationSeconds()).isCloseTo(1.0, within(0.1));
    }
}
