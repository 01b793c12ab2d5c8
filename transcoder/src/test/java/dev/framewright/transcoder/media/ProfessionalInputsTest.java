package dev.framewright.transcoder.media;

import static dev.framewright.transcoder.media.MediaPipelineTestSupport.file;
import static dev.framewright.transcoder.media.MediaPipelineTestSupport.output;
import static dev.framewright.transcoder.media.MediaPipelineTestSupport.render;
import static dev.framewright.transcoder.media.ShapedTestMedia.assertUpright;
import static dev.framewright.transcoder.media.ShapedTestMedia.luma;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.framewright.events.ImageFormat;
import dev.framewright.events.ImageOutput;
import dev.framewright.events.MediaInfo;
import dev.framewright.events.StreamInfo;
import dev.framewright.events.VideoOutput;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Professional intermediates: ProRes 422 HQ (prores_ks, yuv422p10le) and DNxHR HQX (dnxhd, 10-bit 4:2:2) in
 * QuickTime, made here with the bundled encoders, tagged BT.709. A {@code video} output is H.264 High 8-bit 4:2:0
 * tagged BT.709 limited, of the same size, length and frame count; it and an {@code image} still show the
 * picture's blocks where they are (ShapedTestMedia's pattern: white top-left, grey top-right, black below).
 */
class ProfessionalInputsTest {

    static final int W = 1280;
    static final int H = 720;
    static final int FRAMES = 25;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"prores_ks, hq, prores", "dnxhd, dnxhr_hqx, dnxhd"})
    void a10Bit422IntermediateBecomesAn8Bit420H264AndAStill(String encoder, String profile, String codec)
            throws Exception {
        Path input = intermediate(encoder, profile);
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(input.toFile())) {
            g.start();
            AVCodecParameters par = g.getFormatContext().streams(0).codecpar();
            assertThat(par.format()).as("the test input is 10-bit 4:2:2").isEqualTo(avutil.AV_PIX_FMT_YUV422P10LE);
        }
        MediaInfo in = MediaProbe.probe(input);
        assertThat(in.videoCodec()).isEqualTo(codec);
        assertThat(in.width()).isEqualTo(W);
        StreamInfo source = in.streams().get(0);
        assertThat(List.of(source.colorPrimaries(), source.colorTransfer(), source.colorSpace(), source.colorRange()))
                .as("the test input is tagged BT.709 (so the output's tags are carried, not guessed)")
                .containsExactly("bt709", "bt709", "bt709", "tv");

        MediaPipeline.Outcome outcome = render(input, List.of(
                new VideoOutput("video", null, null, null, null, 20, null, null, null, null, null),
                new ImageOutput("still", null, null, null, 0.5, ImageFormat.PNG)));
        assertThat(outcome.failed()).isEmpty();

        Path mp4 = file(output(outcome, "video"), "video.mp4");
        int frames = 0;
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(mp4.toFile())) {
            g.start();
            AVCodecParameters par = g.getFormatContext().streams(0).codecpar();
            assertThat(par.codec_id()).isEqualTo(avcodec.AV_CODEC_ID_H264);
            assertThat(par.format()).as("pix_fmt").isEqualTo(avutil.AV_PIX_FMT_YUV420P);
            assertThat(par.profile()).as("H.264 High, 8-bit 4:2:0").isEqualTo(avcodec.AV_PROFILE_H264_HIGH);
            while (g.grabImage() != null) {
                frames++;
            }
        }
        assertThat(frames).isEqualTo(FRAMES);
        MediaInfo out = MediaProbe.probe(mp4);
        assertThat(out.width()).isEqualTo(W);
        assertThat(out.height()).isEqualTo(H);
        assertThat(out.durationSeconds()).isCloseTo(1.0, within(0.05));
        StreamInfo v = out.streams().get(0);
        assertThat(List.of(v.colorPrimaries(), v.colorTransfer(), v.colorSpace(), v.colorRange()))
                .containsExactly("bt709", "bt709", "bt709", "tv");

        int[][] picture = luma(mp4, 12);
        assertUpright(picture, codec + " video");
        assertThat(picture[H / 12][W / 8]).as("white block luma").isBetween(225, 255);
        assertThat(picture[H / 12][W - W / 8]).as("grey block luma").isBetween(115, 140);
        assertThat(picture[H / 2][W / 2]).as("black").isLessThan(30);

        int[][] still = luma(file(output(outcome, "still"), "image.png"), 0);
        assertThat(still[0]).hasSize(W);
        assertThat(still).hasNumberOfRows(H);
        assertUpright(still, codec + " still");
    }

    /** 1 s at 25 fps of the pattern, 1280x720, yuv422p10le, BT.709 tagged, in QuickTime. */
    private static Path intermediate(String encoder, String profile) throws Exception {
        BufferedImage pattern = ShapedTestMedia.pattern(W, H);
        byte[] data = ((DataBufferByte) pattern.getRaster().getDataBuffer()).getData();
        Path out = TestMedia.output(encoder + "-" + profile + ".mov");
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(out.toFile(), W, H, 0)) {
            r.setFormat("mov");
            r.setVideoCodecName(encoder);
            r.setPixelFormat(avutil.AV_PIX_FMT_YUV422P10LE);
            r.setFrameRate(25);
            r.setVideoOption("profile", profile);
            r.setVideoOption("color_primaries", "bt709");
            r.setVideoOption("color_trc", "bt709");
            r.setVideoOption("colorspace", "bt709");
            r.setVideoOption("color_range", "tv");
            r.start();
            ByteBuffer buf = ByteBuffer.allocateDirect(data.length);
            for (int f = 0; f < FRAMES; f++) {
                buf.clear();
                buf.put(data).flip();
                r.recordImage(W, H, Frame.DEPTH_UBYTE, 3, W * 3, avutil.AV_PIX_FMT_BGR24, buf);
            }
            r.stop();
        }
        return out;
    }
}
