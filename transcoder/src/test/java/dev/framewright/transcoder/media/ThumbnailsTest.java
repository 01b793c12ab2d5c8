package dev.framewright.transcoder.media;

import static dev.framewright.transcoder.media.StillsTestMedia.COUNTER_FPS;
import static dev.framewright.transcoder.media.StillsTestMedia.COUNTER_FRAMES;
import static dev.framewright.transcoder.media.StillsTestMedia.COUNTER_GOP;
import static dev.framewright.transcoder.media.StillsTestMedia.frameNumber;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import dev.framewright.events.FailureCode;
import dev.framewright.events.ImageFormat;
import dev.framewright.events.MediaInfo;
import dev.framewright.events.OutputType;
import dev.framewright.events.ThumbnailsOutput;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ThumbnailsTest {

    private static final Pattern CUE = Pattern.compile(
            "(\\d+)\\n(\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d{3}) --> (\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d{3})\\n"
                    + "([^#\\n]+)#xywh=(\\d+),(\\d+),(\\d+),(\\d+)\\n");

    @Test
    void everyNSecondsSeeksToKeyFramesAndDecodesAFrameAStill() throws Exception {
        Path dir = TestMedia.output("every");
        Thumbnails.Stats stats = new Thumbnails.Stats();
        List<Double> progress = new ArrayList<>();
        RenderedOutput out = Thumbnails.render(StillsTestMedia.counterClip(),
                new ThumbnailsOutput("thumbs", 2.0, null, null, null, null), dir, (s, fps) -> progress.add(s), stats);

        assertThat(out.name()).isEqualTo("thumbs");
        assertThat(out.type()).isEqualTo(OutputType.THUMBNAILS);
        // 8 s every 2 s: 0, 2, 4, 6
        assertThat(out.files()).extracting(RenderedOutput.File::path)
                .containsExactly("thumb-00001.jpg", "thumb-00002.jpg", "thumb-00003.jpg", "thumb-00004.jpg");
        assertThat(out.files()).allSatisfy(f -> assertThat(f.contentType()).isEqualTo("image/jpeg"));
        for (int i = 0; i < 4; i++) {
            BufferedImage still = StillsTestMedia.read(out.files().get(i).local());
            assertThat(still.getWidth()).isEqualTo(160); // default width, 16:9 -> 90
            assertThat(still.getHeight()).isEqualTo(90);
            // key frames fall on every second, so the still at t is exactly the frame of t
            assertThat(frameNumber(still)).as("frame of still %d", i + 1).isEqualTo(i * 2 * COUNTER_FPS);
        }
        assertThat(out.media().videoCodec()).isEqualTo("mjpeg");
        assertThat(out.media().width()).isEqualTo(160);
        assertThat(out.media().height()).isEqualTo(90);

        // one packet and one frame per still, against 80 frames in the clip
        assertThat(stats.stills).isEqualTo(4);
        assertThat(stats.sequential).isFalse();
        assertThat(stats.framesDecoded).isLessThanOrEqualTo(2L * stats.stills).isLessThan(COUNTER_FRAMES / 8);
        assertThat(stats.packetsSent).isLessThanOrEqualTo(2L * stats.stills).isLessThan(COUNTER_FRAMES / 8);

        assertThat(progress).containsExactly(0.0, 2.0, 4.0, 6.0);
    }

    @Test
    void countSpreadsStillsEvenlyAndEachShowsTheKeyFrameAtOrBeforeItsTime() throws Exception {
        Path input = StillsTestMedia.counterClip();
        double duration = MediaProbe.probe(input).durationSeconds();
        Thumbnails.Stats stats = new Thumbnails.Stats();
        RenderedOutput out = Thumbnails.render(input,
                new ThumbnailsOutput("t", null, 3, 100, ImageFormat.PNG, false), TestMedia.output("count"),
                ProgressListener.NONE, stats);

        assertThat(out.files()).extracting(RenderedOutput.File::path)
                .containsExactly("thumb-00001.png", "thumb-00002.png", "thumb-00003.png");
        for (int i = 0; i < 3; i++) {
            BufferedImage still = StillsTestMedia.read(out.files().get(i).local());
            assertThat(still.getWidth()).isEqualTo(100);
            assertThat(still.getHeight()).isEqualTo(56); // 100 * 108 / 192 = 56.25, even
            double t = i * duration / 3;
            int frame = frameNumber(still);
            double shown = (double) frame / COUNTER_FPS;
            assertThat(frame % COUNTER_GOP).as("still %d is a key frame", i + 1).isZero();
            assertThat(shown).as("still %d at %.3f s", i + 1, t).isLessThanOrEqualTo(t + 1e-6)
                    .isGreaterThan(t - (double) COUNTER_GOP / COUNTER_FPS);
        }
        assertThat(out.media().videoCodec()).isEqualTo("png");
        assertThat(stats.framesDecoded).isLessThanOrEqualTo(6);
    }

    @Test
    void spriteIsAGridOfTheStillsAndTheVttPointsAtEachTile() throws Exception {
        Path input = StillsTestMedia.counterClip();
        double duration = MediaProbe.probe(input).durationSeconds();
        RenderedOutput out = Thumbnails.render(input, null,
                new ThumbnailsOutput("t", null, 12, 64, null, true), TestMedia.output("sprite"), null);

        List<String> paths = out.files().stream().map(RenderedOutput.File::path).toList();
        assertThat(paths).hasSize(14).startsWith("thumb-00001.jpg").endsWith("sprite.jpg", "thumbnails.vtt");
        assertThat(out.files().get(13).contentType()).isEqualTo("text/vtt");
        assertThat(out.files().get(12).contentType()).isEqualTo("image/jpeg");

        // 12 stills of 64x36 in 10 columns: 2 rows
        BufferedImage sprite = StillsTestMedia.read(out.files().get(12).local());
        assertThat(sprite.getWidth()).isEqualTo(10 * 64);
        assertThat(sprite.getHeight()).isEqualTo(2 * 36);

        String vtt = StillsTestMedia.text(out.files().get(13).local());
        assertThat(vtt).startsWith("WEBVTT\n\n");
        Matcher m = CUE.matcher(vtt);
        int cues = 0;
        double previousEnd = 0;
        while (m.find()) {
            int i = cues++;
            assertThat(Integer.parseInt(m.group(1))).isEqualTo(i + 1);
            double start = seconds(m, 2);
            double end = seconds(m, 6);
            assertThat(start).isCloseTo(i * duration / 12, within(0.001)).isCloseTo(previousEnd, within(0.001));
            assertThat(end).isCloseTo(i == 11 ? duration : (i + 1) * duration / 12, within(0.001));
            previousEnd = end;
            assertThat(m.group(10)).isEqualTo("sprite.jpg");
            int x = Integer.parseInt(m.group(11));
            int y = Integer.parseInt(m.group(12));
            int w = Integer.parseInt(m.group(13));
            int h = Integer.parseInt(m.group(14));
            assertThat(new int[] {x, y, w, h}).containsExactly((i % 10) * 64, (i / 10) * 36, 64, 36);
            assertThat(x + w).isLessThanOrEqualTo(sprite.getWidth());
            assertThat(y + h).isLessThanOrEqualTo(sprite.getHeight());
            // the tile shows the same frame as its still
            BufferedImage still = StillsTestMedia.read(out.files().get(i).local());
            assertThat(frameNumber(sprite.getSubimage(x, y, w, h))).isEqualTo(frameNumber(still));
        }
        assertThat(cues).isEqualTo(12);
        assertThat(vtt.replaceAll(CUE.pattern(), "").trim()).isEqualTo("WEBVTT");
    }

    @Test
    void webpStillsAndSprite() throws Exception {
        RenderedOutput out = Thumbnails.render(StillsTestMedia.counterClip(), null,
                new ThumbnailsOutput("t", 4.0, null, 80, ImageFormat.WEBP, true), TestMedia.output("webp"), null);
        assertThat(out.files()).extracting(RenderedOutput.File::path)
                .containsExactly("thumb-00001.webp", "thumb-00002.webp", "sprite.webp", "thumbnails.vtt");
        assertThat(out.files().get(0).contentType()).isEqualTo("image/webp");
        assertThat(out.media().videoCodec()).isEqualTo("webp");
        BufferedImage second = StillsTestMedia.decode(out.files().get(1).local());
        assertThat(second.getWidth()).isEqualTo(80);
        assertThat(second.getHeight()).isEqualTo(46); // 45 rounds half up to even 46
        assertThat(frameNumber(second)).isEqualTo(40);
        BufferedImage sprite = StillsTestMedia.decode(out.files().get(2).local());
        assertThat(sprite.getWidth()).isEqualTo(160);
        assertThat(sprite.getHeight()).isEqualTo(46);
        assertThat(StillsTestMedia.text(out.files().get(3).local()))
                .contains("00:00:04.000 --> 00:00:08.000\nsprite.webp#xywh=80,0,80,46\n");
    }

    @Test
    void keyFrameStillsFromMpegTsAndWebm() throws Exception {
        // MPEG-TS seeks land after the key frame: the still must still be the key frame at or before t
        for (String format : List.of("mpegts", "webm")) {
            Thumbnails.Stats stats = new Thumbnails.Stats();
            RenderedOutput out = Thumbnails.render(StillsTestMedia.counterClipAs(format),
                    new ThumbnailsOutput("t", 2.0, null, null, null, null), TestMedia.output(format),
                    ProgressListener.NONE, stats);
            List<Integer> frames = new ArrayList<>();
            for (RenderedOutput.File f : out.files()) {
                frames.add(frameNumber(StillsTestMedia.read(f.local())));
            }
            assertThat(frames).as(format).containsExactly(0, 20, 40, 60);
            assertThat(stats.sequential).isFalse();
            assertThat(stats.framesDecoded).as(format).isLessThanOrEqualTo(2L * stats.stills);
            assertThat(stats.packetsSent).as(format).isLessThanOrEqualTo(2L * stats.stills);
        }
    }

    @Test
    void aRawStreamWithoutTimestampsIsDecodedInOrder() throws Exception {
        Path input = StillsTestMedia.counterClipAs("h264");
        MediaInfo info = MediaProbe.probe(input);
        assertThat(info.durationSeconds()).isNull();
        double fps = info.frameRate(); // what FFmpeg assumes for a raw stream
        Thumbnails.Stats stats = new Thumbnails.Stats();
        RenderedOutput out = Thumbnails.render(input, new ThumbnailsOutput("t", 2.0, null, null, null, true),
                TestMedia.output("raw"), ProgressListener.NONE, stats);
        assertThat(stats.sequential).isTrue();
        List<RenderedOutput.File> stills = out.files().stream().filter(f -> f.path().startsWith("thumb-")).toList();
        int expected = (int) Math.ceil(COUNTER_FRAMES / fps / 2.0);
        assertThat(stills).hasSize(expected);
        for (int i = 0; i < stills.size(); i++) {
            assertThat(frameNumber(StillsTestMedia.read(stills.get(i).local()))).isEqualTo((int) Math.round(i * 2 * fps));
        }
        assertThat(StillsTestMedia.text(out.files().get(out.files().size() - 1).local()).split("-->")).hasSize(expected + 1);
    }

    @Test
    void aVideoShorterThanTheIntervalHasOneStillAtZero() throws Exception {
        RenderedOutput out = Thumbnails.render(TestMedia.colour43(), null,
                new ThumbnailsOutput("t", null, null, null, null, null), TestMedia.output("short"), null);
        assertThat(out.files()).extracting(RenderedOutput.File::path).containsExactly("thumb-00001.jpg");
        MediaInfo info = MediaProbe.probe(out.files().get(0).local());
        assertThat(info.width()).isEqualTo(160);
        assertThat(info.height()).isEqualTo(120);
        TestMedia.assertFlatColour(out.files().get(0).local());
    }

    @Test
    void imagesAndAudioAreInvalidOutput() throws Exception {
        for (Path input : List.of(TestMedia.png1200x800(), TestMedia.audioOnly())) {
            Path dir = TestMedia.output("invalid");
            MediaException e = catchThrowableOfType(MediaException.class, () -> Thumbnails.render(input, null,
                    new ThumbnailsOutput("t", null, null, null, null, null), dir, null));
            assertThat(e).as(input.toString()).isNotNull();
            assertThat(e.code()).isEqualTo(FailureCode.INVALID_OUTPUT);
            assertThat(e.getMessage()).contains(input.getFileName().toString());
            assertThat(Files.exists(dir) ? listed(dir) : List.of()).isEmpty();
        }
    }

    @Test
    void badParametersAreInvalidOutput() {
        Path input = StillsTestMedia.counterClip();
        for (ThumbnailsOutput spec : List.of(new ThumbnailsOutput("t", 0.0, null, null, null, null),
                new ThumbnailsOutput("t", null, 0, null, null, null),
                new ThumbnailsOutput("t", null, null, 0, null, null),
                new ThumbnailsOutput("t", 0.001, null, null, null, null))) {
            MediaException e = catchThrowableOfType(MediaException.class,
                    () -> Thumbnails.render(input, null, spec, TestMedia.output("bad"), null));
            assertThat(e).as(spec.toString()).isNotNull();
            assertThat(e.code()).isEqualTo(FailureCode.INVALID_OUTPUT);
        }
    }

    @Test
    void anInterruptedThreadCancelsAndLeavesNoFiles() throws Exception {
        Path dir = TestMedia.output("cancel");
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> Thumbnails.render(StillsTestMedia.counterClip(), null,
                    new ThumbnailsOutput("t", 1.0, null, null, null, true), dir, null))
                    .isInstanceOf(CancellationException.class);
            assertThat(Thread.currentThread().isInterrupted()).as("interrupt kept").isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(Files.exists(dir) ? listed(dir) : List.of()).isEmpty();
    }

    @Test
    void vttTimes() {
        assertThat(Thumbnails.vttTime(0)).isEqualTo("00:00:00.000");
        assertThat(Thumbnails.vttTime(3661.5)).isEqualTo("01:01:01.500");
        assertThat(Thumbnails.vttTime(59.9996)).isEqualTo("00:01:00.000");
    }

    private static double seconds(Matcher m, int group) {
        return Integer.parseInt(m.group(group)) * 3600 + Integer.parseInt(m.group(group + 1)) * 60
                + Integer.parseInt(m.group(group + 2)) + Integer.parseInt(m.group(group + 3)) / 1000.0;
    }

    private static List<Path> listed(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
