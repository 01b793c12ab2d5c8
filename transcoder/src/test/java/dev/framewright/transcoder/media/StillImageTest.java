package dev.framewright.transcoder.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import dev.framewright.events.FailureCode;
import dev.framewright.events.MediaInfo;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StillImageTest {

    @Test
    void stillFromAVideoFitsTheDefaultBox() throws Exception {
        Path out = TestMedia.output("thumb.jpg");
        MediaInfo info = StillImage.extract(TestMedia.clip720WithAudio(), out, null, null, null);

        assertThat(info).isEqualTo(MediaProbe.probe(out));
        assertThat(info.videoCodec()).isEqualTo("mjpeg");
        assertThat(info.width()).isEqualTo(100);
        assertThat(info.height()).isEqualTo(56);
        assertThat((double) info.width() / info.height()).isCloseTo(1280.0 / 720, within(1280.0 / 720 * 0.02));
        assertThat(info.audioCodec()).isNull();
        assertThat(TestMedia.countVideoFrames(out)).isEqualTo(1);
    }

    @Test
    void stillAtAPositionIsClampedToTheVideo() throws Exception {
        Path out = TestMedia.output("late.jpg");
        MediaInfo info = StillImage.extract(TestMedia.clip720WithAudio(), out, 320, null, 100.0);
        assertThat(info.width()).isEqualTo(320);
        assertThat(info.height()).isEqualTo(180);

        Path colour = TestMedia.output("colour.jpg");
        StillImage.extract(TestMedia.colour43(), colour, 64, 64, 0.5);
        TestMedia.assertFlatColour(colour);
    }

    @Test
    void stillFromImages() throws Exception {
        MediaInfo fromPng = StillImage.extract(TestMedia.png1200x800(), TestMedia.output("png.jpg"), null, null,
                null);
        assertThat(fromPng.videoCodec()).isEqualTo("mjpeg");
        assertThat(fromPng.width()).isEqualTo(100);
        assertThat(fromPng.height()).isEqualTo(67);

        MediaInfo fromJpeg = StillImage.extract(TestMedia.jpeg1200x800(), TestMedia.output("jpg.jpg"), 300, 300,
                null);
        assertThat(fromJpeg.width()).isEqualTo(300);
        assertThat(fromJpeg.height()).isEqualTo(200);

        // odd sizes are fine for stills: 400x300 into a 99-high box -> 132x99
        MediaInfo odd = StillImage.extract(TestMedia.png400x300(), TestMedia.output("odd.jpg"), null, 99, null);
        assertThat(odd.width()).isEqualTo(132);
        assertThat(odd.height()).isEqualTo(99);
    }

    @Test
    void textIsUnsupportedMedia() {
        Path out = TestMedia.output("text.jpg");
        MediaException e = catchThrowableOfType(MediaException.class,
                () -> StillImage.extract(TestMedia.textAsMp4(), out, null, null, null));
        assertThat(e.code()).isEqualTo(FailureCode.UNSUPPORTED_MEDIA);
        assertThat(out).doesNotExist();
    }

    @Test
    void audioOnlyIsUnsupportedMedia() {
        Path out = TestMedia.output("audio.jpg");
        MediaException e = catchThrowableOfType(MediaException.class,
                () -> StillImage.extract(TestMedia.audioOnly(), out, null, null, null));
        assertThat(e.code()).isEqualTo(FailureCode.UNSUPPORTED_MEDIA);
        assertThat(out).doesNotExist();
    }

    @Test
    void badBoxIsInvalidOutput() {
        MediaException e = catchThrowableOfType(MediaException.class,
                () -> StillImage.extract(TestMedia.png400x300(), TestMedia.output("bad.jpg"), -1, null, null));
        assertThat(e.code()).isEqualTo(FailureCode.INVALID_OUTPUT);
    }
}
