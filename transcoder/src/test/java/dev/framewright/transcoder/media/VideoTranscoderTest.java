package dev.framewright.transcoder.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import dev.framewright.events.FailureCode;
import dev.framewright.events.MediaInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class VideoTranscoderTest {

    @Test
    void transcodesToH264AacInsideTheBox() throws Exception {
        Path out = TestMedia.output("out.mp4");
        List<Double> seconds = new CopyOnWriteArrayList<>();
        List<Double> speeds = new CopyOnWriteArrayList<>();

        MediaInfo info = VideoTranscoder.transcode(TestMedia.clip720WithAudio(), out,
                VideoEncoding.defaults(640, 360), (s, fps) -> {
                    seconds.add(s);
                    speeds.add(fps);
                });

        assertThat(info).isEqualTo(MediaProbe.probe(out));
        assertThat(info.format()).contains("mp4");
        assertThat(info.videoCodec()).isEqualTo("h264");
        assertThat(info.width()).isEqualTo(640);
        assertThat(info.height()).isEqualTo(360);
        assertThat(info.frameRate()).isCloseTo(25.0, within(0.01));
        assertThat(info.durationSeconds()).isCloseTo(2.0, within(0.1));
        assertThat(info.audioCodec()).isEqualTo("aac");
        assertThat(info.audioSampleRate()).isEqualTo(48000);
        assertThat(info.audioChannels()).isEqualTo(1);
        assertThat(TestMedia.countVideoFrames(out)).isBetween(49, 51);

        assertThat(seconds).hasSizeBetween(49, 51);
        assertThat(seconds).isSorted();
        assertThat(seconds.get(0)).isCloseTo(0.0, within(0.05));
        assertThat(seconds.get(seconds.size() - 1)).isCloseTo(1.96, within(0.05));
        assertThat(speeds).allMatch(fps -> fps >= 0);

        // faststart: the moov box comes before mdat
        byte[] head = Files.readAllBytes(out);
        String ascii = new String(head, 0, Math.min(head.length, 64 * 1024), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(ascii.indexOf("moov")).isPositive().isLessThan(ascii.indexOf("mdat"));
    }

    @Test
    void widthOnlyFollowsTheAspect() throws Exception {
        Path out = TestMedia.output("w320.mp4");
        MediaInfo info = VideoTranscoder.transcode(TestMedia.clip720WithAudio(), out,
                VideoEncoding.defaults(320, null), ProgressListener.NONE);
        assertThat(info.width()).isEqualTo(320);
        assertThat(info.height()).isEqualTo(180);
        assertThat(info.durationSeconds()).isCloseTo(2.0, within(0.1));
    }

    @Test
    void fourByThreeIntoSixteenByNineBox() throws Exception {
        Path out = TestMedia.output("43.mp4");
        MediaInfo info = VideoTranscoder.transcode(TestMedia.clip640x480(), out, VideoEncoding.defaults(640, 360),
                null);
        assertThat(info.width()).isEqualTo(480);
        assertThat(info.height()).isEqualTo(360);
        assertThat(info.audioCodec()).isNull();
        assertThat(info.durationSeconds()).isCloseTo(1.0, within(0.1));
        assertThat(TestMedia.countVideoFrames(out)).isBetween(24, 26);
    }

    @Test
    void keepsColoursWhenTheWidthIsNotAMultipleOf64() throws Exception {
        // 720x540 -> 480x360: JavaCV pads grabbed lines to 64 bytes; a wrong chroma plane offset shows as colour shift
        Path out = TestMedia.output("colour.mp4");
        MediaInfo info = VideoTranscoder.transcode(TestMedia.colour43(), out, VideoEncoding.defaults(640, 360),
                null);
        assertThat(info.width()).isEqualTo(480);
        assertThat(info.height()).isEqualTo(360);
        TestMedia.assertFlatColour(out);
    }

    @Test
    void noBoxKeepsTheSourceSize() throws Exception {
        Path out = TestMedia.output("same.mp4");
        MediaInfo info = VideoTranscoder.transcode(TestMedia.colour43(), out,
                new VideoEncoding(null, null, 30, "ultrafast", 96_000, 1), null);
        assertThat(info.width()).isEqualTo(720);
        assertThat(info.height()).isEqualTo(540);
        TestMedia.assertFlatColour(out);
    }

    @Test
    void textIsUnsupportedMediaAndNoOutputIsLeft() {
        Path out = TestMedia.output("text-out.mp4");
        MediaException e = catchThrowableOfType(MediaException.class,
                () -> VideoTranscoder.transcode(TestMedia.textAsMp4(), out, VideoEncoding.defaults(640, 360), null));
        assertThat(e.code()).isEqualTo(FailureCode.UNSUPPORTED_MEDIA);
        assertThat(out).doesNotExist();
    }

    @Test
    void audioOnlyIsUnsupportedMedia() {
        Path out = TestMedia.output("audio-out.mp4");
        MediaException e = catchThrowableOfType(MediaException.class,
                () -> VideoTranscoder.transcode(TestMedia.audioOnly(), out, VideoEncoding.defaults(640, 360), null));
        assertThat(e.code()).isEqualTo(FailureCode.UNSUPPORTED_MEDIA);
        assertThat(e.getMessage()).contains("no video");
        assertThat(out).doesNotExist();
    }

    @Test
    void badParametersAreInvalidOutput() {
        Path out = TestMedia.output("bad.mp4");
        MediaException e = catchThrowableOfType(MediaException.class,
                () -> VideoTranscoder.transcode(TestMedia.clip640x480(), out,
                        new VideoEncoding(640, 360, 23, "turbo", 128_000, 0), null));
        assertThat(e.code()).isEqualTo(FailureCode.INVALID_OUTPUT);
        e = catchThrowableOfType(MediaException.class,
                () -> VideoTranscoder.transcode(TestMedia.clip640x480(), out, VideoEncoding.defaults(0, 360), null));
        assertThat(e.code()).isEqualTo(FailureCode.INVALID_OUTPUT);
    }

    @Test
    void defaults() {
        VideoEncoding d = VideoEncoding.defaults(640, null);
        assertThat(d).isEqualTo(new VideoEncoding(640, null, 23, "veryfast", 128_000, 0));
    }
}
