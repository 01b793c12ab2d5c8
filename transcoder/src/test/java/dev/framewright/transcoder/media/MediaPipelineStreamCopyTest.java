package dev.framewright.transcoder.media;

import static dev.framewright.transcoder.media.MediaPipelineTestSupport.file;
import static dev.framewright.transcoder.media.MediaPipelineTestSupport.output;
import static dev.framewright.transcoder.media.MediaPipelineTestSupport.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.assertj.core.api.Assertions.within;

import dev.framewright.events.Container;
import dev.framewright.events.MediaInfo;
import dev.framewright.events.VideoOutput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.Test;

/** A video output that asks for what the source already is gets the source's own packets, not a re-encode. */
class MediaPipelineStreamCopyTest {

    @Test
    void anMp4OutputAskingNothingNewCopiesThePackets() throws Exception {
        Path input = TestMedia.clip320WithAudio(); // H.264 + AAC, 320x240, 25 fps, 3 s
        long decodedBefore = DecodeFanOut.DECODED_VIDEO_FRAMES.get();

        MediaPipeline.Outcome outcome = render(input, List.of(VideoOutput.of("same", null, null),
                // the source's own size and frame rate, spelled out, are still nothing new
                new VideoOutput("explicit", Container.MP4, 320, 240, 25.0, null, null, true, 0.0, null, null)));

        assertThat(DecodeFanOut.DECODED_VIDEO_FRAMES.get() - decodedBefore).as("frames decoded").isZero();
        for (String name : List.of("same", "explicit")) {
            Path mp4 = file(output(outcome, name), "video.mp4");
            assertThat(packets(mp4, true)).as(name + ": video packets").isEqualTo(packets(input, true));
            assertThat(packets(mp4, false)).as(name + ": audio packets").isEqualTo(packets(input, false));
            assertIncreasingDts(mp4);
            MediaInfo info = MediaProbe.probe(mp4);
            // the output's description is the input's streams, not a read-back: it must say what a probe says
            MediaInfo described = output(outcome, name).media();
            assertThat(described).usingRecursiveComparison().ignoringFields("bitRate", "durationSeconds",
                    "streams.bitRate", "streams.durationSeconds").isEqualTo(info);
            assertThat(described.durationSeconds()).isCloseTo(info.durationSeconds(), within(0.05));
            assertThat(described.bitRate().doubleValue()).isCloseTo(info.bitRate(), within(info.bitRate() * 0.02));
            assertThat(info.videoCodec()).isEqualTo("h264");
            assertThat(info.audioCodec()).isEqualTo("aac");
            assertThat(info.width()).isEqualTo(320);
            assertThat(info.height()).isEqualTo(240);
            assertThat(info.frameRate()).isCloseTo(25.0, within(0.01));
            assertThat(info.durationSeconds()).isCloseTo(MediaProbe.probe(input).durationSeconds(), within(0.05));
            assertThat(TestMedia.countVideoFrames(mp4)).isEqualTo(TestMedia.countVideoFrames(input));
            String head = new String(Files.readAllBytes(mp4), 0, 4096, StandardCharsets.ISO_8859_1);
            assertThat(head.indexOf("moov")).as("faststart: the index before the media").isPositive();
        }
    }

    @Test
    void audioOffCopiesOnlyTheVideo() throws Exception {
        Path input = TestMedia.clip320WithAudio();
        MediaPipeline.Outcome outcome = render(input,
                List.of(new VideoOutput("mute", null, null, null, null, null, null, false, null, null, null)));

        Path mp4 = file(output(outcome, "mute"), "video.mp4");
        assertThat(packets(mp4, true)).isEqualTo(packets(input, true));
        MediaInfo info = MediaProbe.probe(mp4);
        assertThat(info.audioCodec()).isNull();
        assertThat(info.streams()).hasSize(1);
    }

    @Test
    void aWebmOfVp9AndOpusIsCopiedToWebm() throws Exception {
        Path webm = file(output(render(TestMedia.clip320WithAudio(), List.of(new VideoOutput("web", Container.WEBM,
                null, null, null, 40, null, null, null, null, null))), "web"), "video.webm");
        long decodedBefore = DecodeFanOut.DECODED_VIDEO_FRAMES.get();

        MediaPipeline.Outcome outcome = render(webm, List.of(new VideoOutput("again", Container.WEBM, null, null,
                null, null, null, null, null, null, null)));

        assertThat(DecodeFanOut.DECODED_VIDEO_FRAMES.get() - decodedBefore).isZero();
        Path copy = file(output(outcome, "again"), "video.webm");
        assertThat(packets(copy, true)).isEqualTo(packets(webm, true));
        assertThat(packets(copy, false)).isEqualTo(packets(webm, false));
        MediaInfo info = MediaProbe.probe(copy);
        assertThat(info.videoCodec()).isEqualTo("vp9");
        assertThat(info.audioCodec()).isEqualTo("opus");
        assertThat(info.durationSeconds()).isCloseTo(MediaProbe.probe(webm).durationSeconds(), within(0.05));
    }

    @Test
    void anythingNewIsEncodedAndACopySharesTheJobWithEncodes() throws Exception {
        Path input = TestMedia.clip320WithAudio();
        int frames = TestMedia.countVideoFrames(input);
        long decodedBefore = DecodeFanOut.DECODED_VIDEO_FRAMES.get();

        MediaPipeline.Outcome outcome = render(input, List.of(VideoOutput.of("same", null, null),
                new VideoOutput("crf", null, null, null, null, 35, null, null, null, null, null),
                new VideoOutput("cut", null, null, null, null, null, null, null, 1.0, null, null),
                new VideoOutput("webm", Container.WEBM, null, null, null, null, null, null, null, null, null),
                VideoOutput.of("small", 160, null)));

        assertThat(outcome.failed()).isEmpty();
        // one decode feeds the four encodes; the copy decodes nothing
        assertThat(DecodeFanOut.DECODED_VIDEO_FRAMES.get() - decodedBefore).isEqualTo(frames);
        assertThat(packets(file(output(outcome, "same"), "video.mp4"), true)).isEqualTo(packets(input, true));
        for (String name : List.of("crf", "cut", "small")) {
            assertThat(packets(file(output(outcome, name), "video.mp4"), true)).as(name)
                    .isNotEqualTo(packets(input, true));
        }
        assertThat(MediaProbe.probe(file(output(outcome, "cut"), "video.mp4")).durationSeconds())
                .isCloseTo(2.0, within(0.1));
        assertThat(MediaProbe.probe(file(output(outcome, "webm"), "video.webm")).videoCodec())
                .isEqualTo("vp9");
    }

    /** The payloads of one kind of stream, in file order. */
    private static List<byte[]> packetList(Path file, boolean video) throws Exception {
        List<byte[]> out = new ArrayList<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.start();
            int stream = video ? g.getVideoStream() : g.getAudioStream();
            AVPacket p;
            while ((p = g.grabPacket()) != null) {
                if (p.stream_index() == stream) {
                    byte[] data = new byte[p.size()];
                    p.data().get(data);
                    out.add(data);
                }
                av_packet_unref(p);
            }
        }
        return out;
    }

    /** SHA-256 of every packet's payload. */
    private static List<String> packets(Path file, boolean video) throws Exception {
        List<String> out = new ArrayList<>();
        for (byte[] data : packetList(file, video)) {
            out.add(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
        }
        return out;
    }

    private static void assertIncreasingDts(Path file) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.start();
            long[] last = new long[8];
            Arrays.fill(last, Long.MIN_VALUE);
            AVPacket p;
            while ((p = g.grabPacket()) != null) {
                assertThat(p.dts()).as("dts of stream " + p.stream_index()).isGreaterThan(last[p.stream_index()]);
                last[p.stream_index()] = p.dts();
                av_packet_unref(p);
            }
        }
    }
}
