package dev.framewright.transcoder.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.framewright.events.FailureCode;
import dev.framewright.events.MediaInfo;
import dev.framewright.events.StreamInfo;
import java.util.Collections;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InputLimitsTest {

    private final InputLimits limits = new InputLimits(1920L * 1080, 4000L * 4000, 60, 600, 4, 1_000_000);

    @AfterEach
    void restore() {
        InputLimits.install(InputLimits.DEFAULTS);
    }

    @Test
    void acceptsWhatIsWithinEveryLimit() throws Exception {
        limits.check(MediaInfo.summary("mp4", 599.0, 1920, 1080, "h264", 60.0, "aac", 48000, 2), 999_999);
        limits.check(MediaInfo.summary("png_pipe", null, 4000, 4000, "png", null, null, null, null), 10);
    }

    @Test
    void refusesEachExcess() {
        assertExceeded(MediaInfo.summary("mp4", 10.0, 1920, 1082, "h264", 25.0, null, null, null), 10, "1920x1082");
        assertExceeded(MediaInfo.summary("png_pipe", null, 4001, 4000, "png", null, null, null, null), 10, "image");
        assertExceeded(MediaInfo.summary("mp4", 10.0, 640, 480, "h264", 120.0, null, null, null), 10, "frame rate");
        assertExceeded(MediaInfo.summary("mp4", 601.0, 640, 480, "h264", 25.0, null, null, null), 10, "duration");
        assertExceeded(MediaInfo.summary("mp4", 10.0, 640, 480, "h264", 25.0, null, null, null), 1_000_001, "bytes");
        MediaInfo manyStreams = new MediaInfo("mp4", 10.0, 640, 480, "h264", 25.0, null, null, null, null,
                Collections.nCopies(5, new StreamInfo(0, "audio", "aac", null, null, null, 48000, 2, null, null, null)));
        assertExceeded(manyStreams, 10, "5 streams");
    }

    @Test
    void openEnforcesTheInstalledLimitsBeforeDecoding() {
        InputLimits.install(new InputLimits(640L * 480 - 1, 1000L * 700, 240, 3600, 32, 1L << 30));
        MediaException e = catchThrowableOfType(MediaException.class, () -> MediaProbe.probe(TestMedia.clip640x480()));
        assertThat(e.code()).isEqualTo(FailureCode.LIMITS_EXCEEDED);
        MediaException image = catchThrowableOfType(MediaException.class,
                () -> MediaProbe.probe(TestMedia.png1200x800()));
        assertThat(image.code()).isEqualTo(FailureCode.LIMITS_EXCEEDED);
        InputLimits.install(new InputLimits(1L << 40, 1L << 40, 240, 3600, 32, 100));
        MediaException size = catchThrowableOfType(MediaException.class,
                () -> MediaProbe.probe(TestMedia.clip640x480()));
        assertThat(size.code()).isEqualTo(FailureCode.LIMITS_EXCEEDED);
        assertThat(size.getMessage()).contains("bytes");
    }

    @Test
    void anOverlayImageIsCheckedByItsHeaderAndSizeBeforeItIsDecoded() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("overlay-limits");
        try {
            java.nio.file.Path small = java.nio.file.Files.copy(TestMedia.png1200x800(), dir.resolve("small"));
            new InputLimits(1, 1200L * 800, 1, 1, 1, 1_000_000).checkImage(small);
            MediaException pixels = catchThrowableOfType(MediaException.class,
                    () -> new InputLimits(1L << 40, 1200L * 800 - 1, 1, 1, 1, 1_000_000).checkImage(small));
            assertThat(pixels.code()).isEqualTo(FailureCode.LIMITS_EXCEEDED);
            assertThat(pixels.getMessage()).contains("1200x800");
            MediaException bytes = catchThrowableOfType(MediaException.class,
                    () -> new InputLimits(1L << 40, 1L << 40, 1, 1, 1, 100).checkImage(small));
            assertThat(bytes.code()).isEqualTo(FailureCode.LIMITS_EXCEEDED);
            java.nio.file.Path video = java.nio.file.Files.copy(TestMedia.clip640x480(), dir.resolve("video"));
            MediaException notImage = catchThrowableOfType(MediaException.class,
                    () -> new InputLimits(1L << 40, 1L << 40, 240, 3600, 32, 1L << 30).checkImage(video));
            assertThat(notImage.code()).isEqualTo(FailureCode.INVALID_OUTPUT);
        } finally {
            try (var paths = java.nio.file.Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void assertExceeded(MediaInfo info, long bytes, String mentions) {
        MediaException e = catchThrowableOfType(MediaException.class, () -> limits.check(info, bytes));
        assertThat(e).as(mentions).isNotNull();
        assertThat(e.code()).isEqualTo(FailureCode.LIMITS_EXCEEDED);
        assertThat(e.getMessage()).contains(mentions);
    }
}
