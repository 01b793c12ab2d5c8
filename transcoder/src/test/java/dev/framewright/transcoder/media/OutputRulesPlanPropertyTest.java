package dev.framewright.transcoder.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.events.AudioOutput;
import dev.framewright.events.Container;
import dev.framewright.events.HlsOutput;
import dev.framewright.events.ImageOutput;
import dev.framewright.events.OutputSpec;
import dev.framewright.events.Overlay;
import dev.framewright.events.PreviewOutput;
import dev.framewright.events.ThumbnailsOutput;
import dev.framewright.events.VideoOutput;
import dev.framewright.events.rules.OutputRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rulebook's promise, as a property: for thousands of random specs, values drawn around every limit, a spec the
 * contract's {@link OutputRules} accepts (the API's 202) is one the transcoder's plan builders accept for a real,
 * probed input, as long as it asks nothing of the input the input cannot give (a trim inside the input, an overlay
 * inside the picture: what only the transcoder can know). And what the rulebook refuses, the plan builders refuse
 * too, so a record that skipped the API gains nothing.
 */
class OutputRulesPlanPropertyTest {

    private static final int SPECS = 4000;
    private static OutputPlans.Source source;
    private static Map<String, Path> overlays;

    @BeforeAll
    static void probe() throws Exception {
        Path clip = TestMedia.clip320WithAudio();
        FFmpegFrameGrabber grabber = FFmpegSupport.open(clip, null);
        try {
            source = MediaPipeline.source(grabber, MediaProbe.probe(clip), PictureGeometry.of(grabber),
                    PictureColour.of(grabber));
        } finally {
            FFmpegSupport.closeQuietly(grabber);
        }
        assertThat(source.video()).isTrue();
        assertThat(source.durationSeconds()).isGreaterThan(2);
        Path logo = TestMedia.squarePng(0xff0000);
        assertThat(Files.exists(logo)).isTrue();
        overlays = Map.of("logo", logo);
    }

    @Test
    void whatTheRulebookAcceptsThePlanBuildersAccept() {
        Random random = new Random(20240612);
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < SPECS; i++) {
            OutputSpec spec = randomSpec(random);
            boolean valid = OutputRules.check(List.of(spec)).isEmpty();
            MediaException planned = plan(spec);
            if (valid) {
                accepted++;
                assertThat(planned).as("accepted by the rulebook, refused by the transcoder: %s", spec).isNull();
            } else {
                refused++;
                assertThat(planned).as("refused by the rulebook, planned by the transcoder: %s", spec).isNotNull();
            }
        }
        // The generator really visits both sides of every limit.
        assertThat(accepted).isGreaterThan(SPECS / 5);
        assertThat(refused).isGreaterThan(SPECS / 5);
    }

    /** Null when the transcoder would plan the output; the parameter checks of thumbnails and image included. */
    private static MediaException plan(OutputSpec spec) {
        try {
            if (spec instanceof VideoOutput v) {
                OutputPlans.video(v, source, overlays);
            } else if (spec instanceof HlsOutput h) {
                OutputPlans.hls(h, source);
            } else if (spec instanceof AudioOutput a) {
                OutputPlans.audio(a, source);
            } else if (spec instanceof PreviewOutput p) {
                OutputPlans.preview(p, source);
            } else {
                OutputPlans.checkRules(spec); // what Thumbnails.render and ImageRenderer.render check first
                if (spec instanceof ThumbnailsOutput t) {
                    Thumbnails.times(t.count(), t.everySeconds(), source.durationSeconds());
                }
            }
            return null;
        } catch (MediaException e) {
            return e;
        }
    }

    private static OutputSpec randomSpec(Random r) {
        String name = r.nextInt(40) == 0 ? pick(r, "../x", "A", "", "a/b") : "o" + r.nextInt(1000);
        switch (r.nextInt(6)) {
            case 0: {
                Container container = r.nextBoolean() ? null : pick(r, Container.MP4, Container.WEBM);
                Overlay overlay = r.nextInt(3) == 0 ? overlay(r) : null;
                return new VideoOutput(name, container, size(r, 2, 8192), size(r, 2, 8192),
                        real(r, 0, 120), integer(r, 0, container == Container.WEBM ? 63 : 51),
                        integer(r, 50, 100_000), r.nextBoolean() ? null : r.nextBoolean(),
                        within(r, source.durationSeconds()), real(r, 0, 1e7), overlay);
            }
            case 1: {
                List<HlsOutput.Rendition> renditions = null;
                if (r.nextBoolean()) {
                    renditions = new ArrayList<>();
                    int n = r.nextInt(20) == 0 ? pick(r, 0, 9) : 1 + r.nextInt(8);
                    for (int i = 0; i < n; i++) {
                        Integer h = integer(r, 16, 4320);
                        Integer kbps = integer(r, 50, 100_000);
                        renditions.add(new HlsOutput.Rendition(h == null ? 100 + 10 * i : h,
                                kbps == null ? 800 : kbps));
                    }
                }
                return new HlsOutput(name, renditions, boundedReal(r, 1, 60));
            }
            case 2:
                return new AudioOutput(name, r.nextBoolean() ? null : pick(r, AudioOutput.Codec.AAC,
                        AudioOutput.Codec.MP3), integer(r, 8, 512));
            case 3:
                return new PreviewOutput(name, null, within(r, source.durationSeconds()), real(r, 0, 30),
                        integer(r, 16, 1920), real(r, 0, 50));
            case 4: {
                boolean count = r.nextBoolean();
                return new ThumbnailsOutput(name, count && r.nextInt(10) > 0 ? null : real(r, 0.01, 86_400),
                        count ? integer(r, 1, 2000) : null, integer(r, 2, 3840), null, null);
            }
            default:
                return new ImageOutput(name, integer(r, 1, 8192), integer(r, 1, 8192), null,
                        r.nextBoolean() ? null : r.nextDouble() * 1e7 * (r.nextInt(20) == 0 ? -1 : 1.0), null);
        }
    }

    /** An overlay inside any picture the generator asks for (the picture is at least 2x2). */
    private static Overlay overlay(Random r) {
        boolean xy = r.nextBoolean();
        Integer x = xy ? r.nextInt(2) : null;
        Integer y = xy && r.nextInt(20) > 0 ? Integer.valueOf(r.nextInt(2)) : xy ? null : null;
        Double start = r.nextBoolean() ? null : r.nextInt(10) == 0 ? -1.0 : r.nextDouble() * 5;
        Double end = r.nextBoolean() ? null : r.nextInt(10) == 0 ? 0.0 : 5 + r.nextDouble() * 5;
        Double opacity = r.nextBoolean() ? null : r.nextDouble() * 1.2;
        return new Overlay("logo", null, x, y, r.nextBoolean() ? null : r.nextInt(10) - 1,
                r.nextBoolean() ? null : 1 + r.nextInt(2) - (r.nextInt(20) == 0 ? 1 : 0), opacity, start, end);
    }

    /** Null, or a value around [min, max]: on an edge, just past one, or inside. */
    private static Integer integer(Random r, int min, int max) {
        return switch (r.nextInt(8)) {
            case 0, 1 -> null;
            case 2 -> min;
            case 3 -> max;
            case 4 -> min - 1 - r.nextInt(3);
            case 5 -> max + 1 + r.nextInt(1000);
            default -> min + r.nextInt(max - min + 1);
        };
    }

    /** A picture side: small ones most of the time, so that sizes stay cheap, edges as in {@link #integer}. */
    private static Integer size(Random r, int min, int max) {
        return r.nextInt(3) == 0 ? integer(r, min, max) : r.nextBoolean() ? null : min + r.nextInt(640);
    }

    /** Null, or a number around (min, max]: 0 or below, the max, past it, inside, NaN now and then. */
    private static Double real(Random r, double min, double max) {
        return switch (r.nextInt(9)) {
            case 0, 1 -> null;
            case 2 -> min;
            case 3 -> max;
            case 4 -> max * (1 + r.nextDouble()) + 0.5;
            case 5 -> r.nextInt(4) == 0 ? Double.NaN : -r.nextDouble();
            default -> min + (max - min) * r.nextDouble();
        };
    }

    /** As {@link #real}, with an inclusive minimum. */
    private static Double boundedReal(Random r, double min, double max) {
        Double v = real(r, min, max);
        return v != null && v == min && r.nextBoolean() ? Double.valueOf(min - 0.5) : v;
    }

    /** A trim start inside the input (or past the rulebook's bounds): only the transcoder knows the input's end. */
    private static Double within(Random r, double duration) {
        return switch (r.nextInt(6)) {
            case 0, 1 -> null;
            case 2 -> 0.0;
            case 3 -> -1.0;
            case 4 -> Double.POSITIVE_INFINITY;
            default -> r.nextDouble() * (duration - 0.5);
        };
    }

    @SafeVarargs
    private static <T> T pick(Random r, T... values) {
        return values[r.nextInt(values.length)];
    }
}
