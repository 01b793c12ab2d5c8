package dev.framewright.transcoder.media;

import static dev.framewright.transcoder.media.StillsTestMedia.frameNumber;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import dev.framewright.events.FailureCode;
import dev.framewright.events.ImageFormat;
import dev.framewright.events.ImageOutput;
import dev.framewright.events.ImageOutput.Fit;
import dev.framewright.events.OutputType;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageRendererTest {

    private static final int RED = 0xFF0000;
    private static final int GREEN = 0x00FF00;
    private static final int BLUE = 0x0000FF;

    private static RenderedOutput render(Path input, Integer w, Integer h, Fit fit, Double at, ImageFormat format)
            throws MediaException {
        return ImageRenderer.render(input, null, new ImageOutput("img", w, h, fit, at, format),
                TestMedia.output("image"));
    }

    @Test
    void containFitsInsideTheBox() throws Exception {
        RenderedOutput out = render(StillsTestMedia.pattern43("png"), 100, 100, Fit.CONTAIN, null, ImageFormat.PNG);
        assertThat(out.name()).isEqualTo("img");
        assertThat(out.type()).isEqualTo(OutputType.IMAGE);
        assertThat(out.files()).singleElement().satisfies(f -> {
            assertThat(f.path()).isEqualTo("image.png");
            assertThat(f.contentType()).isEqualTo("image/png");
        });
        BufferedImage img = StillsTestMedia.read(out.files().get(0).local());
        assertThat(img.getWidth()).isEqualTo(100);
        assertThat(img.getHeight()).isEqualTo(75);
        // the whole picture: the red and blue side bands are there
        assertColour(img, 2, 37, RED);
        assertColour(img, 50, 37, GREEN);
        assertColour(img, 97, 37, BLUE);
        assertThat(out.media().width()).isEqualTo(100);
        assertThat(out.media().height()).isEqualTo(75);
        assertThat(out.media().videoCodec()).isEqualTo("png");
    }

    @Test
    void coverFillsTheBoxAndCropsTheCentre() throws Exception {
        RenderedOutput out = render(StillsTestMedia.pattern43("png"), 100, 100, Fit.COVER, null, ImageFormat.PNG);
        BufferedImage img = StillsTestMedia.read(out.files().get(0).local());
        assertThat(img.getWidth()).isEqualTo(100);
        assertThat(img.getHeight()).isEqualTo(100);
        // scaled by 1/3 the source is 133 wide: the centre 100 are the green middle, the side bands are cut off
        for (int x : new int[] {0, 1, 50, 98, 99}) {
            for (int y : new int[] {0, 50, 99}) {
                assertColour(img, x, y, GREEN);
            }
        }
    }

    @Test
    void fillStretchesToTheBox() throws Exception {
        RenderedOutput out = render(StillsTestMedia.pattern43("png"), 100, 100, Fit.FILL, null, ImageFormat.PNG);
        BufferedImage img = StillsTestMedia.read(out.files().get(0).local());
        assertThat(img.getWidth()).isEqualTo(100);
        assertThat(img.getHeight()).isEqualTo(100);
        assertColour(img, 2, 2, RED);
        assertColour(img, 2, 97, RED);
        assertColour(img, 50, 50, GREEN);
        assertColour(img, 97, 97, BLUE);
    }

    @Test
    void oneSideFollowsTheAspectAndNoneKeepsTheSourceSize() throws Exception {
        Path input = StillsTestMedia.pattern43("png");
        assertThat(size(render(input, 200, null, Fit.COVER, null, null))).containsExactly(200, 150);
        assertThat(size(render(input, null, 60, Fit.FILL, null, null))).containsExactly(80, 60);
        assertThat(size(render(input, null, null, null, null, null))).containsExactly(400, 300);
        // defaults: contain, jpg
        RenderedOutput out = render(input, 100, 100, null, null, null);
        assertThat(out.files().get(0).path()).isEqualTo("image.jpg");
        assertThat(out.files().get(0).contentType()).isEqualTo("image/jpeg");
        assertThat(out.media().videoCodec()).isEqualTo("mjpeg");
        assertThat(size(out)).containsExactly(100, 75);
    }

    @Test
    void imageInputsOfEveryFormatAreResized() throws Exception {
        for (String format : List.of("jpeg", "bmp", "gif", "tiff")) {
            RenderedOutput out = render(StillsTestMedia.pattern43(format), 100, 100, Fit.CONTAIN, null,
                    ImageFormat.PNG);
            BufferedImage img = StillsTestMedia.read(out.files().get(0).local());
            assertThat(new int[] {img.getWidth(), img.getHeight()}).as(format).containsExactly(100, 75);
            assertColour(img, 2, 37, RED);
            assertColour(img, 97, 37, BLUE);
        }
        // a WebP input (written by this renderer) resized again
        RenderedOutput webp = render(StillsTestMedia.pattern43("png"), null, null, null, null, ImageFormat.WEBP);
        RenderedOutput again = render(webp.files().get(0).local(), 50, null, null, null, ImageFormat.PNG);
        assertThat(size(again)).containsExactly(50, 38); // 37.5 rounds up
    }

    @Test
    void webpOutputDecodes() throws Exception {
        RenderedOutput out = render(StillsTestMedia.pattern43("png"), 100, 100, Fit.CONTAIN, null, ImageFormat.WEBP);
        assertThat(out.files().get(0).path()).isEqualTo("image.webp");
        assertThat(out.files().get(0).contentType()).isEqualTo("image/webp");
        assertThat(out.media().videoCodec()).isEqualTo("webp");
        BufferedImage img = StillsTestMedia.decode(out.files().get(0).local());
        assertThat(new int[] {img.getWidth(), img.getHeight()}).containsExactly(100, 75);
        assertColour(img, 2, 37, RED);
        assertColour(img, 50, 37, GREEN);
        assertColour(img, 97, 37, BLUE);
    }

    @Test
    void pngAlphaIsKeptInPngAndWebpAndFlattenedOnWhiteInJpeg() throws Exception {
        Path input = StillsTestMedia.alphaPng();
        BufferedImage png = StillsTestMedia.read(render(input, 32, null, null, null, ImageFormat.PNG)
                .files().get(0).local());
        assertThat(png.getColorModel().hasAlpha()).isTrue();
        assertThat(new int[] {png.getWidth(), png.getHeight()}).containsExactly(32, 24);
        assertThat(png.getRGB(4, 12) >>> 24).as("left transparent").isLessThan(8);
        assertThat(png.getRGB(28, 12) >>> 24).as("right opaque").isGreaterThan(247);
        assertColour(png, 28, 12, RED);

        BufferedImage webp = StillsTestMedia.decode(render(input, 32, null, null, null, ImageFormat.WEBP)
                .files().get(0).local());
        assertThat(webp.getRGB(4, 12) >>> 24).as("webp left transparent").isLessThan(8);
        assertThat(webp.getRGB(28, 12) >>> 24).as("webp right opaque").isGreaterThan(247);
        assertColour(webp, 28, 12, RED);

        BufferedImage jpg = StillsTestMedia.read(render(input, 32, null, null, null, ImageFormat.JPG)
                .files().get(0).local());
        assertColour(jpg, 4, 12, 0xFFFFFF);
        assertColour(jpg, 28, 12, RED);
    }

    @Test
    void aVideoStillIsTheFrameAtTheGivenTime() throws Exception {
        Path clip = StillsTestMedia.counterClip(); // 8 s, 10 fps, frame n shows n
        RenderedOutput at = render(clip, 96, null, null, 3.5, ImageFormat.PNG);
        BufferedImage img = StillsTestMedia.read(at.files().get(0).local());
        assertThat(new int[] {img.getWidth(), img.getHeight()}).containsExactly(96, 54);
        assertThat(frameNumber(img)).isEqualTo(35); // between key frames: decoded up to the exact frame
        assertThat(frameNumber(StillsTestMedia.read(render(clip, 96, null, null, 5.27, ImageFormat.PNG)
                .files().get(0).local()))).isEqualTo(52);
        for (String format : List.of("mpegts", "webm")) {
            assertThat(frameNumber(StillsTestMedia.read(render(StillsTestMedia.counterClipAs(format), 96, null, null,
                    3.5, ImageFormat.PNG).files().get(0).local()))).as(format).isEqualTo(35);
        }
        // default 1 s
        assertThat(frameNumber(StillsTestMedia.read(render(clip, 96, null, null, null, ImageFormat.PNG)
                .files().get(0).local()))).isEqualTo(10);
        // past the end: the last frame
        assertThat(frameNumber(StillsTestMedia.read(render(clip, 96, null, null, 100.0, ImageFormat.PNG)
                .files().get(0).local()))).isEqualTo(StillsTestMedia.COUNTER_FRAMES - 1);
        // cover on a 16:9 video
        assertThat(size(render(clip, 50, 50, Fit.COVER, 2.0, null))).containsExactly(50, 50);
        // a clip shorter than 2 s: mid-clip (flat colour throughout)
        RenderedOutput shortClip = render(TestMedia.colour43(), 64, 64, null, null, null);
        assertThat(size(shortClip)).containsExactly(64, 48);
        TestMedia.assertFlatColour(shortClip.files().get(0).local());
    }

    @Test
    void badInputsAndParameters() {
        MediaException audio = catchThrowableOfType(MediaException.class,
                () -> render(TestMedia.audioOnly(), 10, 10, null, null, null));
        assertThat(audio.code()).isEqualTo(FailureCode.INVALID_OUTPUT);
        MediaException text = catchThrowableOfType(MediaException.class,
                () -> render(TestMedia.textAsMp4(), 10, 10, null, null, null));
        assertThat(text.code()).isEqualTo(FailureCode.UNSUPPORTED_MEDIA);
        for (ImageOutput spec : List.of(new ImageOutput("i", 0, null, null, null, null),
                new ImageOutput("i", null, -3, null, null, null),
                new ImageOutput("i", 100_000, null, null, null, null),
                new ImageOutput("i", 10, null, null, -1.0, null))) {
            MediaException e = catchThrowableOfType(MediaException.class,
                    () -> ImageRenderer.render(StillsTestMedia.pattern43("png"), null, spec, TestMedia.output("x")));
            assertThat(e).as(spec.toString()).isNotNull();
            assertThat(e.code()).isEqualTo(FailureCode.INVALID_OUTPUT);
        }
    }

    @Test
    void coverCropIsCentredInSourcePixels() {
        assertThat(ImageRenderer.coverCrop(400, 300, 1.0, 100, 100)).isEqualTo(new ImageRenderer.Crop(50, 0, 300, 300));
        assertThat(ImageRenderer.coverCrop(300, 400, 1.0, 100, 100)).isEqualTo(new ImageRenderer.Crop(0, 50, 300, 300));
        assertThat(ImageRenderer.coverCrop(400, 300, 1.0, 400, 100)).isEqualTo(new ImageRenderer.Crop(0, 100, 400, 100));
        // anamorphic 720x576 with 16:11 pixels is 1047x576 on screen; a 16:9 box takes the full height
        ImageRenderer.Crop c = ImageRenderer.coverCrop(720, 576, 16.0 / 11, 160, 90);
        assertThat(c.height()).isEqualTo(576);
        assertThat(c.width() * 16.0 / 11 / c.height()).isCloseTo(16.0 / 9, within(0.01));
    }

    private static int[] size(RenderedOutput out) {
        return new int[] {out.media().width(), out.media().height()};
    }

    private static void assertColour(BufferedImage img, int x, int y, int rgb) {
        int p = img.getRGB(x, y);
        int[] got = {(p >> 16) & 0xff, (p >> 8) & 0xff, p & 0xff};
        int[] want = {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff};
        for (int i = 0; i < 3; i++) {
            assertThat(got[i]).as("channel %d of (%d,%d): %s", i, x, y, Integer.toHexString(p))
                    .isCloseTo(want[i], within(40));
        }
    }
}
