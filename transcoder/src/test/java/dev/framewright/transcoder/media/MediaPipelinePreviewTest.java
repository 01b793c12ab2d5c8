package dev.framewright.transcoder.media;

import static dev.framewright.transcoder.media.MediaPipelineTestSupport.file;
import static dev.framewright.transcoder.media.MediaPipelineTestSupport.output;
import static dev.framewright.transcoder.media.MediaPipelineTestSupport.render;
import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.events.AudioOutput;
import dev.framewright.events.MediaInfo;
import dev.framewright.events.PreviewOutput;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class MediaPipelinePreviewTest {

    @Test
    void gifAndWebpPreviewsAndAudioOnlyOutputs() throws Exception {
        MediaPipeline.Outcome outcome = render(TestMedia.clip320WithAudio(), List.of(
                new PreviewOutput("gif", null, 0.5, 2.0, 160, 10.0),
                new PreviewOutput("webp", PreviewOutput.Format.WEBP, null, null, null, 5.0),
                new AudioOutput("mp3", AudioOutput.Codec.MP3, 96),
                new AudioOutput("opus", AudioOutput.Codec.OPUS, null)));
        assertThat(outcome.failed()).isEmpty();

        Path gif = file(output(outcome, "gif"), "preview.gif");
        assertThat(output(outcome, "gif").files().get(0).contentType()).isEqualTo("image/gif");
        assertThat(TestMedia.countVideoFrames(gif)).as("2 s at 10 fps").isBetween(19, 21);
        BufferedImage first = ImageIO.read(gif.toFile());
        assertThat(first.getWidth()).isEqualTo(160);
        assertThat(first.getHeight()).isEqualTo(120);

        // default 3 s at width 320; FFmpeg does not decode animated WebP, so count its ANMF frames
        Path webp = file(output(outcome, "webp"), "preview.webp");
        byte[] bytes = Files.readAllBytes(webp);
        String riff = new String(bytes, StandardCharsets.ISO_8859_1);
        assertThat(riff).startsWith("RIFF").contains("WEBPVP8X").contains("ANIM");
        int frames = 0;
        for (int i = riff.indexOf("ANMF"); i >= 0; i = riff.indexOf("ANMF", i + 4)) {
            frames++;
        }
        assertThat(frames).as("3 s at 5 fps").isBetween(14, 16);
        int canvasWidth = 1 + ((bytes[24] & 0xff) | (bytes[25] & 0xff) << 8 | (bytes[26] & 0xff) << 16);
        assertThat(canvasWidth).isEqualTo(320);

        MediaInfo mp3 = MediaProbe.probe(file(output(outcome, "mp3"), "audio.mp3"));
        assertThat(mp3.audioCodec()).isEqualTo("mp3");
        assertThat(mp3.videoCodec()).isNull();
        assertThat(mp3.width()).isNull();
        MediaInfo opus = MediaProbe.probe(file(output(outcome, "opus"), "audio.opus"));
        assertThat(opus.format()).isEqualTo("ogg");
        assertThat(opus.audioCodec()).isEqualTo("opus");
        assertThat(opus.videoCodec()).isNull();
        assertThat(output(outcome, "opus").files().get(0).contentType()).isEqualTo("audio/ogg");
    }
}
