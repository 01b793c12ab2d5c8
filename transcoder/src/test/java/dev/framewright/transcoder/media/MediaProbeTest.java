package dev.framewright.transcoder.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import dev.framewright.events.FailureCode;
import dev.framewright.events.MediaInfo;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MediaProbeTest {

    @Test
    void probesAVideoWithAudio() throws Exception {
        MediaInfo info = MediaProbe.probe(TestMedia.clip720WithAudio());

        assertThat(info.format()).contains("mp4");
        assertThat(info.durationSeconds()).isCloseTo(2.0, within(0.1));
        assertThat(info.width()).isEqualTo(1280);
        assertThat(info.height()).isEqualTo(720);
        assertThat(info.videoCodec()).isEqualTo("h264");
        assertThat(info.frameRate()).isCloseTo(25.0, within(0.01));
        assertThat(info.audioCodec()).isEqualTo("aac");
        assertThat(info.audioSampleRate()).isEqualTo(48000);
        assertThat(info.audioChannels()).isEqualTo(1);
    }

    @Test
    void probesImages() throws Exception {
        MediaInfo png = MediaProbe.probe(TestMedia.png1200x800());
        assertThat(png.videoCodec()).isEqualTo("png");
        assertThat(png.width()).isEqualTo(1200);
        assertThat(png.height()).isEqualTo(800);
        assertThat(png.durationSeconds()).isNull();
        assertThat(png.frameRate()).isNull();
        assertThat(png.audioCodec()).isNull();

        MediaInfo jpeg = MediaProbe.probe(TestMedia.jpeg1200x800());
        assertThat(jpeg.videoCodec()).isEqualTo("mjpeg");
        assertThat(jpeg.width()).isEqualTo(1200);
        assertThat(jpeg.height()).isEqualTo(800);
    }

    @Test
    void probesAudioOnly() throws Exception {
        MediaInfo info = MediaProbe.probe(TestMedia.audioOnly());
        assertThat(info.videoCodec()).isNull();
        assertThat(info.width()).isNull();
        assertThat(info.audioCodec()).isEqualTo("aac");
        assertThat(info.audioSampleRate()).isEqualTo(44100);
        assertThat(info.durationSeconds()).isCloseTo(1.0, within(0.1));
    }

    @Test
    void textIsUnsupportedMedia() {
        MediaException e = catchThrowableOfType(MediaException.class,
                () -> MediaProbe.probe(TestMedia.textAsMp4()));
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(FailureCode.UNSUPPORTED_MEDIA);
        assertThat(e.getMessage()).contains("text.mp4").doesNotContain("\tat ");
    }

    @Test
    void missingFileIsInputMissing() {
        MediaException e = catchThrowableOfType(MediaException.class,
                () -> MediaProbe.probe(Path.of("/nonexistent/nothing.mp4")));
        assertThat(e.code()).isEqualTo(FailureCode.INPUT_MISSING);
    }
}
