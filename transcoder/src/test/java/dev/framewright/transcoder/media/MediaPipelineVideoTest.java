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

    @Test
    void aPictureSizeThatChangesMidStreamIsScaledNotMisread() throws Exception {
        // two MPEG-TS pieces of different sizes, back to back: the decoder switches size at the second SPS
        Path big = TestMedia.output("big.ts");
        Path small = TestMedia.output("small.ts");
        writeTs(big, 320, 240, 25, 0, false);
        writeTs(small, 160, 120, 25, 25, true);
        Path joined = TestMedia.output("joined.ts");
        Files.write(joined, Files.readAllBytes(big));
        Files.write(joined, Files.readAllBytes(small), java.nio.file.StandardOpenOption.APPEND);

        // two sizes, so the decoder hands over pictures at the source size and the changed ones are converted
        // ("a" names a crf: at the source's own size it would otherwise be a stream copy, size change and all)
        MediaPipeline.Outcome outcome = render(joined, List.of(
                new VideoOutput("a", null, 320, null, null, 23, null, null, null, null, null),
                VideoOutput.of("b", 160, null)));

        assertThat(outcome.failed()).isEmpty();
        for (String name : List.of("a", "b")) {
            Path mp4 = file(output(outcome, name), "video.mp4");
            assertThat(MediaProbe.probe(mp4).width()).isEqualTo(name.equals("a") ? 320 : 160);
            assertThat(TestMedia.countVideoFrames(mp4)).as(name).isBetween(48, 52);
            // the second second is the small picture scaled to the output: white left, black right, top to bottom;
            // a picture read with the wrong size would be sheared and its halves mixed
            int w = name.equals("a") ? 320 : 160;
            int h = w * 3 / 4;
            for (int y : new int[] {h / 10, h / 2, h * 9 / 10}) {
                assertThat(java.util.Arrays.stream(MediaPipelineTestSupport.bgrAt(mp4, 1.5, w / 4, y)).boxed()).as(name + " left, row " + y)
                        .allMatch(c -> c > 200);
                assertThat(java.util.Arrays.stream(MediaPipelineTestSupport.bgrAt(mp4, 1.5, w * 3 / 4, y)).boxed()).as(name + " right, row " + y)
                        .allMatch(c -> c < 50);
            }
        }
    }

    /**
     * {@code frames} at 25 fps, H.264 in MPEG-TS, starting at frame {@code first}: flat grey, or (split) white on the
     * left half and black on the right.
     */
    private static void writeTs(Path file, int width, int height, int frames, int first, boolean split)
            throws Exception {
        try (org.bytedeco.javacv.FFmpegFrameRecorder r = new org.bytedeco.javacv.FFmpegFrameRecorder(file.toFile(),
                width, height, 0)) {
            r.setFormat("mpegts");
            r.setVideoCodec(org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264);
            r.setVideoCodecName("libx264");
            r.setPixelFormat(org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P);
            r.setFrameRate(25);
            r.setVideoOption("preset", "ultrafast");
            r.start();
            java.nio.ByteBuffer bgr = java.nio.ByteBuffer.allocateDirect(width * height * 3);
            for (int i = 0; i < width * height * 3; i++) {
                int x = i / 3 % width;
                bgr.put(i, (byte) (!split ? 0x80 : x < width / 2 ? 0xff : 0));
            }
            for (int f = 0; f < frames; f++) {
                r.setTimestamp((first + f) * 40_000L);
                r.recordImage(width, height, org.bytedeco.javacv.Frame.DEPTH_UBYTE, 3, width * 3,
                        org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24, bgr);
            }
            r.stop();
        }
    }
}
