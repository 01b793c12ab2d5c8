package dev.framewright.transcoder.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.framewright.transcoder.media.BoxFit.Size;
import org.junit.jupiter.api.Test;

class BoxFitTest {

    @Test
    void fitsInsideTheBoxKeepingTheAspect() {
        assertThat(BoxFit.evenVideoSize(1280, 720, 640, 360)).isEqualTo(new Size(640, 360));
        assertThat(BoxFit.evenVideoSize(640, 480, 640, 360)).isEqualTo(new Size(480, 360));
        assertThat(BoxFit.evenVideoSize(1080, 1920, 640, 360)).isEqualTo(new Size(202, 360));
        assertThat(BoxFit.fit(1280, 720, 100, 100)).isEqualTo(new Size(100, 56));
        assertThat(BoxFit.fit(1200, 800, 100, 100)).isEqualTo(new Size(100, 67));
        assertThat(BoxFit.fit(800, 1200, 100, 100)).isEqualTo(new Size(67, 100));
        assertThat(BoxFit.fit(1200, 800, 300, 300)).isEqualTo(new Size(300, 200));
    }

    @Test
    void oneDimensionGivenTheOtherFollows() {
        assertThat(BoxFit.evenVideoSize(1280, 720, 320, null)).isEqualTo(new Size(320, 180));
        assertThat(BoxFit.evenVideoSize(1280, 720, null, 360)).isEqualTo(new Size(640, 360));
        assertThat(BoxFit.fit(1200, 800, null, 50)).isEqualTo(new Size(75, 50));
    }

    @Test
    void noBoxMeansTheSourceSize() {
        assertThat(BoxFit.fit(401, 301, null, null)).isEqualTo(new Size(401, 301));
        assertThat(BoxFit.evenVideoSize(1920, 1080, null, null)).isEqualTo(new Size(1920, 1080));
        assertThat(BoxFit.evenVideoSize(853, 481, null, null)).isEqualTo(new Size(854, 482));
    }

    @Test
    void videoSizesAreEvenAndStayInsideAnOddBox() {
        // 1280x720 into width 325: exact 325x182.8 -> even and inside the box: 324x182
        Size s = BoxFit.evenVideoSize(1280, 720, 325, null);
        assertThat(s).isEqualTo(new Size(324, 182));
        for (int w = 2; w <= 400; w += 7) {
            Size v = BoxFit.evenVideoSize(1920, 817, w, w);
            assertThat(v.width() % 2).isZero();
            assertThat(v.height() % 2).isZero();
            assertThat(v.width()).isPositive().isLessThanOrEqualTo(Math.max(2, w));
            assertThat(v.height()).isPositive().isLessThanOrEqualTo(Math.max(2, w));
        }
    }

    @Test
    void neverZero() {
        assertThat(BoxFit.fit(10000, 10, 100, 100)).isEqualTo(new Size(100, 1));
        assertThat(BoxFit.evenVideoSize(10000, 10, 100, 100)).isEqualTo(new Size(100, 2));
        assertThat(BoxFit.fit(10, 10000, 1, null)).isEqualTo(new Size(1, 1000));
        assertThat(BoxFit.evenVideoSize(10, 10000, 1, 1)).isEqualTo(new Size(2, 2));
    }

    @Test
    void usesTheSampleAspectRatio() {
        // DVD PAL anamorphic 16:9: 720x576 with SAR 64:45 displays as 1024x576
        assertThat(BoxFit.evenVideoSize(720, 576, 64.0 / 45, null, null)).isEqualTo(new Size(1024, 576));
        assertThat(BoxFit.evenVideoSize(720, 576, 64.0 / 45, 640, 640)).isEqualTo(new Size(640, 360));
        assertThat(BoxFit.fit(720, 576, 0.0, 360, null)).isEqualTo(new Size(360, 288)); // unknown SAR = square
    }

    @Test
    void rejectsNonPositiveSizes() {
        assertThatThrownBy(() -> BoxFit.fit(0, 10, 10, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BoxFit.fit(10, 10, 0, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BoxFit.evenVideoSize(10, 10, null, -2)).isInstanceOf(IllegalArgumentException.class);
    }
}
