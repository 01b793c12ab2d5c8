package dev.framewright.transcoder.media;

import dev.framewright.events.CaptionsOutput;
import dev.framewright.events.VideoOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What reading the subtitles costs beside what a job does anyway: a minute of media with 600 subrip cues, the cue
 * extraction alone (one pass over every packet), a whole captions output, and a stream copy of the same file (the
 * cheapest output there is: read and write every packet). Not a test: run with {@code -Dbench=true
 * -Dtest=CaptionsCostBench}; it prints its figures.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class CaptionsCostBench {

    @Test
    void printCosts() throws Exception {
        Path input = CaptionTestMedia.longMkv(600);
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            Captions.Extracted x = Captions.extract(input);
            long t1 = System.nanoTime();
            MediaPipelineTestSupport.render(input, List.of(new CaptionsOutput("subs")));
            long t2 = System.nanoTime();
            MediaPipelineTestSupport.render(input, List.of(VideoOutput.of("copy", null, null)));
            long t3 = System.nanoTime();
            System.out.printf(Locale.ROOT, "BENCH %d cues, %.1f MB: extraction %.3f s, captions output %.3f s, "
                    + "stream copy %.3f s%n", x.tracks().get(0).cues().size(), Files.size(input) / 1e6,
                    (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9);
        }
    }
}
