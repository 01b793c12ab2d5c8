package dev.framewright.transcoder.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.framewright.events.MediaInfo;
import dev.framewright.events.StreamInfo;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.ffmpeg.global.avcodec;
import org.junit.jupiter.api.Test;

/** The subtitle streams of real muxed files: what the probe says of them, and the cues decoded from them. */
class CaptionsTest {

    /** Half a frame at 25 fps: cue times are kept to the millisecond, containers round to their time base. */
    private static final double TOLERANCE = 0.02;

    @Test
    void theProbeListsEverySubtitleStreamWithLanguageCodecAndFlags() throws Exception {
        MediaInfo info = MediaProbe.probe(CaptionTestMedia.mkvWithSrtAndAss());
        assertThat(info.streams()).extracting(StreamInfo::kind)
                .containsExactly("video", "audio", "subtitle", "subtitle");
        StreamInfo en = info.streams().get(2);
        assertThat(en.codec()).isEqualTo("subrip");
        assertThat(en.language()).isEqualTo("eng");
        assertThat(en.title()).isEqualTo("English");
        assertThat(en.defaultTrack()).isTrue();
        assertThat(en.forced()).isFalse();
        assertThat(en.subtitleType()).isEqualTo("text");
        assertThat(en.isTextSubtitle()).isTrue();
        StreamInfo fr = info.streams().get(3);
        assertThat(fr.codec()).isEqualTo("ass");
        assertThat(fr.language()).isEqualTo("fra");
        assertThat(fr.title()).isNull();
        assertThat(fr.defaultTrack()).isFalse();
        assertThat(fr.forced()).isTrue();
        assertThat(fr.subtitleType()).isEqualTo("text");
        // other streams carry no subtitle facts
        assertThat(info.streams().get(0).subtitleType()).isNull();
        assertThat(info.streams().get(1).defaultTrack()).isNull();

        MediaInfo mp4 = MediaProbe.probe(CaptionTestMedia.mp4WithMovText());
        assertThat(mp4.streams()).hasSize(3);
        assertThat(mp4.streams().get(2)).satisfies(s -> {
            assertThat(s.kind()).isEqualTo("subtitle");
            assertThat(s.codec()).isEqualTo("mov_text");
            assertThat(s.language()).isEqualTo("eng");
            assertThat(s.subtitleType()).isEqualTo("text");
        });
    }

    @Test
    void subripAndAssBecomeCuesWithTheirTimesAndPlainText() throws Exception {
        Captions.Extracted x = Captions.extract(CaptionTestMedia.mkvWithSrtAndAss());
        double offset = CaptionTestMedia.videoStart(CaptionTestMedia.mkvWithSrtAndAss());
        assertThat(offset).as("AAC priming in Matroska").isBetween(0.0, 0.03);
        assertThat(x.skipped()).isEmpty();
        assertThat(x.tracks()).hasSize(2);
        Captions.Track en = x.tracks().get(0);
        assertThat(en.number()).isZero();
        assertThat(en.streamIndex()).isEqualTo(2);
        assertThat(en.baseName()).isEqualTo("0-eng");
        assertThat(en.isDefault()).isTrue();
        assertCues(en.cues(), CaptionTestMedia.ENGLISH, offset);
        Captions.Track fr = x.tracks().get(1);
        assertThat(fr.baseName()).isEqualTo("1-fra");
        assertThat(fr.codec()).isEqualTo("ass");
        assertThat(fr.forced()).isTrue();
        assertCues(fr.cues(), CaptionTestMedia.FRENCH, offset);
    }

    @Test
    void movTextBecomesCuesWithTheirTimes() throws Exception {
        Captions.Extracted x = Captions.extract(CaptionTestMedia.mp4WithMovText());
        double offset = CaptionTestMedia.videoStart(CaptionTestMedia.mp4WithMovText());
        assertThat(x.tracks()).singleElement().satisfies(t -> {
            assertThat(t.codec()).isEqualTo("mov_text");
            assertThat(t.baseName()).isEqualTo("0-eng");
            assertCues(t.cues(), CaptionTestMedia.ENGLISH, offset);
        });
    }

    @Test
    void webVttInMatroskaKeepsItsTimesAndLosesItsTags() throws Exception {
        Path input = CaptionTestMedia.mkvWithWebVtt();
        assertThat(MediaProbe.probe(input).streams().get(2).codec()).isEqualTo("webvtt");
        Captions.Extracted x = Captions.extract(input);
        assertThat(x.tracks()).singleElement().satisfies(t -> {
            assertThat(t.baseName()).isEqualTo("0-spa");
            assertCues(t.cues(), CaptionTestMedia.SPANISH, CaptionTestMedia.videoStart(input));
        });
    }

    @Test
    void aFileWithoutSubtitlesHasNone() throws Exception {
        Captions.Extracted x = Captions.extract(TestMedia.clip320WithAudio());
        assertThat(x.tracks()).isEmpty();
        assertThat(x.skipped()).isEmpty();
    }

    @Test
    void bitmapCodecsAreToldApartFromTextOnes() {
        assertThat(MediaProbe.subtitleType(avcodec.AV_CODEC_ID_HDMV_PGS_SUBTITLE)).isEqualTo("bitmap");
        assertThat(MediaProbe.subtitleType(avcodec.AV_CODEC_ID_DVB_SUBTITLE)).isEqualTo("bitmap");
        assertThat(MediaProbe.subtitleType(avcodec.AV_CODEC_ID_DVD_SUBTITLE)).isEqualTo("bitmap");
        assertThat(MediaProbe.subtitleType(avcodec.AV_CODEC_ID_WEBVTT)).isEqualTo("text");
        assertThat(MediaProbe.subtitleType(avcodec.AV_CODEC_ID_MOV_TEXT)).isEqualTo("text");
        assertThat(MediaProbe.subtitleType(avcodec.AV_CODEC_ID_SSA)).isEqualTo("text");
    }

    @Test
    void assTextLosesOverrideTagsAndKeepsLineBreaks() {
        assertThat(Captions.assText("3,0,Default,,0,0,0,,{\\i1}a, b{\\i0}\\Nc <d>")).isEqualTo("a, b\nc &lt;d&gt;");
        assertThat(Captions.assText("3,0,Default,,0,0,0,,{\\an8}")).isEmpty();
        assertThat(Captions.timestamp(3723.4567)).isEqualTo("01:02:03.457");
    }

    /** @param offset seconds the cues lie later in the input's timeline than written, see videoStart */
    static void assertCues(List<Captions.Cue> cues, List<Object[]> expected, double offset) {
        assertThat(cues).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            Captions.Cue c = cues.get(i);
            Object[] e = expected.get(i);
            assertThat(c.start()).as("start of cue %d", i).isCloseTo((Double) e[0] + offset, within(TOLERANCE));
            assertThat(c.end()).as("end of cue %d", i).isCloseTo((Double) e[1] + offset, within(TOLERANCE));
            assertThat(c.text()).as("text of cue %d", i).isEqualTo(e[2]);
        }
    }
}
