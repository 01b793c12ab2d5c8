package dev.framewright.transcoder.media;

import static dev.framewright.transcoder.media.MediaPipelineTestSupport.file;
import static dev.framewright.transcoder.media.MediaPipelineTestSupport.output;
import static dev.framewright.transcoder.media.MediaPipelineTestSupport.render;
import static dev.framewright.transcoder.media.ShapedTestMedia.assertUpright;
import static dev.framewright.transcoder.media.ShapedTestMedia.luma;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.framewright.events.FacesOutput;
import dev.framewright.events.ImageFormat;
import dev.framewright.events.ImageOutput;
import dev.framewright.events.JobEventJson;
import dev.framewright.events.MediaInfo;
import dev.framewright.events.StreamInfo;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Phone photos: a JPEG stored landscape with an EXIF Orientation tag (written here with ImageIO, the APP1 segment
 * put in by bytes) comes out upright from {@code image} and {@code faces}, and the probe reports the turn as it does
 * for a video's display matrix. Each output is decoded without autorotation and its corners checked.
 */
class ExifOrientationTest {

    @ParameterizedTest(name = "orientation {0} ({1} clockwise), {2}")
    @CsvSource({"6, 90, MM", "3, 180, II", "8, 270, MM"})
    void aTaggedPhotoIsProbedTurnedAndComesOutUpright(int orientation, int clockwise, String order) throws Exception {
        // shown 240x320 portrait (180: 320x240); stored turned back
        boolean quarter = clockwise != 180;
        BufferedImage shown = ShapedTestMedia.pattern(quarter ? 240 : 320, quarter ? 320 : 240);
        Path jpeg = tagged(ShapedTestMedia.turn(shown, (360 - clockwise) % 360), orientation, order.equals("II"),
                "photo-" + orientation + ".jpg");
        assertThat(ExifOrientation.rotation(jpeg)).isEqualTo(clockwise);

        MediaInfo probe = MediaProbe.probe(jpeg);
        assertThat(probe.rotation()).isEqualTo(clockwise);
        assertThat(probe.width()).isEqualTo(shown.getWidth());
        assertThat(probe.height()).isEqualTo(shown.getHeight());
        StreamInfo stream = probe.streams().get(0);
        assertThat(stream.width()).as("stored").isEqualTo(quarter ? 320 : 320);
        assertThat(stream.displayWidth()).isEqualTo(shown.getWidth());
        assertThat(stream.rotation()).isEqualTo(clockwise);

        MediaPipeline.Outcome outcome = render(jpeg, List.of(
                new ImageOutput("full", null, null, null, null, ImageFormat.PNG),
                new ImageOutput("small", 120, null, null, null, ImageFormat.JPG),
                new ImageOutput("raw", null, null, null, null, ImageFormat.PNG, null, false)));
        int[][] full = luma(file(output(outcome, "full"), "image.png"), 0);
        assertThat(full[0]).hasSize(shown.getWidth());
        assertThat(full).hasNumberOfRows(shown.getHeight());
        assertUpright(full, "image of orientation " + orientation);
        int[][] small = luma(file(output(outcome, "small"), "image.jpg"), 0);
        assertThat(small[0]).hasSize(120);
        assertThat(small).hasNumberOfRows(shown.getHeight() * 120 / shown.getWidth());
        assertUpright(small, "120 px image of orientation " + orientation);
        int[][] raw = luma(file(output(outcome, "raw"), "image.png"), 0);
        assertThat(raw[0]).as("autorotate false: as stored").hasSize(320);
        assertThat(raw).hasNumberOfRows(240);
    }

    @Test
    void anUntaggedJpegIsLeftAsStored() throws Exception {
        Path jpeg = TestMedia.output("untagged.jpg");
        ImageIO.write(ShapedTestMedia.pattern(320, 240), "jpg", jpeg.toFile());
        assertThat(ExifOrientation.rotation(jpeg)).isZero();
        assertThat(MediaProbe.probe(jpeg).rotation()).isZero();
        MediaPipeline.Outcome outcome = render(jpeg, List.of(new ImageOutput("full", null, null, null, null,
                ImageFormat.PNG)));
        assertUpright(luma(file(output(outcome, "full"), "image.png"), 0), "untagged image");
    }

    @Test
    void facesAreFoundInTheUprightPhoto() throws Exception {
        assumeTrue(Files.isRegularFile(FacesTest.ASTRONAUT), "the test photograph is missing");
        BufferedImage photo = ImageIO.read(FacesTest.ASTRONAUT.toFile());
        BufferedImage rgb = new BufferedImage(512, 512, BufferedImage.TYPE_3BYTE_BGR);
        rgb.getGraphics().drawImage(photo, 0, 0, null);
        // stored on its side (turned back a quarter), tagged 6: a sideways face the frontal detector cannot find
        Path jpeg = tagged(ShapedTestMedia.turn(rgb, 270), 6, false, "astronaut-6.jpg");

        MediaPipeline.Outcome outcome = render(jpeg, List.of(new FacesOutput("faces", null)));
        JsonNode faces = JobEventJson.mapper().readTree(file(output(outcome, "faces"), "faces.json").toFile());
        JsonNode found = faces.get("samples").get(0).get("faces");
        assertThat(found).as("faces in %s", faces).hasSize(1);
        int cx = found.get(0).get("x").asInt() + found.get(0).get("width").asInt() / 2;
        int cy = found.get(0).get("y").asInt() + found.get(0).get("height").asInt() / 2;
        assertThat(cx).isBetween(205, 245); // where the face is in the upright photo
        assertThat(cy).isBetween(95, 135);
    }

    /** {@code stored} as a JPEG with an EXIF APP1 segment (IFD0 holding only Orientation) right after SOI. */
    static Path tagged(BufferedImage stored, int orientation, boolean littleEndian, String name) throws Exception {
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        assertThat(ImageIO.write(stored, "jpg", jpeg)).isTrue();
        byte[] plain = jpeg.toByteArray();
        ByteArrayOutputStream app1 = new ByteArrayOutputStream();
        app1.writeBytes(new byte[] {'E', 'x', 'i', 'f', 0, 0});
        if (littleEndian) {
            app1.writeBytes(new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0,
                (byte) orientation, 0, 0, 0, 0, 0, 0, 0});
        } else {
            app1.writeBytes(new byte[] {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1,
                0, (byte) orientation, 0, 0, 0, 0, 0, 0});
        }
        int length = app1.size() + 2;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(plain, 0, 2); // SOI
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) (length >> 8), (byte) length});
        out.writeBytes(app1.toByteArray());
        out.write(plain, 2, plain.length - 2);
        Path file = TestMedia.output(name);
        Files.write(file, out.toByteArray());
        return file;
    }
}
