package dev.framewright.events;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Loudness normalisation of an output's audio (EBU R128 / ITU-R BS.1770): the input's integrated loudness is measured
 * in a first pass, then the audio is turned up or down by the difference to the target and its true peaks are held
 * under the limit. A preset gives both values; an explicit value overrides the preset's. Limits: {@code OutputRules}.
 *
 * @param preset     {@code web} (-16 LUFS, -1 dBTP) or {@code broadcast} (-23 LUFS, -1 dBTP, EBU R128); default web
 * @param targetLufs integrated loudness to reach, LUFS
 * @param truePeakDb highest true peak allowed, dBTP
 */
public record Loudness(Preset preset, Double targetLufs, Double truePeakDb) {

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
}
