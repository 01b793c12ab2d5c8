package dev.framewright.transcoder.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.framewright.events.InputObject;
import dev.framewright.events.JobProgress;
import dev.framewright.events.JobRequested;
import dev.framewright.events.VideoOutput;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {

    private final FakeClock clock = new FakeClock();
    private final List<JobProgress> sent = new ArrayList<>();
    private final JobRequested job = JobRequested.simple(UUID.randomUUID(), UUID.randomUUID(), "t", Instant.now(),
            new InputObject("uploads/t/x", "x.mp4", "video/mp4", 10), List.of(VideoOutput.of("a", 640, null)));

    @Test
    void etaIsMediaLeftOverMeasuredSpeedAndNullUntilMeasured() {
        ProgressReporter p = new ProgressReporter(sent::add, job, 1, Duration.ofSeconds(1), clock, null);
        p.stage("probing", 2);
        p.mediaDuration(100.0);
        p.render("transcoding", 0, 0, Map.of("a", 0.0));
        assertThat(last().etaSeconds()).isNull();
        clock.advance(Duration.ofMillis(500));
        assertThat(p.eta(5)).as("not measured for a second yet").isNull();
        clock.advance(Duration.ofMillis(1500)); // 2 s in, 20 media seconds done: 10 media s per s
        p.render("transcoding", 20, 250, Map.of("a", 20.0));
        assertThat(last().etaSeconds()).isCloseTo(8.0, within(0.01)); // 80 s of media left at 10x
        assertThat(last().percent()).isCloseTo(3 + 92 * 0.2, within(0.1));
        assertThat(last().outputs()).containsEntry("a", 20.0);
        assertThat(last().fps()).isEqualTo(250.0);

        // A new stage measures its own speed from scratch.
        clock.advance(Duration.ofSeconds(1));
        p.render("stills", 0, 0, Map.of("a", 100.0));
        assertThat(last().stage()).isEqualTo("stills");
        assertThat(last().etaSeconds()).isNull();
    }

    @Test
    void stillImagesHaveNoEta() {
        ProgressReporter p = new ProgressReporter(sent::add, job, 1, Duration.ofSeconds(1), clock, null);
        p.render("stills", 0, 0, Map.of());
        clock.advance(Duration.ofSeconds(5));
        assertThat(p.eta(1)).isNull();
    }

    @Test
    void throttlesToTheIntervalAndNeverGoesBackwards() {
        ProgressReporter p = new ProgressReporter(sent::add, job, 1, Duration.ofSeconds(1), clock, 10.0);
        p.render("transcoding", 0, 0, Map.of("a", 0.0));
        for (int i = 1; i <= 100; i++) { // 100 callbacks over 2 s
            clock.advance(Duration.ofMillis(20));
            p.render("transcoding", i * 0.1, 25, Map.of("a", (double) i));
        }
        assertThat(sent).hasSizeBetween(2, 4);
        p.render("transcoding", 0, 25, Map.of("a", 1.0)); // a late, lower callback
        clock.advance(Duration.ofSeconds(2));
        p.render("transcoding", 0, 25, Map.of("a", 1.0));
        for (int i = 1; i < sent.size(); i++) {
            assertThat(sent.get(i).percent()).isGreaterThanOrEqualTo(sent.get(i - 1).percent());
        }
        p.stage("uploading", ProgressReporter.RENDER_TO);
        assertThat(last().stage()).isEqualTo("uploading");
        assertThat(last().percent()).isEqualTo(95.0);
    }

    private JobProgress last() {
        return sent.get(sent.size() - 1);
    }
}
