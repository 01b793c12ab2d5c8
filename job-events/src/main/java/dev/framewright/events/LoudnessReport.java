package dev.framewright.events;

/**
 * What loudness normalisation measured (EBU R128 / ITU-R BS.1770, on the audio as encoded: downmixed, trimmed).
 *
 * @param integratedLufs      integrated loudness of the output, LUFS
 * @param truePeakDb          highest true peak of the output, dBTP
 * @param inputIntegratedLufs integrated loudness of the input's chosen track, measured in the first pass
 * @param inputTruePeakDb     highest true peak of the input's chosen track, dBTP
 * @param targetLufs          the target that was asked for
 * @param gainDb              the gain applied to reach it
 */
public record LoudnessReport(Double integratedLufs, Double truePeakDb, Double inputIntegratedLufs,
        Double inputTruePeakDb, double targetLufs, double gainDb) {
}
