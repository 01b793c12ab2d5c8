package dev.framewright.events;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Loudness normalisation of an output's audio (EBU R128 / ITU-R BS.1770): the input's integrated loudness is measured
 * in a first pass, then the audio is turned up or down by the difference to the target and its true peaks are held
 * under the limit. A preset gives both values; an explicit value overrides the preset's.
 *
 * @param preset     {@code web} (-16 LUFS, -1 dBTP) or {@code broadcast} (-23 LUFS, -1 dBTP, EBU R128); default web
 * @param targetLufs integrated loudness to reach, LUFS
 * @param truePeakDb highest true peak allowed, dBTP
 */
public record Loudness(Preset preset, Double targetLufs, Double truePeakDb) {

    // limits; to move into the shared output rulebook once it lands
    public static final double MIN_TARGET_LUFS = -40;
    public static final double MAX_TARGET_LUFS = -5;
    public static final double MIN_TRUE_PEAK_DB = -9;
    public static final double MAX_TRUE_PEAK_DB = 0;
    /** {@code audioTrack} of video, hls and audio outputs: a 0-based index or an ISO 639-1/-2 language code. */
    public static final Pattern AUDIO_TRACK = Pattern.compile("[0-9]{1,3}|[A-Za-z]{2,3}");

    /** Common delivery targets. */
    public enum Preset {
        WEB(-16, -1),
        BROADCAST(-23, -1);

        private final double targetLufs;
        private final double truePeakDb;

        Preset(double targetLufs, double truePeakDb) {
            this.targetLufs = targetLufs;
            this.truePeakDb = truePeakDb;
        }

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The target with the preset and defaults applied. */
    public double resolvedTargetLufs() {
        return targetLufs != null ? targetLufs : (preset == null ? Preset.WEB : preset).targetLufs;
    }

    /** The true-peak limit with the preset and defaults applied. */
    public double resolvedTruePeakDb() {
        return truePeakDb != null ? truePeakDb : (preset == null ? Preset.WEB : preset).truePeakDb;
    }

    /** What is wrong with the values, one sentence each naming the field (empty when they are fine). */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if (targetLufs != null && !(targetLufs >= MIN_TARGET_LUFS && targetLufs <= MAX_TARGET_LUFS)) {
            out.add("loudness.targetLufs must be between " + MIN_TARGET_LUFS + " and " + MAX_TARGET_LUFS
                    + " LUFS, was " + targetLufs);
        }
        if (truePeakDb != null && !(truePeakDb >= MIN_TRUE_PEAK_DB && truePeakDb <= MAX_TRUE_PEAK_DB)) {
            out.add("loudness.truePeakDb must be between " + MIN_TRUE_PEAK_DB + " and " + MAX_TRUE_PEAK_DB
                    + " dBTP, was " + truePeakDb);
        }
        return out;
    }
}
