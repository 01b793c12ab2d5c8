package dev.framewright.api.job;

import dev.framewright.api.problem.Problem.FieldError;
import dev.framewright.events.AudioOutput;
import dev.framewright.events.Container;
import dev.framewright.events.HlsOutput;
import dev.framewright.events.ImageOutput;
import dev.framewright.events.Loudness;
import dev.framewright.events.OutputSpec;
import dev.framewright.events.Overlay;
import dev.framewright.events.PreviewOutput;
import dev.framewright.events.ThumbnailsOutput;
import dev.framewright.events.VideoOutput;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The limits of each output kind, checked before anything is stored or queued. The contract's records carry no
 * constraints (they are shared with the transcoder), so the API states its limits here, naming each field as the
 * client wrote it.
 */
final class OutputChecks {

    static final int MAX_SIDE = 8192;

    private final List<FieldError> errors;

    OutputChecks(List<FieldError> errors) {
        this.errors = errors;
    }

    void check(List<OutputSpec> outputs) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < outputs.size(); i++) {
            OutputSpec output = outputs.get(i);
            if (output == null) {
                continue; // reported by the bean constraints
            }
            String at = "outputs[" + i + "]";
            if (output.name() == null) {
                error(at + ".name", "is required");
            } else if (!OutputSpec.NAME.matcher(output.name()).matches()) {
                error(at + ".name", "must match " + OutputSpec.NAME.pattern());
            } else if (!names.add(output.name())) {
                error(at + ".name", "'" + output.name() + "' is used twice; output names are unique in a job");
            }
            check(at, output);
        }
    }

    private void check(String at, OutputSpec output) {
        if (output instanceof VideoOutput v) {
            range(at + ".width", v.width(), 2, MAX_SIDE);
            range(at + ".height", v.height(), 2, MAX_SIDE);
            positive(at + ".fps", v.fps(), 240);
            range(at + ".crf", v.crf(), 0, v.container() == Container.WEBM ? 63 : 51);
            range(at + ".bitrate_kbps", v.bitrateKbps(), 1, 200_000);
            range(at + ".start", v.start(), 0, 1e7);
            positive(at + ".duration", v.duration(), 1e7);
            if (v.overlay() != null) {
                overlay(at + ".overlay", v.overlay());
            }
            audio(at, v.audioTrack(), v.loudness());
        } else if (output instanceof HlsOutput h) {
            positive(at + ".segment_seconds", h.segmentSeconds(), 60);
            audio(at, h.audioTrack(), h.loudness());
            if (h.renditions() != null) {
                if (h.renditions().isEmpty() || h.renditions().size() > 8) {
                    error(at + ".renditions", "must list 1 to 8 renditions, or be left out for the default ladder");
                }
                Set<Integer> heights = new HashSet<>();
                for (int r = 0; r < h.renditions().size(); r++) {
                    HlsOutput.Rendition rendition = h.renditions().get(r);
                    String rat = at + ".renditions[" + r + "]";
                    if (rendition == null) {
                        error(rat, "must be an object {height, bitrate_kbps}");
                        continue;
                    }
                    range(rat + ".height", rendition.height(), 2, 4320);
                    range(rat + ".bitrate_kbps", rendition.bitrateKbps(), 1, 200_000);
                    if (!heights.add(rendition.height())) {
                        error(rat + ".height", rendition.height() + " is listed twice");
                    }
                }
            }
        } else if (output instanceof ThumbnailsOutput t) {
            positive(at + ".every_seconds", t.everySeconds(), 86_400);
            range(at + ".count", t.count(), 1, 1000);
            if (t.everySeconds() != null && t.count() != null) {
                error(at + ".count", "give either every_seconds or count, not both");
            }
            range(at + ".width", t.width(), 2, 4096);
        } else if (output instanceof ImageOutput im) {
            range(at + ".width", im.width(), 2, MAX_SIDE);
            range(at + ".height", im.height(), 2, MAX_SIDE);
            range(at + ".at_seconds", im.atSeconds(), 0, 1e7);
        } else if (output instanceof AudioOutput a) {
            range(at + ".bitrate_kbps", a.bitrateKbps(), 8, 512);
            audio(at, a.audioTrack(), a.loudness());
        } else if (output instanceof PreviewOutput p) {
            range(at + ".start", p.start(), 0, 1e7);
            positive(at + ".duration", p.duration(), 60);
            range(at + ".width", p.width(), 2, 1920);
            positive(at + ".fps", p.fps(), 60);
        }
    }

    /** audio_track and loudness, on video, hls and audio outputs; the limits are the contract's. */
    private void audio(String at, String audioTrack, Loudness loudness) {
        if (audioTrack != null && !Loudness.AUDIO_TRACK.matcher(audioTrack).matches()) {
            error(at + ".audio_track", "must be a 0-based audio track index or an ISO 639 language code");
        }
        if (loudness != null) {
            range(at + ".loudness.target_lufs", loudness.targetLufs(), Loudness.MIN_TARGET_LUFS,
                    Loudness.MAX_TARGET_LUFS);
            range(at + ".loudness.true_peak_db", loudness.truePeakDb(), Loudness.MIN_TRUE_PEAK_DB,
                    Loudness.MAX_TRUE_PEAK_DB);
        }
    }

    private void overlay(String at, Overlay o) {
        if ((o.x() == null) != (o.y() == null)) {
            error(at + (o.x() == null ? ".x" : ".y"), "x and y go together: give both, or neither and a position");
        }
        range(at + ".x", o.x(), 0, MAX_SIDE);
        range(at + ".y", o.y(), 0, MAX_SIDE);
        range(at + ".margin", o.margin(), 0, MAX_SIDE);
        range(at + ".width", o.width(), 1, MAX_SIDE);
        range(at + ".opacity", o.opacity(), 0, 1);
        range(at + ".start", o.start(), 0, 1e7);
        positive(at + ".end", o.end(), 1e7);
        if (o.start() != null && o.end() != null && o.end() <= o.start()) {
            error(at + ".end", "must be after start");
        }
    }

    private void range(String field, Number value, double min, double max) {
        if (value != null && (value.doubleValue() < min || value.doubleValue() > max)) {
            error(field, "must be between " + format(min) + " and " + format(max));
        }
    }

    private void positive(String field, Number value, double max) {
        if (value != null && (value.doubleValue() <= 0 || value.doubleValue() > max)) {
            error(field, "must be greater than 0 and at most " + format(max));
        }
    }

    private void error(String field, String message) {
        errors.add(new FieldError(field, message));
    }

    private static String format(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
