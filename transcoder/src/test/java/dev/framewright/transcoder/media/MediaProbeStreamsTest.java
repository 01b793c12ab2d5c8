package dev.framewright.transcoder.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.framewright.events.MediaInfo;
import dev.framewright.events.StreamInfo;
import org.junit.jupiter.api.Test;

class MediaProbeStreamsTest {

    @Test
    void listsEveryStreamOfAVideoWithTwoAudioTracks() throws Exception {
        MediaInfo info = MediaProbe.probe(StillsTestMedia.videoWithTwoAudios());

        assertThat(info.format()).contains("mp4");
        assertThat(info.durationSeconds()).isCloseTo(1.0, within(0.1));
        assertThat(info.bitRate()).isPositive();
        // the summary: the first video and the first audio stream
        assertThat(info.width()).isEqualTo(640);
        assertThat(info.height()).isEqualTo(480);
        assertThat(info.videoCodec()).isEqualTo("h264");
        assertThat(info.frameRate()).isCloseTo(25.0, within(0.01));
        assertThat(info.audioCodec()).isEqualTo("aac");
        assertThat(info.audioSampleRate()).isEqualTo(48_000);
        assertThat(info.audioChannels()).isEqualTo(2);

        assertThat(info.streams()).hasSize(3);
        StreamInfo video = info.streams().get(0);
        assertThat(video.index()).isZero();
        assertThat(video.kind()).isEqualTo("video");
        assertThat(video.codec()).isEqualTo("h264");
        assertThat(video.width()).isEqualTo(640);
        assertThat(video.height()).isEqualTo(480);
        assertThat(video.frameRate()).isCloseTo(25.0, within(0.01));
        assertThat(video.durationSeconds()).isCloseTo(1.0, within(0.05));
        assertThat(video.bitRate()).isPositive();
        assertThat(video.sampleRate()).isNull();
        assertThat(video.channels()).isNull();
        assertThat(video.language()).isNull(); // tagged "und"

        StreamInfo english = info.streams().get(1);
        assertThat(english.index()).isEqualTo(1);
        assertThat(english.kind()).isEqualTo("audio");
        assertThat(english.codec()).isEqualTo("aac");
        assertThat(english.sampleRate()).isEqualTo(48_000);
        assertThat(english.channels()).isEqualTo(2);
        assertThat(english.language()).isEqualTo("eng");
        assertThat(english.width()).isNull();
        assertThat(english.frameRate()).isNull();
        assertThat(english.bitRate()).isPositive();
        assertThat(english.durationSeconds()).isCloseTo(1.0, within(0.1));

        StreamInfo french = info.streams().get(2);
        assertThat(french.index()).isEqualTo(2);
        assertThat(french.kind()).isEqualTo("audio");
        assertThat(french.codec()).isEqualTo("aac");
        assertThat(french.sampleRate()).isEqualTo(44_100);
        assertThat(french.channels()).isEqualTo(1);
        assertThat(french.language()).isEqualTo("fra");
    }

    @Test
    void anImageIsOneVideoStreamWithoutTime() throws Exception {
        MediaInfo info = MediaProbe.probe(TestMedia.png1200x800());
        assertThat(info.durationSeconds()).isNull();
        assertThat(info.streams()).singleElement().satisfies(s -> {
            assertThat(s.kind()).isEqualTo("video");
            assertThat(s.codec()).isEqualTo("png");
            assertThat(s.width()).isEqualTo(1200);
            assertThat(s.height()).isEqualTo(800);
            assertThat(s.frameRate()).isNull();
            assertThat(s.durationSeconds()).isNull();
        });
    }

    @Test
    void audioOnlyIsOneAudioStream() throws Exception {
        MediaInfo info = MediaProbe.probe(TestMedia.audioOnly());
        assertThat(info.streams()).singleElement().satisfies(s -> {
            assertThat(s.kind()).isEqualTo("audio");
            assertThat(s.codec()).isEqualTo("aac");
            assertThat(s.sampleRate()).isEqualTo(44_100);
            assertThat(s.channels()).isEqualTo(1);
            assertThat(s.width()).isNull();
        });
    }
}
